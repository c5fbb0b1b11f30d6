import fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/server/app.ts'
import { loadConfig } from '../../src/server/config.ts'
import { seedDemo } from '../../src/server/modules/setup/demo.ts'
import { freshDatabase } from '../helpers/db.ts'
import type { Database } from '../../src/server/db/create-db.ts'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = fs.existsSync(CHROMIUM)
if (!hasChromium && process.env.CI === 'true') throw new Error(`浏览器测试需要 Debian 的 chromium（${CHROMIUM}），CI 中不能跳过`)
if (!hasChromium) console.warn(`!! ${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium)`)

const PASSWORD = 'Bq5#zWn8rTx2'
const NEW_TEXT = '拒不签订换届纪律承诺书'
const shots = path.resolve('test-results')
let database: Database
let app: FastifyInstance
let browser: Browser
let base: string

async function login(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/login`)
  await page.fill('input[name="username"]', username)
  await page.fill('input[name="password"]', PASSWORD)
  await page.click('[data-test="login-submit"]')
  await page.waitForSelector('[data-test="header-user"]')
}

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
    const webDir = path.join(process.cwd(), 'dist/web')
    // dist/web is built once for the run by test/helpers/global-setup.ts.
    fs.mkdirSync(shots, { recursive: true })
    database = await freshDatabase()
    const logins = ['qs_admin', 'qs_police']
    await seedDemo(database.db, { passwords: Object.fromEntries(logins.map((u) => [u, PASSWORD])) })
    const config = loadConfig({ WEB_DIR: webDir, DATA_DIR: '.tmp/unused' })
    app = await buildApp({ config, db: database.db, engine: database.engine, idKey: randomBytes(80), logger: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const addr = app.server.address()
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

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
