import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import { testApp, type TestApp } from '../helpers/app.ts'
import { registerAuth } from '../../src/server/plugins/auth.ts'
import { registerErrorHandlers } from '../../src/server/http/error-handler.ts'
import { latestMigration } from '../../src/server/db/migrate.ts'
import { onPostgres } from '../helpers/db.ts'

let t: TestApp

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('application', () => {
  it('reports engine and migration at /api/health without a login', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ok', engine: onPostgres() ? 'postgresql' : 'pglite', migration: latestMigration, latestMigration })
  })

  it('publishes OpenAPI at /api/docs/json for signed-in users only, with every route documented', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(401)
    const c = await t.make.county()
    await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'doc_reader' })
    const s = await t.login('doc_reader')
    const res = await s.get('/api/docs/json')
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    for (const p of ['/api/territories/', '/api/users/', '/api/auth/login', '/api/audit/verify', '/api/health']) expect(Object.keys(doc.paths)).toContain(p)
    // Every operation documents its success reply (file downloads excepted) and its error replies.
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const [m, op] of Object.entries(methods)) {
        if (path.endsWith('/template') || path.endsWith('/export')) continue
        const codes = Object.keys(op.responses)
        expect(codes.some((x) => x === '200' || x === '201'), `${m} ${path}`).toBe(true)
        if (path !== '/api/health') expect(codes, `${m} ${path}`).toContain('400')
      }
    }
  })

  it('refuses to start a route that declares neither roles nor public (default deny)', async () => {
    const app = Fastify()
    app.decorate('db', t.db)
    registerAuth(app, { policy: { idleMinutes: 30, absoluteHours: 12 }, secureCookies: false })
    expect(() => app.get('/api/oops', async () => ({}))).toThrow(/neither roles nor public/)
    await app.close()
  })

  it('answers an unknown API path with JSON 404 in Chinese', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' })
    expect(res.statusCode).toBe(404)
    expect(res.json().message).toContain('接口不存在')
  })

  it('hides internals of an unexpected error behind a generic 500 with the request id', async () => {
    const app = Fastify({ logger: false })
    registerErrorHandlers(app)
    app.get('/boom', async () => {
      throw new Error('relation "secret_table" does not exist')
    })
    const res = await app.inject({ method: 'GET', url: '/boom' })
    expect(res.statusCode).toBe(500)
    expect(res.body).not.toContain('secret_table')
    expect(res.json().message).toMatch(/系统内部错误.*请求编号/)
    await app.close()
  })

  it('sends security headers and no-store on API responses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.headers['content-security-policy']).toContain("object-src 'none'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('translates schema errors into Chinese naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username: 'x' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toBe('缺少必填项：密码')
  })
})

describe('client address', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const { buildApp } = await import('../../src/server/app.ts')
    const { loadConfig } = await import('../../src/server/config.ts')
    const headers = { 'x-forwarded-for': '203.0.113.9', 'x-requested-with': 'XMLHttpRequest' }
    const probe = async (env: NodeJS.ProcessEnv) => {
      const app = await buildApp({ config: loadConfig({ ...env, WEB_DIR: '.tmp/no-web' }), db: t.db, engine: 'pglite', idKey: Buffer.alloc(80, 1), logger: false })
      await app.ready()
      await app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: 'ip_probe_nobody', password: 'x' }, remoteAddress: '127.0.0.1' })
      await app.close()
      const row = await t.db.selectFrom('login_log').select('ip').where('username', '=', 'ip_probe_nobody').orderBy('id', 'desc').executeTakeFirstOrThrow()
      return row.ip
    }
    expect(await probe({})).toBe('127.0.0.1')
    expect(await probe({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.9')
  })
})

describe('text the database cannot hold', () => {
  it('answers NUL and lone surrogates with 400 naming the field, and writes nothing', async () => {
    const c = await t.make.county()
    await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'nul_admin' })
    const s = await t.login('nul_admin')
    const code = `${c.countyCode}100209`
    for (const name of ['甲\u0000村', '甲\ud800村']) {
      const res = await s.inject({ method: 'POST', url: '/api/territories', headers: { 'content-type': 'application/json' }, payload: `{"code":"${code}","name":${JSON.stringify(name)},"kind":"village"}` })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().message).toContain('name 含有无法保存的字符')
    }
    const q = await s.get('/api/territories?keyword=%00')
    expect(q.statusCode).toBe(400)
    expect(await t.db.selectFrom('territory').select('code').where('code', '=', code).executeTakeFirst()).toBeUndefined()
    // A character outside the BMP is a proper surrogate pair and is kept whole.
    const ok = await s.post('/api/territories', { code, name: '𠈌家村', kind: 'village' })
    expect(ok.statusCode).toBe(201)
    expect(ok.json().name).toBe('𠈌家村')
  })
})

describe('search', () => {
  it('takes % and _ in a keyword literally', async () => {
    const c = await t.make.county()
    await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'like_admin' })
    const s = await t.login('like_admin')
    expect((await s.get('/api/territories?keyword=%25')).json().total).toBe(0)
    expect((await s.get('/api/territories?keyword=_')).json().total).toBe(0)
    expect((await s.get(`/api/territories?keyword=${encodeURIComponent('第1镇')}`)).json().total).toBe(1)
  })
})
