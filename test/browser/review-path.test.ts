import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, PASSWORD, shots, startBrowserApp, type BrowserApp, watchProblems } from '../helpers/browser.ts'
import { idNumberFor } from '../helpers/ids.ts'

/**
 * The whole joint-review path through the web UI (issue: “township submits two nominees, two
 * departments review (one finds a bar), the talk is recorded, the notice is produced”):
 * 人选管理 → 报送联审 → 资格联审 发起 → 审查任务 (旗公安局 on a phone, 旗人民法院) → 谈话 → 办结
 * → 人选公示 with its Word and PDF.
 */

/** 东营子村 of 新营子镇 in the demo county. */
const UNIT = '150999100201'
/** A: put forward for 党组织书记; the police find a bar. B: 村民委员会主任, clear everywhere. */
const A = '韩德胜'
const B = '吴桂芬'
/** A “不得确定为候选人” circumstance that, of the two departments left active, only 旗公安局 checks. */
const BAR_TEXT = '拉票贿选，或操纵、破坏选举'
const BAR_NOTE = '2021年村民委员会选举中以每户200元发放现金拉票，经旗公安局查实（青公（治）调字〔2021〕第37号）'
/** The circumstances 旗人民法院 checks in the default list. */
const COURT_TEXTS = ['受过刑事处罚，刑满释放或缓刑期满未满 5 年', '属于“村霸”，或涉黑涉恶受到处理未满 5 年', '被人民法院列为失信被执行人']
/** The two departments with a reviewer in the demo county; the other nine are retired for this path. */
const KEEP = ['旗公安局', '旗人民法院']
const DESKTOP = { viewport: { width: 1366, height: 900 } }
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }
const HEADERS = { 'X-Requested-With': 'XMLHttpRequest' }

let t: BrowserApp
let database: Database
let browser: Browser
let base: string
const ids: Record<string, string> = {}
/** Pages of a phone context: their task list is cards, not a table. */
const PHONE_PAGES = new WeakSet<Page>()

/** A browser context signed in through the API; its `request` shares the session cookie. */
async function apiSession(username: string): Promise<BrowserContext> {
  const ctx = await browser.newContext()
  const res = await ctx.request.post(`${base}/api/auth/login`, { data: { username, password: PASSWORD }, headers: HEADERS })
  expect(res.status(), await res.text()).toBe(200)
  return ctx
}

async function call<T>(ctx: BrowserContext, method: 'get' | 'post' | 'patch', url: string, data?: unknown): Promise<T> {
  const res = await ctx.request[method](`${base}${url}`, { data, headers: HEADERS })
  expect(res.status(), `${method.toUpperCase()} ${url}: ${await res.text()}`).toBeLessThan(300)
  return (await res.json()) as T
}

/** A page of its own context, signed in through the login page. */
async function open(username: string, options: typeof DESKTOP | typeof PHONE): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await browser.newContext({ ...options, acceptDownloads: true })
  const page = await ctx.newPage()
  const problems = watchProblems(page)
  await t.login(page, username)
  return { ctx, page, problems }
}

