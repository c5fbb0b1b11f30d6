import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { checkCharOf } from '../../src/rules/id-number/index.ts'
import type { Database } from '../../src/server/db/create-db.ts'
import { hasChromium, shots, startBrowserApp, type BrowserApp, watchProblems } from '../helpers/browser.ts'

const FIRST17 = '15099919850315012'
const ID_NUMBER = FIRST17 + checkCharOf(FIRST17)
const MASKED_ID = `1509**********${ID_NUMBER.slice(-4)}`
const NAME = '赵红梅'
let t: BrowserApp
let database: Database
let browser: Browser
let base: string

/** The form item whose label is exactly `label`. */
function formItem(page: Page, scope: Locator, label: string): Locator {
  return scope.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })
}

async function pick(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await formItem(page, scope, label).locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^${option}$`) }).click()
}

describe.skipIf(!hasChromium)('人选管理 page in Chromium', () => {
  beforeAll(async () => {
    t = await startBrowserApp()
    ;({ database, browser, base } = t)
  }, 240_000)

  afterAll(() => t?.close())

  it('lets an organiser nominate a registered person as a draft, submit it for the joint review, and open its details', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')

    // The person comes from the people registry: registered through the API with this session's cookie.
    const created = await page.request.post(`${base}/api/people`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
      data: { name: NAME, idNumber: ID_NUMBER, ethnicity: '01', education: '31', politicalStatus: '13', unitCode: '150999100201' },
    })
    expect(created.status()).toBe(201)

    await page.goto(`${base}/nominees`)
    const table = page.locator('[data-test="nominee-table"]')
    await table.waitFor()

    // 新增人选: search the registry by name; the option shows the masked ID and the village.
    await page.getByRole('button', { name: '新增人选' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增人选' })
    await dialog.waitFor()
    await formItem(page, dialog, '人员').locator('.el-select').click()
    await formItem(page, dialog, '人员').locator('input').fill('红梅')
    const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: NAME })
    await option.waitFor()
    await expect(option.innerText()).resolves.toMatch(new RegExp(`${NAME}[\\s\\S]*${MASKED_ID.replace(/\*/g, '\\*')}[\\s\\S]*东营子村`))
    await option.click()
    // The unit defaults to the person's own; a non-member is offered the villagers' committee.
    await expect(formItem(page, dialog, '村（社区）').innerText()).resolves.toContain('东营子村')
    await dialog.getByText('非中共党员').waitFor()
    await expect(formItem(page, dialog, '拟任班子').locator('.el-radio.is-checked').innerText()).resolves.toBe('村民委员会')
    await pick(page, dialog, '拟任职务', '主任')
    await pick(page, dialog, '产生方式', '群众推荐')
    await page.screenshot({ path: path.join(shots, 'nominee-create-1366.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: '确定' }).click()
    await dialog.waitFor({ state: 'hidden' })

    const row = table.locator('.el-table__row').filter({ hasText: NAME })
    await row.locator('[data-test="state-tag"]').filter({ hasText: '草稿' }).waitFor()
    await expect(row.innerText()).resolves.toMatch(/东营子村[\s\S]*村民委员会主任[\s\S]*群众推荐[\s\S]*草稿/)
    const draft = await database.db.selectFrom('nominee').select(['id', 'state', 'body', 'post', 'put_forward', 'unit_code']).executeTakeFirstOrThrow()
    expect(draft).toMatchObject({ state: 'draft', body: 'committee', post: 'chair', put_forward: 'villagers', unit_code: '150999100201' })

    // 报送联审: tick the draft, confirm the names, and it becomes 已报送 in a new batch.
    const submit = page.locator('[data-test="submit-button"]')
    await expect(submit.isDisabled()).resolves.toBe(true)
    await row.locator('.el-checkbox').click()
    await submit.click()
    const confirm = page.locator('.el-dialog').filter({ hasText: '确定报送' })
    await expect(confirm.locator('[data-test="submit-names"]').innerText()).resolves.toContain(NAME)
    await page.screenshot({ path: path.join(shots, 'nominee-submit-1366.png'), animations: 'disabled' })
    await confirm.getByRole('button', { name: '确定报送' }).click()
    await confirm.waitFor({ state: 'hidden' })
    await row.locator('[data-test="state-tag"]').filter({ hasText: '已报送' }).waitFor()
    await page.locator('[data-test="submitted-note"]').getByRole('button', { name: '前往资格联审' }).waitFor()
    const submitted = await database.db.selectFrom('nominee').select(['state', 'batch_id']).where('id', '=', draft.id).executeTakeFirstOrThrow()
    expect(submitted.state).toBe('submitted')
    expect(submitted.batch_id).not.toBeNull()
    await expect(row.locator('.el-checkbox.is-disabled').count()).resolves.toBe(1)

    // The detail drawer: state, the life-cycle steps, and no review yet.
    await row.getByRole('button', { name: NAME }).click()
    const drawer = page.locator('.el-drawer').filter({ hasText: `人选详情：${NAME}` })
    await expect(drawer.locator('[data-test="nominee-state"]').innerText()).resolves.toBe('已报送')
    const steps = drawer.locator('[data-test="nominee-steps"] .el-step')
    await expect(steps.count()).resolves.toBe(6)
    await expect(steps.nth(1).locator('.el-step__head').getAttribute('class')).resolves.toContain('is-process')
    await drawer.getByText('已报送，等待县级发起联审').waitFor()
    await page.screenshot({ path: path.join(shots, 'nominee-detail-1366.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('works at 375 px wide: the list fits the phone, the drawer is full width', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const problems = watchProblems(page)
    await t.login(page, 'xyz_organiser')
    await page.goto(`${base}/nominees`)
    const row = page.locator('[data-test="nominee-table"] .el-table__row').filter({ hasText: NAME })
    await row.locator('[data-test="state-tag"]').filter({ hasText: '已报送' }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'nominee-list-375.png'), animations: 'disabled', fullPage: true })

    await row.getByRole('button', { name: NAME }).click()
    const drawer = page.locator('.el-drawer').filter({ hasText: `人选详情：${NAME}` })
    await drawer.locator('[data-test="nominee-state"]').waitFor()
    expect((await drawer.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(374)
    await page.screenshot({ path: path.join(shots, 'nominee-detail-375.png'), animations: 'disabled' })

    await page.goto(`${base}/notices`)
    await page.locator('[data-test="notice-table"]').waitFor()
    await page.locator('[data-test="publish-button"]').click()
    const publish = page.locator('.el-dialog').filter({ hasText: '发布公示' })
    await publish.getByText('暂无审查通过、待公示的人选').waitFor()
    expect((await publish.boundingBox())?.width ?? 0).toBeLessThanOrEqual(375)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: path.join(shots, 'notice-publish-375.png'), animations: 'disabled' })
    expect(problems).toEqual([])
    await page.close()
  })
})
