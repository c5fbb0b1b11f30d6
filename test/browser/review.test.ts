import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, PASSWORD, shots, startBrowserApp, type BrowserApp, watchProblems } from '../helpers/browser.ts'
import { idNumberFor } from '../helpers/ids.ts'

/** 东营子村 of 新营子镇 in the demo county. */
const UNIT = '150999100201'
const FOUND_NAME = '高志远'
const OTHER_NAME = '孟庆华'
/** One of the nine default circumstances 旗公安局 checks (a “不宜” one: the county decides later). */
const FOUND_TEXT = '因嫖娼、吸毒、赌博、扰乱公共秩序等受到行政拘留未满 5 年'
const NOTE = '2023年4月因赌博被旗公安局行政拘留5日（青公决字〔2023〕第118号）'
/** A 1×1 PNG: the server checks the file's first bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }

let t: BrowserApp
let database: Database
let browser: Browser
let base: string
let batchId = ''
let otherNomineeId = ''

/** A browser context signed in through the API; its `request` shares the session cookie. */
async function apiSession(username: string): Promise<BrowserContext> {
  const ctx = await browser.newContext()
  const res = await ctx.request.post(`${base}/api/auth/login`, { data: { username, password: PASSWORD }, headers: { 'X-Requested-With': 'XMLHttpRequest' } })
  expect(res.status(), await res.text()).toBe(200)
  return ctx
}

async function post<T>(ctx: BrowserContext, url: string, data: unknown): Promise<T> {
  const res = await ctx.request.post(`${base}${url}`, { data, headers: { 'X-Requested-With': 'XMLHttpRequest' } })
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300)
  return (await res.json()) as T
}

