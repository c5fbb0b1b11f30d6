import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session

const lastAudit = () => t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).orderBy('seq', 'desc').executeTakeFirstOrThrow()

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'u_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'u_org' })
  admin = await t.login('u_admin')
  organiser = await t.login('u_org')
})
afterAll(() => t.close())

describe('users', () => {
  it('creates a contact cadre with assigned units and a one-time password that must be changed', async () => {
    const res = await organiser.post('/api/users', {
      username: 'cadre_1',
      displayName: '包村甲',
      phone: '13812345678',
      role: 'contact_cadre',
      territoryCode: c.townships[0],
      unitCodes: [c.units[0][1], c.units[0][2]],
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body.user).toMatchObject({ username: 'cadre_1', phone: '138****5678', roleLabel: '包村干部', territoryName: '第1镇', mustChangePassword: true })
    expect(body.user.unitCodes).toEqual([c.units[0][1], c.units[0][2]].sort())
    expect(body.initialPassword).toHaveLength(12)
    const row = await t.db.selectFrom('app_user').selectAll().where('username', '=', 'cadre_1').executeTakeFirstOrThrow()
    expect(row.phone).toBe('13812345678')
    expect(row.password_hash).not.toContain(body.initialPassword)
    expect(await t.db.selectFrom('login_name').selectAll().where('username', '=', 'cadre_1').executeTakeFirst()).toMatchObject({ county_code: c.countyCode, user_id: row.id })
    const audit = await lastAudit()
    expect(audit.action).toBe('user.create')
    const text = JSON.stringify(audit.digest)
    expect(text).toContain('138****5678')
    expect(text).not.toContain('13812345678')
    expect(text).not.toContain(body.initialPassword)
    // The cadre logs in with it and must change it first.
    const s = await t.login('cadre_1', body.initialPassword)
    expect((await s.get('/api/territories')).json().code).toBe('PASSWORD_CHANGE_REQUIRED')
  })

  it('refuses what an organiser may not grant and bindings of the wrong level', async () => {
    const r1 = await organiser.post('/api/users', { username: 'bad_1', displayName: '甲', role: 'county_admin', territoryCode: c.county })
    expect(r1.statusCode).toBe(403)
    const r2 = await admin.post('/api/users', { username: 'bad_2', displayName: '甲', role: 'township_organiser', territoryCode: c.county })
    expect(r2.statusCode).toBe(400)
    expect(r2.json().message).toBe('乡镇组织员应归属到乡镇（苏木）一级')
    const r3 = await admin.post('/api/users', { username: 'bad_3', displayName: '甲', role: 'reviewer', territoryCode: c.county })
    expect(r3.json().message).toBe('联审部门审查员必须选择所属部门')
    const r4 = await admin.post('/api/users', { username: 'bad_4', displayName: '甲', role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [c.units[1][1]] })
    expect(r4.json().message).toContain('不是本乡镇的村（社区）')
    const r5 = await admin.post('/api/users', { username: 'b', displayName: '甲', role: 'leader', territoryCode: c.townships[0] })
    expect(r5.statusCode).toBe(400)
    expect(r5.json().message).toBe('用户名格式不正确')
    const r6 = await admin.post('/api/users', { username: 'u_org', displayName: '甲', role: 'leader', territoryCode: c.townships[0] })
    expect(r6.statusCode).toBe(409)
    const rows = await t.db.selectFrom('app_user').select('username').where('username', 'like', 'bad_%').execute()
    expect(rows).toHaveLength(0)
  })

  it('creates a reviewer bound to a department', async () => {
    const dep = c.departments.get('县公安局')!
    const res = await admin.post('/api/users', { username: 'police_1', displayName: '审查甲', role: 'reviewer', territoryCode: c.county, departmentId: dep })
    expect(res.statusCode).toBe(201)
    expect(res.json().user).toMatchObject({ departmentId: dep, departmentName: '县公安局' })
  })

  it('edits with the version, and answers a stale version with 409', async () => {
    const u = await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'edit_me' })
    const cur = (await admin.get(`/api/users/${u.id}`)).json()
    const res = await admin.patch(`/api/users/${u.id}`, { version: cur.version, displayName: '新名字', unitCodes: [c.units[0][0]] })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ displayName: '新名字', unitCodes: [c.units[0][0]], version: cur.version + 1 })
    expect((await lastAudit()).action).toBe('user.update')
    expect((await admin.patch(`/api/users/${u.id}`, { version: cur.version, displayName: 'x' })).statusCode).toBe(409)
  })

  it('disabling ends the sessions at once; reset gives a new password and unlocks', async () => {
    const u = await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'dis_me' })
    const s = await t.login('dis_me')
    const cur = (await organiser.get(`/api/users/${u.id}`)).json()
    const off = await organiser.post(`/api/users/${u.id}/status`, { version: cur.version, status: 'disabled' })
    expect(off.statusCode).toBe(200)
    expect((await s.get('/api/auth/me')).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username: 'dis_me', password: 'Cz9#kPq2vLm7' } })).json().message).toBe('账号已停用，请联系管理员')
    const on = await organiser.post(`/api/users/${u.id}/status`, { version: off.json().version, status: 'active' })
    await t.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 600_000) }).where('id', '=', u.id).execute()
    const reset = await organiser.post(`/api/users/${u.id}/reset-password`, { version: on.json().version })
    expect(reset.statusCode).toBe(200)
    expect(reset.json().user).toMatchObject({ locked: false, mustChangePassword: true })
    const s2 = await t.login('dis_me', reset.json().initialPassword)
    expect((await s2.get('/api/auth/me')).json().mustChangePassword).toBe(true)
  })

  it('keeps a township organiser to its own township', async () => {
    const other = await t.make.user({ role: 'leader', territoryCode: c.townships[1], username: 'other_leader' })
    expect((await organiser.get(`/api/users/${other.id}`)).statusCode).toBe(404)
    expect((await organiser.patch(`/api/users/${other.id}`, { version: 1, displayName: 'x' })).statusCode).toBe(404)
    expect((await organiser.post(`/api/users/${other.id}/status`, { version: 1, status: 'disabled' })).statusCode).toBe(404)
    expect((await organiser.post(`/api/users/${other.id}/reset-password`, { version: 1 })).statusCode).toBe(404)
    const list = (await organiser.get('/api/users?pageSize=200')).json()
    expect(list.items.every((u: { territoryCode: string }) => u.territoryCode.startsWith(c.townships[0].slice(0, 9)))).toBe(true)
    const created = await organiser.post('/api/users', { username: 'x_other', displayName: '甲', role: 'leader', territoryCode: c.townships[1] })
    expect(created.statusCode).toBe(400)
    expect(created.json().message).toBe('所属区划不在您的管辖范围内')
  })

  it('lets an organiser touch only leaders and cadres, not its peers', async () => {
    const peer = await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'peer_org' })
    expect((await organiser.patch(`/api/users/${peer.id}`, { version: 1, displayName: 'x' })).statusCode).toBe(403)
  })

  it('gives the auditor a read-only view and nothing to others', async () => {
    await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'u_aud' })
    await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], username: 'u_cadre' })
    const aud = await t.login('u_aud')
    expect((await aud.get('/api/users')).statusCode).toBe(200)
    expect((await aud.post('/api/users', { username: 'zz_1', displayName: '甲', role: 'leader', territoryCode: c.townships[0] })).statusCode).toBe(403)
    const cadre = await t.login('u_cadre')
    expect((await cadre.get('/api/users')).statusCode).toBe(403)
  })
})

describe('denied access', () => {
  it('is written to the audit log with the route and the reason', async () => {
    await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], username: 'deny_cadre' })
    const s = await t.login('deny_cadre')
    expect((await s.post('/api/users', { username: 'zz_9', displayName: '甲', role: 'leader', territoryCode: c.townships[0] })).statusCode).toBe(403)
    const row = await lastAudit()
    expect(row).toMatchObject({ action: 'access.denied', object_type: 'route', object_id: 'POST /api/users', result: 'failure', role: 'contact_cadre' })
  })
})

describe('unlock', () => {
  it('clears a lock so the user can sign in again, and audits it', async () => {
    const u = await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'lock_me' })
    await t.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 600_000), failed_attempts: 0 }).where('id', '=', u.id).execute()
    const cur = (await admin.get(`/api/users/${u.id}`)).json()
    expect(cur.locked).toBe(true)
    const res = await admin.post(`/api/users/${u.id}/unlock`, { version: cur.version })
    expect(res.statusCode).toBe(200)
    expect(res.json().locked).toBe(false)
    expect((await lastAudit()).action).toBe('user.unlock')
    expect((await t.login('lock_me')).cookie).toMatch(/^hj_sid=/)
  })
})
