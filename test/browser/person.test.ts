import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { checkCharOf } from '../../src/rules/id-number/index.ts'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, shots, startBrowserApp, type BrowserApp } from '../helpers/browser.ts'
import { workbook } from '../helpers/upload.ts'

const FULL_ID = '11010519491231002X'
const MASKED_ID = '1101**********002X'
const BAD_ID = '110101199003071234'
let t: BrowserApp
let database: Database
let browser: Browser
let base: string
const login = (page: Page, username: string) => t.login(page, username)

/** The form item whose label is exactly `label` (the 姓名 hint also mentions 民族). */
function formItem(page: Page, scope: Locator, label: string): Locator {
  return scope.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
}

async function pick(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await formItem(page, scope, label).locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^${option}$`) }).click()
}

async function openCreateDialog(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: '新增' }).click()
  const dialog = page.locator('.el-dialog').filter({ hasText: '新增人员' })
  await dialog.waitFor()
  return dialog
}

/** The import file's header row, as the template has it. */
const IMPORT_HEADER = ['姓名*', '身份证号*', '民族*', '学历*', '政治面貌*', '入党时间', '手机号', '所在村（社区）*', '后备干部']
const idOf = (first17: string) => first17 + checkCharOf(first17)
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** The template as the dialog downloaded it; the good import fills it in. */
let template: Buffer | undefined

async function openImportDialog(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: '导入', exact: true }).click()
  const dialog = page.locator('.el-dialog').filter({ hasText: '导入人员' })
  await dialog.waitFor()
  return dialog
}

async function peopleNamed(names: string[]): Promise<string[]> {
  const rows = await database.db.selectFrom('person').select('name').where('name', 'in', names).execute()
  return rows.map((r) => r.name)
}

/** Every URL the page asked for, to prove the full ID number never went into one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (r) => urls.push(r.url()))
  return urls
}

describe.skipIf(!hasChromium)('人员信息 page in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
  }, 240_000)

  afterAll(() => t?.close())

  it('lets an organiser register a person, then reveal the full ID number (audited, then forgotten)', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const urls = recordUrls(page)
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    await page.locator('[data-test="person-table"]').waitFor()

    const dialog = await openCreateDialog(page)
    await dialog.getByLabel('姓名').fill('张三丰')
    await dialog.getByLabel('身份证号').fill(FULL_ID)
    await expect(dialog.locator('[data-test="derived-info"]').innerText()).resolves.toContain('出生日期 1949-12-31，性别 女')
    await pick(page, dialog, '民族', '汉族')
    await pick(page, dialog, '学历', '大学专科毕业')
    await pick(page, dialog, '政治面貌', '群众')
    await pick(page, dialog, '所在村（社区）', '东营子村')
    await expect(formItem(page, dialog, '入党时间').count()).resolves.toBe(0)
    await page.screenshot({ path: path.join(shots, 'people-create-1366.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: '确定' }).click()

    const table = page.locator('[data-test="person-table"]')
    const row = table.locator('.el-table__row').filter({ hasText: '张三丰' })
    await row.getByText(MASKED_ID).waitFor()
    await expect(row.innerText()).resolves.toMatch(/女[\s\S]*汉族[\s\S]*大学专科毕业[\s\S]*群众[\s\S]*东营子村/)
    await page.screenshot({ path: path.join(shots, 'people-list-1366.png'), animations: 'disabled', fullPage: true })

    const stored = await database.db
      .selectFrom('person')
      .select(['id', 'name', 'id_number_masked', 'birth_date', 'gender', 'ethnicity', 'education', 'political_status', 'unit_code'])
      .where('name', '=', '张三丰')
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      id_number_masked: MASKED_ID,
      birth_date: '1949-12-31',
      gender: '2',
      ethnicity: '01',
      education: '31',
      political_status: '13',
      unit_code: '150999100201',
    })

    await row.getByRole('button', { name: '查看完整号码' }).click()
    const reveal = page.locator('.el-dialog').filter({ hasText: '查看完整身份证号' })
    await expect(reveal.locator('[data-test="full-id-number"]').innerText()).resolves.toBe(FULL_ID)
    await reveal.getByText('已记录查看操作（审计）').waitFor()
    await page.screenshot({ path: path.join(shots, 'people-reveal-1366.png'), animations: 'disabled' })
    await reveal.getByRole('button', { name: '关闭', exact: true }).click()
    await reveal.waitFor({ state: 'hidden' })
    await expect(page.getByText(FULL_ID).count()).resolves.toBe(0)

    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', '=', 'person.id_number.reveal')
      .where('object_id', '=', stored.id)
      .execute()
    expect(audit).toHaveLength(1)
    expect(urls.filter((u) => u.includes(FULL_ID))).toEqual([])
    await page.close()
  })

  it('refuses a wrong check digit in the form and saves nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const posts: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/people') posts.push(r.url())
    })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    const dialog = await openCreateDialog(page)
    await dialog.getByLabel('姓名').fill('李四')
    await dialog.getByLabel('身份证号').fill(BAD_ID)
    await pick(page, dialog, '民族', '汉族')
    await pick(page, dialog, '学历', '大学本科毕业')
    await pick(page, dialog, '政治面貌', '群众')
    await pick(page, dialog, '所在村（社区）', '东营子村')
    await dialog.getByRole('button', { name: '确定' }).click()
    await dialog.getByText(/校验位不正确/).waitFor()
    await expect(dialog.locator('[data-test="derived-info"]').count()).resolves.toBe(0)
    await page.screenshot({ path: path.join(shots, 'people-bad-id-1366.png'), animations: 'disabled' })
    expect(posts).toEqual([])
    expect(await database.db.selectFrom('person').select('id').where('name', '=', '李四').executeTakeFirst()).toBeUndefined()
    await page.close()
  })

  it('finds a person by ID number through a POST body, and says 未找到 otherwise', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const urls = recordUrls(page)
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    const input = page.getByLabel('身份证号', { exact: true })
    await input.fill(FULL_ID)
    await page.getByRole('button', { name: '按身份证号查找' }).click()
    const result = page.locator('[data-test="lookup-result"]')
    await result.getByText('张三丰').waitFor()
    await expect(result.innerText()).resolves.toContain(MASKED_ID)
    await page.screenshot({ path: path.join(shots, 'people-lookup-1366.png'), animations: 'disabled' })
    const unknown = '11010519800101001'
    await input.fill(unknown + checkCharOf(unknown))
    await page.getByRole('button', { name: '按身份证号查找' }).click()
    await result.getByText('未找到').waitFor()
    expect(urls.filter((u) => u.includes(FULL_ID) || u.includes(unknown))).toEqual([])
    await page.close()
  })

  it('shows the details read-only and edits a person without touching the ID number', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    const row = page.locator('[data-test="person-table"] .el-table__row').filter({ hasText: '张三丰' })
    await row.getByRole('button', { name: '张三丰' }).click()
    const detail = page.locator('[data-test="person-detail"]')
    await expect(detail.innerText()).resolves.toMatch(/出生日期\s*1949-12-31/)
    await page.screenshot({ path: path.join(shots, 'people-detail-1366.png'), animations: 'disabled' })
    await page.locator('.el-dialog').filter({ hasText: '人员详情' }).getByRole('button', { name: '修改', exact: true }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '修改人员信息' })
    await expect(formItem(page, dialog, '身份证号').locator('input').inputValue()).resolves.toBe(MASKED_ID)
    await expect(formItem(page, dialog, '身份证号').locator('input').isDisabled()).resolves.toBe(true)
    await pick(page, dialog, '政治面貌', '中国共产党党员')
    await formItem(page, dialog, '入党时间').locator('input').fill('1975-07-01')
    await formItem(page, dialog, '入党时间').locator('input').press('Enter')
    await formItem(page, dialog, '后备干部').locator('.el-switch').click()
    await page.screenshot({ path: path.join(shots, 'people-edit-1366.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: '确定' }).click()
    await page.getByText('修改成功').first().waitFor()
    await row.locator('.el-tag').filter({ hasText: '是' }).waitFor()
    const stored = await database.db.selectFrom('person').select(['political_status', 'party_joined_on', 'reserve_cadre', 'version']).where('name', '=', '张三丰').executeTakeFirstOrThrow()
    expect(stored).toEqual({ political_status: '01', party_joined_on: '1975-07-01', reserve_cadre: true, version: 2 })
    await page.close()
  })

  it('shows a contact cadre the assigned villages read-only: no 新增, no full number', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_cadre')
    await page.goto(`${base}/people`)
    const row = page.locator('[data-test="person-table"] .el-table__row').filter({ hasText: '张三丰' })
    await row.getByText(MASKED_ID).waitFor()
    await expect(row.getByRole('button', { name: '查看完整号码' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: '新增' }).count()).resolves.toBe(0)
    await page.close()
  })

  it('opens for the county administrator and the auditor with no script error and no refused call', async () => {
    for (const username of ['qs_admin', 'qs_auditor']) {
      for (const width of [1366, 375]) {
        const page = await browser.newPage({ viewport: { width, height: 860 } })
        const problems: string[] = []
        page.on('pageerror', (e) => problems.push(`${username} script error: ${e.message}`))
        page.on('response', (r) => {
          if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${username} ${r.request().method()} ${r.url()} → ${r.status()}`)
        })
        await login(page, username)
        await page.goto(`${base}/people`)
        await page.locator('[data-test="person-table"] .el-table__row').filter({ hasText: '张三丰' }).waitFor()
        await page.waitForLoadState('networkidle')
        expect(new URL(page.url()).pathname).toBe('/people')
        const reveal = await page.getByRole('button', { name: '查看完整号码' }).count()
        expect(reveal, `${username} may reveal`).toBe(username === 'qs_admin' ? 1 : 0)
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect(overflow, `${username} at ${width}px`).toBeLessThanOrEqual(1)
        await page.screenshot({ path: path.join(shots, `people-${username}-${width}.png`), animations: 'disabled' })
        expect(problems).toEqual([])
        await page.close()
      }
    }
  }, 60_000)

  it('works at 375 px wide: no page overflow, the dialog fits the phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
    page.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${r.request().method()} ${r.url()} → ${r.status()}`)
    })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    await page.locator('[data-test="person-table"] .el-table__row').first().waitFor()
    await page.waitForLoadState('networkidle')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'people-list-375.png'), animations: 'disabled', fullPage: true })
    const dialog = await openCreateDialog(page)
    const box = await dialog.boundingBox()
    expect(box?.width ?? 0).toBeLessThanOrEqual(375)
    await page.screenshot({ path: path.join(shots, 'people-create-375.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('[data-test="person-table"] .el-table__row').first().getByRole('button', { name: '查看完整号码' }).click()
    const reveal = page.locator('.el-dialog').filter({ hasText: '查看完整身份证号' })
    await reveal.getByText('已记录查看操作（审计）').waitFor()
    expect((await reveal.boundingBox())?.width ?? 0).toBeLessThanOrEqual(375)
    await page.screenshot({ path: path.join(shots, 'people-reveal-375.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('lets an organiser download the people import template from the import dialog', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    await page.locator('[data-test="person-table"]').waitFor()
    const dialog = await openImportDialog(page)
    await page.screenshot({ path: path.join(shots, 'people-import-1366.png'), animations: 'disabled' })
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '下载模板' }).click()])
    expect(download.suggestedFilename()).toMatch(/^人员导入模板_\d{12}\.xlsx$/)
    template = fs.readFileSync(await download.path())
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(template as unknown as ArrayBuffer)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, ...IMPORT_HEADER])
    await page.close()
  })

  it('at 375 px refuses a wrong file before sending, lists a bad row by row and column in a table that scrolls inside the dialog, and saves nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    await page.locator('[data-test="person-table"]').waitFor()
    const posts: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/people/import') posts.push(r.url())
    })
    const dialog = await openImportDialog(page)
    const input = dialog.locator('input[type=file]')

    // Refused before sending: over the server's 10 MB cap, or not .xlsx.
    await input.setInputFiles({ name: '太大.xlsx', mimeType: XLSX_MIME, buffer: Buffer.alloc(10 * 1024 * 1024 + 1) })
    await page.getByText(/超过 10 MB 上限/).first().waitFor()
    await input.setInputFiles({ name: '人员.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,身份证号\n') })
    await page.getByText(/只能导入 \.xlsx 格式/).first().waitFor()
    await expect(dialog.locator('[data-test="import-file"]').count()).resolves.toBe(0)
    await expect(dialog.getByRole('button', { name: '开始导入' }).isDisabled()).resolves.toBe(true)

    // Two good rows and one wrong check digit (row 3): all or nothing, so no row is saved.
    const right = idOf('15099919800303012')
    const wrong = right.slice(0, 17) + (right.endsWith('0') ? '1' : '0')
    const oneBad = await workbook(IMPORT_HEADER, [
      ['韩立新', idOf('15099919800202011'), '汉族', '大学本科毕业', '群众', null, null, '东营子村', '否'],
      ['郝春梅', wrong, '汉族', '大学本科毕业', '群众', null, null, '东营子村', '否'],
      ['袁志刚', idOf('15099919800404011'), '汉族', '大学本科毕业', '群众', null, null, '东营子村', '否'],
    ])
    await input.setInputFiles({ name: '一行有错.xlsx', mimeType: XLSX_MIME, buffer: oneBad })
    await expect(dialog.locator('[data-test="import-file"]').innerText()).resolves.toMatch(/一行有错\.xlsx[\s\S]*\d+(\.\d)? KB/)
    await dialog.getByRole('button', { name: '开始导入' }).click()
    const table = dialog.locator('[data-test="import-errors"]')
    const errorRow = table.locator('.el-table__row').filter({ hasText: '第3行' })
    await errorRow.waitFor()
    await expect(errorRow.innerText()).resolves.toMatch(/第3行\s+B（身份证号）\s+身份证号校验位不正确/)
    await expect(table.locator('.el-table__row').count()).resolves.toBe(1)
    await dialog.getByText('导入失败：共 1 处问题').waitFor()
    await dialog.getByText('本次没有保存任何人员').waitFor()
    expect(await peopleNamed(['韩立新', '郝春梅', '袁志刚'])).toEqual([])
    expect((await dialog.boundingBox())?.width ?? 0).toBeLessThanOrEqual(375)
    await expect.poll(() => page.locator('.el-message').count(), { timeout: 10_000 }).toBe(0)
    await page.screenshot({ path: path.join(shots, 'people-import-error-375.png'), animations: 'disabled' })

    // 30 rows without a name (one problem each): the list scrolls inside the dialog, the page does not widen.
    const manyBad = await workbook(
      IMPORT_HEADER,
      Array.from({ length: 30 }, (_, i) => ['', idOf(`15099919800510${String(i + 1).padStart(3, '0')}`), '汉族', '大学本科毕业', '群众', null, null, '东营子村', '否']),
    )
    await input.setInputFiles({ name: '多行有错.xlsx', mimeType: XLSX_MIME, buffer: manyBad })
    await expect(dialog.locator('[data-test="import-failure"]').count()).resolves.toBe(0)
    await dialog.getByRole('button', { name: '开始导入' }).click()
    await dialog.getByText('导入失败：共 30 处问题').waitFor()
    await table.locator('.el-table__row').filter({ hasText: '第31行' }).first().waitFor({ state: 'attached' })
    const scroll = await table.locator('.el-table__body-wrapper .el-scrollbar__wrap').evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }))
    expect(scroll.scrollHeight).toBeGreaterThan(scroll.clientHeight)
    // The three columns fit the phone (no sideways scrolling), and so does the whole dialog.
    const across = await table.locator('.el-table__body-wrapper .el-scrollbar__wrap').evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(across).toBeLessThanOrEqual(1)
    const box = await dialog.boundingBox()
    expect(box?.width ?? 0).toBeLessThanOrEqual(375)
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true)
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(812)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'people-import-errors-375.png'), animations: 'disabled' })
    expect(posts).toHaveLength(2)
    expect(problems).toEqual([])
    await page.close()
  }, 60_000)

  it('imports a filled-in template of 2 rows: 已导入 2 人, the dialog closes and both are listed', async () => {
    expect(template, 'the template test ran first').toBeDefined()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(template as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    ws.getRow(2).values = ['乔文华', idOf('15099919760808011'), '汉族', '普通高中毕业', '中国共产党党员', '2001-07-01', '13900001111', '东营子村', '是']
    ws.getRow(3).values = ['其木格', idOf('15099919880909022'), '蒙古族', '大学本科毕业', '群众', null, null, '150999100202', '否']
    const good = Buffer.from(await wb.xlsx.writeBuffer())

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const posts: { url: string; csrf: string | undefined }[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/people/import') posts.push({ url: r.url(), csrf: r.headers()['x-requested-with'] })
    })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/people`)
    await page.locator('[data-test="person-table"]').waitFor()
    const dialog = await openImportDialog(page)
    await dialog.locator('input[type=file]').setInputFiles({ name: '人员.xlsx', mimeType: XLSX_MIME, buffer: good })
    await dialog.getByRole('button', { name: '开始导入' }).click()
    await page.getByText('已导入 2 人').first().waitFor()
    await dialog.waitFor({ state: 'hidden' })
    const table = page.locator('[data-test="person-table"]')
    await table.locator('.el-table__row').filter({ hasText: '乔文华' }).waitFor()
    await expect(table.locator('.el-table__row').filter({ hasText: '乔文华' }).innerText()).resolves.toMatch(/男[\s\S]*汉族[\s\S]*中国共产党党员[\s\S]*东营子村[\s\S]*是/)
    await expect(table.locator('.el-table__row').filter({ hasText: '其木格' }).innerText()).resolves.toMatch(/女[\s\S]*蒙古族[\s\S]*群众[\s\S]*西营子村[\s\S]*否/)
    expect(posts).toHaveLength(1)
    expect(posts[0]!.csrf).toBe('XMLHttpRequest')
    const stored = await database.db.selectFrom('person').select(['name', 'unit_code', 'reserve_cadre']).where('name', 'in', ['乔文华', '其木格']).orderBy('unit_code').execute()
    expect(stored).toEqual([
      { name: '乔文华', unit_code: '150999100201', reserve_cadre: true },
      { name: '其木格', unit_code: '150999100202', reserve_cadre: false },
    ])
    await page.screenshot({ path: path.join(shots, 'people-imported-1366.png'), animations: 'disabled' })
    await page.close()
  })

  it('offers 导入 only to writers, and a 乡镇 filter (select or tree) only to those who see several townships', async () => {
    for (const [username, write, township] of [
      ['qs_admin', true, true],
      ['qs_auditor', false, true],
      ['xyz_organiser', true, false],
      ['xyz_leader', false, false],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
      await login(page, username)
      await page.goto(`${base}/people`)
      await page.locator('[data-test="person-table"]').waitFor()
      await page.waitForLoadState('networkidle')
      await expect(page.getByRole('button', { name: '导入', exact: true }).count(), `${username} 导入`).resolves.toBe(write ? 1 : 0)
      const filter = page.locator('.search-form .el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: /^乡镇$/ }) })
      await expect(filter.count(), `${username} 乡镇`).resolves.toBe(township ? 1 : 0)
      if (township) {
        const table = page.locator('[data-test="person-table"]')
        const answer = (unitCode: string) =>
          page.waitForResponse((r) => {
            const u = new URL(r.url())
            return u.pathname === '/api/people' && u.searchParams.get('unitCode') === unitCode
          })
        await filter.locator('.el-select').click()
        const options = page.locator('.el-select-dropdown__item:visible')
        await options.last().waitFor()
        await expect(options.allInnerTexts()).resolves.toEqual(['新营子镇', '白音苏木'])
        const baiyin = answer('150999200000')
        await options.filter({ hasText: '白音苏木' }).click()
        expect(await (await baiyin).json()).toMatchObject({ items: [], total: 0 })
        await table.locator('.el-table__empty-text').waitFor()
        await page.locator('[data-test="scope-tag"]').filter({ hasText: '仅看：白音苏木' }).waitFor()
        // The township in the tree sets the same filter: 张三丰 and the two imported people.
        const xyz = answer('150999100000')
        await page.locator('[data-test="territory-tree"]').getByText('新营子镇', { exact: true }).click()
        const body = (await (await xyz).json()) as { items: { unitCode: string }[]; total: number }
        expect(body.total).toBe(3)
        expect(body.items.every((p) => p.unitCode.startsWith('150999100'))).toBe(true)
        await table.locator('.el-table__row').filter({ hasText: '乔文华' }).waitFor()
        await expect(filter.locator('.el-select').innerText()).resolves.toContain('新营子镇')
        await page.screenshot({ path: path.join(shots, `people-township-${username}-1366.png`), animations: 'disabled' })
      }
      await page.close()
    }
  }, 60_000)
})
