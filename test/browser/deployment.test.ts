import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { hasChromium, openDemoCampaign, shots, startBrowserApp, watchProblems, type BrowserApp } from '../helpers/browser.ts'
import { workbook } from '../helpers/upload.ts'
import { seedDemoDeployment } from '../../src/server/modules/setup/demo-deployment.ts'
import { todayInChina } from '../../src/server/modules/person/service.ts'
import { addDays } from '../../src/rules/timeline/index.ts'

/** 东营子村 of 新营子镇: one of the demo cadre's (刘海燕) three villages. */
const DONGYINGZI = '150999100201'
const today = todayInChina()
const MEETING = '换届选举业务培训会（第二期）'
const DOCUMENT = '关于做好村民委员会选举投票站设置工作的通知'
const tinyPdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

let t: BrowserApp
let browser: Browser
let base: string

/** Types into an Element Plus field, whether the data-test sits on the input itself or on its wrapper. */
async function fill(field: Locator, value: string) {
  const tag = await field.evaluate((e) => e.tagName)
  const input = tag === 'INPUT' || tag === 'TEXTAREA' ? field : field.locator('input, textarea').first()
  await input.fill(value)
  return input
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe.skipIf(!hasChromium)('安排部署: meetings, documents with receipts, and the 百问百答 in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    await openDemoCampaign(t.database.db)
    // The demo's meetings, documents and 百问百答 of 新营子镇, as a township finds them.
    await seedDemoDeployment(t.database.db, today)
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the organiser record a meeting with a decision, then issue a document to every unit', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/deployment/meetings`)
    await page.locator('[data-test="meeting-create"]').waitFor({ timeout: 30_000 })
    // The demo's overdue decision is flagged in the open list.
    await page.locator('[data-test="open-decision"][data-status="overdue"]').first().waitFor()

    await page.click('[data-test="meeting-create"]')
    const dialog = page.locator('[data-test="meeting-dialog"]')
    await dialog.waitFor()
    await dialog.locator('[data-test="meeting-kind"]').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^业务培训会$/ }).click()
    const date = await fill(dialog.locator('[data-test="meeting-date"]'), addDays(today, -1))
    await date.press('Enter')
    await fill(dialog.locator('[data-test="meeting-title"]'), MEETING)
    await fill(dialog.locator('[data-test="meeting-place"]'), '镇党校报告厅')
    await fill(dialog.locator('[data-test="meeting-host"]'), '镇党委副书记 孟庆丰')
    await dialog.locator('[data-test="meeting-attendees"]').click()
    const attendees = dialog.locator('[data-test="meeting-attendees"] input').first()
    await attendees.fill('各村（社区）监票人代表')
    await attendees.press('Enter')
    await dialog.locator('.el-dialog__title').click()
    await fill(dialog.locator('[data-test="meeting-count"]'), '56')
    await fill(dialog.locator('[data-test="meeting-minutes"]'), '讲解投票站、流动票箱设置和监票计票操作要求。')
    await dialog.locator('[data-test="decision-add"]').click()
    const row = dialog.locator('[data-test="decision-row"]').first()
    await fill(row.locator('[data-test="decision-content"]'), '各村上报投票站和流动票箱设置方案')
    await fill(row.locator('[data-test="decision-owner"]'), '各包村干部')
    const deadline = await fill(row.locator('[data-test="decision-deadline"]'), addDays(today, 7))
    await deadline.press('Enter')
    await dialog.locator('.el-dialog__title').click()
    await dialog.locator('[data-test="meeting-save"]').click()
    await dialog.waitFor({ state: 'hidden' })

    // The new meeting opens as its record; its decision joins the open ones.
    const detail = page.locator('[data-test="meeting-detail"]')
    await expect.poll(() => detail.innerText()).toContain(MEETING)
    expect(await detail.innerText()).toContain('各村（社区）监票人代表')
    expect(await detail.locator('[data-test="detail-decision"]').first().getAttribute('data-status')).toBe('open')
    const [word] = await Promise.all([page.waitForEvent('download'), detail.locator('[data-test="meeting-word"]').click()])
    expect(word.suggestedFilename()).toBe(`${MEETING}会议记录.docx`)
    expect(fs.readFileSync(await word.path()).subarray(0, 2).toString('latin1')).toBe('PK')
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('[data-test="open-decisions"]').innerText()).toContain('各村上报投票站和流动票箱设置方案')
    await page.screenshot({ path: path.join(shots, 'deployment-meetings.png'), fullPage: true })

    // 文件资料: upload a PDF to all 28 units of the township.
    await page.goto(`${base}/deployment/documents`)
    await page.locator('[data-test="document-create"]').waitFor({ timeout: 30_000 })
    await page.click('[data-test="document-create"]')
    const upload = page.locator('[data-test="document-dialog"]')
    await upload.waitFor()
    await upload.locator('input[type="file"]').setInputFiles({ name: '投票站设置通知.pdf', mimeType: 'application/pdf', buffer: tinyPdf })
    await upload.locator('[data-test="document-picked"]').waitFor()
    await fill(upload.locator('[data-test="document-title"]'), DOCUMENT)
    await fill(upload.locator('[data-test="document-number"]'), '新营子镇换届办〔2026〕9号')
    await upload.locator('[data-test="document-save"]').click()
    await upload.waitFor({ state: 'hidden' })
    const drawer = page.locator('[data-test="receipt-drawer"]')
    await expect.poll(() => drawer.locator('[data-test="receipt-progress"]').innerText()).toContain('已签收 0 / 28')
    expect(await drawer.locator('[data-test="receipt-row"][data-signed="false"]').count()).toBe(28)
    await page.keyboard.press('Escape')
    expect(problems).toEqual([])
    await page.close()
  }, 180_000)

  it('lets the contact cadre sign it for 东营子村 with one tap on a 375 px phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    await page.goto(`${base}/deployment/documents`)
    const list = page.locator('[data-test="pending-list"]')
    await list.waitFor({ timeout: 30_000 })
    const item = list.locator(`[data-test="pending-item"][data-unit="${DONGYINGZI}"]`).filter({ hasText: DOCUMENT })
    await item.waitFor()
    const pendingBefore = await list.locator('[data-test="pending-item"]').count()
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    // The button is big enough to tap, and inside the screen.
    const button = await item.locator('[data-test="pending-sign"]').boundingBox()
    expect(button!.height).toBeGreaterThanOrEqual(40)
    expect(button!.x + button!.width).toBeLessThanOrEqual(375)
    await page.screenshot({ path: path.join(shots, 'deployment-pending-375.png'), fullPage: true })
    await item.locator('[data-test="pending-sign"]').click()
    await item.waitFor({ state: 'detached' })
    expect(await list.locator('[data-test="pending-item"]').count()).toBe(pendingBefore - 1)
    await page.screenshot({ path: path.join(shots, 'deployment-documents-375.png'), fullPage: true })
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('shows the organiser 1 of 28 units signed, by whom, and the unsigned in red', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/deployment/documents`)
    const link = page.locator('[data-test="document-row"]').filter({ hasText: DOCUMENT })
    await link.waitFor({ timeout: 30_000 })
    const row = page.locator('.el-table__row').filter({ hasText: DOCUMENT })
    expect(await row.locator('[data-test="document-progress"]').innerText()).toContain('1/28')
    await link.click()
    const drawer = page.locator('[data-test="receipt-drawer"]')
    await expect.poll(() => drawer.locator('[data-test="receipt-progress"]').innerText()).toContain('已签收 1 / 28')
    const signed = drawer.locator(`[data-test="receipt-row"][data-unit="${DONGYINGZI}"]`)
    expect(await signed.getAttribute('data-signed')).toBe('true')
    expect(await signed.innerText()).toContain('刘海燕（包村干部）')
    const unsigned = drawer.locator('[data-test="receipt-row"][data-signed="false"]')
    expect(await unsigned.count()).toBe(27)
    const red = await unsigned.first().locator('.unit').evaluate((e) => getComputedStyle(e).color)
    expect(red).toMatch(/^rgb\(245, 108, 108\)$/)
    await page.screenshot({ path: path.join(shots, 'deployment-receipts.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('shows the county admin the county’s own meetings, and a township’s when one is picked', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/deployment/meetings`)
    await page.locator('[data-test="meeting-row"]').filter({ hasText: '全旗村（社区）“两委”换届工作动员部署会议' }).waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-test="meeting-row"]').count()).toBe(1)
    await page.locator('[data-test="level-switch"] .el-radio-button').filter({ hasText: '乡镇' }).click()
    await page.locator('[data-test="meeting-row"]').filter({ hasText: MEETING }).waitFor()
    expect(new URL(page.url()).searchParams.get('township')).toBe('150999100000')
    await page.locator('[data-test="level-switch"] .el-radio-button').filter({ hasText: '县级' }).click()
    await expect.poll(() => page.locator('[data-test="meeting-row"]').count()).toBe(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('fits the meetings page and its dialog on a 375 px phone, decision fields stacked', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/deployment/meetings`)
    await page.locator('[data-test="meeting-row"]').filter({ hasText: MEETING }).waitFor({ timeout: 30_000 })
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'deployment-meetings-375.png'), fullPage: true })
    await page.locator('[data-test="meeting-row"]').filter({ hasText: MEETING }).click()
    const detail = page.locator('[data-test="meeting-detail"]')
    await detail.locator('[data-test="meeting-edit"]').click()
    const dialog = page.locator('[data-test="meeting-dialog"]')
    await dialog.waitFor()
    const row = dialog.locator('[data-test="decision-row"]').first()
    const owner = await row.locator('[data-test="decision-owner"]').boundingBox()
    const deadline = await row.locator('[data-test="decision-deadline"]').boundingBox()
    expect(deadline!.y).toBeGreaterThan(owner!.y + owner!.height - 1)
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('lets the county admin import 百问百答 items from Excel, and a bad file saves nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/deployment/qa`)
    await page.locator('[data-test="qa-item"]').first().waitFor({ timeout: 30_000 })
    const before = await t.database.db.selectFrom('qa_item').select('id').execute()
    const dialog = page.locator('.el-dialog').filter({ hasText: '导入百问百答' })
    const pick = async (rows: (string | null)[][]) => {
      await page.click('[data-test="qa-import"]')
      await dialog.waitFor()
      await dialog.locator('input[type="file"]').setInputFiles({ name: '百问百答.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await workbook(['分类', '问题', '答案', '依据'], rows) })
      await dialog.locator('[data-test="import-submit"]').click()
    }
    // A row without an answer: the dialog names row 3, column C, and nothing is saved.
    await pick([
      ['流动票箱', '流动票箱由几人负责？', '由村民选举委员会成员和不少于三名监票人负责。', ''],
      ['流动票箱', '流动票箱什么时候开箱？', '', ''],
    ])
    await expect.poll(() => dialog.locator('[data-test="import-errors"]').innerText()).toContain('第3行')
    expect(await dialog.locator('[data-test="import-errors"]').innerText()).toContain('C（答案）')
    expect(await t.database.db.selectFrom('qa_item').select('id').execute()).toHaveLength(before.length)
    await dialog.locator('.el-dialog__headerbtn').click()
    await dialog.waitFor({ state: 'hidden' })
    await pick([['流动票箱', '流动票箱由几人负责？', '由村民选举委员会成员和不少于三名监票人负责。', '各省村民委员会选举办法']])
    await dialog.waitFor({ state: 'hidden' })
    await fill(page.locator('[data-test="qa-search"]'), 'ldpx')
    await page.locator('[data-test="qa-item"]').filter({ hasText: '流动票箱由几人负责？' }).waitFor()
    expect(await t.database.db.selectFrom('qa_item').select('id').execute()).toHaveLength(before.length + 1)
    // 400 IMPORT_INVALID is the refused file shown in the dialog, not a fault of the page.
    expect(problems.filter((p) => !p.includes('/api/deployment/qa/import → 400'))).toEqual([])
    await page.close()
  }, 120_000)

  it('finds 百问百答 items by pinyin initials and marks the hit, on a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_leader')
    await page.goto(`${base}/deployment/qa`)
    await page.locator('[data-test="qa-item"]').first().waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-test="qa-create"]').count()).toBe(0)
    await fill(page.locator('[data-test="qa-search"]'), 'xmdj')
    const hit = page.locator('[data-test="qa-item"]').filter({ hasText: '选民登记后，选民名单最晚什么时候公布？' })
    await hit.waitFor()
    expect(await hit.locator('[data-test="hit"]').first().innerText()).toBe('选民登记')
    await hit.locator('.el-collapse-item__header').click()
    await expect.poll(() => hit.locator('[data-test="qa-answer-text"]').innerText()).toContain('二十日以前')
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'deployment-qa-375.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
