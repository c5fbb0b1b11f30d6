import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, shots, startBrowserApp, type BrowserApp, watchProblems } from '../helpers/browser.ts'

/** 东营子村 of 新营子镇 (demo data). */
const UNIT = '东营子村'
const UNIT_CODE = '150999100201'
/** Four candidates typed by hand; the server puts them in surname-stroke order. */
const CANDIDATES: { name: string; gender: '男' | '女' }[] = [
  { name: '赵红英', gender: '女' },
  { name: '王建军', gender: '男' },
  { name: '刘海', gender: '男' },
  { name: '丁秀梅', gender: '女' },
]

let t: BrowserApp
let database: Database
let browser: Browser
let base: string
/** The election made by the first test, opened again by the later ones. */
let electionId = ''

/** The form item whose label is exactly `label`. */
function formItem(page: Page, scope: Locator, label: string): Locator {
  return scope.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
}

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

/** Types a number into an el-input-number and leaves it (it takes the value on change). */
async function typeNumber(input: Locator, value: number): Promise<void> {
  await input.fill(String(value))
  await input.press('Tab')
}

describe.skipIf(!hasChromium)('选举计票: setting up an election in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the township organiser create a party committee election and prepare candidates, staff, a mobile box and the ballot paper', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')

    await page.goto(`${base}/elections`)
    await page.locator('[data-test="election-table"]').waitFor()
    await page.locator('[data-test="election-table"]').getByText('暂无选举').waitFor()

    // 新建选举: unit, body, date, place, 应到会 30, 实到会 28, 委员 3 名.
    await page.locator('[data-test="create-election"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新建选举' })
    await dialog.waitFor()
    await formItem(page, dialog, '村（社区）').locator('.el-select').click()
    await formItem(page, dialog, '村（社区）').locator('input').fill('东营子')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^${UNIT}$`) }).click()
    await formItem(page, dialog, '选举类别').locator('.el-radio', { hasText: '党组织委员会委员' }).click()
    const day = formItem(page, dialog, '选举日期').locator('input')
    await day.fill('2026-12-20')
    await day.press('Enter')
    await formItem(page, dialog, '选举地点').locator('input').fill('村党群服务中心')
    await typeNumber(dialog.locator('[data-test="entitled"] input'), 30)
    await typeNumber(dialog.locator('[data-test="present"] input'), 28)
    await typeNumber(dialog.locator('[data-test="seats-member"] input'), 3)
    // The dialog says what the numbers mean before saving: quorum and the 差额 the seats call for.
    await expect(dialog.locator('[data-test="quorum-hint"]').innerText()).resolves.toContain('实到会 28 人，超过应到会人数的五分之四（至少 25 人）')
    await dialog.getByText('候选人至少 4 名').waitFor()
    await page.screenshot({ path: path.join(shots, 'election-create-1366.png'), animations: 'disabled' })
    await dialog.locator('[data-test="election-save"]').click()
    await page.waitForURL(/\/elections\/\d+/)
    electionId = /\/elections\/(\d+)/.exec(page.url())![1]!

    // The detail: unit, body, round, status; the 差额 warning before any candidate is entered.
    await expect(page.locator('[data-test="election-title"]').innerText()).resolves.toBe(`${UNIT} · 党组织委员会委员`)
    await expect(page.locator('[data-test="election-round"]').innerText()).resolves.toBe('第一轮')
    const warnings = page.locator('[data-test="election-warnings"]')
    await expect(warnings.innerText()).resolves.toMatch(/差额不足：委员应选 3 名，候选人 0 名，至少需要 4 名/)
    const row = await database.db.selectFrom('election').select(['unit_code', 'body', 'round', 'entitled', 'present', 'held_on']).where('id', '=', electionId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ unit_code: UNIT_CODE, body: 'party_committee', round: 'first', entitled: 30, present: 28, held_on: '2026-12-20' })

    // 候选人: four typed by hand, name and gender.
    await page.getByRole('tab', { name: /^候选人/ }).click()
    await page.locator('[data-test="edit-candidates"]').click()
    const cands = page.locator('.el-dialog').filter({ hasText: '编辑候选人' })
    await cands.waitFor()
    for (const [i, c] of CANDIDATES.entries()) {
      if (i > 0) await cands.locator('[data-test="candidate-add"]').click()
      const r = cands.locator('[data-test="candidate-row"]').nth(i)
      await r.locator('.el-radio-button', { hasText: '直接填写' }).click()
      await r.locator('input[data-test="candidate-name"]').fill(c.name)
      await r.locator('.el-radio', { hasText: c.gender }).click()
    }
    await expect(cands.locator('[data-test="candidate-summary"]').innerText()).resolves.toContain('委员：应选 3 名，已填 4 名（差额至少 4 名）')
    const [put] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/elections/${electionId}/candidates`) && r.request().method() === 'PUT'),
      cands.locator('[data-test="candidate-save"]').click(),
    ])
    expect(put.status()).toBe(200)
    const reply = (await put.json()) as { candidates: { name: string; position: number }[] }
    const strokeOrder = [...reply.candidates].sort((a, b) => a.position - b.position).map((c) => c.name)
    expect([...strokeOrder].sort()).toEqual(CANDIDATES.map((c) => c.name).sort())
    // 丁 (2 strokes) · 王 (4) · 刘 (6) · 赵 (9)
    expect(strokeOrder).toEqual(['丁秀梅', '王建军', '刘海', '赵红英'])
    await cands.waitFor({ state: 'hidden' })
    const names = page.locator('[data-test="candidate-table"] [data-test="candidate-name"]')
    await expect.poll(() => names.count()).toBe(4)
    await expect(names.allInnerTexts()).resolves.toEqual(strokeOrder)
    await page.getByText('按姓氏笔画排序').waitFor()
    // Enough candidates now: the 差额 warning is gone.
    await expect.poll(async () => ((await warnings.count()) ? await warnings.innerText() : '')).not.toContain('差额不足')

    // 监票计票人员: one monitor, one counter.
    await page.getByRole('tab', { name: /^监票计票人员/ }).click()
    await page.locator('[data-test="edit-staff"]').click()
    const staff = page.locator('.el-dialog').filter({ hasText: '监票、计票人员' })
    await staff.waitFor()
    await staff.locator('[data-test="staff-row"]').nth(0).locator('input[data-test="staff-name"]').fill('孙立新')
    await staff.locator('[data-test="staff-add"]').click()
    const second = staff.locator('[data-test="staff-row"]').nth(1)
    await second.locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^计票人$/ }).click()
    await second.locator('input[data-test="staff-name"]').fill('周文')
    await staff.locator('[data-test="staff-save"]').click()
    await staff.waitFor({ state: 'hidden' })
    await expect(page.locator('[data-test="staff-table"]').innerText()).resolves.toMatch(/监票人\s+孙立新[\s\S]*计票人\s+周文/)

    // 投票点与流动票箱: the central meeting place and a mobile ballot box.
    await page.getByRole('tab', { name: /^投票点与流动票箱/ }).click()
    await page.locator('[data-test="edit-stations"]').click()
    const stations = page.locator('.el-dialog').filter({ hasText: '投票点与流动票箱' })
    await stations.waitFor()
    await stations.locator('[data-test="station-add-mobile"]').click()
    await expect(stations.locator('[data-test="station-row"]').count()).resolves.toBe(2)
    await stations.locator('[data-test="station-save"]').click()
    await stations.waitFor({ state: 'hidden' })
    await expect(page.locator('[data-test="station-table"]').innerText()).resolves.toMatch(/中心会场[\s\S]*流动票箱\s+流动票箱1/)
    const kinds = await database.db.selectFrom('election_station').select(['kind', 'name']).where('election_id', '=', electionId).orderBy('position').execute()
    expect(kinds).toEqual([
      { kind: 'main', name: '中心会场' },
      { kind: 'mobile', name: '流动票箱1' },
    ])
    // One monitor for a mobile box is too few: the server says so among the warnings.
    await expect(warnings.innerText()).resolves.toContain('流动票箱')

    // 文书: the ballot paper as a PDF, as many copies as members present by default.
    await page.getByRole('tab', { name: '文书' }).click()
    await expect(page.locator('[data-test="ballot-copies"] input').inputValue()).resolves.toBe('28')
    await typeNumber(page.locator('[data-test="ballot-copies"] input'), 2)
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('[data-test="download-ballot"]').click()])
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    expect(fs.readFileSync(await pdf.path()).subarray(0, 4).toString('latin1')).toBe('%PDF')

    // 计票记录: nothing counted yet; the count can start.
    await page.getByRole('tab', { name: /^计票记录/ }).click()
    await page.locator('[data-test="start-count"]').waitFor()
    await page.getByRole('tab', { name: /^候选人/ }).click()
    await page.screenshot({ path: path.join(shots, 'election-detail-1366.png'), animations: 'disabled', fullPage: true })

    // The list shows the election; a row opens it.
    await page.goto(`${base}/elections`)
    const listRow = page.locator('[data-test="election-table"] .el-table__row').filter({ hasText: UNIT })
    await expect(listRow.innerText()).resolves.toMatch(/党组织委员会委员[\s\S]*2026-12-20[\s\S]*委员 3 名[\s\S]*4[\s\S]*筹备中/)
    await page.screenshot({ path: path.join(shots, 'election-list-1366.png'), animations: 'disabled' })
    await listRow.locator('td').first().click()
    await page.waitForURL(new RegExp(`/elections/${electionId}$`))

    // 选举进度: the unit with its party committee 筹备中, the others 未开始.
    await page.goto(`${base}/elections/progress`)
    const unit = page.locator('[data-test="progress-list"] .el-table__row').filter({ hasText: UNIT })
    await expect(unit.innerText()).resolves.toMatch(/筹备中[\s\S]*未开始[\s\S]*未开始/)
    await expect(page.locator('[data-test="progress-totals"]').innerText()).resolves.toMatch(/28\s*村（社区）[\s\S]*0\s*全部公布[\s\S]*1\s*进行中[\s\S]*27\s*未开始/)
    await page.locator('[data-test="progress-chart"] canvas').first().waitFor()
    await page.screenshot({ path: path.join(shots, 'election-progress-1366.png'), animations: 'disabled' })
    await unit.locator('[data-test="status-tag"]').first().click()
    await page.waitForURL(new RegExp(`/elections/${electionId}$`))

    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('works at 375 px wide: the list, the detail and the progress board fit the phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')

    await page.goto(`${base}/elections`)
    await page.locator('[data-test="election-table"] .el-table__row').filter({ hasText: UNIT }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'election-list-375.png'), animations: 'disabled', fullPage: true })

    await page.goto(`${base}/elections/${electionId}`)
    await page.locator('[data-test="election-title"]').waitFor()
    await page.waitForLoadState('networkidle')
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'election-detail-375.png'), animations: 'disabled', fullPage: true })
    for (const name of [/^候选人/, /^计票记录/]) {
      await page.getByRole('tab', { name }).click()
      expect(await overflow(page)).toBeLessThanOrEqual(1)
    }
    await expect(page.locator('[data-test="candidate-table"] [data-test="candidate-name"]').count()).resolves.toBe(4)
    await page.getByRole('tab', { name: /^候选人/ }).click()
    await page.locator('[data-test="edit-candidates"]').click()
    const cands = page.locator('.el-dialog').filter({ hasText: '编辑候选人' })
    await cands.locator('[data-test="candidate-row"]').nth(3).waitFor()
    expect((await cands.boundingBox())?.width ?? 999).toBeLessThanOrEqual(375)
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'election-candidates-375.png'), animations: 'disabled' })
    await cands.getByRole('button', { name: '取消' }).click()

    await page.goto(`${base}/elections/progress`)
    await page.locator('[data-test="progress-unit"]').filter({ hasText: UNIT }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'election-progress-375.png'), animations: 'disabled', fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 60_000)

  it('shows the county administrator the counting rules with their legal basis, and saves a change', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/tally-rules`)
    const quorum = page.locator('[data-test="rule-quorumComparison"]')
    await expect(quorum.locator('[data-test="rule-value"]').innerText()).resolves.toBe('须超过五分之四')
    await quorum.getByText('中国共产党基层组织选举工作条例').waitFor()
    await expect(page.locator('[data-test="rule-partySurplusRatio"] [data-test="rule-value"]').innerText()).resolves.toBe('20%')
    await page.locator('[data-test="rule-carryDown"]').getByText('内蒙古').first().waitFor()

    // Women: the last member seat as a fallback, saved for the county.
    const women = page.locator('[data-test="rule-womenFallback"]')
    await women.locator('.el-radio', { hasText: '最后一个委员名额保底' }).click()
    await page.locator('[data-test="rules-save"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '保存' }).click()
    await women.getByText('本县已调整').waitFor()
    await expect(women.locator('[data-test="rule-value"]').innerText()).resolves.toBe('最后一个委员名额保底')
    const saved = await page.request.get(`${base}/api/tally-rules`)
    expect(((await saved.json()) as { overrides: Record<string, unknown> }).overrides).toEqual({ womenFallback: 'last_seat' })
    await page.screenshot({ path: path.join(shots, 'election-rules-1366.png'), animations: 'disabled', fullPage: true })

    // The organiser reads the same rules and cannot change them.
    const other = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const otherProblems = watchProblems(other)
    await t.login(other, 'xyz_organiser')
    await other.goto(`${base}/tally-rules`)
    await other.getByText('只有县级管理员可以修改计票规则').waitFor()
    await expect(other.locator('[data-test="rules-save"]').count()).resolves.toBe(0)
    expect(await overflow(other)).toBeLessThanOrEqual(1)
    await other.screenshot({ path: path.join(shots, 'election-rules-375.png'), animations: 'disabled', fullPage: true })
    expect(otherProblems).toEqual([])
    await other.close()

    expect(problems).toEqual([])
    await page.close()
  }, 60_000)
})
