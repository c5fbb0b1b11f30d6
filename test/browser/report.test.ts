import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { deflateSync, crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hasChromium, shots, startBrowserApp, watchProblems, type BrowserApp, openDemoCampaign } from '../helpers/browser.ts'

/** 东营子村 and 西营子村 of 新营子镇, two of the contact cadre's three units. */
const DONGYINGZI = '150999100201'
const PROGRESS = '召开党员大会，推荐人选'

let t: BrowserApp
let browser: Browser
let base: string
let photo: string

/** A valid 2×2 red PNG: the server checks the bytes, so a renamed text file would not do. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(2, 0)
  ihdr.writeUInt32BE(2, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const row = Buffer.from([0, 255, 0, 0, 255, 0, 0]) // filter byte + two red pixels
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat([row, row]))), chunk('IEND', Buffer.alloc(0))])
}

async function phone(): Promise<Page> {
  return browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
}

async function pickUnit(page: Page, name: string) {
  await page.locator('[data-test="report-unit"]').click()
  await page.locator('.el-select-dropdown__item', { hasText: name }).click()
}

describe.skipIf(!hasChromium)('日报告: a cadre files from a phone, the township reads the day', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // Reports hang off a campaign; the bare demo county has none.
    await openDemoCampaign(t.database.db)
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hj-report-')), '现场.png')
    fs.writeFileSync(photo, tinyPng())
  }, 240_000)

  afterAll(() => t?.close())

  it('lets the contact cadre file 东营子村’s day with a figure and a photo on a 375 px phone', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    // The phone forms are big buttons on the cadre's home page (快捷填报).
    await page.goto(`${base}/`)
    await page.locator('[data-test="quick-reports-new"]').click()
    await page.waitForURL(/\/reports\/new/)
    const form = page.locator('[data-test="report-form"]')
    await form.waitFor({ timeout: 30_000 })
    await pickUnit(page, '东营子村')
    await page.locator('[data-test="report-progress"] textarea').fill(PROGRESS)
    await page.locator('[data-test="report-problems"] textarea').fill('')
    const visits = page.locator('[data-test="report-figure-visits"] input')
    await visits.fill('12')
    await visits.press('Tab')
    await expect.poll(() => visits.inputValue()).toBe('12')
    await page.locator('[data-test="photo-input"]').setInputFiles(photo)
    await page.locator('[data-test="photo-picked"]').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'report-file-375.png'), fullPage: true })

    await page.locator('[data-test="report-submit"]').click()
    const success = page.locator('[data-test="report-success"]')
    await success.waitFor({ timeout: 20_000 })
    expect(await success.innerText()).toContain('东营子村')
    expect(await success.innerText()).toContain('照片 1 张')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('keeps what was typed as a draft across a reload', async () => {
    const page = await phone()
    const problems = watchProblems(page)
    await t.login(page, 'xyz_cadre')
    await page.goto(`${base}/reports/new`)
    await page.locator('[data-test="report-form"]').waitFor({ timeout: 30_000 })
    // The last unit worked on comes back by itself; pick it anyway in case it did not.
    if (!(await page.locator('[data-test="report-unit"]').innerText()).includes('东营子村')) await pickUnit(page, '东营子村')
    const progress = page.locator('[data-test="report-progress"] textarea')
    await progress.fill('入户走访，宣传换届政策')
    await page.reload()
    await page.locator('[data-test="report-form"]').waitFor({ timeout: 30_000 })
    await expect.poll(() => progress.inputValue(), { timeout: 10_000 }).toBe('入户走访，宣传换届政策')
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('shows the organiser the day: 1 of 28 reported, the text and photo, the missing in red, and the xlsx', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/reports`)
    const reported = page.locator('[data-test="summary-reported"]')
    await expect.poll(() => reported.innerText(), { timeout: 30_000 }).toBe('1/28')
    expect(await page.locator('[data-test="summary-text"]').innerText()).toContain('1个报送了日报告')
    const row = page.locator(`[data-test="summary-unit"][data-unit="${DONGYINGZI}"]`)
    expect(await row.innerText()).toContain(PROGRESS)
    const thumb = row.locator('[data-test="summary-photo"] img')
    await thumb.waitFor()
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(2)
    expect(await page.locator('[data-test="summary-missing"]').innerText()).toContain('西营子村')
    expect(await page.locator('[data-test="summary-missing"]').innerText()).not.toContain('东营子村')

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="summary-export-xlsx"]')])
    const file = await download.path()
    expect(fs.readFileSync(file).subarray(0, 2).toString('latin1')).toBe('PK')
    await page.screenshot({ path: path.join(shots, 'report-summary.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