const todayInChina = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
const stateOf = async (id: string) => (await database.db.selectFrom('nominee').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state

/**
 * Answers one task of the reviewer's list: every circumstance 无此情形 except `found` (有此情形
 * with its note), then submits through the confirmation. Returns the number of circumstances.
 */
async function answerTask(page: Page, name: string, found?: { text: string; note: string }, shot?: string): Promise<number> {
  await page.goto(`${base}/review-tasks`)
  const list = page.locator('[data-test="task-list"]')
  // Phones list cards; wider screens a table whose name is a link.
  const item = list.locator('[data-test="task-card"], .el-table__row').filter({ hasText: name })
  await item.first().waitFor()
  await (PHONE_PAGES.has(page) ? item.first() : item.first().getByRole('button', { name })).click()
  await page.waitForURL(/\/review-tasks\/\d+/)
  await expect(page.locator('[data-test="task-nominee"]').innerText()).resolves.toContain(name)
  const findings = page.locator('[data-test="task-form"] [data-test="finding-card"]')
  await findings.first().waitFor()
  const n = await findings.count()
  for (let i = 0; i < n; i++) {
    const f = findings.nth(i)
    if (found && (await f.innerText()).includes(found.text)) {
      await f.getByText('有此情形', { exact: true }).click()
      await f.getByRole('textbox', { name: '查实情况' }).fill(found.note)
    } else {
      await f.getByText('无此情形', { exact: true }).click()
    }
  }
  await expect(page.locator('.submit-bar').innerText()).resolves.toContain(`已填 ${n}/${n} 项`)
  if (shot) {
    await findings.filter({ hasText: found?.text ?? '' }).first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(shots, shot), animations: 'disabled' })
  }
  await page.locator('[data-test="task-submit"]').click()
  const confirm = page.locator('.el-message-box')
  await expect(confirm.innerText()).resolves.toContain(`有此情形 ${found ? 1 : 0} 项，无此情形 ${found ? n - 1 : n} 项`)
  await confirm.getByRole('button', { name: '确定提交' }).click()
  await page.locator('[data-test="task-answered"]').waitFor()
  await expect(page.locator('[data-test="task-status"]').innerText()).resolves.toBe('已反馈')
  return n
}
/** The batch's drawer on 资格联审, opened from the row (or card) of 新营子镇 on the given tab. */
async function openBatch(page: Page, tab: RegExp): Promise<Locator> {
  await page.goto(`${base}/review-batches`)
  await page.getByRole('tab', { name: tab }).click()
  const row = page.locator('[data-test="batch-list"] .el-table__row').filter({ hasText: '新营子镇' })
  await row.getByRole('button', { name: '详情' }).click()
  const drawer = page.locator('.batch-drawer')
  await drawer.locator('[data-test="batch-status"]').waitFor()
  return drawer
}

/** Waits out the success toasts, so a screenshot shows the drawer's own title. */
async function quiet(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.el-message').count(), { timeout: 8_000 }).toBe(0)
}

async function saved(download: Download, magic: string): Promise<Buffer> {
  const file = await download.path()
  const bytes = fs.readFileSync(file)
  expect(bytes.subarray(0, magic.length).toString('latin1')).toBe(magic)
  return bytes
}

