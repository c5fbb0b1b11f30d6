import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { checkCharOf } from '../../src/rules/id-number/index.ts'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, shots, startBrowserApp, type BrowserApp } from '../helpers/browser.ts'

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
})
