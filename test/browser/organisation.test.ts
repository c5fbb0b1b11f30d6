import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { hasChromium, shots, startBrowserApp, watchProblems, type BrowserApp, openDemoCampaign } from '../helpers/browser.ts'

/** 东营子村 and 西营子村 of 新营子镇: the demo leader (201–205) and cadre (201–203) both cover them. */
const DONGYINGZI = '150999100201'

let t: BrowserApp
let browser: Browser
let base: string

/** Fills one member row of the group dialog by its placeholders, as a user reads the fields. */
async function fillMember(row: Locator, m: { name: string; title: string; department?: string }) {
  await row.getByPlaceholder('姓名').fill(m.name)
  await row.getByPlaceholder(/^职务/).fill(m.title)
  if (m.department) await row.getByPlaceholder(/^所在部门/).fill(m.department)
}

/** Picks an option of an Element Plus select by its exact label (the popup is outside the dialog). */
async function pick(page: Page, select: Locator, label: string) {
  await select.click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^${label}`) }).click()
}

describe.skipIf(!hasChromium)('组织领导: leading group, guidance groups, 包村 and the notice in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // The bare demo county has no campaign; the groups are set up for one.
    await openDemoCampaign(t.database.db)
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the organiser set up the leading group and a guidance group, shows 包村, and downloads the notice', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/organisation`)
    await page.locator('[data-test="organisation-page"] [data-test="leading-create"]').waitFor({ timeout: 30_000 })

    // 1. 领导小组: the Party secretary as 第一责任人, two members whose departments become 成员单位.
    await page.click('[data-test="leading-create"]')
    const dialog = page.locator('[data-test="group-dialog"]')
    await dialog.waitFor()
    expect(await dialog.locator('[data-test="group-name"] input').inputValue()).toBe('村（社区）“两委”换届工作领导小组')
    const rows = dialog.locator('[data-test="member-row"]')
    await fillMember(rows.nth(0), { name: '王建国', title: '镇党委书记' })
    await dialog.locator('[data-test="member-add"]').click()
    await fillMember(rows.nth(1), { name: '李明', title: '镇纪委书记', department: '纪检' })
    await pick(page, rows.nth(1).locator('.el-select'), '具体责任人')
    await dialog.locator('[data-test="member-add"]').click()
    await fillMember(rows.nth(2), { name: '赵丽', title: '党政综合办主任', department: '党政综合办' })
    await dialog.locator('textarea').fill('负责全镇村（社区）“两委”换届工作的组织领导和统筹协调')
    await dialog.locator('[data-test="group-save"]').click()
    await dialog.waitFor({ state: 'hidden' })
    const leading = page.locator('[data-test="leading-group"]')
    await expect.poll(() => leading.innerText()).toContain('王建国（镇党委书记）')
    expect(await leading.locator('[data-test="leading-role"][data-role="first_responsible"]').innerText()).toContain('王建国')
    expect(await leading.locator('[data-test="leading-role"][data-role="responsible"]').innerText()).toContain('李明')
    expect(await leading.locator('[data-test="leading-departments"]').innerText()).toContain('纪检、党政综合办')
    expect(await page.locator('[data-test="leading-create"]').count()).toBe(0)

    // 2. 第一指导组 with its head, covering 东营子村 and 西营子村.
    await page.click('[data-test="guidance-create"]')
    await dialog.waitFor()
    await dialog.locator('[data-test="group-name"] input').fill('第一指导组')
    await fillMember(rows.nth(0), { name: '孙国庆', title: '镇人大主席' })
    const units = dialog.locator('[data-test="group-units"] .el-select')
    await pick(page, units, '东营子村')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^西营子村/ }).click()
    // Closes the option list, which would otherwise lie over the footer.
    await dialog.locator('.el-dialog__title').click()
    await dialog.locator('[data-test="group-save"]').click()
    await dialog.waitFor({ state: 'hidden' })
    const group = page.locator('[data-test="guidance-group"][data-name="第一指导组"]')
    await group.waitFor()
    expect(await group.innerText()).toContain('孙国庆（镇人大主席）')
    expect(await group.locator('[data-test="guidance-units"]').innerText()).toContain('东营子村、西营子村')

    // 3. 包村: the demo leader and cadre both cover 东营子村, and the new group guides it.
    const row = page.locator(`[data-test="assignment-row"][data-unit="${DONGYINGZI}"]`)
    await expect.poll(() => row.innerText()).toContain('第一指导组')
    expect(await row.innerText()).toContain('张志强')
    expect(await row.innerText()).toContain('刘海燕')

    // 4. The notice that sets the groups up, as Word (a zip: it starts with PK).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="notice-download"]')])
    expect(download.suggestedFilename()).toMatch(/\.docx$/)
    expect(fs.readFileSync(await download.path()).subarray(0, 2).toString('latin1')).toBe('PK')
    await page.screenshot({ path: path.join(shots, 'organisation.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('gives the leader the groups to read, with nothing to create or edit', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_leader')
    await page.goto(`${base}/organisation`)
    await page.locator('[data-test="guidance-group"][data-name="第一指导组"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-test="leading-group"]').innerText()).toContain('王建国')
    for (const button of ['leading-create', 'leading-edit', 'guidance-create', 'guidance-edit', 'guidance-remove']) {
      expect(await page.locator(`[data-test="${button}"]`).count(), button).toBe(0)
    }
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('fits a 375 px phone without sideways page scroll, member rows stacked in the dialog', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/organisation`)
    await page.locator(`[data-test="assignment-row"][data-unit="${DONGYINGZI}"]`).waitFor({ timeout: 30_000 })
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(await overflow()).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'organisation-375.png'), fullPage: true })

    await page.click('[data-test="leading-edit"]')
    const dialog = page.locator('[data-test="group-dialog"]')
    await dialog.waitFor()
    const first = dialog.locator('[data-test="member-row"]').first()
    // Stacked: 姓名 and 职务 sit on different lines, not side by side.
    const name = await first.getByPlaceholder('姓名').boundingBox()
    const title = await first.getByPlaceholder(/^职务/).boundingBox()
    expect(title!.y).toBeGreaterThan(name!.y + name!.height - 1)
    expect(await overflow()).toBeLessThanOrEqual(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
