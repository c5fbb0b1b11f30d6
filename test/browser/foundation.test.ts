import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, PASSWORD, shots, startBrowserApp, type BrowserApp } from '../helpers/browser.ts'
import ExcelJS from 'exceljs'

let t: BrowserApp
let database: Database
let browser: Browser
let base: string
const login = (page: Page, username: string) => t.login(page, username)

/** Labels of the territory tree's nodes, expanding everything first. */
async function treeLabels(page: Page): Promise<string[]> {
  const tree = page.locator('[data-test="territory-tree"]')
  await tree.locator('.el-tree-node').first().waitFor()
  for (;;) {
    const closed = tree.locator('.el-tree-node__expand-icon:not(.expanded):not(.is-leaf)')
    if ((await closed.count()) === 0) break
    await closed.first().click()
  }
  return tree.locator('.el-tree-node__label').allInnerTexts()
}

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
  }, 240_000)

  afterAll(() => t?.close())

  it("shows a township organiser 新营子镇's 28 units", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_organiser')
    await expect(page.locator('[data-test="header-user"]').innerText()).resolves.toContain('李秀兰')
    await page.goto(`${base}/territories`)
    const labels = await treeLabels(page)
    expect(labels[0]).toContain('新营子镇')
    expect(labels).toHaveLength(29)
    expect(labels.some((l) => l.includes('白音'))).toBe(false)
    await page.locator('[data-test="territory-table"] .el-table__row').first().waitFor()
    await page.screenshot({ path: path.join(shots, 'territory-organiser.png'), fullPage: true })
    // The menu is in sections; the open page's section starts unfolded, another opens on a click.
    expect(await page.locator('[data-test="menu-group-基础信息"]').getAttribute('class')).toContain('is-opened')
    await page.locator('[data-test="menu-group-统计分析"] .el-sub-menu__title').click()
    await page.locator('[data-test="menu-group-统计分析"] .el-menu-item', { hasText: '换届统计' }).click()
    await page.waitForURL(/\/stats/)
    await page.close()
  })

  it('shows a contact cadre only the assigned units', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_cadre')
    await page.goto(`${base}/territories`)
    const labels = await treeLabels(page)
    expect(labels.map((l) => l.trim())).toEqual(['东营子村', '西营子村', '南沟村'])
    await page.screenshot({ path: path.join(shots, 'territory-cadre.png'), fullPage: true })
    await page.close()
  })

  it('works at 375 px wide: the menu is a drawer and the page does not overflow', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/territories`)
    await page.locator('[data-test="territory-table"]').waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'territory-organiser-375.png'), fullPage: true })
    await page.close()
  })

  it('shows hostile text literally, never running it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    let dialogs = 0
    page.on('dialog', (d) => {
      dialogs++
      void d.dismiss()
    })
    await login(page, 'xyz_organiser')
    const payload = '<img src=x onerror=alert(1)>'
    const created = await page.evaluate(async (name) => {
      const r = await fetch('/api/territories', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
        body: JSON.stringify({ code: '150999100299', name, kind: 'village' }),
      })
      return r.status
    }, payload)
    expect(created).toBe(201)
    await page.goto(`${base}/territories`)
    await page.getByText(payload).first().waitFor()
    expect(dialogs).toBe(0)
    await page.close()
  })

  it('sends a forced password change to the password page before anything else', async () => {
    await database.db.updateTable('app_user').set({ must_change_password: true }).where('username', '=', 'xyz_leader').execute()
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await page.goto(`${base}/login`)
    await page.fill('input[name="username"]', 'xyz_leader')
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('[data-test="login-submit"]')
    await page.waitForURL(/\/password/)
    await page.screenshot({ path: path.join(shots, 'forced-password-change.png') })
    await page.close()
  })

  it('renders every page each role may open, with no script error and no refused API call', async () => {
    const pages: Record<string, string[]> = {
      qs_admin: ['/', '/territories', '/users', '/sessions', '/login-log'],
      xyz_organiser: ['/', '/users', '/sessions'],
      qs_auditor: ['/', '/audit', '/users', '/login-log'],
      qs_police: ['/', '/territories'],
    }
    for (const [username, paths] of Object.entries(pages)) {
      for (const width of [1366, 375]) {
        const page = await browser.newPage({ viewport: { width, height: 860 } })
        const problems: string[] = []
        page.on('pageerror', (e) => problems.push(`${username} script error: ${e.message}`))
        page.on('response', (r) => {
          if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${username} ${r.request().method()} ${r.url()} → ${r.status()}`)
        })
        await login(page, username)
        for (const p of paths) {
          await page.goto(`${base}${p}`)
          await page.waitForLoadState('networkidle')
          expect(new URL(page.url()).pathname, `${username} may open ${p}`).toBe(p)
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
          expect(overflow, `${username} ${p} at ${width}px`).toBeLessThanOrEqual(1)
          const name = `${username}${p.replace(/\//g, '_') || '_home'}-${width}.png`
          await page.screenshot({ path: path.join(shots, name) })
        }
        expect(problems).toEqual([])
        await page.close()
      }
    }
  }, 120_000)

  it('shows the auditor a complete audit chain on the audit page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'qs_auditor')
    await page.goto(`${base}/audit`)
    await page.getByRole('button', { name: /校验日志链/ }).click()
    await page.getByText('日志链完整').first().waitFor()
    await page.screenshot({ path: path.join(shots, 'audit-verified.png') })
    await page.close()
  })

  it('imports territories through the dialog: errors by row and column, then a clean file', async () => {
    const sheet = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('区划')
      ws.addRow(['区划代码*', '名称*', '类别', '排序'])
      rows.forEach((r) => ws.addRow(r))
      return Buffer.from(await wb.xlsx.writeBuffer())
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/territories`)
    await page.getByRole('button', { name: '导入' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '下载模板' })
    await dialog.locator('input[type=file]').setInputFiles({ name: '区划.xlsx', mimeType: 'application/octet-stream', buffer: await sheet([['150999100230', '', '村', '1']]) })
    await dialog.getByRole('button', { name: '确定' }).click()
    await dialog.getByText('第 2 行 第 B（名称） 列：名称不能为空').waitFor()
    await page.screenshot({ path: path.join(shots, 'territory-import-errors.png') })
    expect(await database.db.selectFrom('territory').select('code').where('code', '=', '150999100230').executeTakeFirst()).toBeUndefined()
    await dialog.locator('input[type=file]').setInputFiles({ name: '区划.xlsx', mimeType: 'application/octet-stream', buffer: await sheet([['150999100230', '导入新村', '村', '1']]) })
    await dialog.getByRole('button', { name: '确定' }).click()
    await page.getByText(/新增 1/).first().waitFor()
    expect(await database.db.selectFrom('territory').select('name').where('code', '=', '150999100230').executeTakeFirst()).toEqual({ name: '导入新村' })
    await page.close()
  })

  it('lets an organiser create a contact cadre with assigned villages and shows the one-time password', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await login(page, 'xyz_organiser')
    await page.goto(`${base}/users`)
    await page.getByRole('button', { name: '新增' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '用户名' })
    await dialog.getByLabel('用户名').fill('ui_cadre')
    await dialog.getByLabel('姓名').fill('界面包村')
    await dialog.locator('.el-form-item').filter({ hasText: '角色' }).locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '包村干部' }).click()
    await dialog.locator('.el-form-item').filter({ hasText: '包联村' }).locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '北沟村' }).click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '前进村' }).click()
    await dialog.getByText('姓名').click()
    await dialog.getByRole('button', { name: '确定' }).click()
    await page.getByText('初始密码只显示这一次').waitFor()
    await page.screenshot({ path: path.join(shots, 'user-created-password.png') })
    const row = await database.db.selectFrom('app_user').select(['id', 'role', 'must_change_password']).where('username', '=', 'ui_cadre').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ role: 'contact_cadre', must_change_password: true })
    const units = await database.db.selectFrom('user_unit').select('unit_code').where('user_id', '=', row.id).orderBy('unit_code').execute()
    expect(units.map((u) => u.unit_code)).toEqual(['150999100204', '150999100205'])
    await page.close()
  })
})
