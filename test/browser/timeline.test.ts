import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { todayInChina } from '../../src/server/modules/person/service.ts'
import { addDays } from '../../src/rules/timeline/index.ts'
import { hasChromium, shots, startBrowserApp, watchProblems, type BrowserApp, openDemoCampaign } from '../helpers/browser.ts'

/** 东营子村 of 新营子镇, one of the contact cadre's three units. */
const DONGYINGZI = '150999100201'
const CADRE_UNITS = ['150999100201', '150999100202', '150999100203']

let t: BrowserApp
let browser: Browser
let base: string

/** Types a day into an Element Plus date picker and confirms it, as a user at the keyboard does. */
async function pickDay(scope: Locator, day: string) {
  const input = scope.locator('input')
  await input.fill(day)
  await input.press('Enter')
}

async function openUnit(page: Page, code: string): Promise<Locator> {
  await page.locator(`[data-test="timeline-unit"][data-unit="${code}"] [data-test="unit-name"]`).click()
  const drawer = page.locator('[data-test="unit-drawer"]')
  await drawer.locator('[data-test="milestone-list"]').waitFor()
  return drawer
}

describe.skipIf(!hasChromium)('换届时间表: election days, planned milestones and the legal limits in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // The bare demo county has no campaign; the timeline hangs off one.
    await openDemoCampaign(t.database.db)
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the organiser set a unit’s election days, plans from them, and refuses a done date past the legal limit', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/timeline`)
    await page.locator('[data-test="timeline-page"] [data-test="gantt"]').waitFor({ timeout: 30_000 })
    // Nothing is planned in the bare county yet, but every unit has its row to click.
    await page.locator('[data-test="gantt-empty"]').waitFor()
    await expect.poll(() => page.locator('[data-test="timeline-unit"]').count()).toBeGreaterThan(3)

    // 1. Party 2026-12-10, committee 2026-12-28: the voter list is planned twenty days before, 2026-12-08.
    const drawer = await openUnit(page, DONGYINGZI)
    await pickDay(drawer.locator('[data-test="schedule-party"]'), '2026-12-10')
    await pickDay(drawer.locator('[data-test="schedule-committee"]'), '2026-12-28')
    await drawer.locator('[data-test="schedule-save"]').click()
    const voterList = drawer.locator('[data-test="milestone"][data-key="voter_list"]')
    await expect.poll(() => voterList.locator('[data-test="milestone-planned"]').innerText(), { timeout: 15_000 }).toBe('2026-12-08')
    const ganttDot = page.locator(`[data-test="gantt"] [data-test="timeline-unit"][data-unit="${DONGYINGZI}"] [data-test="milestone"][data-key="voter_list"]`)
    expect(await ganttDot.getAttribute('title')).toContain('2026-12-08')

    // 2. A done day cannot lie in the future, so the committee day moves close instead: today + 10
    // puts the voter list's legal limit at today − 10. Today − 5 is refused with the rule and its
    // basis, in the form, which stays open; today − 15 is accepted.
    const today = todayInChina()
    await pickDay(drawer.locator('[data-test="schedule-committee"]'), addDays(today, 10))
    await drawer.locator('[data-test="schedule-save"]').click()
    await expect.poll(() => voterList.locator('[data-test="milestone-planned"]').innerText(), { timeout: 15_000 }).toBe(addDays(today, -10))

    await voterList.locator('[data-test="milestone-mark"]').click()
    const form = page.locator('[data-test="done-dialog"]')
    await form.waitFor()
    await pickDay(form.locator('[data-test="done-date"]'), addDays(today, -5))
    await form.locator('[data-test="done-evidence"] textarea').fill('选民名单公告张贴照片，存乡镇档案')
    await form.locator('[data-test="milestone-save"]').click()
    const error = form.locator('[data-test="milestone-error"]')
    await error.waitFor()
    expect(await error.innerText()).toContain('选民名单')
    expect(await error.innerText()).toContain('二十日')
    expect(await voterList.getAttribute('data-status')).not.toBe('done')

    await pickDay(form.locator('[data-test="done-date"]'), addDays(today, -15))
    await form.locator('[data-test="milestone-save"]').click()
    await form.waitFor({ state: 'hidden' })
    await expect.poll(() => voterList.getAttribute('data-status')).toBe('done')
    expect(await voterList.innerText()).toContain(`完成于 ${addDays(today, -15)}`)
    await expect.poll(() => ganttDot.getAttribute('data-status')).toBe('done')
    await page.screenshot({ path: path.join(shots, 'timeline-1366.png') })
    // The one refusal this test provokes, and nothing else.
    expect(problems).toEqual([`PUT ${base}/api/timeline/units/${DONGYINGZI}/milestones/voter_list → 422`])
    await page.close()
  }, 120_000)

  it('shows the contact cadre only their three units on a 375 px phone, without sideways page scroll', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    await page.goto(`${base}/timeline`)
    await page.locator('[data-test="timeline-cards"] [data-test="timeline-unit"]').first().waitFor({ timeout: 30_000 })
    const codes = await page.locator('[data-test="timeline-unit"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-unit')))
    expect(codes.sort()).toEqual(CADRE_UNITS)
    expect(await page.locator('[data-test="timeline-done"]').innerText()).toBe('1')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'timeline-375.png'), fullPage: true })

    // Marking a milestone on the phone: what was typed survives a reload (a dropped signal), then saves once.
    const unit = CADRE_UNITS[1]!
    const mark = async () => {
      const drawer = await openUnit(page, unit)
      await drawer.locator('[data-test="milestone"][data-key="election_committee"] [data-test="milestone-mark"]').click()
      const form = page.locator('[data-test="done-dialog"]')
      await form.waitFor()
      return form
    }
    let form = await mark()
    await form.locator('[data-test="done-evidence"] textarea').fill('推选会议记录已存档')
    await page.reload()
    await page.locator('[data-test="timeline-cards"] [data-test="timeline-unit"]').first().waitFor({ timeout: 30_000 })
    form = await mark()
    expect(await form.locator('[data-test="done-evidence"] textarea').inputValue()).toBe('推选会议记录已存档')
    await form.locator('[data-test="milestone-save"]').click()
    await form.waitFor({ state: 'hidden' })
    const done = await t.database.db.selectFrom('milestone').select(['evidence']).where('unit_code', '=', unit).where('key', '=', 'election_committee').execute()
    expect(done).toEqual([{ evidence: '推选会议记录已存档' }])
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('gives the leader the plan to read, with nothing to mark or save', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_leader')
    await page.goto(`${base}/timeline`)
    await page.locator(`[data-test="timeline-unit"][data-unit="${DONGYINGZI}"]`).waitFor({ timeout: 30_000 })
    const drawer = await openUnit(page, DONGYINGZI)
    await expect.poll(() => drawer.locator('[data-test="milestone"]').count()).toBeGreaterThan(10)
    expect(await drawer.locator('[data-test="milestone"][data-key="voter_list"]').getAttribute('data-status')).toBe('done')
    expect(await page.locator('[data-test="milestone-mark"]').count()).toBe(0)
    expect(await page.locator('[data-test="schedule-save"]').count()).toBe(0)
    expect(await page.locator('[data-test="phases-edit"]').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('lists the overdue milestones on 今日提醒 and lets the county admin point the alerts at a group robot', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/alerts`)
    const text = page.locator('[data-test="alerts-text"]')
    await expect.poll(() => text.innerText(), { timeout: 30_000 }).toContain('【新营子镇】')
    expect(await text.innerText()).toMatch(/东营子村逾期未完成：/)
    await page.locator('[data-test="alert-settings"]').getByText('企业微信', { exact: true }).click()
    // Element Plus passes the data-test attribute to the <input> itself.
    const webhook = page.locator('[data-test="alert-settings"] input[data-test="alert-webhook"], [data-test="alert-settings"] [data-test="alert-webhook"] input').first()
    await webhook.fill('https://example.com/hook')
    await page.click('[data-test="alert-settings-save"]')
    await expect.poll(() => page.locator('[data-test="alert-settings-error"]').innerText()).toContain('qyapi.weixin.qq.com')
    await webhook.fill('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef')
    await page.click('[data-test="alert-settings-save"]')
    await expect.poll(() => webhook.inputValue()).toContain('key=0123****')
    await page.screenshot({ path: path.join(shots, 'alerts.png'), fullPage: true })
    // The county admin's home counts the whole county's day (not one township's) and links here.
    await page.goto(`${base}/`)
    const daily = page.locator('[data-test="home-daily"]')
    await expect.poll(() => daily.innerText(), { timeout: 15_000 }).toMatch(/今日未报送 \d+ 个村（社区），涉及 \d+ 个乡镇；逾期未完成节点 [1-9]\d* 个/)
    await daily.getByText('查看今日提醒').click()
    await page.waitForURL(/\/alerts/)
    expect(problems).toEqual([expect.stringMatching(/PUT .*\/api\/alert-settings → 400/)])
    await page.close()
  }, 120_000)
})
