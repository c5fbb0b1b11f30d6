import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Kysely } from 'kysely'
import { buildApp } from '../../src/server/app.ts'
import { loadConfig } from '../../src/server/config.ts'
import type { DB } from '../../src/server/db/schema.ts'
import { freshDatabase } from './db.ts'
import { makeFactories, type Factories } from './factories.ts'

export interface Session {
  cookie: string
  /** inject with the session cookie and the CSRF header. */
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>
  get(url: string): Promise<LightMyRequestResponse>
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>
  del(url: string): Promise<LightMyRequestResponse>
}

export interface TestApp {
  app: FastifyInstance
  db: Kysely<DB>
  make: Factories
  /** Logs in through the real login route. */
  login(username: string, password?: string): Promise<Session>
  close(): Promise<void>
}

export const TEST_PASSWORD = 'Cz9#kPq2vLm7'

export async function testApp(): Promise<TestApp> {
  const database = await freshDatabase()
  const config = loadConfig({ DATA_DIR: '.tmp/unused', WEB_DIR: '.tmp/no-web' })
  const app = await buildApp({ config, db: database.db, engine: database.engine, idKey: randomBytes(80), logger: false })
  await app.ready()
  const make = makeFactories(database.db)
  const login = async (username: string, password = TEST_PASSWORD): Promise<Session> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      payload: { username, password },
    })
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`)
    const c = res.cookies.find((x) => x.name === app.sessionCookieName)
    if (!c) throw new Error('no session cookie')
    const cookie = `${c.name}=${c.value}`
    const inject = (opts: InjectOptions) =>
      app.inject({ ...opts, headers: { 'x-requested-with': 'XMLHttpRequest', ...opts.headers, cookie } })
    return {
      cookie,
      inject,
      get: (url) => inject({ method: 'GET', url }),
      post: (url, payload) => inject({ method: 'POST', url, payload: payload as never }),
      put: (url, payload) => inject({ method: 'PUT', url, payload: payload as never }),
      patch: (url, payload) => inject({ method: 'PATCH', url, payload: payload as never }),
      del: (url) => inject({ method: 'DELETE', url }),
    }
  }
  return {
    app,
    db: database.db,
    make,
    login,
    async close() {
      await app.close()
      await database.close()
    },
  }
}
