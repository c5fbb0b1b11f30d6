import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session

async function lastAudit() {
  return t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).orderBy('seq', 'desc').executeTakeFirstOrThrow()
}
async function auditCount() {
  const rows = await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).execute()
  return rows.length
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'tadmin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'torg' })
  admin = await t.login('tadmin')
  organiser = await t.login('torg')
})
afterAll(() => t.close())

describe('territory', () => {
  it('lists the whole county for a county admin and only its township for an organiser', async () => {
    const all = await admin.get('/api/territories?pageSize=100')
    expect(all.statusCode).toBe(200)
    expect(all.json().total).toBe(9)
    const own = await organiser.get('/api/territories/tree')
    expect(own.statusCode).toBe(200)
    const codes = own.json().map((x: { code: string }) => x.code)
    expect(codes).toEqual([c.townships[0], ...c.units[0]])
  })

  it('creates a village, writes the row and one audit record', async () => {
    const before = await auditCount()
    const code = `${c.countyCode}100203`
    const res = await organiser.post('/api/territories', { code, name: ' 新建村 ', kind: 'village' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ code, name: '新建村', level: 'unit', parentCode: c.townships[0], kindLabel: '村', initials: 'xjc', version: 1 })
    const row = await t.db.selectFrom('territory').selectAll().where('county_code', '=', c.countyCode).where('code', '=', code).executeTakeFirstOrThrow()
    expect(row.name).toBe('新建村')
    expect(await auditCount()).toBe(before + 1)
    const audit = await lastAudit()
    expect(audit).toMatchObject({ action: 'territory.create', object_type: 'territory', object_id: code, role: 'township_organiser', result: 'success' })
    expect((audit.digest as { after: { name: string } }).after.name).toBe('新建村')
  })

  it('answers bad input with 400 in Chinese and writes nothing', async () => {
    const before = await auditCount()
    const cases = [
      [{ code: '123', name: '甲', kind: 'village' }, '区划代码格式不正确'],
      [{ code: `${c.countyCode}100150`, name: '甲村', kind: 'village' }, '村、嘎查村（村委会）的村级代码（第 10–12 位）应在 200–399 或 500–599 之间'],
      [{ code: `${c.countyCode}100204`, name: '甲', kind: 'castle' }, '类别“castle”无效'],
      [{ code: `${c.countyCode}100204`, name: '甲', kind: 'village', countyCode: '110000' }, '不允许提交字段：countyCode'],
      [{ code: `${c.countyCode}100204`, kind: 'village' }, '缺少必填项：名称'],
    ] as const
    for (const [payload, message] of cases) {
      const res = await admin.post('/api/territories', payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json().message).toBe(message)
    }
    expect(await auditCount()).toBe(before)
    const none = await t.db.selectFrom('territory').select('code').where('code', '=', `${c.countyCode}100204`).execute()
    expect(none).toHaveLength(0)
  })

  it('refuses a unit whose township does not exist', async () => {
    const res = await admin.post('/api/territories', { code: `${c.countyCode}102201`, name: '孤村', kind: 'village' })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('上级区划')
  })

  it('renames with the version and rejects a stale version with 409', async () => {
    const code = c.units[0][1]!
    const cur = (await admin.get(`/api/territories/${code}`)).json()
    const ok = await admin.patch(`/api/territories/${code}`, { version: cur.version, name: '改名村' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ name: '改名村', version: cur.version + 1 })
    expect((await lastAudit()).action).toBe('territory.update')
    expect((await lastAudit()).digest).toMatchObject({ before: { name: cur.name }, after: { name: '改名村' } })
    const stale = await admin.patch(`/api/territories/${code}`, { version: cur.version, name: '再改' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
  })

  it('retires a unit, refuses to retire a township with active units, and reactivates', async () => {
    const code = c.units[0][2]!
    const cur = (await admin.get(`/api/territories/${code}`)).json()
    const res = await admin.post(`/api/territories/${code}/status`, { version: cur.version, status: 'retired' })
    expect(res.statusCode).toBe(200)
    expect(res.json().status).toBe('retired')
    expect((await lastAudit()).action).toBe('territory.retire')
    const twp = (await admin.get(`/api/territories/${c.townships[1]}`)).json()
    const busy = await admin.post(`/api/territories/${c.townships[1]}/status`, { version: twp.version, status: 'retired' })
    expect(busy.statusCode).toBe(409)
    expect(busy.json().message).toContain('下级区划')
    const back = await admin.post(`/api/territories/${code}/status`, { version: res.json().version, status: 'active' })
    expect(back.json().status).toBe('active')
  })

  it('deletes only a node nothing refers to', async () => {
    const used = await admin.del(`/api/territories/${c.townships[0]}`)
    expect(used.statusCode).toBe(409)
    expect(used.json().message).toContain('只能停用')
    const code = `${c.countyCode}101203`
    expect((await admin.post('/api/territories', { code, name: '误建村', kind: 'village' })).statusCode).toBe(201)
    const res = await admin.del(`/api/territories/${code}`)
    expect(res.statusCode).toBe(200)
    expect(await t.db.selectFrom('territory').select('code').where('code', '=', code).executeTakeFirst()).toBeUndefined()
    expect((await lastAudit()).action).toBe('territory.delete')
  })

  it('keeps an organiser out of another township: 404 on reads, 404 on writes', async () => {
    const other = c.units[1][1]!
    expect((await organiser.get(`/api/territories/${other}`)).statusCode).toBe(404)
    expect((await organiser.patch(`/api/territories/${other}`, { version: 1, name: 'x' })).statusCode).toBe(404)
    expect((await organiser.post(`/api/territories/${other}/status`, { version: 1, status: 'retired' })).statusCode).toBe(404)
    expect((await organiser.del(`/api/territories/${other}`)).statusCode).toBe(404)
    expect((await organiser.post('/api/territories', { code: `${c.countyCode}101209`, name: '越界村', kind: 'village' })).statusCode).toBe(404)
    const list = await organiser.get(`/api/territories?parentCode=${c.townships[1]}`)
    expect(list.json().total).toBe(0)
  })

  it('does not let an organiser create a township', async () => {
    const res = await organiser.post('/api/territories', { code: `${c.countyCode}100000`.replace('100000', '105000'), name: '新镇', kind: 'town' })
    expect([403, 404]).toContain(res.statusCode)
  })
})
