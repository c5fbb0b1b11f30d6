import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { seedDemo } from '../setup/demo.ts'
import { freshDatabase } from '../../../../test/helpers/db.ts'

let t: TestApp
let c: CountyFixture
let admin: Session

const lastAudit = () => t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).orderBy('seq', 'desc').executeTakeFirstOrThrow()

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'ci_admin' })
  admin = await t.login('ci_admin')
})
afterAll(() => t.close())

describe('circumstance catalog (负面清单)', () => {
  it('loads the default 17 once, linked to the county departments by name, with audit rows', async () => {
    expect((await admin.get('/api/circumstances')).json()).toEqual([])
    const res = await admin.post('/api/circumstances/load-defaults')
    expect(res.statusCode).toBe(200)
    const list = res.json()
    expect(list).toHaveLength(17)
    expect(list.filter((x: { severity: string }) => x.severity === 'bar')).toHaveLength(10)
    const crime = list.find((x: { text: string }) => x.text.startsWith('受过刑事处罚'))
    expect(crime).toMatchObject({ lookbackYears: 5, departments: [{ name: '县公安局' }, { name: '县人民法院' }] })
    expect(list[0].source).toContain('非自治区原文')
    const audits = await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('action', '=', 'circumstance.create').execute()
    expect(audits).toHaveLength(17)
    expect((await admin.post('/api/circumstances/load-defaults')).statusCode).toBe(409)
  })

  it('adds, edits and retires an item; each change is audited and versioned', async () => {
    const dep = c.departments.get('县人民法院')!
    const res = await admin.post('/api/circumstances', { text: ' 拒不签订换届纪律承诺书 ', severity: 'bar', departmentIds: [dep] })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ text: '拒不签订换届纪律承诺书', sort: 18, lookbackYears: 0, departments: [{ id: dep, name: '县人民法院' }] })
    expect((await lastAudit()).action).toBe('circumstance.create')
    const id = res.json().id
    const edit = await admin.patch(`/api/circumstances/${id}`, { version: 1, severity: 'discourage', lookbackYears: 3 })
    expect(edit.json()).toMatchObject({ severity: 'discourage', lookbackYears: 3, version: 2 })
    const off = await admin.patch(`/api/circumstances/${id}`, { version: 2, status: 'retired' })
    expect(off.json().status).toBe('retired')
    expect((await admin.patch(`/api/circumstances/${id}`, { version: 2, text: '旧版本' })).statusCode).toBe(409)
  })

  it('refuses bad input in Chinese and saves nothing', async () => {
    const before = (await admin.get('/api/circumstances')).json().length
    const noDep = await admin.post('/api/circumstances', { text: '甲', severity: 'bar', departmentIds: [] })
    expect(noDep.statusCode).toBe(400)
    const badDep = await admin.post('/api/circumstances', { text: '甲', severity: 'bar', departmentIds: ['999999'] })
    expect(badDep.json().message).toBe('所选审查部门不存在或已停用')
    const badSeverity = await admin.post('/api/circumstances', { text: '甲', severity: 'maybe', departmentIds: [c.departments.get('县公安局')] })
    expect(badSeverity.statusCode).toBe(400)
    expect((await admin.get('/api/circumstances')).json()).toHaveLength(before)
  })

  it('lets every role read the list but only the county admin change it', async () => {
    await t.make.user({ role: 'reviewer', territoryCode: c.county, username: 'ci_police', departmentId: c.departments.get('县公安局') })
    const police = await t.login('ci_police')
    expect((await police.get('/api/circumstances')).json().length).toBeGreaterThan(17)
    expect((await police.post('/api/circumstances', { text: '甲', severity: 'bar', departmentIds: [c.departments.get('县公安局')] })).statusCode).toBe(403)
  })

  it('is part of the demo county, every item with a checking department', async () => {
    const d = await freshDatabase()
    try {
      await seedDemo(d.db)
      await expectDemoCatalog(d.db)
    } finally {
      await d.close()
    }
  })
})

async function expectDemoCatalog(db: TestApp['db']) {
  const items = await db.selectFrom('circumstance').select('id').where('county_code', '=', '150999').execute()
  expect(items).toHaveLength(17)
  const unlinked = await db
    .selectFrom('circumstance')
    .leftJoin('circumstance_department', (j) => j.onRef('circumstance_department.county_code', '=', 'circumstance.county_code').onRef('circumstance_department.circumstance_id', '=', 'circumstance.id'))
    .select('circumstance.text')
    .where('circumstance.county_code', '=', '150999')
    .where('circumstance_department.department_id', 'is', null)
    .execute()
  expect(unlinked).toEqual([])
}
