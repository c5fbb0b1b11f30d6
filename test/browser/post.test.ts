import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { checkCharOf } from '../../src/rules/id-number/index.ts'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, shots, startBrowserApp, type BrowserApp } from '../helpers/browser.ts'
import { workbook } from '../helpers/upload.ts'

const idOf = (first17: string) => first17 + checkCharOf(first17)
const SECRETARY_ID = idOf('15099919720606011')
const MEMBER_ID = idOf('15099919850707022')
const UNREGISTERED_ID = idOf('15099919900808031')
const DONGYINGZI = '150999100201'
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** The post import template's header row. */
const IMPORT_HEADER = ['村（社区）*', '姓名*', '身份证号*', '班子*', '职务*', '任职时间']
const CSRF = { 'X-Requested-With': 'XMLHttpRequest' }

let t: BrowserApp
let database: Database
let browser: Browser
let base: string
let secretaryId = ''

function formItem(page: Page, scope: Locator, label: string): Locator {
  return scope.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
}

async function holdingCount(): Promise<number> {
  return (await database.db.selectFrom('post_holding').select('id').execute()).length
}

/** Registers a person through the API, with the page's session. */
async function registerPerson(page: Page, data: Record<string, unknown>): Promise<string> {
  const res = await page.request.post(`${base}/api/people`, { data: { ethnicity: '01', unitCode: DONGYINGZI, ...data }, headers: CSRF })
  expect(res.status(), await res.text()).toBe(201)
  return ((await res.json()) as { id: string }).id
}

describe.skipIf(!hasChromium)('现任班子 page in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
  }, 240_000)

  afterAll(() => t?.close())

  it('adds a 党组织书记 through the dialog, lists it by unit, and tags 书记、主任一肩挑', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
    await t.login(page, 'xyz_organiser')
    secretaryId = await registerPerson(page, { name: '王守业', idNumber: SECRETARY_ID, education: '31', politicalStatus: '01', partyJoinedOn: '1998-07-01' })
    await registerPerson(page, { name: '李桂芝', idNumber: MEMBER_ID, education: '61', politicalStatus: '13' })

    await page.goto(`${base}/posts`)
    await page.locator('[data-test="post-table"]').waitFor()
    await page.getByRole('button', { name: '新增任职' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增任职' })
    await dialog.waitFor()
    await formItem(page, dialog, '村（社区）').locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^东营子村$/ }).click()
    // The unit's people are offered at once; typing searches by name.
    await formItem(page, dialog, '人员').locator('.el-select').click()
    await page.keyboard.type('王守')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '王守业' }).click()
    await expect(dialog.locator('[data-test="picked-person"]').innerText()).resolves.toMatch(/1509\*+\d{3}[\dX]，男，\d+ 岁，大学专科毕业，中国共产党党员/)
    await expect(formItem(page, dialog, '班子').locator('.el-radio.is-checked').innerText()).resolves.toBe('村党组织委员会')
    await formItem(page, dialog, '职务').locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^党组织书记$/ }).click()
    await formItem(page, dialog, '任职时间').locator('input').fill('2021-03-15')
    await formItem(page, dialog, '任职时间').locator('input').press('Enter')
    await page.screenshot({ path: path.join(shots, 'posts-create-1366.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: '确定' }).click()
    await page.getByText('已登记：东营子村党组织书记 王守业').first().waitFor()
    await dialog.waitFor({ state: 'hidden' })

    const table = page.locator('[data-test="post-table"]')
    const row = table.locator('.el-table__row').filter({ hasText: '王守业' })
    await row.waitFor()
    await expect(row.innerText()).resolves.toMatch(/东营子村[\s\S]*村党组织委员会[\s\S]*党组织书记[\s\S]*王守业[\s\S]*男[\s\S]*大学专科毕业[\s\S]*中国共产党党员[\s\S]*2021-03-15/)
    const stored = await database.db.selectFrom('post_holding').select(['unit_code', 'person_id', 'body', 'post', 'since']).execute()
    expect(stored).toEqual([{ unit_code: DONGYINGZI, person_id: secretaryId, body: 'party', post: 'secretary', since: '2021-03-15' }])

    // The same person as 村民委员会主任 (through the API): the unit is tagged 一肩挑.
    const chair = await page.request.post(`${base}/api/posts`, { data: { unitCode: DONGYINGZI, personId: secretaryId, body: 'committee', post: 'chair' }, headers: CSRF })
    expect(chair.status(), await chair.text()).toBe(201)
    await page.getByRole('button', { name: '刷新' }).click()
    await table.locator('.el-table__row').filter({ hasText: /村民委员会\s*主任\s*王守业/ }).waitFor()
    await table.getByText('书记、主任一肩挑').waitFor()
    await expect(table.locator('.el-table__row').count()).resolves.toBe(2)
    await expect(page.locator('[data-test="post-summary"]').innerText()).resolves.toMatch(/共 1 个村（社区），1 人任 2 个职务\s*书记、主任一肩挑 1 个/)
    await page.screenshot({ path: path.join(shots, 'posts-list-1366.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('at 375 px shows a card per unit, and an import with one bad row lists 第3行 / C（身份证号） and saves nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/posts`)
    const card = page.locator('[data-test="unit-card"]').filter({ hasText: '东营子村' })
    await card.locator('[data-test="member"]').filter({ hasText: '党组织书记' }).filter({ hasText: '王守业' }).waitFor()
    await card.getByText('书记、主任一肩挑').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'posts-list-375.png'), animations: 'disabled', fullPage: true })

    const before = await holdingCount()
    await page.getByRole('button', { name: '导入', exact: true }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '导入现任班子' })
    await dialog.waitFor()
    // Row 2 is good, row 3's ID number is not in the registry: all or nothing, so row 2 is not saved.
    const file = await workbook(IMPORT_HEADER, [
      ['东营子村', '李桂芝', MEMBER_ID, '村民委员会', '委员', '2021-03-15'],
      ['东营子村', '赵未登', UNREGISTERED_ID, '村民委员会', '副主任', null],
    ])
    await dialog.locator('input[type=file]').setInputFiles({ name: '班子.xlsx', mimeType: XLSX_MIME, buffer: file })
    await dialog.getByRole('button', { name: '开始导入' }).click()
    const errors = dialog.locator('[data-test="import-errors"]')
    const errorRow = errors.locator('.el-table__row').filter({ hasText: '第3行' })
    await errorRow.waitFor()
    await expect(errorRow.innerText()).resolves.toMatch(/第3行\s+C（身份证号）\s+该身份证号还没有在人员库登记/)
    await expect(errors.locator('.el-table__row').count()).resolves.toBe(1)
    await dialog.getByText('本次没有保存任何任职记录').waitFor()
    expect(await holdingCount()).toBe(before)
    const box = await dialog.boundingBox()
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'posts-import-error-375.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
