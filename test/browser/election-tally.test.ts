import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { hasChromium, PASSWORD, shots, startBrowserApp, type BrowserApp } from '../helpers/browser.ts'
import { idNumberFor } from '../helpers/ids.ts'
import { tinyPdf } from '../helpers/scenario.ts'

/**
 * 计票 end to end in Chromium: a Party committee election (3 member seats, 应到 10, 实到 9, four
 * candidates typed by name) is counted ballot by ballot with the keyboard by the township
 * organiser, confirmed by the county administrator by blind double entry, announced (the two
 * elected linked to the people registry), and — two candidates tying for the last seat — taken on
 * to the revote, which is counted, confirmed blind and announced in turn; 现任班子 then lists the
 * three elected as the unit's Party committee, and with 显示历届 the secretary they replaced.
 * Then the ballot entry screen on a 375 px phone.
 */

/** 东营子村 of 新营子镇 in the demo county. */
const UNIT = '150999100201'
const DESKTOP = { viewport: { width: 1366, height: 900 } }
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }
const HEADERS = { 'X-Requested-With': 'XMLHttpRequest' }

/** A and B are elected; C and D tie for the last seat. */
const A = '王建华'
const B = '李桂兰'
const C = '张志刚'
const D = '赵永明'
type Who = typeof A | typeof B | typeof C | typeof D
/** The unit's Party secretary before the election (registered by hand): ended on election day. */
const OLD = '孙德厚'
const HELD_ON = '2026-11-20'

/**
 * Nine ballots, each approving three of the four and leaving one out (marked 2 不赞成, 3 弃权, or
 * left unmarked with 0 / space / Enter). Base = members present 9, threshold floor(9/2)+1 = 5:
 *   3 × leave out D, 3 × leave out C, 2 × leave out B, 1 × leave out A
 *   → A 8, B 7, C 6, D 6 approvals (27 = 9 ballots × 3 seats).
 * A and B pass the threshold and take two seats; C and D both pass with 6 and tie for the third
 * seat → 得票相等, next: revote between C and D.
 */
const BALLOTS: { omit: Who; key: '2' | '3' | '0' | 'Space' | 'Enter' }[] = [
  { omit: D, key: '2' },
  { omit: D, key: '3' },
  { omit: D, key: 'Enter' },
  { omit: C, key: '2' },
  { omit: C, key: '0' },
  { omit: C, key: 'Space' },
  { omit: B, key: '2' },
  { omit: B, key: '3' },
  { omit: A, key: 'Enter' },
]

/** Each candidate's 赞成/不赞成/弃权 over the nine ballots (unmarked counts as 弃权). */
function expected(name: Who) {
  const approve = BALLOTS.filter((b) => b.omit !== name).length
  const disapprove = BALLOTS.filter((b) => b.omit === name && b.key === '2').length
  return { approve, disapprove, abstain: BALLOTS.length - approve - disapprove }
}

/**
 * The revote between C and D for the one remaining seat, nine ballots again (each approving at
 * most one of the two, else void as an overvote). Base = members present 9, threshold
 * floor(9/2)+1 = 5:
 *   5 × C 赞成 D 不赞成, 1 × C 赞成 D unmarked, 3 × D 赞成 C 不赞成
 *   → C 6 赞成 3 不赞成 0 弃权; D 3 赞成 5 不赞成 1 弃权.
 * C has 6 ≥ 5 and more than D's 3: C takes the seat, D (3 < 5) does not; nothing is left to fill.
 */
const REVOTE: Record<Who, '1' | '2' | '0'>[] = [
  ...Array.from({ length: 5 }, () => ({ [C]: '1', [D]: '2' }) as Record<Who, '1' | '2' | '0'>),
  { [C]: '1', [D]: '0' } as Record<Who, '1' | '2' | '0'>,
  ...Array.from({ length: 3 }, () => ({ [C]: '2', [D]: '1' }) as Record<Who, '1' | '2' | '0'>),
]
function expectedRevote(name: Who) {
  const count = (k: '1' | '2' | '0') => REVOTE.filter((b) => b[name] === k).length
  return { approve: count('1'), disapprove: count('2'), abstain: count('0') }
}

let t: BrowserApp
let browser: Browser
let base: string
let electionId = ''
/** The registry people of C (the revote winner) and of the old secretary. */
let personC = ''
let personOld = ''
/** The candidates in ballot order (the server orders Party ballots by surname strokes). */
let order: Who[] = []

async function apiSession(username: string): Promise<BrowserContext> {
  const ctx = await browser.newContext()
  const res = await ctx.request.post(`${base}/api/auth/login`, { data: { username, password: PASSWORD }, headers: HEADERS })
  expect(res.status(), await res.text()).toBe(200)
  return ctx
}

