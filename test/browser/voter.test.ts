import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hasChromium, openDemoCampaign, shots, startBrowserApp, watchProblems, type BrowserApp } from '../helpers/browser.ts'
import { checkCharOf } from '../../src/rules/id-number/index.ts'
import { ageOn } from '../../src/rules/age/index.ts'
import { addDays } from '../../src/rules/timeline/index.ts'
import { latestBirthDate, voterCategoryLabels } from '../../src/rules/voter/index.ts'
import { seedDemoVoters } from '../../src/server/modules/setup/demo-voter.ts'
import { todayInChina } from '../../src/server/modules/person/service.ts'
import { DEMO_COUNTY } from '../../src/server/modules/setup/demo.ts'

/** 东营子村 and 西营子村 of 新营子镇 (the contact cadre's), 白音嘎查 of 白音苏木, 北沟村 (no roll). */
const DONGYINGZI = '150999100201'
const XIYINGZI = '150999100202'
const BAIYIN = '150999200201'
const BEIGOU = '150999100204'

let t: BrowserApp
let browser: Browser
let base: string
let dir: string
let today: string

const phone = () => browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
const desktop = () => browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

/** A citizen ID number of the area 150998, which no demo voter has (theirs are 150999). */
function idOf(birth: string, n: number, female = false): string {
  const body = `150998${birth.replaceAll('-', '')}${String(n * 2 + (female ? 0 : 1)).padStart(3, '0')}`
  return body + checkCharOf(body)
}

/** The same number with a wrong check character. */
const mistyped = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1')

const active = async (unit: string) =>
  Number(
    (
      await t.database.db
        .selectFrom('voter')
        .select(sql<string>`count(*)`.as('n'))
        .where('county_code', '=', DEMO_COUNTY)
        .where('unit_code', '=', unit)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
    ).n,
  )

/** A voter's full ID number, as the person would show their card at the door. */
async function idNumberOf(unit: string, offset = 0): Promise<{ name: string; idNumber: string; group: string; category: keyof typeof voterCategoryLabels }> {
  const v = await t.database.db
    .selectFrom('voter')
    .select(['name', 'id_number_enc', 'village_group', 'category'])
    .where('county_code', '=', DEMO_COUNTY)
    .where('unit_code', '=', unit)
    .where('status', '=', 'active')
    .orderBy('id')
    .offset(offset)
    .limit(1)
    .executeTakeFirstOrThrow()
  return { name: v.name, idNumber: t.app.idCipher.decrypt(v.id_number_enc), group: v.village_group, category: v.category }
}

async function roster(header: string[], rows: (string | null)[][], name: string): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('选民名单')
  ws.addRow(header)
  for (const r of rows) ws.addRow(r)
  const file = path.join(dir, name)
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()))
  return file
}

