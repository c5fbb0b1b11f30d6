import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, TEST_PASSWORD, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { hashToken } from './service.ts'

let t: TestApp
let c: CountyFixture
const xhr = { 'x-requested-with': 'XMLHttpRequest' }

function loginRaw(username: string, password: string, ip = '10.0.0.1') {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', headers: xhr, payload: { username, password }, remoteAddress: ip })
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'a_admin' })
})
afterAll(() => t.close())

describe('login and sessions', () => {
  it('logs in, sets an httpOnly cookie holding a fresh 256-bit token, and records it', async () => {
    await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'a_leader' })
    const res = await loginRaw('a_leader', TEST_PASSWORD)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ username: 'a_leader', role: 'leader', roleLabel: '领导小组成员', territoryName: '第1镇', mustChangePassword: false })
    const cookie = res.cookies.find((x) => x.name === 'hj_sid')!
    expect(cookie.httpOnly).toBe(true)
    expect(cookie.sameSite).toBe('Lax')
    expect(cookie.value).toMatch(new RegExp(`^${c.countyCode}\\.[A-Za-z0-9_-]{43}$`))
    const token = cookie.value.split('.')[1]!
    const session = await t.db.selectFrom('session').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst()
    expect(session).toBeDefined()
    // The token itself is never stored.
    expect(JSON.stringify(session)).not.toContain(token)
    const second = await loginRaw('a_leader', TEST_PASSWORD)
    expect(second.cookies.find((x) => x.name === 'hj_sid')!.value).not.toBe(cookie.value)
    const log = await t.db.selectFrom('login_log').selectAll().where('username', '=', 'a_leader').execute()
    expect(log.every((l) => l.success)).toBe(true)
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('object_id', '=', session!.user_id).execute()
    expect(audit.length).toBeGreaterThanOrEqual(2)
  })

  it('answers a wrong password or unknown user alike, and logs both', async () => {
    await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'a_wrong' })
    const bad = await loginRaw('a_wrong', 'nope', '10.0.0.2')
    expect(bad.statusCode).toBe(401)
    expect(bad.json().message).toContain('用户名或密码错误')
    const unknown = await loginRaw('nobody_here', 'nope', '10.0.0.2')
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json().message).toBe('用户名或密码错误')
    // Someone types an ID number as the user name: the logs keep it masked.
    await loginRaw('11010519491231002X', 'nope', '10.0.0.2')
    const masked = await t.db.selectFrom('login_log').select('username').where('username', 'like', '1101%').execute()
    expect(masked.map((m) => m.username)).toEqual(['1101**********002X'])
    const auditText = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute())
    expect(auditText).not.toContain('11010519491231002X')
    const logs = await t.db.selectFrom('login_log').selectAll().where('username', 'in', ['a_wrong', 'nobody_here']).execute()
    expect(logs).toHaveLength(2)
    expect(logs.every((l) => !l.success)).toBe(true)
  })

  it('locks an account after 5 wrong passwords for 30 minutes, even for the right password', async () => {
    await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'a_lock' })
    for (let i = 1; i <= 4; i++) {
      const r = await loginRaw('a_lock', 'wrong', '10.0.1.1')
      expect(r.json().message).toContain(`再错 ${5 - i} 次`)
    }
    const fifth = await loginRaw('a_lock', 'wrong', '10.0.1.1')
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED')
    const right = await loginRaw('a_lock', TEST_PASSWORD, '10.0.1.1')
    expect(right.statusCode).toBe(401)
    expect(right.json().code).toBe('ACCOUNT_LOCKED')
    const row = await t.db.selectFrom('app_user').select('locked_until').where('username', '=', 'a_lock').executeTakeFirstOrThrow()
    const minutes = (row.locked_until!.getTime() - Date.now()) / 60_000
    expect(minutes).toBeGreaterThan(29)
    expect(minutes).toBeLessThanOrEqual(30)
    const lockAudit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.lock').execute()
    expect(lockAudit).toHaveLength(1)
  })

  it('throttles one address spraying many accounts, without locking any account', async () => {
    for (let i = 0; i < 20; i++) await loginRaw(`spray${i}`, 'x', '10.9.9.9')
    const r = await loginRaw('a_admin', TEST_PASSWORD, '10.9.9.9')
    expect(r.statusCode).toBe(429)
    expect(r.json().message).toContain('15 分钟')
    expect((await loginRaw('a_admin', TEST_PASSWORD, '10.9.9.8')).statusCode).toBe(200)
  })

  it('ends a session at logout: the old cookie gets 401', async () => {
    const s = await t.login('a_admin')
    expect((await s.get('/api/auth/me')).statusCode).toBe(200)
    const out = await s.post('/api/auth/logout')
    expect(out.statusCode).toBe(200)
    expect(out.headers['clear-site-data']).toContain('storage')
    expect((await s.get('/api/auth/me')).statusCode).toBe(401)
  })

  it('ends a session after 30 minutes idle and after 12 hours in all', async () => {
    const s = await t.login('a_admin')
    const token = s.cookie.split('.')[1]!
    await t.db.updateTable('session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('token_hash', '=', hashToken(token)).execute()
    const idle = await s.get('/api/auth/me')
    expect(idle.statusCode).toBe(401)
    expect(idle.json().code).toBe('SESSION_EXPIRED')
    const s2 = await t.login('a_admin')
    await t.db.updateTable('session').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hashToken(s2.cookie.split('.')[1]!)).execute()
    expect((await s2.get('/api/auth/me')).statusCode).toBe(401)
  })

  it('refuses a state change without the X-Requested-With header (CSRF)', async () => {
    const s = await t.login('a_admin')
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('CSRF')
    expect((await s.get('/api/auth/me')).statusCode).toBe(200)
  })

  it('forces a password change first, applies the policy and history, and ends other sessions', async () => {
    await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'a_new', mustChangePassword: true })
    const s = await t.login('a_new')
    const other = await t.login('a_new')
    expect((await s.get('/api/auth/me')).json().mustChangePassword).toBe(true)
    const blocked = await s.get('/api/territories')
    expect(blocked.statusCode).toBe(403)
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED')
    const weak = await s.post('/api/auth/password', { oldPassword: TEST_PASSWORD, newPassword: 'Aa123456' })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().message).toBe('该密码过于常见，请换一个')
    const same = await s.post('/api/auth/password', { oldPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD })
    expect(same.statusCode).toBe(400)
    expect(same.json().message).toContain('最近')
    const wrongOld = await s.post('/api/auth/password', { oldPassword: 'nope', newPassword: 'Tq7$wnB4xZk2' })
    expect(wrongOld.json().message).toBe('原密码不正确')
    const ok = await s.post('/api/auth/password', { oldPassword: TEST_PASSWORD, newPassword: 'Tq7$wnB4xZk2' })
    expect(ok.statusCode).toBe(200)
    expect((await s.get('/api/territories')).statusCode).toBe(200)
    expect((await other.get('/api/auth/me')).statusCode).toBe(401)
    const row = await t.db.selectFrom('app_user').selectAll().where('username', '=', 'a_new').executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(row.must_change_password).toBe(false)
    expect(row.password_history).toHaveLength(1)
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.password.change').executeTakeFirstOrThrow()
    expect(JSON.stringify(audit)).not.toContain('Tq7$wnB4xZk2')
  })

  it('forces a change when the password is older than 90 days', async () => {
    const u = await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'a_old' })
    await t.db.updateTable('app_user').set({ password_changed_at: new Date(Date.now() - 91 * 86400_000) }).where('id', '=', u.id).execute()
    const s = await t.login('a_old')
    expect((await s.get('/api/auth/me')).json().mustChangePassword).toBe(true)
    expect((await s.get('/api/territories')).json().code).toBe('PASSWORD_CHANGE_REQUIRED')
  })

  it('lists live sessions in scope and lets an admin force one out', async () => {
    await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], username: 'a_cadre', unitCodes: [c.units[0][1]!] })
    const cadre = await t.login('a_cadre')
    const admin = await t.login('a_admin')
    const list = await admin.get('/api/auth/sessions')
    expect(list.statusCode).toBe(200)
    const target = list.json().find((x: { username: string }) => x.username === 'a_cadre')
    expect(target.id).toMatch(/^[0-9a-f]{16}$/)
    const mine = list.json().find((x: { current: boolean }) => x.current)
    expect((await admin.del(`/api/auth/sessions/${mine.id}`)).statusCode).toBe(403)
    const res = await admin.del(`/api/auth/sessions/${target.id}`)
    expect(res.statusCode).toBe(200)
    expect((await cadre.get('/api/auth/me')).statusCode).toBe(401)
    expect((await t.db.selectFrom('audit_log').select('action').where('action', '=', 'session.force_logout').execute()).length).toBe(1)
    expect((await cadre.get('/api/auth/sessions')).statusCode).toBe(401)
  })

  it('shows the login log to county admins and auditors only', async () => {
    await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'a_auditor' })
    await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'a_org' })
    const auditor = await t.login('a_auditor')
    const res = await auditor.get('/api/auth/login-log?success=false&pageSize=50')
    expect(res.statusCode).toBe(200)
    expect(res.json().items.length).toBeGreaterThan(0)
    expect(res.json().items.every((x: { success: boolean }) => !x.success)).toBe(true)
    const org = await t.login('a_org')
    expect((await org.get('/api/auth/login-log')).statusCode).toBe(403)
  })

  it('answers 401 without a session and for a forged cookie', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/territories' })).statusCode).toBe(401)
    const forged = await t.app.inject({ method: 'GET', url: '/api/territories', headers: { cookie: `hj_sid=${c.countyCode}.${'A'.repeat(43)}` } })
    expect(forged.statusCode).toBe(401)
  })
})