async function call<T>(ctx: BrowserContext, method: 'get' | 'post' | 'put' | 'patch', url: string, data?: unknown): Promise<T> {
  const res = await ctx.request[method](`${base}${url}`, { data, headers: HEADERS })
  expect(res.status(), `${method.toUpperCase()} ${url}: ${await res.text()}`).toBeLessThan(300)
  return (await res.json()) as T
}

/** Script errors and refused API calls of a page, except the refusals a step expects. */
function watchProblems(page: Page, expectedRefusals: RegExp[] = []): string[] {
  page.setDefaultTimeout(15_000)
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
  page.on('response', (r) => {
    const line = `${r.request().method()} ${r.url()} → ${r.status()}`
    if (r.url().includes('/api/') && r.status() >= 400 && !expectedRefusals.some((x) => x.test(line))) problems.push(line)
  })
  return problems
}

async function open(username: string, options: typeof DESKTOP | typeof PHONE, expectedRefusals: RegExp[] = []) {
  const ctx = await browser.newContext({ ...options, acceptDownloads: true })
  const page = await ctx.newPage()
  const problems = watchProblems(page, expectedRefusals)
  await t.login(page, username)
  return { ctx, page, problems }
}

/** A Party committee election of 东营子村 with the four candidates typed by name. */
async function createElection(organiser: BrowserContext, place: string): Promise<{ id: string; candidates: { id: string; name: string; position: number }[] }> {
  const e = await call<{ id: string; version: number }>(organiser, 'post', '/api/elections', {
    unitCode: UNIT,
    body: 'party_committee',
    heldOn: HELD_ON,
    place,
    entitled: 10,
    present: 9,
    posts: [{ post: 'member', seats: 3 }],
  })
  return call(organiser, 'put', `/api/elections/${e.id}/candidates`, {
    version: e.version,
    candidates: [A, B, C, D].map((name) => ({ post: 'member', name, gender: name === B ? 'female' : 'male' })),
  })
}

const cell = (scope: Locator, name: string, m: 'approve' | 'disapprove' | 'abstain') => scope.locator(`[data-test="sheet-row"][data-name="${name}"] [data-test="cell-${m}"] input`)

async function fillAccount(scope: Locator, figures: Record<'printed' | 'issued' | 'returned' | 'spoiled' | 'unused', number>) {
  for (const [k, v] of Object.entries(figures)) {
    const input = scope.locator(`[data-test="account-${k}"] input`)
    await input.fill(String(v))
    await input.press('Tab')
  }
}

const ACCOUNT = { printed: 10, issued: 9, returned: 9, spoiled: 0, unused: 1 }

