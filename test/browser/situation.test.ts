import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hasChromium, shots, startBrowserApp, watchProblems, type BrowserApp, openDemoCampaign } from '../helpers/browser.ts'
import { seedDemoSituation } from '../../src/server/modules/setup/demo-situation.ts'
import { todayInChina } from '../../src/server/modules/person/service.ts'

/** 西营子村 (one of the contact cadre's units) has visited all groups but 信访户 in the demo; 北沟村 is quiet (低风险). */
const XIYINGZI = '150999100202'
const BEIGOU = '150999100204'
const OPINION = '希望把村里的信访老问题一次讲清楚，选举时不去会场'
const PHONE = '13904761234'

let t: BrowserApp
let browser: Browser
let base: string

const phone = (): Promise<Page> => browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe.skipIf(!hasChromium)('三情: a cadre files a visit from a phone, the township reads it, the county does not', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // The bare demo county has no campaign; then 新营子镇's assessments, risks, visits and talks.
    await openDemoCampaign(t.database.db)
    await seedDemoSituation(t.database.db, todayInChina())
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the contact cadre file a 信访户 visit at 375 px, keeping the draft across a reload', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    await page.goto(`${base}/situation/visits/new`)
    const form = page.locator('[data-test="visit-form"]')
    await form.waitFor({ timeout: 30_000 })
    // Three assigned units: big buttons, not a list.
    await page.click(`[data-test="visit-unit-${XIYINGZI}"]`)
    await page.click('[data-test="visit-category-petitioner"]')
    await page.locator('[data-test="visit-visitee"] input').fill('常宝林')
    await page.locator('[data-test="visit-phone"] input').fill(PHONE)
    await page.locator('[data-test="visit-opinions"] textarea').fill(OPINION)

    await page.reload()
    await form.waitFor({ timeout: 30_000 })
    await expect.poll(() => page.locator('[data-test="visit-visitee"] input').inputValue(), { timeout: 10_000 }).toBe('常宝林')
    expect(await page.locator('[data-test="visit-opinions"] textarea').inputValue()).toBe(OPINION)
    expect(await page.getAttribute('[data-test="visit-category-petitioner"]', 'aria-checked')).toBe('true')
    expect(await page.getAttribute(`[data-test="visit-unit-${XIYINGZI}"]`, 'aria-checked')).toBe('true')
    expect(await sideways(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'situation-visit-file-375.png'), fullPage: true })

    await page.click('[data-test="visit-submit"]')
    const success = page.locator('[data-test="visit-success"]')
    await success.waitFor({ timeout: 20_000 })
    expect(await success.innerText()).toContain('西营子村 · 信访户 · 常宝林')
    expect(await sideways(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'situation-visit-done-375.png'), fullPage: true })
    // The draft is gone: a new visit starts empty.
    await page.click('[data-test="visit-again"]')
    await form.waitFor()
    expect(await page.locator('[data-test="visit-visitee"] input').inputValue()).toBe('')
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('shows the organiser the visit in the coverage matrix and its opinions, and saves an assessment', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/situation`)
    const row = page.locator(`[data-test="coverage-unit"][data-unit="${XIYINGZI}"]`)
    await row.waitFor({ timeout: 30_000 })
    // 西营子村 now has its 信访户 visit: no red cell left in its row.
    expect((await row.locator('[data-test="coverage-petitioner"]').innerText()).trim()).toBe('1')
    expect(await row.locator('td.missing').count()).toBe(0)
    expect(await page.locator('[data-test="coverage-matrix"] td.missing').count()).toBeGreaterThan(20)
    expect(await page.locator('[data-test="totals-high"]').innerText()).toBe('3')
    expect(await page.locator('[data-test="risk-section"]').innerText()).toContain('已逾期')

    // 北沟村 turns unstable: the dialog shows 难点村 before saving, the matrix after.
    const beigou = page.locator(`[data-test="coverage-unit"][data-unit="${BEIGOU}"]`)
    await beigou.locator('[data-test="coverage-assess"]').click()
    const dialog = page.locator('[data-test="assessment-dialog"]')
    await dialog.waitFor()
    await dialog.locator('[data-test="assessment-stability"] .el-radio-button', { hasText: '差' }).click()
    await dialog.locator('[data-test="assessment-stability"] input[type="text"]').fill('因草场边界与邻村发生纠纷')
    expect(await dialog.locator('[data-test="assessment-verdict"]').innerText()).toContain('难点村（高风险）')
    await dialog.locator('[data-test="assessment-save"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => beigou.locator('[data-test="coverage-assess"]').innerText()).toBe('高风险')
    expect(await page.locator('[data-test="totals-high"]').innerText()).toBe('4')
    await page.screenshot({ path: path.join(shots, 'situation-overview.png'), fullPage: true })

    // The overdue risk item is settled: the red count goes.
    await page.locator('[data-test="risk-table"] .el-table__row', { hasText: '已逾期' }).getByRole('button', { name: '编辑' }).click()
    const risk = page.locator('[data-test="risk-dialog"]')
    await risk.waitFor()
    await risk.locator('[data-test="risk-status"] .el-radio-button', { hasText: '已化解' }).click()
    await risk.locator('[data-test="risk-resolution"] textarea').fill('信访办、司法所上门答复，签订息访承诺书')
    await risk.locator('[data-test="risk-save"]').click()
    await risk.waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('[data-test="totals-risks"]').innerText()).toBe('4')

    await page.goto(`${base}/situation/visits`)
    const opinions = page.locator('[data-test="visit-opinions"]', { hasText: OPINION })
    await opinions.waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-test="opinions-hidden-notice"]').count()).toBe(0)
    // The phone shows in the record itself, never in the list.
    expect(await page.locator('[data-test="visits-page"]').innerText()).not.toContain(PHONE)
    await page.locator('[data-test="visit-table"] .el-table__row', { hasText: OPINION }).locator('[data-test="visit-open"]').click()
    await expect.poll(() => page.locator('[data-test="visit-dialog"] [data-test="visit-phone"]').innerText(), { timeout: 10_000 }).toBe(PHONE)
    await page.screenshot({ path: path.join(shots, 'situation-visits-organiser.png'), fullPage: true })
    await page.locator('[data-test="visit-dialog"]').getByRole('button', { name: '关闭', exact: true }).click()
    await page.locator('[data-test="visit-dialog"]').waitFor({ state: 'hidden' })

    // A talk with 北沟村's director, filed from the dialog, shows with its words.
    await page.click('[data-test="talks-file"]')
    const talk = page.locator('[data-test="talk-dialog"]')
    await talk.waitFor()
    await talk.locator('[data-test="talk-unit"] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '北沟村' }).click()
    await talk.locator('[data-test="talk-name"] input').fill('乔振华')
    await talk.locator('[data-test="talk-post"] input').fill('村委会主任')
    await talk.locator('[data-test="talk-intention"] .el-radio-button', { hasText: '拟退出' }).click()
    await talk.locator('[data-test="talk-opinions-input"] textarea').fill('身体不好，想把位置让给年轻人')
    await talk.locator('[data-test="talk-save"]').click()
    await talk.waitFor({ state: 'hidden' })
    await page.getByRole('tab', { name: /谈心谈话/ }).click()
    await page.locator('[data-test="talk-opinions"]', { hasText: '身体不好，想把位置让给年轻人' }).waitFor({ timeout: 10_000 })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('keeps the overview on a 375 px phone: the matrix scrolls inside its box', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/situation`)
    await page.locator('[data-test="coverage-matrix"]').waitFor({ timeout: 30_000 })
    expect(await sideways(page)).toBeLessThanOrEqual(1)
    expect(await page.locator('[data-test="coverage-matrix"]').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
    await page.screenshot({ path: path.join(shots, 'situation-overview-375.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('shows the county admin the visits with the opinions hidden, and says why', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/situation/visits`)
    const notice = page.locator('[data-test="opinions-hidden-notice"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain('只有本乡镇')
    await page.locator('[data-test="visit-opinions"]').first().waitFor()
    const text = await page.locator('[data-test="visits-page"]').innerText()
    expect(text).not.toContain(OPINION)
    expect(text).toContain('（已隐藏）')
    // The visit is there (its 信访户 name masked), only its words are not.
    expect(text).toContain('常**')
    await page.screenshot({ path: path.join(shots, 'situation-visits-county.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