/** A day `n` days from today in China's calendar (deadlines are China's dates). */
function dayFromToday(n: number): string {
  const d = new Date(`${new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
const PAST_DEADLINE = dayFromToday(-3)

const overflowOf = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe.skipIf(!hasChromium)('资格联审 pages in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
    // The township registers two Party members, nominates them and submits them for review.
    const organiser = await apiSession('xyz_organiser')
    const nomineeIds: string[] = []
    for (const [i, [name, post_]] of ([
      [FOUND_NAME, 'secretary'],
      [OTHER_NAME, 'member'],
    ] as const).entries()) {
      const person = await post<{ id: string }>(organiser, '/api/people', {
        name,
        idNumber: idNumberFor(40 + i),
        ethnicity: '01',
        education: '31',
        politicalStatus: '01',
        partyJoinedOn: '2006-07-01',
        unitCode: UNIT,
      })
      const nominee = await post<{ id: string }>(organiser, '/api/nominees', { personId: person.id, unitCode: UNIT, body: 'party', post: post_, putForward: 'party_members' })
      nomineeIds.push(nominee.id)
    }
    otherNomineeId = nomineeIds[1]!
    batchId = (await post<{ id: string }>(organiser, '/api/review-batches', { nomineeIds })).id
    await organiser.close()
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the county administrator open the submitted batch with a deadline in working days', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/review-batches`)
    const list = page.locator('[data-test="batch-list"]')
    // A county administrator starts on 待发起, where the township's batch waits.
    const row = list.locator('.el-table__row').filter({ hasText: '新营子镇' })
    await row.waitFor()
    await expect(row.innerText()).resolves.toMatch(/新营子镇[\s\S]*2[\s\S]*未发起[\s\S]*待发起/)
    await row.getByRole('button', { name: '详情' }).click()

    const drawer = page.locator('.batch-drawer')
    await drawer.getByText('乡镇已报送，尚未发起联审').waitFor()
    await drawer.getByRole('button', { name: '发起联审' }).click()
    const dialog = page.locator('[data-test="open-dialog"]')
    await dialog.waitFor()
    await expect(dialog.locator('[data-test="open-workdays"] input').inputValue()).resolves.toBe('5')
    await expect(dialog.locator('[data-test="open-deadline"]').innerText()).resolves.toMatch(/工作日[\s\S]*周六、周日不计[\s\S]*须在 \d{4}-\d{2}-\d{2}（星期[一二三四五]）\s*前反馈/)
    await page.screenshot({ path: path.join(shots, 'review-open-1366.png'), animations: 'disabled' })
    await page.locator('.el-dialog').filter({ has: dialog }).getByRole('button', { name: '发起联审' }).click()

    await drawer.locator('[data-test="batch-status"]').filter({ hasText: '联审中' }).waitFor()
    const cell = drawer.locator(`[data-test="matrix-cell"][data-dept="旗公安局"][data-nominee="${FOUND_NAME}"]`)
    await expect(cell.innerText()).resolves.toMatch(/待反馈[\s\S]*期限 \d{4}-\d{2}-\d{2}/)
    await expect(drawer.locator('[data-test="batch-blockers"]').innerText()).resolves.toContain(`${FOUND_NAME}（东营子村）尚未得出审查结论`)

    const batch = await database.db.selectFrom('review_batch').select(['status', 'deadline']).where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(batch.status).toBe('in_review')
    const requests = await database.db.selectFrom('review_request').select('id').where('batch_id', '=', batchId).execute()
    // Two nominees, one request to each department named in the default list.
    expect(requests.length % 2).toBe(0)
    expect(requests.length).toBeGreaterThan(2)
    expect(problems).toEqual([])
    await page.close()
  })

  it('lets the police reviewer answer on a 375 px phone: one circumstance found with a note, the rest clear', async () => {
    const ctx = await browser.newContext(PHONE)
    const page = await ctx.newPage()
    const problems = watchProblems(page)
    await t.login(page, 'qs_police')
    await page.goto(`${base}/review-tasks`)
    const cards = page.locator('[data-test="task-card"]')
    await cards.filter({ hasText: OTHER_NAME }).waitFor()
    await expect(cards.count()).resolves.toBe(2)
    const card = cards.filter({ hasText: FOUND_NAME })
    await expect(card.innerText()).resolves.toMatch(/待反馈[\s\S]*\d{4}\*{10}\d{3}[\dX][\s\S]*新营子镇 东营子村[\s\S]*村党组织委员会书记[\s\S]*反馈期限 \d{4}-\d{2}-\d{2}/)
    await page.getByRole('textbox', { name: '姓名' }).fill(FOUND_NAME)
    await page.getByRole('button', { name: '查找' }).click()
    await cards.filter({ hasText: OTHER_NAME }).waitFor({ state: 'detached' })
    expect(await overflowOf(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'review-tasks-375.png'), animations: 'disabled' })
    await card.click()

    await page.waitForURL(/\/review-tasks\/\d+/)
    const form = page.locator('[data-test="task-form"]')
    const findings = form.locator('[data-test="finding-card"]')
    await findings.first().waitFor()
    // 旗公安局 checks 9 of the 17 default circumstances.
    await expect(findings.count()).resolves.toBe(9)
    await expect(page.locator('[data-test="task-nominee"]').innerText()).resolves.toMatch(/高志远[\s\S]*中国共产党党员[\s\S]*新营子镇 东营子村[\s\S]*村党组织委员会书记[\s\S]*旗公安局/)
    await page.screenshot({ path: path.join(shots, 'review-task-form-375.png'), animations: 'disabled' })

    // Submitting with nothing chosen is stopped here, card by card.
    await page.locator('[data-test="task-submit"]').click()
    await page.getByText('还有 9 项没有填好').first().waitFor()

    for (let i = 0; i < 9; i++) {
      const f = findings.nth(i)
      if ((await f.innerText()).includes(FOUND_TEXT)) {
        await f.getByText('有此情形', { exact: true }).click()
        await f.getByRole('textbox', { name: '查实情况' }).fill(NOTE)
      } else {
        await f.getByText('无此情形', { exact: true }).click()
      }
    }
    await expect(page.locator('.submit-bar').innerText()).resolves.toMatch(/已填 9\/9 项，有此情形 1 项/)

    const evidence = page.locator('[data-test="task-evidence"]')
    await evidence.locator('input[type=file]').setInputFiles({ name: '行政拘留决定书.png', mimeType: 'image/png', buffer: PNG })
    await evidence.locator('[data-test="evidence-list"]').getByText('行政拘留决定书.png').waitFor()

    const found = findings.filter({ hasText: FOUND_TEXT })
    await found.scrollIntoViewIfNeeded()
    expect(await overflowOf(page)).toBeLessThanOrEqual(1)
    // The submit bar stays on the phone's screen while the form scrolls.
    const bar = await page.locator('[data-test="task-submit"]').boundingBox()
    expect((bar?.y ?? 9999) + (bar?.height ?? 0)).toBeLessThanOrEqual(812)
    expect((await found.boundingBox())?.width ?? 999).toBeLessThanOrEqual(375)
    await page.screenshot({ path: path.join(shots, 'review-task-filled-375.png'), animations: 'disabled' })

    await page.locator('[data-test="task-submit"]').click()
    const confirm = page.locator('.el-message-box')
    await expect(confirm.innerText()).resolves.toMatch(/有此情形 1 项，无此情形 8 项[\s\S]*提交后不能修改/)
    await confirm.getByRole('button', { name: '确定提交' }).click()

    await page.locator('[data-test="task-answered"]').waitFor()
    await expect(page.locator('[data-test="task-status"]').innerText()).resolves.toBe('已反馈')
    await expect(page.locator('[data-test="task-answered"]').innerText()).resolves.toMatch(/赵明[\s\S]*不能再修改[\s\S]*有此情形 1 项/)
    await expect(form.locator('.el-radio').count()).resolves.toBe(0)
    await expect(page.locator('[data-test="task-submit"]').count()).resolves.toBe(0)
    await expect(found.innerText()).resolves.toContain(`查实情况：${NOTE}`)
    await expect(findings.filter({ hasText: '无此情形' }).count()).resolves.toBe(8)
    await page.screenshot({ path: path.join(shots, 'review-task-answered-375.png'), animations: 'disabled' })

    const requestId = new URL(page.url()).pathname.split('/').pop()!
    const stored = await database.db.selectFrom('review_request').select(['status', 'answered_by']).where('id', '=', requestId).executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'answered', answered_by: '赵明' })
    const rows = await database.db
      .selectFrom('review_finding as f')
      .innerJoin('circumstance as c', 'c.id', 'f.circumstance_id')
      .select(['c.text', 'f.found', 'f.note'])
      .where('f.request_id', '=', requestId)
      .execute()
    expect(rows).toHaveLength(9)
    expect(rows.filter((r) => r.found)).toEqual([{ text: FOUND_TEXT, found: true, note: NOTE }])
    expect(rows.filter((r) => r.found === false)).toHaveLength(8)
    const files = await database.db.selectFrom('review_evidence').select(['file_name', 'content_type']).where('request_id', '=', requestId).execute()
    expect(files).toEqual([{ file_name: '行政拘留决定书.png', content_type: 'image/png' }])

    // Back on the list, the answered task has moved to 已反馈.
    await page.getByRole('button', { name: '审查任务' }).click()
    await page.getByRole('tab', { name: /已反馈（1）/ }).click()
    await cards.filter({ hasText: FOUND_NAME }).getByText('已反馈', { exact: true }).waitFor()
    expect(problems).toEqual([])
    await ctx.close()
  })

  it('shows the county administrator the police answer in the batch matrix, and the overdue requests in 联审督办', async () => {
    // The other nominee's requests ran past their deadline (no API moves a deadline back).
    await database.db.updateTable('review_request').set({ deadline: PAST_DEADLINE }).where('nominee_id', '=', otherNomineeId).where('status', '=', 'pending').execute()
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/review-batches`)
    await page.getByRole('tab', { name: /联审中（1）/ }).click()
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出全部台账' }).click()])
    expect(all.suggestedFilename()).toMatch(/^联审台账_\d{12}\.xlsx$/)
    await page.locator('[data-test="batch-list"] .el-table__row').filter({ hasText: '新营子镇' }).getByRole('button', { name: '详情' }).click()
    const drawer = page.locator('.batch-drawer')
    const answered = drawer.locator(`[data-test="matrix-cell"][data-dept="旗公安局"][data-nominee="${FOUND_NAME}"]`)
    await answered.getByText(`有此情形：${FOUND_TEXT}`).waitFor()
    await expect(answered.innerText()).resolves.toMatch(new RegExp(`已反馈[\\s\\S]*${NOTE.slice(0, 12)}`))
    await expect(drawer.locator(`[data-test="matrix-cell"][data-dept="旗人民法院"][data-nominee="${FOUND_NAME}"]`).innerText()).resolves.toContain('待反馈')
    const late = drawer.locator(`[data-test="matrix-cell"][data-dept="旗公安局"][data-nominee="${OTHER_NAME}"]`)
    await expect(late.innerText()).resolves.toMatch(new RegExp(`逾期[\\s\\S]*期限 ${PAST_DEADLINE}`))
    await expect(late.locator('.el-tag--danger').count()).resolves.toBe(1)
    await expect(drawer.locator('[data-test="batch-blockers"]').innerText()).resolves.toMatch(/办结前还需完成 2 项/)
    await page.screenshot({ path: path.join(shots, 'review-batch-1366.png'), animations: 'disabled' })

    // The batch's ledger: one row per nominee, the police column says what it found.
    const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByRole('button', { name: '导出台账' }).click()])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(fs.readFileSync(await download.path()) as unknown as ArrayBuffer)
    const sheet = wb.worksheets[0]!
    const cells: string[] = []
    sheet.eachRow((row) => row.eachCell((c) => cells.push(c.text)))
    expect(cells).toContain('旗公安局意见')
    expect(cells).toContain(`发现：${FOUND_TEXT}（${NOTE}）`)
    expect(cells.filter((c) => c.startsWith('逾期未反馈'))).toHaveLength(11)

    await page.goto(`${base}/review-overdue`)
    const police = page.locator('[data-test="overdue-summary"] .el-table__row').filter({ hasText: '旗公安局' })
    await police.waitFor()
    // 待反馈 1 (the other nominee, overdue), 逾期 1, 已反馈 1.
    await expect(police.innerText()).resolves.toMatch(/旗公安局\s+1\s+1\s+1/)
    const table = page.locator('[data-test="overdue-table"]')
    const rows = table.locator('.el-table__row')
    await rows.filter({ hasText: '旗公安局' }).waitFor()
    const departments = (await database.db.selectFrom('review_request').select('id').where('nominee_id', '=', otherNomineeId).execute()).length
    await expect(rows.count()).resolves.toBe(departments)
    // Picking the department in the summary narrows the list to it.
    await police.click()
    await expect.poll(() => rows.count()).toBe(1)
    await expect(rows.first().innerText()).resolves.toMatch(new RegExp(`旗公安局\\s+${OTHER_NAME}\\s+新营子镇\\s+东营子村\\s+村党组织委员会委员\\s+${PAST_DEADLINE}\\s+3 天`))
    await page.screenshot({ path: path.join(shots, 'review-overdue-1366.png'), animations: 'disabled', fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the township organiser its batch and the answer on a 375 px phone, without widening the page', async () => {
    const ctx = await browser.newContext(PHONE)
    const page = await ctx.newPage()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/review-batches`)
    // An organiser starts on 联审中, where its batch now is.
    const card = page.locator('[data-test="batch-list"] .batch-card').filter({ hasText: '新营子镇' })
    await expect(card.innerText()).resolves.toMatch(/联审中[\s\S]*2 人[\s\S]*待反馈 21[\s\S]*期限 \d{4}-\d{2}-\d{2}/)
    expect(await overflowOf(page)).toBeLessThanOrEqual(1)
    await card.click()
    const drawer = page.locator('.batch-drawer')
    await drawer.locator(`[data-test="matrix-cell"][data-dept="旗公安局"][data-nominee="${FOUND_NAME}"]`).getByText(`有此情形：${FOUND_TEXT}`).waitFor()
    // Only the county opens and closes batches.
    await expect(drawer.getByRole('button', { name: '办结' }).count()).resolves.toBe(0)
    // The drawer fills the phone's width (less than a pixel over while it slides in).
    expect((await drawer.boundingBox())?.width ?? 999).toBeLessThan(376)
    await page.screenshot({ path: path.join(shots, 'review-batch-375.png'), animations: 'disabled' })

    await page.goto(`${base}/review-overdue`)
    await page.locator('[data-test="overdue-summary"] .el-table__row').filter({ hasText: '旗公安局' }).waitFor()
    await page.locator('[data-test="overdue-table"] .overdue-card').filter({ hasText: '旗公安局' }).getByText('逾期 3 天').waitFor()
    expect(await overflowOf(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'review-overdue-375.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await ctx.close()
  })

  it('lets the county administrator enter a department’s reply that came on paper (代录函复)', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/review-batches`)
    await page.getByRole('tab', { name: /联审中（1）/ }).click()
    await page.locator('[data-test="batch-list"] .el-table__row').filter({ hasText: '新营子镇' }).getByRole('button', { name: '详情' }).click()
    const drawer = page.locator('.batch-drawer')
    const court = drawer.locator(`[data-test="matrix-cell"][data-dept="旗人民法院"][data-nominee="${FOUND_NAME}"]`)
    await court.locator('[data-test="enter-paper-reply"]').click()
    const form = page.locator('[data-test="task-form"]')
    const findings = form.locator('[data-test="finding-card"]')
    await findings.first().waitFor()
    // Without naming the letter nothing is sent.
    for (const f of await findings.all()) await f.getByText('无此情形', { exact: true }).click()
    await page.locator('[data-test="task-submit"]').click()
    await page.getByText('代录纸质函复，请先写明函复文号或日期').waitFor()
    await page.locator('[data-test="paper-reply"] input').fill('2026年12月1日函复（青法函〔2026〕3号）')
    await page.locator('[data-test="task-submit"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '确定提交' }).click()
    await page.locator('[data-test="task-answered"]').waitFor()
    await expect(page.locator('[data-test="task-answered"]').innerText()).resolves.toContain('代录旗人民法院函复：2026年12月1日函复')
    const row = await database.db
      .selectFrom('review_request')
      .innerJoin('department', (j) => j.onRef('department.county_code', '=', 'review_request.county_code').onRef('department.id', '=', 'review_request.department_id'))
      .select(['review_request.status', 'review_request.answered_by'])
      .where('department.name', '=', '旗人民法院')
      .where('review_request.id', '=', new URL(page.url()).pathname.split('/').pop()!)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('answered')
    expect(row.answered_by).toContain('青法函〔2026〕3号')
    expect(problems).toEqual([])
    await page.close()
  })
})