describe.skipIf(!hasChromium)('资格联审 end to end in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
    // Only 旗公安局 and 旗人民法院 have reviewers in the demo county: the county retires the other
    // departments, so the two answer every request and an all-clear nominee can pass.
    const admin = await apiSession('qs_admin')
    for (const d of await call<{ id: string; name: string; version: number }[]>(admin, 'get', '/api/departments')) {
      if (!KEEP.includes(d.name)) await call(admin, 'patch', `/api/departments/${d.id}`, { version: d.version, status: 'retired' })
    }
    await admin.close()
    // The township registers two Party members of 东营子村 and nominates them as drafts.
    const organiser = await apiSession('xyz_organiser')
    for (const [i, [name, body, post, putForward, female]] of ([
      [A, 'party', 'secretary', 'party_members', false],
      [B, 'committee', 'chair', 'villagers', true],
    ] as const).entries()) {
      const person = await call<{ id: string }>(organiser, 'post', '/api/people', {
        name,
        idNumber: idNumberFor(70 + i, { birth: '1978-05-12', female }),
        ethnicity: '01',
        education: '31',
        politicalStatus: '01',
        partyJoinedOn: '2004-07-01',
        unitCode: UNIT,
      })
      ids[name] = (await call<{ id: string }>(organiser, 'post', '/api/nominees', { personId: person.id, unitCode: UNIT, body, post, putForward })).id
    }
    await organiser.close()
  }, 240_000)

  afterAll(() => t?.close())

  it('takes two nominees from the township through the joint review, the talk and the notice', async () => {
    const started = Date.now()
    const lap = (what: string) => console.log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`)

    // 1. 人选管理 (township organiser): tick both drafts → 报送联审 → both 已报送.
    const organiser = await open('xyz_organiser', DESKTOP)
    let page = organiser.page
    await page.goto(`${base}/nominees`)
    /** The row of a nominee on 人选管理, on whichever page is current. */
    const rowOf = (name: string) => page.locator('[data-test="nominee-table"] .el-table__row').filter({ hasText: name })
    for (const name of [A, B]) {
      await rowOf(name).locator('[data-test="state-tag"]').filter({ hasText: '草稿' }).waitFor()
      await rowOf(name).locator('.el-checkbox').click()
    }
    await page.locator('[data-test="submit-button"]').filter({ hasText: '报送联审（2）' }).click()
    const submit = page.locator('.el-dialog').filter({ hasText: '确定报送' })
    await expect(submit.locator('[data-test="submit-names"]').innerText()).resolves.toMatch(new RegExp(`${A}[\\s\\S]*村党组织委员会书记[\\s\\S]*${B}[\\s\\S]*村民委员会主任`))
    await submit.getByRole('button', { name: '确定报送' }).click()
    await submit.waitFor({ state: 'hidden' })
    for (const name of [A, B]) await rowOf(name).locator('[data-test="state-tag"]').filter({ hasText: '已报送' }).waitFor()
    await expect(page.locator('[data-test="submitted-note"]').innerText()).resolves.toMatch(/已报送：新营子镇\d{4}-\d{2}-\d{2}报送人选联审（2人）/)
    await page.screenshot({ path: path.join(shots, 'path-submitted-1366.png'), animations: 'disabled' })
    expect(organiser.problems).toEqual([])
    await organiser.ctx.close()
    const { batch_id: batchId } = await database.db.selectFrom('nominee').select('batch_id').where('id', '=', ids[A]!).executeTakeFirstOrThrow()
    expect(batchId).not.toBeNull()
    lap('submitted')

    // 2. 资格联审 (county administrator): the batch → 发起联审 with the default 5 working days.
    const admin = await open('qs_admin', DESKTOP)
    page = admin.page
    let drawer = await openBatch(page, /待发起（1）/)
    await drawer.getByRole('button', { name: '发起联审' }).click()
    const dialog = page.locator('[data-test="open-dialog"]')
    await expect(dialog.locator('[data-test="open-workdays"] input').inputValue()).resolves.toBe('5')
    await page.locator('.el-dialog').filter({ has: dialog }).getByRole('button', { name: '发起联审' }).click()
    await drawer.locator('[data-test="batch-status"]').filter({ hasText: '联审中' }).waitFor()
    // Two nominees × the two active departments.
    for (const dept of KEEP) {
      for (const name of [A, B]) {
        await expect(drawer.locator(`[data-test="matrix-cell"][data-dept="${dept}"][data-nominee="${name}"]`).innerText()).resolves.toMatch(/待反馈[\s\S]*期限 \d{4}-\d{2}-\d{2}/)
      }
    }
    await expect(drawer.locator('[data-test="matrix-cell"]').count()).resolves.toBe(4)
    await page.screenshot({ path: path.join(shots, 'path-matrix-1366.png'), animations: 'disabled' })
    expect(admin.problems).toEqual([])
    await admin.ctx.close()
    const batch = await database.db.selectFrom('review_batch').select(['status', 'deadline']).where('id', '=', batchId!).executeTakeFirstOrThrow()
    expect(batch.status).toBe('in_review')
    lap('opened')

    // 3. 审查任务 (旗公安局 on a 375 px phone): A has the bar, B is clear.
    const police = await open('qs_police', PHONE)
    PHONE_PAGES.add(police.page)
    expect(await answerTask(police.page, A, { text: BAR_TEXT, note: BAR_NOTE }, 'path-task-form-375.png')).toBe(9)
    await expect(police.page.locator('[data-test="task-form"] [data-test="finding-card"]').filter({ hasText: BAR_TEXT }).innerText()).resolves.toContain(`查实情况：${BAR_NOTE}`)
    // A bar found disqualifies at once, before the court has answered.
    expect(await stateOf(ids[A]!)).toBe('disqualified')
    expect(await answerTask(police.page, B)).toBe(9)
    expect(police.problems).toEqual([])
    await police.ctx.close()
    expect(await stateOf(ids[B]!)).toBe('under_review')
    lap('police answered')

    // 4. 审查任务 (旗人民法院 on a desktop): both clear; its three circumstances.
    const court = await open('qs_court', DESKTOP)
    page = court.page
    for (const name of [A, B]) {
      expect(await answerTask(page, name)).toBe(COURT_TEXTS.length)
      for (const text of COURT_TEXTS) await page.locator('[data-test="finding-card"]').filter({ hasText: text }).getByText('无此情形').waitFor()
    }
    expect(court.problems).toEqual([])
    await court.ctx.close()
    lap('court answered')

    // 5. The verdicts: A disqualified by the bar, B qualified by two clear answers.
    expect(await stateOf(ids[A]!)).toBe('disqualified')
    expect(await stateOf(ids[B]!)).toBe('qualified')
    const found = await database.db
      .selectFrom('review_finding as f')
      .innerJoin('review_request as r', 'r.id', 'f.request_id')
      .innerJoin('circumstance as c', 'c.id', 'f.circumstance_id')
      .select(['r.nominee_id', 'c.text', 'f.note'])
      .where('r.batch_id', '=', batchId!)
      .where('f.found', '=', true)
      .execute()
    expect(found).toEqual([{ nominee_id: ids[A], text: BAR_TEXT, note: BAR_NOTE }])

    // 6. 人选管理 (township organiser): A's drawer asks for the talk; it is recorded.
    const organiser2 = await open('xyz_organiser', DESKTOP)
    page = organiser2.page
    await page.goto(`${base}/nominees`)
    await rowOf(B).locator('[data-test="state-tag"]').filter({ hasText: '审查通过' }).waitFor()
    await rowOf(A).locator('[data-test="state-tag"]').filter({ hasText: '审查未通过' }).waitFor()
    await rowOf(A).getByRole('button', { name: A }).click()
    const nominee = page.locator('.nominee-drawer')
    await nominee.locator('[data-test="needs-talk"]').waitFor()
    await expect(nominee.locator('[data-test="nominee-state"]').innerText()).resolves.toBe('审查未通过')
    await expect(nominee.locator('[data-test="review-outcome"]').innerText()).resolves.toContain('查实“不得确定为候选人”情形')
    await expect(nominee.locator('[data-test="review-results"] [data-dept="旗公安局"]').innerText()).resolves.toMatch(new RegExp(`有此情形\\s*${BAR_TEXT}[\\s\\S]*不得确定为候选人[\\s\\S]*查实情况：${BAR_NOTE.slice(0, 20)}`))
    const talks = nominee.locator('[data-test="talk-section"]')
    await talks.getByRole('button', { name: '记录谈话' }).click()
    const talk = talks.locator('[data-test="talk-form"]')
    await expect(talk.locator('.el-date-editor input').inputValue()).resolves.toBe(todayInChina())
    const field = (label: string) => talk.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
    await field('谈话人').locator('input').fill('镇党委副书记 刘建军、组织委员 李秀兰')
    await field('谈话内容').locator('textarea').fill('告知本人因查实拉票贿选，按规定不能确定为村党组织书记候选人，说明政策依据，勉励其支持村“两委”换届。')
    await field('本人态度').locator('textarea').fill('表示理解，服从组织决定，支持换届工作。')
    await talks.getByRole('button', { name: '保存谈话记录' }).click()
    await talks.locator('.talk').filter({ hasText: '谈话人：镇党委副书记 刘建军、组织委员 李秀兰' }).waitFor()
    await nominee.locator('[data-test="needs-talk"]').waitFor({ state: 'detached' })
    await expect(talks.locator('.talk').innerText()).resolves.toMatch(new RegExp(`${todayInChina()}[\\s\\S]*记录人：李秀兰[\\s\\S]*表示理解`))
    await quiet(page)
    await page.screenshot({ path: path.join(shots, 'path-talk-1366.png'), animations: 'disabled' })
    expect(organiser2.problems).toEqual([])
    await organiser2.ctx.close()
    const recorded = await database.db.selectFrom('talk_record').select(['talked_on', 'talkers']).where('nominee_id', '=', ids[A]!).execute()
    expect(recorded).toHaveLength(1)
    lap('talk recorded')

    // 7. 资格联审 (county administrator): nothing blocks the batch any more → 办结.
    const admin2 = await open('qs_admin', DESKTOP)
    page = admin2.page
    drawer = await openBatch(page, /联审中（1）/)
    await drawer.locator('[data-test="batch-blockers"]').getByText('可以办结').waitFor()
    await expect(drawer.locator(`[data-test="matrix-cell"][data-dept="旗公安局"][data-nominee="${A}"]`).innerText()).resolves.toContain(`有此情形：${BAR_TEXT}`)
    await drawer.getByRole('button', { name: '办结' }).click()
    const box = page.locator('.el-message-box')
    await expect(box.innerText()).resolves.toContain('办结后本批次不能再更改')
    await box.getByRole('button', { name: '办结' }).click()
    await drawer.locator('[data-test="batch-status"]').filter({ hasText: '已办结' }).waitFor()
    await expect(drawer.getByRole('button', { name: '办结' }).count()).resolves.toBe(0)
    await page.screenshot({ path: path.join(shots, 'path-closed-1366.png'), animations: 'disabled' })
    expect(admin2.problems).toEqual([])
    await admin2.ctx.close()
    expect((await database.db.selectFrom('review_batch').select('status').where('id', '=', batchId!).executeTakeFirstOrThrow()).status).toBe('closed')
    lap('closed')

    // 8. 人选公示 (township organiser): 发布公示 for 东营子村 with B, then the Word and the PDF.
    const organiser3 = await open('xyz_organiser', DESKTOP)
    page = organiser3.page
    await page.goto(`${base}/notices`)
    await page.locator('[data-test="notice-table"]').waitFor()
    await page.locator('[data-test="publish-button"]').click()
    const publish = page.locator('.el-dialog').filter({ hasText: '发布公示' })
    await publish.getByRole('button', { name: '东营子村（1 人）' }).click()
    const ticked = publish.locator('[data-test="publish-nominees"] .el-checkbox')
    await ticked.filter({ hasText: B }).waitFor()
    await expect(ticked.count()).resolves.toBe(1)
    await expect(ticked.filter({ hasText: B }).getAttribute('class')).resolves.toContain('is-checked')
    const item = (label: string) => publish.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
    await expect(item('发布单位').locator('input').inputValue()).resolves.toBe('中共新营子镇委员会')
    await item('联系人及电话').locator('input').fill('李秀兰 0476-5212345')
    await publish.getByRole('button', { name: '发布' }).click()
    await publish.waitFor({ state: 'hidden' })

    const notice = page.locator('.notice-drawer')
    await notice.locator('[data-test="notice-nominees"] .el-table__row').filter({ hasText: B }).getByText('公示中').waitFor()
    await expect(notice.innerText()).resolves.toMatch(/中共新营子镇委员会[\s\S]*李秀兰 0476-5212345/)
    await expect(notice.locator('[data-test="notice-nominees"] .el-table__row').count()).resolves.toBe(1)
    const [docx] = await Promise.all([page.waitForEvent('download'), notice.locator('[data-test="download-docx"]').click()])
    expect(docx.suggestedFilename()).toMatch(/\.docx$/)
    // A Word file is a zip whose directory names word/document.xml.
    expect((await saved(docx, 'PK')).includes('word/document.xml')).toBe(true)
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), notice.locator('[data-test="download-pdf"]').click()])
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    expect((await saved(pdf, '%PDF-')).length).toBeGreaterThan(1000)
    await quiet(page)
    await page.screenshot({ path: path.join(shots, 'path-notice-1366.png'), animations: 'disabled' })
    expect(organiser3.problems).toEqual([])
    await organiser3.ctx.close()
    expect(await stateOf(ids[B]!)).toBe('in_notice')
    expect(await stateOf(ids[A]!)).toBe('disqualified')
    lap('notice published')
  }, 150_000)
})