describe.skipIf(!hasChromium)('选民登记: the township registers and imports voters, a cadre looks one up at the door', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // The rolls hang off the 2026 campaign; the bare demo county has none. The demo rolls are the app's own.
    await openDemoCampaign(t.database.db)
    today = todayInChina()
    await seedDemoVoters(t.database.db, t.app.idCipher, today)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hj-voter-'))
  }, 240_000)

  afterAll(() => t?.close())

  const header = ['姓名*', '身份证号*', '村民小组', '登记类别', '居住起始日期', '村民会议同意日期', '备注']

  for (const view of ['desktop', 'phone'] as const) {
    it(`lets the organiser search by initials, register a voter and import a file on ${view === 'phone' ? 'a 375 px phone' : 'the desktop'}`, async () => {
      const page = view === 'phone' ? await phone() : await desktop()
      const problems = watchProblems(page)
      const n = view === 'phone' ? 2 : 1
      await t.login(page, 'xyz_organiser')
      if (view === 'desktop') {
        await page.locator('[data-test="menu-group-选举计票"]').click()
        await page.locator('.el-menu-item', { hasText: '选民登记' }).click()
      } else {
        await page.goto(`${base}/voters`)
      }

      // The township's overview: every unit, three of them with a roll.
      const units = page.locator('[data-test="voter-units"]')
      await units.waitFor({ timeout: 30_000 })
      const before = await active(DONGYINGZI)
      const township = (await active(DONGYINGZI)) + (await active(XIYINGZI))
      await expect.poll(() => page.locator('[data-test="voter-total"]').innerText()).toBe(String(township))
      expect(await page.locator('[data-test="voter-with-roll"]').innerText()).toBe('2/28')
      if (view === 'phone') await page.screenshot({ path: path.join(shots, 'voter-township-375.png'), fullPage: true })
      else await page.screenshot({ path: path.join(shots, 'voter-township.png'), fullPage: true })

      // 东营子村's roll: its election day 30 days ahead, the count, the groups.
      await page.locator(`[data-test="voter-unit-${DONGYINGZI}"]`).click()
      const roll = page.locator('[data-test="voter-roll"]')
      await roll.waitFor()
      expect(await roll.getAttribute('data-status')).toBe('draft')
      expect(await page.locator('[data-test="voter-election-day"]').innerText()).toBe(addDays(today, 30))
      const unitTotal = page.locator('[data-test="voter-unit-total"]')
      await expect.poll(() => unitTotal.innerText()).toBe(String(before))
      expect(await page.locator('[data-test="voter-groups"] [data-group]').count()).toBeGreaterThanOrEqual(5)

      // Search by pinyin initials: the list holds exactly the voters whose initials start so.
      // Three letters that few names start with, so the one looked for is on the first page.
      const { rows: rare } = await sql<{ initials: string; n: string; name: string }>`
        select left(name_initials, 3) as initials, count(*) as n, min(name) as name from voter
        where county_code = ${DEMO_COUNTY} and unit_code = ${DONGYINGZI} and status = 'active' and length(name_initials) >= 3
        group by 1 having count(*) between 2 and 5 order by 1 limit 1`.execute(t.database.db)
      const { initials, name: someone } = rare[0]!
      const matching = Number(rare[0]!.n)
      await page.locator('[data-test="voter-search"]').fill(initials)
      await expect.poll(() => page.locator('[data-test="voter-list-total"]').innerText()).toBe(`共 ${matching} 人`)
      const names = await page.locator('[data-test="voter-row"]').allInnerTexts()
      expect(names).toContain(someone)
      expect(names).toHaveLength(matching)
      // Masked: first four and last four.
      expect(await page.locator('[data-test="voter-table"] .mono').first().innerText()).toMatch(/^1509\*{10}\d{3}[\dX]$/)
      if (view === 'desktop') await page.screenshot({ path: path.join(shots, 'voter-search.png'), fullPage: true })
      await page.locator('[data-test="voter-search"]').fill('')
      await expect.poll(() => page.locator('[data-test="voter-list-total"]').innerText()).toBe(`共 ${before} 人`)

      // Register one by hand: the dialog reads birth date, gender and age on election day from the number.
      const born = view === 'phone' ? '1996-03-15' : '1968-11-02'
      const newName = view === 'phone' ? '韩晓雯' : '郭振山'
      const newId = idOf(born, n, view === 'phone')
      await page.locator('[data-test="voter-add"]').click()
      const dialog = page.locator('[data-test="voter-dialog"]')
      await dialog.waitFor()
      await dialog.locator('[data-test="voter-name"] input').fill(newName)
      await dialog.locator('[data-test="voter-id"] input').fill(newId)
      const age = ageOn(born, addDays(today, 30))
      expect(await dialog.locator('[data-test="voter-id-read"]').innerText()).toContain(`到选举日 ${age} 岁`)
      await dialog.locator('[data-test="voter-group"] .el-select__wrapper').click()
      await page.keyboard.type('第六组')
      await page.keyboard.press('Enter')
      if (view === 'phone') {
        await dialog.locator('[data-test="voter-category-away_opt_in"]').click()
        await dialog.locator('[data-test="voter-note"] input').fill('在呼和浩特上学，表示回村参加选举')
      }
      if (view === 'phone') await page.screenshot({ path: path.join(shots, 'voter-add-375.png'), fullPage: true })
      await dialog.locator('[data-test="voter-save"]').click()
      const saved = dialog.locator('[data-test="voter-saved"]')
      await saved.waitFor({ timeout: 20_000 })
      const text = await saved.innerText()
      expect(text).toContain(`已登记 ${newName}（东营子村 第六组）`)
      expect(text).toContain(`${born} 出生，${view === 'phone' ? '女' : '男'}，到选举日 ${age} 岁`)
      expect(await dialog.locator('[data-test="voter-name"] input').inputValue()).toBe('')
      if (view === 'desktop') await page.screenshot({ path: path.join(shots, 'voter-added.png'), fullPage: true })
      // The same person again: refused, nothing written.
      await dialog.locator('[data-test="voter-name"] input').fill(newName)
      await dialog.locator('[data-test="voter-id"] input').fill(newId)
      await dialog.locator('[data-test="voter-save"]').click()
      await expect.poll(() => dialog.locator('[data-test="voter-error"]').innerText()).toContain('已在“东营子村”登记')
      await dialog.locator('.el-dialog__footer .el-button', { hasText: '完成' }).click()
      await dialog.waitFor({ state: 'hidden' })
      await expect.poll(() => unitTotal.innerText()).toBe(String(before + 1))
      expect(await active(DONGYINGZI)).toBe(before + 1)

      // An import with a bad row: every problem by row and column, nothing saved.
      const bad = await roster(
        header,
        [
          ['冯玉珍', idOf('1958-07-07', n + 10, true), '第一组', voterCategoryLabels.resident, null, null, null],
          ['高天宇', idOf(addDays(latestBirthDate(addDays(today, 30)), 1), n + 11), '第二组', voterCategoryLabels.resident, null, null, '刚满18周岁'],
          ['石美兰', mistyped(idOf('1987-02-02', n + 12, true)), '第三组', voterCategoryLabels.resident, null, null, null],
        ],
        `选民名单-有误-${view}.xlsx`,
      )
      await page.locator('[data-test="voter-import"]').click()
      const imp = page.locator('[data-test="voter-import-dialog"]')
      await imp.waitFor()
      await imp.locator('.el-upload input[type="file"]').setInputFiles(bad)
      await imp.locator('[data-test="voter-import-file"]').waitFor()
      await imp.locator('[data-test="voter-import-submit"]').click()
      const errors = imp.locator('[data-test="voter-import-errors"]')
      await errors.waitFor({ timeout: 20_000 })
      const errorText = await errors.innerText()
      // 高天宇 turns 18 the day after the election; 石美兰's number has a wrong check character.
      expect(errorText).toContain('第3行')
      expect(errorText).toContain('未满18周岁')
      expect(errorText).toContain('第4行')
      expect(errorText).toMatch(/B（身份证号\*?）/)
      expect(await active(DONGYINGZI)).toBe(before + 1)
      if (view === 'phone') {
        expect(await overflow(page)).toBeLessThanOrEqual(1)
        await page.screenshot({ path: path.join(shots, 'voter-import-errors-375.png'), fullPage: true })
      }

      // The corrected file: three voters, one of them living here without hukou.
      const good = await roster(
        header,
        [
          ['冯玉珍', idOf('1958-07-07', n + 10, true), '第一组', voterCategoryLabels.resident, null, null, null],
          ['高天宇', idOf('2001-04-18', n + 11), '第二组', voterCategoryLabels.away_opt_in, null, null, '在包头务工'],
          ['石美兰', idOf('1987-02-02', n + 12, true), '第三组', voterCategoryLabels.non_hukou, '2019-06-01', addDays(today, -3), '嫁入本村，户籍未迁'],
        ],
        `选民名单-${view}.xlsx`,
      )
      await imp.locator('.el-upload input[type="file"]').setInputFiles(good)
      await expect.poll(() => imp.locator('[data-test="voter-import-file"]').innerText()).toContain(`选民名单-${view}.xlsx`)
      await imp.locator('[data-test="voter-import-submit"]').click()
      await imp.waitFor({ state: 'hidden', timeout: 20_000 })
      await expect.poll(() => unitTotal.innerText()).toBe(String(before + 4))
      expect(await active(DONGYINGZI)).toBe(before + 4)
      await expect.poll(() => page.locator('[data-test="voter-count-non_hukou"] .value').innerText()).toBe(
        String(
          Number(
            (
              await t.database.db
                .selectFrom('voter')
                .select(sql<string>`count(*)`.as('n'))
                .where('county_code', '=', DEMO_COUNTY)
                .where('unit_code', '=', DONGYINGZI)
                .where('status', '=', 'active')
                .where('category', '=', 'non_hukou')
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      )
      if (view === 'phone') expect(await overflow(page)).toBeLessThanOrEqual(1)
      await page.screenshot({ path: path.join(shots, view === 'phone' ? 'voter-roll-375.png' : 'voter-roll.png'), fullPage: true })

      if (view === 'desktop') {
        // The print-ready list of every group, as the village posts it.
        await page.locator('[data-test="voter-print"]').click()
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="voter-print-all"]').click()])
        expect(download.suggestedFilename()).toMatch(/东营子村.*\.pdf$/)
        expect(fs.readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-')
      }
      // Only the refused import answered with an error.
      expect(problems).toEqual([`POST ${base}/api/voters → 409`, `POST ${base}/api/voters/import → 400`])
      await page.close()
    }, 180_000)
  }

  it('lets the organiser set the election day of a unit without a roll, and take a voter off the roll with a reason', async () => {
    const page = await desktop()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/voters?unit=${BEIGOU}`)
    const roll = page.locator('[data-test="voter-roll"]')
    await roll.waitFor({ timeout: 30_000 })
    expect(await roll.getAttribute('data-status')).toBe('none')
    await page.locator('[data-test="voter-no-day"] [data-test="voter-set-day"]').click()
    const dialog = page.locator('[data-test="voter-roll-dialog"]')
    await dialog.waitFor()
    const day = addDays(today, 40)
    await dialog.locator('[data-test="voter-roll-day"]').fill(day)
    expect(await dialog.innerText()).toContain(`最迟 ${addDays(day, -20)}`)
    await dialog.locator('[data-test="voter-roll-save"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => roll.getAttribute('data-status')).toBe('draft')
    expect(await page.locator('[data-test="voter-election-day"]').innerText()).toBe(day)
    const row = await t.database.db.selectFrom('voter_roll').select(['election_day', 'status']).where('county_code', '=', DEMO_COUNTY).where('unit_code', '=', BEIGOU).executeTakeFirstOrThrow()
    expect(row).toEqual({ election_day: day, status: 'draft' })

    // 西营子村: one voter moved away.
    await page.goto(`${base}/voters?unit=${XIYINGZI}`)
    const unitTotal = page.locator('[data-test="voter-unit-total"]')
    const before = await active(XIYINGZI)
    await expect.poll(() => unitTotal.innerText(), { timeout: 30_000 }).toBe(String(before))
    const first = page.locator('[data-test="voter-table"] .el-table__body-wrapper tr').first()
    const name = await first.locator('[data-test="voter-row"]').innerText()
    await first.locator('[data-test="voter-remove"]').click()
    const remove = page.locator('[data-test="voter-remove-dialog"]')
    await remove.waitFor()
    await remove.locator('.el-check-tag', { hasText: '户籍迁出' }).click()
    await remove.locator('[data-test="voter-remove-confirm"]').click()
    await remove.waitFor({ state: 'hidden' })
    await expect.poll(() => unitTotal.innerText()).toBe(String(before - 1))
    const gone = await t.database.db.selectFrom('voter').select(['status', 'removed_reason']).where('county_code', '=', DEMO_COUNTY).where('unit_code', '=', XIYINGZI).where('name', '=', name).where('status', '=', 'removed').execute()
    expect(gone).toEqual([{ status: 'removed', removed_reason: '户籍迁出' }])
    await page.locator('[data-test="voter-filter-status"] .el-radio-button', { hasText: '已移出' }).click()
    await expect.poll(() => page.locator('[data-test="voter-row"]').allInnerTexts()).toEqual([name])
    expect(await page.locator('[data-test="voter-table"]').innerText()).toContain('户籍迁出')
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('lets a contact cadre look a person up at the door on a 375 px phone: 已登记, 已在白音苏木登记, 未登记', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    // From the home page's quick entries.
    await page.locator('[data-test="quick-voters-lookup"]').click()
    await page.locator('[data-test="voter-lookup"]').waitFor({ timeout: 30_000 })
    const id = page.locator('[data-test="lookup-id"]')
    const answer = page.locator('[data-test="lookup-answer"]')

    const mine = await idNumberOf(XIYINGZI, 7)
    await id.fill(mine.idNumber)
    await page.locator('[data-test="lookup-submit"]').click()
    await answer.waitFor({ timeout: 20_000 })
    expect(await answer.getAttribute('data-result')).toBe('registered')
    expect(await answer.innerText()).toContain('已登记')
    expect(await answer.locator('[data-test="lookup-unit"]').innerText()).toBe('新营子镇 西营子村')
    expect(await answer.locator('[data-test="lookup-group"]').innerText()).toBe(mine.group)
    expect(await answer.locator('[data-test="lookup-category"]').innerText()).toBe(voterCategoryLabels[mine.category])
    expect(await answer.innerText()).toContain(mine.name)
    // The page never shows the full number back.
    expect(await answer.innerText()).not.toContain(mine.idNumber)
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'voter-lookup-375.png'), fullPage: true })

    // Another township's voter: only the township.
    await page.locator('[data-test="lookup-next"]').click()
    expect(await id.inputValue()).toBe('')
    await id.fill((await idNumberOf(BAIYIN, 3)).idNumber)
    await page.locator('[data-test="lookup-submit"]').click()
    await expect.poll(() => answer.getAttribute('data-result')).toBe('elsewhere')
    expect(await answer.locator('[data-test="lookup-elsewhere"]').innerText()).toBe('已在白音苏木登记')
    expect(await answer.innerText()).not.toContain('白音嘎查')
    await page.screenshot({ path: path.join(shots, 'voter-lookup-elsewhere-375.png'), fullPage: true })

    // Nobody with this number: 未登记.
    await page.locator('[data-test="lookup-next"]').click()
    await id.fill(idOf('1990-01-01', 40))
    await page.locator('[data-test="lookup-submit"]').click()
    await expect.poll(() => answer.getAttribute('data-result')).toBe('none')
    expect(await answer.innerText()).toContain('未登记')

    // A mistyped number is caught before asking.
    await page.locator('[data-test="lookup-next"]').click()
    await id.fill(mistyped(idOf('1990-01-01', 41)))
    await page.locator('[data-test="lookup-submit"]').click()
    expect(await page.locator('[data-test="lookup-error"]').innerText()).toContain('校验位不正确')

    // By name, inside her units.
    await page.locator('[data-test="lookup-mode"] .el-radio-button', { hasText: '按姓名' }).click()
    await page.locator('[data-test="lookup-name"]').fill(mine.name)
    await page.locator('[data-test="lookup-submit"]').click()
    await expect.poll(() => answer.getAttribute('data-result')).toBe('registered')
    expect(await answer.locator('[data-test="lookup-voter"]').first().innerText()).toContain(mine.name)
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
