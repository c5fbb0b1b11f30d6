import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { idCipher } from '../../src/server/crypto/id-cipher.ts'
import { seedDemo2021 } from '../../src/server/modules/setup/demo-2021.ts'
import { hasChromium, shots, startBrowserApp, watchProblems, type BrowserApp } from '../helpers/browser.ts'

/** 红旗村 of 新营子镇: in the demo's 2021 round nobody in its two committees is under 35. */
const HONGQI = '150999100206'

let t: BrowserApp
let browser: Browser
let base: string

describe.skipIf(!hasChromium)('换届统计: the dashboard in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ browser, base } = t)
    // The seed report's round: 28 Party elections counted through the services, and the 2021 campaign.
    await seedDemo2021(t.database.db, idCipher(randomBytes(80)))
  }, 240_000)

  afterAll(() => t?.close())

  it('shows the township the seed report’s figures, the paragraph to copy, and a red cell that opens the unit', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/stats`)
    const paragraph = page.locator('[data-test="paragraph-text"]')
    await expect.poll(() => paragraph.innerText(), { timeout: 30_000 }).toContain('委员88人')
    expect(await paragraph.innerText()).toContain('2021年1月5日至9日，全镇26个村、2个社区圆满完成了党组织换届工作。此次选举，各村、社区全部产生党组织书记，委员88人，其中女性书记1人，女性委员19人，35周岁以下7人，大专及以上学历57人。')
    await page.click('[data-test="paragraph-copy"]')
    await page.locator('.el-message--success').first().waitFor()

    // The matrix of the elected teams: 红旗村 misses the under-35 target, 南沟村 meets it.
    const matrix = page.locator('[data-test="compliance-matrix"]')
    await expect.poll(() => matrix.getAttribute('data-check'), { timeout: 20_000 }).toBe('elected')
    const hongqi = matrix.locator(`[data-test="matrix-row"][data-unit="${HONGQI}"]`)
    await expect.poll(() => hongqi.locator('[data-rule="youth"]').getAttribute('data-level')).toBe('fail')
    expect(await matrix.locator('[data-test="matrix-row"][data-unit="150999100203"] [data-rule="youth"]').getAttribute('data-level')).toBe('ok')
    expect(await hongqi.locator('[data-rule="women"]').getAttribute('data-level')).toBe('ok')
    expect(await matrix.locator('[data-test="matrix-row"]').count()).toBe(28)
    expect(await page.locator('[data-test="progress-tile"]').count()).toBe(28)
    await page.screenshot({ path: path.join(shots, 'stats-township.png'), fullPage: true })

    // Click through to the unit: its finding names the rule and the numbers.
    await hongqi.locator('.unit-link').click()
    await page.waitForURL(/\/stats\/units\/150999100206/)
    await expect.poll(() => page.locator('[data-test="unit-header"]').innerText(), { timeout: 20_000 }).toContain('红旗村')
    const youth = page.locator('[data-test="finding"][data-rule="youth"]').first()
    await youth.waitFor()
    expect(await youth.getAttribute('data-level')).toBe('fail')
    expect(await youth.innerText()).toContain('35周岁以下')
    await page.screenshot({ path: path.join(shots, 'stats-unit.png'), fullPage: true })
    await page.click('[data-test="back-to-stats"]')
    await page.locator('[data-test="compliance-matrix"]').waitFor()
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('gives the county admin the county view, drills down to a township, and shows the targets page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'qs_admin')
    await page.goto(`${base}/stats`)
    const children = page.locator('[data-test="stats-children"]')
    await children.locator('[data-test="child-name"][data-code="150999100000"]').waitFor({ timeout: 30_000 })
    expect(await children.locator('[data-test="child-name"]').count()).toBe(2)
    await children.locator('[data-test="child-name"][data-code="150999100000"]').click()
    await expect.poll(() => page.locator('[data-test="region-path"]').innerText(), { timeout: 20_000 }).toContain('新营子镇')
    await expect.poll(() => page.locator('[data-test="paragraph-text"]').innerText(), { timeout: 20_000 }).toContain('全镇26个村、2个社区')

    await page.goto(`${base}/composition-rules`)
    await page.locator('[data-test="param-minYouth"]').waitFor()
    await expect.poll(() => page.locator('[data-test="campaigns"]').innerText()).toContain('2021')
    await page.screenshot({ path: path.join(shots, 'stats-rules.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('is readable on a 375 px phone: no sideways page scroll, the matrix scrolls inside its box', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/stats`)
    await expect.poll(() => page.locator('[data-test="paragraph-text"]').innerText(), { timeout: 30_000 }).toContain('委员88人')
    await page.locator('[data-test="compliance-matrix"]').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'stats-375.png'), fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)
})
