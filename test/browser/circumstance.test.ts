import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, shots, startBrowserApp, type BrowserApp } from '../helpers/browser.ts'

const NEW_TEXT = '拒不签订换届纪律承诺书'
let t: BrowserApp
let database: Database
let browser: Browser
let base: string
const login = (page: Page, username: string) => t.login(page, username)

/** Opens 负面清单 and waits until the table has rows; collects script errors and refused calls. */
async function openPage(page: Page, problems: string[]): Promise<void> {
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${r.request().method()} ${r.url()} → ${r.status()}`)
  })
  await page.goto(`${base}/circumstances`)
  await page.locator('[data-test="circumstance-table"] .el-table__row').first().waitFor()
}

describe.skipIf(!hasChromium)('负面清单 page in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
  }, 240_000)

  afterAll(() => t?.close())

  it('shows the county administrator the default list and adds an item through the dialog', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems: string[] = []
    await login(page, 'qs_admin')
    await openPage(page, problems)
    const summary = page.locator('[data-test="circumstance-summary"]')
    await expect(summary.innerText()).resolves.toContain('共 17 项（硬性 10 项、不宜 7 项）')
    await expect(page.locator('[data-test="circumstance-table"] .el-table__row').count()).resolves.toBe(17)
    await expect(page.getByRole('button', { name: '载入默认清单' }).count()).resolves.toBe(0)

    await page.getByRole('button', { name: '新增' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增情形' })
    await dialog.waitFor()
    await dialog.getByLabel('情形内容').fill(NEW_TEXT)
    await dialog.getByText('不能确定为候选人（硬性）').click()
    await dialog.locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^旗公安局$/ }).click()
    await dialog.getByLabel('情形内容').click()
    await dialog.getByRole('button', { name: '确定' }).click()
    await dialog.waitFor({ state: 'hidden' })

    const row = page.locator('[data-test="circumstance-table"] .el-table__row').filter({ hasText: NEW_TEXT })
    await row.waitFor()
    await expect(row.innerText()).resolves.toMatch(/不能[\s\S]*不限[\s\S]*旗公安局[\s\S]*正常/)
    await expect(summary.innerText()).resolves.toContain('共 18 项（硬性 11 项')
    await page.screenshot({ path: path.join(shots, 'circumstances-1366.png'), animations: 'disabled', fullPage: true })

    const stored = await database.db
      .selectFrom('circumstance')
      .select(['id', 'severity', 'lookback_years', 'status'])
      .where('text', '=', NEW_TEXT)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ severity: 'bar', lookback_years: 0, status: 'active' })
    const links = await database.db
      .selectFrom('circumstance_department')
      .innerJoin('department', 'department.id', 'circumstance_department.department_id')
      .select('department.name')
      .where('circumstance_department.circumstance_id', '=', stored.id)
      .execute()
    expect(links).toEqual([{ name: '旗公安局' }])
    expect(problems).toEqual([])
    await page.close()
  })

  it('works at 375 px wide: no page overflow, the dialog fits the phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems: string[] = []
    await login(page, 'qs_admin')
    await openPage(page, problems)
    await page.waitForLoadState('networkidle')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'circumstances-375.png'), animations: 'disabled', fullPage: true })
    await page.getByRole('button', { name: '新增' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增情形' })
    await dialog.waitFor()
    expect((await dialog.boundingBox())?.width ?? 0).toBeLessThanOrEqual(375)
    await page.screenshot({ path: path.join(shots, 'circumstances-create-375.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows a reviewer the list read-only: no 新增, no 修改', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems: string[] = []
    await login(page, 'qs_police')
    await openPage(page, problems)
    await page.waitForLoadState('networkidle')
    expect(new URL(page.url()).pathname).toBe('/circumstances')
    await expect(page.locator('[data-test="circumstance-table"] .el-table__row').count()).resolves.toBe(18)
    await expect(page.getByRole('button', { name: '新增' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: '修改' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: '载入默认清单' }).count()).resolves.toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