describe.skipIf(!hasChromium)('计票 (counting screens) in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    const organiser = await apiSession('xyz_organiser')
    // The two who will be elected are in the people registry, so they can be linked on announcing.
    for (const [i, name] of [A, B].entries()) {
      await call(organiser, 'post', '/api/people', {
        name,
        idNumber: idNumberFor(40 + i, { birth: '1976-03-08', female: name === B }),
        ethnicity: '01',
        education: '31',
        politicalStatus: '01',
        partyJoinedOn: '2001-07-01',
        unitCode: UNIT,
      })
    }
    // C, who wins the revote, is in the registry too; so is the secretary the election replaces.
    const registered = async (name: string, seq: number, birth: string) =>
      (
        await call<{ id: string }>(organiser, 'post', '/api/people', {
          name,
          idNumber: idNumberFor(seq, { birth }),
          ethnicity: '01',
          education: '31',
          politicalStatus: '01',
          partyJoinedOn: '1990-07-01',
          unitCode: UNIT,
        })
      ).id
    personC = await registered(C, 7301, '1973-05-16')
    personOld = await registered(OLD, 7303, '1959-10-12')
    await call(organiser, 'post', '/api/posts', { unitCode: UNIT, personId: personOld, body: 'party', post: 'secretary', since: '2021-05-01' })
    const e = await createElection(organiser, '东营子村村委会会议室')
    electionId = e.id
    order = [...e.candidates].sort((x, y) => x.position - y.position).map((c) => c.name as Who)
    expect([...order].sort()).toEqual([A, B, C, D].sort())
    await organiser.close()
  }, 240_000)

  afterAll(() => t?.close())

  it('counts ballot by ballot, confirms blind, announces a tie, runs the revote to the end and finds the new committee on 现任班子', async () => {
    // 1. The township organiser starts a count in ballot mode from the election's page.
    const organiser = await open('xyz_organiser', DESKTOP)
    let page = organiser.page
    await page.goto(`${base}/elections/${electionId}?tab=results`)
    await page.locator('[data-test="start-count"]').click()
    const dialog = page.locator('[data-test="count-dialog"]').or(page.locator('.el-dialog').filter({ hasText: '开始计票' })).first()
    await dialog.locator('[data-test="mode-ballots"]').click()
    await page.locator('[data-test="count-start"]').click()
    await page.waitForURL(/\/tally\/\d+/)
    const resultId = /\/tally\/(\d+)/.exec(page.url())![1]!
    const entry = page.locator('[data-test="ballot-entry"]')
    await entry.locator('[data-test="ballot-no"]').filter({ hasText: '第 1 张' }).waitFor()
    await expect(entry.locator('[data-test="ballot-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).resolves.toEqual(order)

    // 2. Nine ballots with the keyboard alone.
    for (const [i, b] of BALLOTS.entries()) {
      for (const name of order) await page.keyboard.press(name === b.omit ? b.key : '1')
      // Enter on the last candidate saves at once; otherwise the cursor is past the last one.
      if (!(b.key === 'Enter' && order.at(-1) === b.omit)) await page.keyboard.press('Enter')
      await entry.locator('[data-test="ballot-no"]').filter({ hasText: `第 ${i + 2} 张` }).waitFor()
    }
    const counts = entry.locator('[data-test="ballot-counts"]')
    await expect.poll(() => counts.innerText()).toMatch(/已录入\s*9\s*张\s*·\s*已保存\s*9$/)

    // An overvote is void: the first Enter warns, Esc goes back, a second Esc clears the ballot.
    for (let i = 0; i < order.length; i++) await page.keyboard.press('1')
    await page.keyboard.press('Enter')
    await expect(entry.locator('[data-test="ballot-warning"]').innerText()).resolves.toMatch(/此票为废票（超过应选人数）[\s\S]*再按/)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await expect(entry.locator('[data-test="ballot-row"][data-mark="approve"]').count()).resolves.toBe(0)
    // V marks the ballot unreadable; Esc throws it away.
    await page.keyboard.press('v')
    await entry.locator('[data-test="ballot-warning"]').filter({ hasText: '无法辨认' }).waitFor()
    await page.keyboard.press('Escape')
    await entry.locator('[data-test="ballot-warning"]').waitFor({ state: 'detached' })
    // W writes in another person for the current post; with no 不赞成 to replace, the ballot is void at once.
    await page.keyboard.press('w')
    const writeIn = entry.getByRole('textbox', { name: '另选人姓名' })
    await expect.poll(() => writeIn.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type('周海军')
    await page.keyboard.press('Enter')
    await entry.locator('[data-test="ballot-writein"]').filter({ hasText: '周海军' }).waitFor()
    await entry.locator('[data-test="ballot-warning"]').filter({ hasText: '另选未投不赞成票' }).waitFor()
    // Back on the keys: 2 for the first candidate makes room for the write-in, and the warning goes.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('ballot-form')
    await page.keyboard.press('2')
    await entry.locator('[data-test="ballot-warning"]').waitFor({ state: 'detached' })
    await page.keyboard.press('Escape')
    await entry.locator('[data-test="ballot-writein"]').waitFor({ state: 'detached' })
    // Ctrl+Z takes the ninth ballot back into the form; Enter saves it again.
    await page.keyboard.press('Control+z')
    await entry.locator('[data-test="ballot-flash"]').filter({ hasText: '已撤销第 9 张' }).waitFor()
    await expect.poll(() => counts.innerText()).toMatch(/已录入\s*8\s*张\s*·\s*已保存\s*8$/)
    await expect(entry.locator(`[data-test="ballot-row"][data-name="${A}"]`).getAttribute('data-mark')).resolves.toBe('')
    await expect(entry.locator(`[data-test="ballot-row"][data-name="${B}"]`).getAttribute('data-mark')).resolves.toBe('approve')
    await page.keyboard.press('Enter')
    await expect.poll(() => counts.innerText()).toMatch(/已录入\s*9\s*张\s*·\s*已保存\s*9$/)

    // The running totals, counted here from the ballots.
    await expect(entry.locator('[data-test="valid-count"]').innerText()).resolves.toBe('9')
    for (const name of [A, B, C, D] as Who[]) {
      const x = expected(name)
      await expect(entry.locator(`[data-test="total-row"][data-name="${name}"]`).innerText()).resolves.toMatch(new RegExp(`${name}\\s+${x.approve}\\s+${x.disapprove}\\s+${x.abstain}`))
    }
    await page.screenshot({ path: path.join(shots, 'tally-ballots-1366.png'), animations: 'disabled' })

    // 3. The ballot accounting; the checks pass once it balances, and it saves itself.
    const account = page.locator('[data-test="ballot-account"]')
    await fillAccount(account, ACCOUNT)
    await page.locator('[data-test="problems-ok"]').waitFor()
    await page.locator('[data-test="save-state"]').filter({ hasText: '已自动保存' }).waitFor()
    await page.locator('[data-test="tally-outcome"] [data-test="outcome-next"][data-next="revote"]').waitFor()
    await page.locator('[data-test="tally-submit"]').click()
    const box = page.locator('.el-message-box')
    await expect(box.innerText()).resolves.toContain('收回选票 9 张：有效 9 张，无效 0 张')
    await box.getByRole('button', { name: '提交核对' }).click()
    await page.locator('[data-test="waiting-confirm"]').waitFor()
    await expect(page.locator('[data-test="tally-state"]').innerText()).resolves.toBe('已录入待核对')
    await page.screenshot({ path: path.join(shots, 'tally-submitted-1366.png'), animations: 'disabled' })
    expect(organiser.problems).toEqual([])
    await organiser.ctx.close()

    // 4. The county administrator confirms by typing the count sheet again, blind.
    const admin = await open('qs_admin', DESKTOP, [/\/confirm → 422$/])
    page = admin.page
    await page.goto(`${base}/tally/${resultId}`)
    const confirm = page.locator('[data-test="tally-confirm"]')
    await confirm.locator('[data-test="way-double"]').click()
    const sheet = confirm.locator('[data-test="sheet-form"]')
    await sheet.locator('[data-test="valid-ballots"] input').fill('9')
    await sheet.locator('[data-test="void-ballots"] input').fill('0')
    for (const name of order) {
      const x = expected(name)
      // First a slip of the pen on C: the comparison names the cell.
      await cell(sheet, name, 'approve').fill(String(name === C ? x.approve + 1 : x.approve))
      await cell(sheet, name, 'disapprove').fill(String(x.disapprove))
      await cell(sheet, name, 'abstain').fill(String(x.abstain))
    }
    await fillAccount(confirm.locator('[data-test="ballot-account"]'), ACCOUNT)
    await confirm.locator('[data-test="confirm-double"]').click()
    await expect(confirm.locator('[data-test="confirm-errors"]').innerText()).resolves.toContain(`${C}赞成票：第一次 ${expected(C).approve}，第二次 ${expected(C).approve + 1}`)
    await page.screenshot({ path: path.join(shots, 'tally-blind-mismatch-1366.png'), animations: 'disabled' })
    await cell(sheet, C, 'approve').fill(String(expected(C).approve))
    await cell(sheet, C, 'approve').press('Tab')
    await confirm.locator('[data-test="confirm-double"]').click()
    await expect.poll(() => page.locator('[data-test="tally-state"]').innerText()).toBe('已核对待公布')
    expect(admin.problems).toEqual([])
    await admin.ctx.close()

    // 5. The organiser announces: the two elected, typed by name, are linked to the registry first.
    const organiser2 = await open('xyz_organiser', DESKTOP)
    page = organiser2.page
    await page.goto(`${base}/tally/${resultId}`)
    const announce = page.locator('[data-test="tally-announce"]')
    for (const name of [A, B]) {
      const row = announce.locator(`[data-test="link-row"][data-name="${name}"]`)
      await row.locator('.el-select').click()
      await row.locator('input').fill(name.slice(1))
      const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: name })
      await option.first().click()
    }
    await announce.locator('[data-test="announce"]').click()
    const lock = page.locator('.el-message-box')
    await expect(lock.innerText()).resolves.toContain('计票结果将被锁定')
    await lock.getByRole('button', { name: '公布并锁定' }).click()
    await page.locator('[data-test="locked"]').waitFor()
    await expect(page.locator('[data-test="fingerprint"]').innerText()).resolves.toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$|^[0-9a-f]{16,64}$/)
    const outcome = page.locator('[data-test="tally-outcome"]')
    await outcome.locator('[data-test="outcome-next"][data-next="revote"]').waitFor()
    const verdictOf = (name: string) =>
      outcome
        .locator('.el-table__row')
        .filter({ has: page.locator('[data-test="outcome-name"]', { hasText: new RegExp(`^${name}$`) }) })
        .locator('[data-test="outcome-verdict"]')
        .innerText()
    await expect(verdictOf(A)).resolves.toBe('当选')
    await expect(verdictOf(B)).resolves.toBe('当选')
    await expect(verdictOf(C)).resolves.toBe('得票相等')
    await expect(verdictOf(D)).resolves.toBe('得票相等')
    await expect(outcome.locator('[data-test="outcome-next"]').innerText()).resolves.toMatch(new RegExp(`重新投票[\\s\\S]*(${C}、${D}|${D}、${C})`))
    await page.screenshot({ path: path.join(shots, 'tally-announced-1366.png'), animations: 'disabled', fullPage: true })

    // 6. 发起重新投票 lands on the new election with the two tied candidates.
    await page.locator('[data-test="next-round"]').click()
    const next = page.locator('.el-message-box')
    await expect(next.innerText()).resolves.toMatch(new RegExp(`得票相等的 (${C}、${D}|${D}、${C})`))
    await next.getByRole('button', { name: '发起重新投票' }).click()
    await page.waitForURL((u) => /\/elections\/\d+/.test(u.pathname) && !u.pathname.endsWith(`/${electionId}`))
    await page.locator('[data-test="election-title"]').waitFor()
    await expect.poll(() => page.locator('body').innerText()).toContain('重新投票')
    const newId = /\/elections\/(\d+)/.exec(page.url())![1]!
    const fresh = await page.request.get(`${base}/api/elections/${newId}`)
    const revote = (await fresh.json()) as { round: string; present: number; candidates: { name: string; position: number }[]; posts: { seats: number }[] }
    expect(revote.round).toBe('revote')
    expect(revote.present).toBe(9)
    expect(revote.candidates.map((c) => c.name).sort()).toEqual([C, D].sort())
    expect(revote.posts[0]!.seats).toBe(1)
    await page.locator('[data-test="election-tabs"]').getByRole('tab', { name: /候选人/ }).click()
    for (const name of [C, D]) await page.locator('[data-test="candidate-table"]').getByText(name).waitFor()
    await page.screenshot({ path: path.join(shots, 'tally-revote-election-1366.png'), animations: 'disabled' })

    // 7. The organiser counts the revote ballot by ballot (see REVOTE: C 6, D 3, threshold 5).
    const revoteOrder = [...revote.candidates].sort((x, y) => x.position - y.position).map((c) => c.name as Who)
    await page.goto(`${base}/elections/${newId}?tab=results`)
    await page.locator('[data-test="start-count"]').click()
    const dialog2 = page.locator('[data-test="count-dialog"]').or(page.locator('.el-dialog').filter({ hasText: '开始计票' })).first()
    await dialog2.locator('[data-test="mode-ballots"]').click()
    await page.locator('[data-test="count-start"]').click()
    await page.waitForURL(/\/tally\/\d+/)
    const revoteResultId = /\/tally\/(\d+)/.exec(page.url())![1]!
    expect(revoteResultId).not.toBe(resultId)
    const entry2 = page.locator('[data-test="ballot-entry"]')
    await entry2.locator('[data-test="ballot-no"]').filter({ hasText: '第 1 张' }).waitFor()
    await expect(entry2.locator('[data-test="ballot-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).resolves.toEqual(revoteOrder)
    for (const [i, b] of REVOTE.entries()) {
      // A key per candidate moves the cursor past the last one; Enter saves the ballot.
      for (const name of revoteOrder) await page.keyboard.press(b[name])
      await page.keyboard.press('Enter')
      await entry2.locator('[data-test="ballot-no"]').filter({ hasText: `第 ${i + 2} 张` }).waitFor()
    }
    const counts2 = entry2.locator('[data-test="ballot-counts"]')
    await expect.poll(() => counts2.innerText()).toMatch(/已录入\s*9\s*张\s*·\s*已保存\s*9$/)
    await expect(entry2.locator('[data-test="valid-count"]').innerText()).resolves.toBe('9')
    for (const name of [C, D] as Who[]) {
      const x = expectedRevote(name)
      await expect(entry2.locator(`[data-test="total-row"][data-name="${name}"]`).innerText()).resolves.toMatch(new RegExp(`${name}\\s+${x.approve}\\s+${x.disapprove}\\s+${x.abstain}`))
    }
    await fillAccount(page.locator('[data-test="ballot-account"]'), ACCOUNT)
    await page.locator('[data-test="problems-ok"]').waitFor()
    await page.locator('[data-test="save-state"]').filter({ hasText: '已自动保存' }).waitFor()
    await page.locator('[data-test="tally-outcome"] [data-test="outcome-next"][data-next="none"]').waitFor()
    await page.screenshot({ path: path.join(shots, 'tally-revote-ballots-1366.png'), animations: 'disabled' })
    await page.locator('[data-test="tally-submit"]').click()
    const box2 = page.locator('.el-message-box')
    await expect(box2.innerText()).resolves.toContain('收回选票 9 张：有效 9 张，无效 0 张')
    await box2.getByRole('button', { name: '提交核对' }).click()
    await page.locator('[data-test="waiting-confirm"]').waitFor()
    await expect(page.locator('[data-test="tally-state"]').innerText()).resolves.toBe('已录入待核对')
    expect(organiser2.problems).toEqual([])
    await organiser2.ctx.close()

    // 8. The county administrator confirms the revote blind, typing the count sheet again.
    const admin2 = await open('qs_admin', DESKTOP)
    page = admin2.page
    await page.goto(`${base}/tally/${revoteResultId}`)
    const confirm2 = page.locator('[data-test="tally-confirm"]')
    await confirm2.locator('[data-test="way-double"]').click()
    const sheet2 = confirm2.locator('[data-test="sheet-form"]')
    await sheet2.locator('[data-test="valid-ballots"] input').fill('9')
    await sheet2.locator('[data-test="void-ballots"] input').fill('0')
    for (const name of revoteOrder) {
      const x = expectedRevote(name)
      await cell(sheet2, name, 'approve').fill(String(x.approve))
      await cell(sheet2, name, 'disapprove').fill(String(x.disapprove))
      await cell(sheet2, name, 'abstain').fill(String(x.abstain))
    }
    await fillAccount(confirm2.locator('[data-test="ballot-account"]'), ACCOUNT)
    await confirm2.locator('[data-test="confirm-double"]').click()
    await expect.poll(() => page.locator('[data-test="tally-state"]').innerText()).toBe('已核对待公布')
    expect(admin2.problems).toEqual([])
    await admin2.ctx.close()

    // 9. The organiser announces the revote, linking C (typed by hand) to the registry person.
    const organiser3 = await open('xyz_organiser', DESKTOP)
    page = organiser3.page
    await page.goto(`${base}/tally/${revoteResultId}`)
    const announce2 = page.locator('[data-test="tally-announce"]')
    await announce2.locator('[data-test="link-row"]').first().waitFor()
    await expect(announce2.locator('[data-test="link-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).resolves.toEqual([C])
    const linkC = announce2.locator(`[data-test="link-row"][data-name="${C}"]`)
    await linkC.locator('.el-select').click()
    await linkC.locator('input').fill(C.slice(1))
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: C }).first().click()
    await announce2.locator('[data-test="announce"]').click()
    const lock2 = page.locator('.el-message-box')
    await expect(lock2.innerText()).resolves.toContain(`当选：${C}（委员）`)
    await lock2.getByRole('button', { name: '公布并锁定' }).click()
    await page.locator('[data-test="locked"]').waitFor()
    const outcome2 = page.locator('[data-test="tally-outcome"]')
    await outcome2.locator('[data-test="outcome-next"][data-next="none"]').waitFor()
    const verdict2 = (name: string) =>
      outcome2
        .locator('.el-table__row')
        .filter({ has: page.locator('[data-test="outcome-name"]', { hasText: new RegExp(`^${name}$`) }) })
        .locator('[data-test="outcome-verdict"]')
        .innerText()
    await expect(verdict2(C)).resolves.toBe('当选')
    await expect(verdict2(D)).resolves.toBe('未当选')
    await page.screenshot({ path: path.join(shots, 'tally-revote-announced-1366.png'), animations: 'disabled', fullPage: true })

    // 10. 现任班子, filtered to the unit: A, B (first round) and C (revote) are its Party committee, each 选举产生.
    await page.goto(`${base}/posts`)
    const table = page.locator('[data-test="post-table"]')
    await table.waitFor()
    await page.locator('[data-test="unit-filter"]').click()
    await page.locator('[data-test="unit-filter"] input').fill('东营子')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^东营子村$/ }).click()
    const holdingsOf = (which: string) =>
      table.locator(`[data-test="holding"]${which}`).evaluateAll((els) => els.map((el) => `${el.getAttribute('data-body')}:${el.getAttribute('data-name')}:${el.getAttribute('data-ended')}`).sort())
    await expect.poll(() => holdingsOf('')).toEqual([A, B, C].map((n) => `party:${n}:`).sort())
    expect(await table.locator('.el-table__row').filter({ hasText: OLD }).count()).toBe(0)
    for (const name of [A, B, C]) {
      const row = table.locator('.el-table__row').filter({ has: page.locator(`[data-test="holding"][data-name="${name}"]`) })
      await expect(row.innerText()).resolves.toMatch(new RegExp(`委员\\s+${name}\\s*选举产生[\\s\\S]*${HELD_ON}`))
      await expect(row.locator('[data-test="elected-tag"]').count()).resolves.toBe(1)
    }
    await expect(table.locator('.el-table__row').first().innerText()).resolves.toMatch(/东营子村\s+3 人[\s\S]*村党组织委员会/)
    await expect(page.locator('[data-test="post-summary"]').innerText()).resolves.toMatch(/共 1 个村（社区），3 人任 3 个职务/)
    const api = await page.request.get(`${base}/api/posts?unitCode=${UNIT}`)
    const team = (await api.json()) as { name: string; body: string; post: string; personId: string; resultId: string | null; endedOn: string | null }[]
    expect(team.map((h) => `${h.body}:${h.post}:${h.name}:${h.resultId ? 'elected' : 'typed'}`).sort()).toEqual([A, B, C].map((n) => `party:member:${n}:elected`).sort())
    expect(team.find((h) => h.name === C)?.personId).toBe(personC)
    expect(new Set(team.map((h) => h.resultId))).toEqual(new Set([resultId, revoteResultId]))
    await page.screenshot({ path: path.join(shots, 'posts-elected-1366.png'), animations: 'disabled' })

    // 显示历届: the old secretary, ended on the election day, greyed below the new committee.
    await page.locator('[data-test="history-switch"]').click()
    const old = table.locator(`[data-test="holding"][data-name="${OLD}"]`)
    await old.waitFor()
    await expect(old.getAttribute('data-ended')).resolves.toBe(HELD_ON)
    await expect(holdingsOf('[data-ended=""]')).resolves.toEqual([A, B, C].map((n) => `party:${n}:`).sort())
    const oldRow = table.locator('.el-table__row').filter({ has: page.locator(`[data-test="holding"][data-name="${OLD}"]`) })
    await expect(oldRow.innerText()).resolves.toMatch(new RegExp(`党组织书记\\s+${OLD}\\s+已于${HELD_ON}由新班子接替[\\s\\S]*2021-05-01\\s+至 ${HELD_ON}`))
    await expect(oldRow.locator('[data-test="elected-tag"]').count()).resolves.toBe(0)
    await expect(oldRow.locator('td.holding-ended').count()).resolves.toBeGreaterThan(0)
    // The ended holding comes after the current committee, which still counts 3 people.
    await expect(table.locator('[data-test="holding"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')).at(-1))).resolves.toBe(OLD)
    await expect(page.locator('[data-test="post-summary"]').innerText()).resolves.toMatch(/共 1 个村（社区），3 人任 3 个职务[\s\S]*历届任职 1 条/)
    expect(personOld).not.toBe('')
    await page.screenshot({ path: path.join(shots, 'posts-history-1366.png'), animations: 'disabled' })
    expect(organiser3.problems).toEqual([])
    await organiser3.ctx.close()

    // The same on a 375 px phone: one card for the unit, the old secretary greyed with his end date.
    const phone = await open('xyz_organiser', PHONE)
    page = phone.page
    await page.goto(`${base}/posts`)
    const card = page.locator('[data-test="unit-card"]').filter({ hasText: '东营子村' })
    for (const name of [A, B, C]) await card.locator(`[data-test="member"][data-name="${name}"][data-ended=""]`).getByText('选举产生').waitFor()
    await page.locator('[data-test="history-switch"]').tap()
    const oldCard = card.locator(`[data-test="member"][data-name="${OLD}"]`)
    await oldCard.locator('[data-test="ended-note"]').filter({ hasText: `已于${HELD_ON}由新班子接替` }).waitFor()
    await expect(oldCard.getAttribute('class')).resolves.toContain('is-ended')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'posts-history-375.png'), animations: 'disabled', fullPage: true })
    expect(phone.problems).toEqual([])
    await phone.ctx.close()
  }, 360_000)

  it('enters a count sheet with a discrepancy note (R6) and has it confirmed against the scan', async () => {
    const api = await apiSession('xyz_organiser')
    const e = await createElection(api, '东营子村党员活动室')
    const r = await call<{ id: string }>(api, 'post', `/api/elections/${e.id}/results`, { mode: 'totals' })
    await api.close()
    /** A clean count: A, B and C elected (≥ 5), D not. */
    const figures: Record<Who, [number, number, number]> = { [A]: [8, 0, 1], [B]: [7, 1, 1], [C]: [6, 1, 2], [D]: [3, 2, 4] }

    // 1. The organiser types the signed count sheet; one ballot paper is unaccounted for (R6).
    const organiser = await open('xyz_organiser', DESKTOP)
    let page = organiser.page
    await page.goto(`${base}/tally/${r.id}`)
    const sheet = page.locator('[data-test="sheet-form"]')
    await sheet.waitFor()
    // A new count shows empty cells, not zeros nobody typed.
    await expect(sheet.locator('[data-test="valid-ballots"] input').inputValue()).resolves.toBe('')
    await sheet.locator('[data-test="valid-ballots"] input').fill('9')
    await sheet.locator('[data-test="void-ballots"] input').fill('0')
    for (const [name, [a, d, x]] of Object.entries(figures)) {
      await cell(sheet, name, 'approve').fill(String(a))
      await cell(sheet, name, 'disapprove').fill(String(d))
      await cell(sheet, name, 'abstain').fill(String(x))
    }
    await fillAccount(page.locator('[data-test="ballot-account"]'), { ...ACCOUNT, printed: 11 })
    const problems = page.locator('[data-test="problems"]')
    await expect(problems.innerText()).resolves.toContain('印制（领取）选票 11 张，应等于发出 9 + 未发出 1 + 损坏 0 = 10 张')
    await page.locator('[data-test="save-state"]').filter({ hasText: '已自动保存' }).waitFor()
    await page.locator('[data-test="tally-submit"]').click()
    await expect(page.locator('[data-test="submit-errors"]').innerText()).resolves.toContain('R6')
    await page.getByRole('textbox', { name: '情况说明' }).fill('领取选票时多领 1 张，会后清点发现该张夹在未发出选票中被另行封存，已由监票人当场登记。')
    await page.locator('[data-test="submit-with-note"]').click()
    const box = page.locator('.el-message-box')
    await expect(box.innerText()).resolves.toContain('附情况说明（R6）')
    await box.getByRole('button', { name: '提交核对' }).click()
    await page.locator('[data-test="waiting-confirm"]').waitFor()
    // The enterer uploads the photo of the signed sheet.
    await page.locator('[data-test="tally-scan"] input[type="file"]').setInputFiles({ name: '计票单.pdf', mimeType: 'application/pdf', buffer: tinyPdf })
    await page.locator('[data-test="scan-name"]').filter({ hasText: '计票单.pdf' }).waitFor()
    expect(organiser.problems).toEqual([])
    await organiser.ctx.close()

    // 2. The contact cadre checks against the scan: opens it, reveals the figures, confirms and so signs the note.
    const cadre = await open('xyz_cadre', DESKTOP)
    page = cadre.page
    await page.goto(`${base}/tally/${r.id}`)
    const confirm = page.locator('[data-test="tally-confirm"]')
    await expect(confirm.locator('[data-test="discrepancy-shown"]').innerText()).resolves.toMatch(/多领 1 张[\s\S]*确认核对即表示/)
    await confirm.locator('[data-test="way-scan"]').click()
    const [scan] = await Promise.all([page.waitForEvent('download'), confirm.locator('[data-test="scan-view"]').click()])
    expect(scan.suggestedFilename()).toMatch(/\.pdf$/)
    await confirm.locator('[data-test="reveal"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '查看' }).click()
    await expect(confirm.locator('[data-test="tally-figures"] [data-test="figure-printed"]').innerText()).resolves.toBe('11')
    await expect(confirm.locator('[data-test="way-double"]').isDisabled()).resolves.toBe(true)
    await confirm.locator('[data-test="scan-checked"]').click()
    await confirm.locator('[data-test="confirm-scan"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '确认核对无误' }).click()
    await expect.poll(() => page.locator('[data-test="tally-state"]').innerText()).toBe('已核对待公布')
    await page.locator('[data-test="tally-outcome"] [data-test="outcome-next"][data-next="none"]').waitFor()
    await page.screenshot({ path: path.join(shots, 'tally-confirmed-scan-1366.png'), animations: 'disabled', fullPage: true })
    expect(cadre.problems).toEqual([])
    await cadre.ctx.close()
  }, 120_000)

  it('fits the ballot entry screen on a 375 px phone, with touch buttons', async () => {
    const api = await apiSession('xyz_organiser')
    const e = await createElection(api, '东营子村文化活动室')
    const r = await call<{ id: string }>(api, 'post', `/api/elections/${e.id}/results`, { mode: 'ballots' })
    await api.close()

    const phone = await open('xyz_organiser', PHONE)
    const page = phone.page
    await page.goto(`${base}/tally/${r.id}`)
    const entry = page.locator('[data-test="ballot-entry"]')
    await entry.locator('[data-test="ballot-no"]').filter({ hasText: '第 1 张' }).waitFor()
    // One ballot by touch: 赞成 for the first three, 不赞成 for the last, then 保存此票.
    const names = await entry.locator('[data-test="ballot-row"]').evaluateAll((rows) => rows.map((x) => x.getAttribute('data-name')!))
    for (const [i, name] of names.entries()) await entry.getByRole('button', { name: `${name}${i < 3 ? '赞成' : '不赞成'}`, exact: true }).tap()
    await entry.locator('[data-test="save-ballot"]').tap()
    await entry.locator('[data-test="ballot-no"]').filter({ hasText: '第 2 张' }).waitFor()
    await expect.poll(() => entry.locator('[data-test="ballot-counts"]').innerText()).toMatch(/已保存\s*1$/)

    const overflow = await page.evaluate(() => {
      const out: string[] = []
      const check = (el: Element | null, what: string) => {
        if (el && el.scrollWidth > el.clientWidth + 1) out.push(`${what}: ${el.scrollWidth} > ${el.clientWidth}`)
      }
      check(document.documentElement, 'document')
      check(document.querySelector('.layout-main'), 'main')
      check(document.querySelector('[data-test="tally-page"]'), 'page')
      check(document.querySelector('[data-test="ballot-entry"]'), 'entry')
      // Nothing inside the entry screen reaches past the right edge of the viewport.
      for (const el of document.querySelectorAll('[data-test="ballot-entry"] *')) {
        const r = el.getBoundingClientRect()
        if (r.width && r.right > window.innerWidth + 1) out.push(`${el.tagName}.${el.className}: right ${Math.round(r.right)}`)
      }
      return out
    })
    expect(overflow).toEqual([])
    await page.screenshot({ path: path.join(shots, 'tally-ballots-375.png'), animations: 'disabled' })
    await entry.screenshot({ path: path.join(shots, 'tally-ballots-375-entry.png'), animations: 'disabled' })
    expect(phone.problems).toEqual([])
    await phone.ctx.close()
  }, 90_000)
})
