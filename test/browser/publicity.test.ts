import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hasChromium, shots, startBrowserApp, watchProblems, type BrowserApp, openDemoCampaign } from '../helpers/browser.ts'

/** 东营子村 of 新营子镇, one of the contact cadre's three units. */
const DONGYINGZI = '150999100201'
const THEME = '在村口悬挂“选好带头人 建设新农村”横幅2条'

let t: BrowserApp
let browser: Browser
let base: string
let photo: string

/** A valid 2×2 red PNG (the server checks the bytes, so a renamed text file would not do). */
const RED_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEUlEQVR4nGP4z8DwnwGMgRQAH+4D/dJQfRoAAAAASUVORK5CYII='

async function phone(): Promise<Page> {
  return browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
const filed = async () => (await t.database.db.selectFrom('publicity_activity').select(['unit_code', 'channel', 'theme', 'reach']).execute()).filter((r) => r.theme === THEME)

describe.skipIf(!hasChromium)('政策宣传: a cadre files from a phone, the township sees the coverage', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // Activities hang off a campaign; the bare demo county has none.
    await openDemoCampaign(t.database.db)
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hj-publicity-')), '横幅.png')
    fs.writeFileSync(photo, Buffer.from(RED_PNG, 'base64'))
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the contact cadre file a banner with a photo at 375 px; the draft survives a reload and a lost answer is not filed twice', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    await page.goto(`${base}/publicity/new`)
    await page.locator('[data-test="publicity-form"]').waitFor({ timeout: 30_000 })
    await expect.poll(() => page.locator('[data-test="publicity-channel"]').count()).toBe(6)
    // Three units: none is chosen for her.
    await page.locator('[data-test="publicity-unit"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '东营子村' }).click()
    await page.locator('[data-test="publicity-channel"][data-channel="banner"]').click()
    const theme = page.locator('[data-test="publicity-theme"] textarea')
    await theme.fill(THEME)
    const reach = page.locator('[data-test="publicity-reach"] input')
    await reach.fill('820')
    await reach.press('Tab')
    await expect.poll(() => reach.inputValue()).toBe('820')

    // A reload (a phone that dropped the page) brings everything back but the photos.
    await page.reload()
    await page.locator('[data-test="publicity-restored"]').waitFor({ timeout: 30_000 })
    await expect.poll(() => theme.inputValue()).toBe(THEME)
    expect(await reach.inputValue()).toBe('820')
    expect(await page.locator('[data-test="publicity-channel"][data-channel="banner"]').getAttribute('aria-checked')).toBe('true')
    expect(await page.locator('[data-test="publicity-unit"]').innerText()).toContain('东营子村')

    await page.locator('[data-test="photo-input"]').setInputFiles(photo)
    await page.locator('[data-test="photo-picked"] img').first().waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'publicity-file-375.png'), fullPage: true })

    // The server files it, but the answer never reaches the phone: the form says so and keeps everything.
    let lost = false
    await page.route(/\/api\/publicity$/, async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue()
      lost = true
      await route.fetch()
      await route.abort('connectionreset')
    })
    await page.locator('[data-test="publicity-submit"]').click()
    const error = page.locator('[data-test="publicity-error"]')
    await error.waitFor({ timeout: 20_000 })
    expect(await error.innerText()).toContain('网络不通，草稿已保存')
    expect(await theme.inputValue()).toBe(THEME)
    expect(await filed()).toHaveLength(1)

    // Submitting again sends the same Idempotency-Key: the first activity comes back, nothing new is written.
    await page.locator('[data-test="publicity-submit"]').click()
    const success = page.locator('[data-test="publicity-success"]')
    await success.waitFor({ timeout: 20_000 })
    await expect.poll(() => success.innerText()).toContain('照片 1 张')
    expect(await success.innerText()).toContain('东营子村')
    expect(await success.innerText()).toContain('横幅/标语')
    expect(await filed()).toEqual([{ unit_code: DONGYINGZI, channel: 'banner', theme: THEME, reach: 820 }])
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    // Only the aborted answer failed; the draft is gone once filed.
    expect(problems).toEqual([])
    await page.locator('[data-test="publicity-again"]').click()
    await page.locator('[data-test="publicity-form"]').waitFor()
    expect(await theme.inputValue()).toBe('')
    expect(await page.locator('[data-test="publicity-restored"]').count()).toBe(0)
    await page.close()
  }, 120_000)

  it('shows the organiser the activity in the coverage matrix, the units without any in red, and downloads the xlsx', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/publicity`)
    const covered = page.locator('[data-test="publicity-covered"]')
    await expect.poll(() => covered.innerText(), { timeout: 30_000 }).toBe('1/28')
    const row = page.locator(`[data-test="matrix-row"][data-unit="${DONGYINGZI}"]`)
    expect(await row.getAttribute('data-gap')).toBe('false')
    expect(await row.locator('[data-channel="banner"]').getAttribute('data-count')).toBe('1')
    expect(await row.locator('[data-channel="led"]').getAttribute('data-count')).toBe('0')
    expect(await page.locator('[data-test="matrix-row"][data-gap="true"]').count()).toBe(27)
    expect(await page.locator('[data-test="publicity-gaps"]').innerText()).toContain('西营子村')
    expect(await page.locator('[data-test="publicity-gaps"]').innerText()).not.toContain('东营子村')
    expect(await page.locator('[data-test="publicity-text"]').innerText()).toContain('新营子镇28个村（社区）中1个已开展政策宣传')

    // The cell opens the activity behind it, with its photo.
    await row.locator('[data-channel="banner"]').click()
    const item = page.locator('[data-test="publicity-item"]')
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.innerText()).toContain(THEME)
    expect(await item.getAttribute('data-unit')).toBe(DONGYINGZI)
    const thumb = item.locator('[data-test="publicity-photo"] img')
    await thumb.waitFor()
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(2)

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="publicity-export"]')])
    expect(download.suggestedFilename()).toContain('新营子镇政策宣传覆盖情况')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(fs.readFileSync(await download.path()) as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('宣传覆盖')!
    const header = (ws.getRow(3).values as unknown[]).slice(1)
    const line = [...Array(ws.rowCount).keys()].map((i) => (ws.getRow(i + 1).values as unknown[]).slice(1)).find((r) => r[1] === '东营子村')!
    expect(line[header.indexOf('横幅/标语')]).toBe(1)
    expect(line[header.indexOf('覆盖人数')]).toBe(820)
    expect(wb.getWorksheet('活动明细')!.getRow(2).getCell(5).text).toBe(THEME)
    await page.screenshot({ path: path.join(shots, 'publicity-coverage.png'), fullPage: true })

    // The township corrects the reach; the matrix follows.
    await item.locator('[data-test="publicity-edit"]').click()
    const dialog = page.locator('[data-test="publicity-edit-dialog"]')
    await dialog.waitFor()
    const reach = dialog.locator('[data-test="edit-reach"] input')
    await reach.fill('900')
    await reach.press('Tab')
    await dialog.locator('[data-test="publicity-edit-save"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => row.locator('[data-test="matrix-reach"]').innerText()).toBe('900')
    expect(await item.innerText()).toContain('覆盖 900 人')
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('keeps the matrix scrolling inside its box on a 375 px phone', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/publicity`)
    await expect.poll(() => page.locator('[data-test="publicity-covered"]').innerText(), { timeout: 30_000 }).toBe('1/28')
    const box = page.locator('[data-test="publicity-matrix-box"]')
    const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
    expect(scroll).toBeGreaterThan(client)
    expect(await overflow(page)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'publicity-coverage-375.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
