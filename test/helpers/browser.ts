import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/server/app.ts'
import { loadConfig } from '../../src/server/config.ts'
import { seedDemo } from '../../src/server/modules/setup/demo.ts'
import { demoCtx } from '../../src/server/modules/setup/demo-review.ts'
import { createCampaign } from '../../src/server/modules/campaign/service.ts'
import type { Database } from '../../src/server/db/create-db.ts'
import { freshDatabase } from './db.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = fs.existsSync(CHROMIUM)
if (!hasChromium && process.env.CI === 'true') throw new Error(`浏览器测试需要 Debian 的 chromium（${CHROMIUM}），CI 中不能跳过`)
if (!hasChromium) console.warn(`!! ${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium)`)

function noMotion() {
  const css = '*,*::before,*::after{transition-duration:0s!important;transition-delay:0s!important;animation-duration:0s!important;animation-delay:0s!important;scroll-behavior:auto!important}'
  const add = () => {
    const style = document.createElement('style')
    style.textContent = css
    document.head.appendChild(style)
  }
  if (document.head) add()
  else document.addEventListener('DOMContentLoaded', add)
}

/** Script errors and refused API calls of a page, to be empty at the end of a test. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${r.request().method()} ${r.url()} → ${r.status()}`)
  })
  return problems
}

/** The 2026 round the campaign-scoped pages hang off (the bare demo county has none), made as the county admin. */
export async function openDemoCampaign(db: Database['db']): Promise<void> {
  await createCampaign(db, await demoCtx(db, 'qs_admin'), { year: 2026, name: '2026年村（社区）“两委”换届', startsOn: '2026-09-01' })
}

/** Every demo account gets this password in browser tests. */
export const PASSWORD = 'Bq5#zWn8rTx2'
export const shots = path.resolve('test-results')

const demoUsers = ['qs_admin', 'xyz_organiser', 'xyz_leader', 'xyz_cadre', 'by_organiser', 'qs_police', 'qs_court', 'qs_auditor']

export interface BrowserApp {
  database: Database
  app: FastifyInstance
  browser: Browser
  base: string
  login(page: Page, username: string): Promise<void>
  close(): Promise<void>
}

/**
 * The demo county on a fresh database, the real app on a loopback port serving dist/web (built
 * once per run by global-setup), and Debian's Chromium with the flags this machine needs.
 */
export async function startBrowserApp(): Promise<BrowserApp> {
  fs.mkdirSync(shots, { recursive: true })
  const database = await freshDatabase()
  await seedDemo(database.db, { passwords: Object.fromEntries(demoUsers.map((u) => [u, PASSWORD])) })
  const config = loadConfig({ WEB_DIR: path.resolve(process.env.HJ_TEST_WEB_DIR ?? 'dist/web'), DATA_DIR: '.tmp/unused' })
  const app = await buildApp({ config, db: database.db, engine: database.engine, idKey: randomBytes(80), logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  // Transitions and animations only cost time here: Chromium renders in software, and a CI pass
  // is CPU-bound. Every page the tests open gets them switched off before the app's scripts run.
  const newPage = browser.newPage.bind(browser)
  browser.newPage = async (options) => {
    const page = await newPage(options)
    await page.addInitScript(noMotion)
    return page
  }
  return {
    database,
    app,
    browser,
    base,
    async login(page, username) {
      await page.goto(`${base}/login`)
      await page.fill('input[name="username"]', username)
      await page.fill('input[name="password"]', PASSWORD)
      await page.click('[data-test="login-submit"]')
      await page.waitForSelector('[data-test="header-user"]')
    },
    async close() {
      await browser.close()
      await app.close()
      await database.close()
    },
  }
}
