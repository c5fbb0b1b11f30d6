import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'

let t: TestApp
let c: CountyFixture
let admin: Session

const lastAudit = () => t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).orderBy('seq', 'desc').executeTakeFirstOrThrow()

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'd_admin' })
  admin = await t.login('d_admin')
})
afterAll(() => t.close())

describe('departments', () => {
  it('lists the county departments to any signed-in user', async () => {
    await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], username: 'd_cadre' })
    const cadre = await t.login('d_cadre')
    const res = await cadre.get('/api/departments')
    expect(res.statusCode).toBe(200)
    expect(res.json().map((d: { name: string }) => d.name)).toEqual(['县公安局', '县人民法院'])
    expect((await cadre.post('/api/departments', { name: '县信访局' })).statusCode).toBe(403)
  })

  it('adds, renames and retires a department with audit records', async () => {
    const created = await admin.post('/api/departments', { name: ' 县信访局 ', sort: 3 })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ name: '县信访局', sort: 3, status: 'active', version: 1 })
    expect((await lastAudit()).action).toBe('department.create')
    const id = created.json().id
    const renamed = await admin.patch(`/api/departments/${id}`, { version: 1, name: '县信访局（联审）' })
    expect(renamed.json()).toMatchObject({ name: '县信访局（联审）', version: 2 })
    const retired = await admin.patch(`/api/departments/${id}`, { version: 2, status: 'retired' })
    expect(retired.json().status).toBe('retired')
    expect((await lastAudit()).action).toBe('department.update')
    expect((await admin.patch(`/api/departments/${id}`, { version: 2, name: '旧版本' })).statusCode).toBe(409)
  })

  it('refuses duplicates and empty names, writing nothing', async () => {
    const before = (await t.db.selectFrom('department').select('id').where('county_code', '=', c.countyCode).execute()).length
    const dup = await admin.post('/api/departments', { name: '县公安局' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().message).toBe('部门“县公安局”已存在')
    const empty = await admin.post('/api/departments', { name: '   ' })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().message).toBe('部门名称不能为空')
    expect((await t.db.selectFrom('department').select('id').where('county_code', '=', c.countyCode).execute()).length).toBe(before)
  })

  it('keeps a township-level admin role from managing departments', async () => {
    await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'd_org' })
    const org = await t.login('d_org')
    expect((await org.post('/api/departments', { name: '县民政局' })).statusCode).toBe(403)
  })
})
