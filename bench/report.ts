/**
 * `npm run bench -- report`: issue 6's benchmark (performance.md B3 and goal 8).
 *
 *   (a) the deadline rush: a county of UNITS (14,000) units in 47 townships, each unit filing its
 *       day's report once — POST /api/reports with its own Idempotency-Key — through the whole
 *       application listening on 127.0.0.1, loaded by autocannon in a child process, amount-bound
 *       (the run ends when every unit has an answer). Afterwards: exactly UNITS reports of the day,
 *       one stored idempotency answer each, and the county's audit chain verifies.
 *   (a0) beside it, in the same run: the raw durable write — a bare Fastify route doing
 *       BEGIN; INSERT one row into a copy of progress_report RETURNING id; COMMIT on the same
 *       engine — loaded with the same requests (same bytes), connections and count.
 *       Goals: (a) ≥ 50% of (a0) req/s, (a) p99 ≤ 2× (a0) p99.
 *   (b) the township summary: a 30-unit township with 30 days of reports per unit (tiny photos on
 *       every third), its election days and milestones done, in the same county after the rush;
 *       GET /api/reports/summary for a day and a week, and the xlsx and Word files, timed.
 *   (c) anatomy: ANATOMY report requests one at a time through an application whose statements
 *       are timed (bench/lib/query-timer.ts), beside the raw route's: where one request's time goes.
 *
 * The servers run in this process (PGlite: beside its engine, as the application runs); autocannon
 * runs in a child process (bench/lib/load.ts); a listener on the HTTP server times each request
 * inside the server, apart from what the load generator adds (bench/lib/server-timing.ts).
 *
 * PGlite (a temporary on-disk data directory) by default; PostgreSQL when DATABASE_URL is set (a
 * database per run, dropped after; pg_stat_activity is sampled during each load to show what the
 * connections wait on). Env: UNITS (14000), CONNECTIONS (50), RUSH_RUNS (3), WARMUP (1000 requests
 * on separate units before each counted load), RUNS (7, summary timings), ANATOMY (300; 0 skips),
 * SESSIONS (cadre: a contact cadre and session per unit | admin: one county-admin session),
 * SESSION_TOUCH (1: every session last seen 2 minutes ago, so each request rewrites it), PROFILE
 * (a folder: CPU profiles of the server process during each counted load, summarised on stderr).
 * `--quick` (or QUICK=1): 500 units, 1 run, 100 warm-up requests, 5 summary runs, no anatomy;
 * under a minute; its results are printed, not written to bench/results.
 */
import os from 'node:os'
import { randomBytes, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../src/server/db/schema.ts'
import { buildApp } from '../src/server/app.ts'
import { loadConfig } from '../src/server/config.ts'
import { createCounty, createSystemUser } from '../src/server/modules/setup/service.ts'
import { hashPassword } from '../src/server/modules/auth/password.ts'
import { hashToken } from '../src/server/modules/auth/service.ts'
import { verifyChain } from '../src/server/modules/audit/service.ts'
import { todayInChina } from '../src/server/modules/person/service.ts'
import { addDays, defaultTemplate, planMilestones } from '../src/rules/timeline/index.ts'
import type { BenchDb, BenchEngine } from './lib/engines.ts'
import { runLoad, type LoadItem, type LoadResult } from './lib/load.ts'
import { stats, type Stats } from './lib/stats.ts'
import { withCpuProfile } from './lib/profile.ts'
import { QueryTimer, type StatementTime } from './lib/query-timer.ts'
import { sampleWaits, type WaitSample } from './lib/pg-waits.ts'
import { watchServer, type ServerTiming } from './lib/server-timing.ts'

const QUICK = process.argv.includes('--quick') || process.env.QUICK === '1'
/** A quick run prints its results but does not write them to bench/results. */
export const REPORT_QUICK = QUICK
const int = (name: string, fallback: number, min = 1) => {
  const v = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}`)
  return v
}
const UNITS = int('UNITS', QUICK ? 500 : 14_000)
const TOWNSHIPS = 47
const PER_TOWNSHIP = Math.ceil(UNITS / TOWNSHIPS)
const CONNECTIONS = int('CONNECTIONS', 50)
const RUSH_RUNS = int('RUSH_RUNS', QUICK ? 1 : 3)
const WARMUP = int('WARMUP', QUICK ? 100 : 1000, 0)
const RUNS = int('RUNS', QUICK ? 5 : 7)
const ANATOMY = int('ANATOMY', QUICK ? 0 : 300, 0)
const SESSIONS = process.env.SESSIONS ?? 'cadre'
const SESSION_TOUCH = process.env.SESSION_TOUCH === '1'
/** A folder: the server process's CPU profile of each counted load is written there. */
const PROFILE = process.env.PROFILE || undefined
if (SESSIONS !== 'cadre' && SESSIONS !== 'admin') throw new Error('SESSIONS must be cadre or admin')
if (WARMUP > 4 * 398) throw new Error('WARMUP ≤ 1592: 398 warm-up units, each filing today and up to 3 days back')
if (PER_TOWNSHIP > 398) throw new Error(`UNITS ≤ ${TOWNSHIPS * 398}: unit codes 201–399 (villages) and 001–199 (communities) per township`)

const COUNTY = '150921'
const WARMUP_TOWNSHIP = `${COUNTY}198000`
const SUMMARY_TOWNSHIP = `${COUNTY}199000`
const SUMMARY_UNITS = 30
const SUMMARY_DAYS = 30
const PASSWORD = 'Bq5#zWn8rTx2'
const log = (m: string) => process.stderr.write(`${m}\n`)
const since = (t0: number) => performance.now() - t0

/** The county, its townships and units, and the 2026 campaign, in SQL; returns the campaign id. */
async function generateCounty(db: Kysely<DB>, today: string): Promise<string> {
  await db.transaction().execute((trx) => createCounty(trx, { code: COUNTY, name: '基准县', kind: 'county' }))
  await sql`
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select ${COUNTY}, ${COUNTY} || (100 + t)::text || '000', ${COUNTY} || '000000', 'township', 'town', '第' || t || '镇', '', t
    from generate_series(1, ${TOWNSHIPS}::int) t
    union all select ${COUNTY}, ${WARMUP_TOWNSHIP}, ${COUNTY} || '000000', 'township', 'town', '预热镇', '', 98
    union all select ${COUNTY}, ${SUMMARY_TOWNSHIP}, ${COUNTY} || '000000', 'township', 'town', '汇总镇', '', 99`.execute(db)
  // Unit n of a township: villages 201–399 first, then communities 001–199.
  const unitsOf = (townships: ReturnType<typeof sql>, count: number) => sql`
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select ${COUNTY}, substr(tw.code, 1, 9) || lpad((case when u <= 199 then 200 + u else u - 199 end)::text, 3, '0'), tw.code, 'unit',
      case when u <= 199 then 'village' else 'community' end,
      tw.name || u || (case when u <= 199 then '村' else '社区' end), '', u
    from (${townships}) tw, generate_series(1, ${count}::int) u`
  // The rush's units: PER_TOWNSHIP per township, the last townships one short as needed.
  await unitsOf(sql`select code, name from territory where county_code = ${COUNTY} and level = 'township' and sort <= ${TOWNSHIPS}::int`, PER_TOWNSHIP).execute(db)
  const extra = PER_TOWNSHIP * TOWNSHIPS - UNITS
  if (extra > 0) {
    await sql`
      delete from territory where county_code = ${COUNTY} and level = 'unit' and sort = ${PER_TOWNSHIP}::int
        and parent_code in (select code from territory where county_code = ${COUNTY} and level = 'township' and sort <= ${TOWNSHIPS}::int order by sort desc limit ${extra}::int)`.execute(db)
  }
  if (WARMUP > 0) await unitsOf(sql`select code, name from territory where code = ${WARMUP_TOWNSHIP}`, Math.min(WARMUP, 398)).execute(db)
  await unitsOf(sql`select code, name from territory where code = ${SUMMARY_TOWNSHIP}`, SUMMARY_UNITS).execute(db)
  const c = await db
    .insertInto('campaign')
    .values({ county_code: COUNTY, year: Number(today.slice(0, 4)), name: `${today.slice(0, 4)}年村（社区）“两委”换届`, starts_on: addDays(today, -90) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return c.id
}

interface Filer {
  unitCode: string
  cookie: string
}

/**
 * SESSIONS=cadre: a contact cadre assigned to each unit (包村), with a live session, written in SQL
 * as login writes them (a login costs an argon2 hash, ≈ 43 ms: 14,000 would take minutes and are
 * not what is measured). SESSIONS=admin: one county admin, logged in through the real route.
 */
async function makeFilers(db: Kysely<DB>, app: FastifyInstance, units: string[]): Promise<Filer[]> {
  if (SESSIONS === 'admin') {
    await db.transaction().execute((trx) =>
      createSystemUser(trx, { countyCode: COUNTY, username: 'rush_admin', displayName: '县管理员', role: 'county_admin', territoryCode: `${COUNTY}000000`, password: PASSWORD, mustChangePassword: false }),
    )
    const cookie = await login(app, 'rush_admin')
    return units.map((unitCode) => ({ unitCode, cookie }))
  }
  const hash = await hashPassword(PASSWORD)
  await sql`
    insert into app_user (county_code, username, display_name, role, territory_code, password_hash, must_change_password)
    select county_code, 'c' || code, '联络员' || right(code, 6), 'contact_cadre', parent_code, ${hash}, false
    from territory where county_code = ${COUNTY} and level = 'unit' and code = any(${units}::text[])`.execute(db)
  await sql`insert into login_name (username, county_code, user_id) select username, county_code, id from app_user where county_code = ${COUNTY} and role = 'contact_cadre'`.execute(db)
  await sql`insert into user_unit (county_code, user_id, unit_code) select county_code, id, substr(username, 2) from app_user where county_code = ${COUNTY} and role = 'contact_cadre'`.execute(db)
  const users = await db.selectFrom('app_user').select(['id', 'username']).where('county_code', '=', COUNTY).where('role', '=', 'contact_cadre').execute()
  const byUnit = new Map<string, Filer>()
  const hashes: string[] = []
  const ids: string[] = []
  for (const u of users) {
    const token = randomBytes(32).toString('base64url')
    hashes.push(hashToken(token))
    ids.push(u.id)
    byUnit.set(u.username.slice(1), { unitCode: u.username.slice(1), cookie: `${app.sessionCookieName}=${COUNTY}.${token}` })
  }
  for (let i = 0; i < ids.length; i += 5000) {
    await sql`
      insert into session (county_code, token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
      select ${COUNTY}, h, u, now(), now(), now() + interval '12 hours', '127.0.0.1', 'huanjie-bench'
      from unnest(${hashes.slice(i, i + 5000)}::text[], ${ids.slice(i, i + 5000)}::bigint[]) as s(h, u)`.execute(db)
  }
  return units.map((u) => byUnit.get(u)!)
}

/**
 * Marks every session as seen: just now by default (a cadre opened the form less than a minute
 * before sending it, issue 6: "in under a minute" — stamped ahead by the longest the rush may
 * take, so no request rewrites it); with SESSION_TOUCH=1, two minutes ago, so every request does.
 */
async function stampSessions(db: Kysely<DB>): Promise<void> {
  if (SESSIONS === 'admin') return
  const at = SESSION_TOUCH ? sql`now() - interval '2 minutes'` : sql`now() + interval '20 minutes'`
  await sql`update session set last_seen_at = ${at} where county_code = ${COUNTY}`.execute(db)
}

async function login(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username, password: PASSWORD } })
  const c = res.cookies.find((x) => x.name === app.sessionCookieName)
  if (res.statusCode !== 200 || !c) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
  return `${c.name}=${c.value}`
}

const PROGRESS = ['召开党员大会，完成党组织委员会候选人预备人选推荐，参会党员42名', '入户走访老党员和困难群众，宣传换届政策，收集意见建议', '张贴选民登记公告，村村响广播每日三次，悬挂横幅两条', '召开村民代表会议推选村民选举委员会，公布选举日程']
const PROBLEMS = ['个别外出务工党员联系不上，正在通过电话和微信联络', '一户村民对选民资格有异议，已由村民选举委员会复核答复']
const NEXT = ['组织资格联审，准备候选人预备人选公示', '继续做好选民登记，核对外出人员名单', '筹备党员大会选举，布置会场']

/** The day's report of the i-th unit, as the phone page sends it (toBody in src/web/views/report/shared.ts). */
function reportItems(filers: Filer[], campaignId: string, today: string, tag: string): LoadItem[] {
  return filers.map((f, i) => ({
    path: '/api/reports',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', cookie: f.cookie, 'idempotency-key': `${tag}-${i}-${randomUUID()}` },
    body: JSON.stringify({
      unitCode: f.unitCode,
      campaign: campaignId,
      reportDate: today,
      nothingNew: false,
      progress: PROGRESS[i % PROGRESS.length],
      problems: i % 5 === 0 ? PROBLEMS[i % PROBLEMS.length] : '',
      nextSteps: NEXT[i % NEXT.length],
      figures: { meetings: 1 + (i % 2), visits: 5 + (i % 20), publicity: i % 3 },
      milestones: [],
    }),
  }))
}

/** What the raw route writes the request into: progress_report's columns, defaults, keys and indexes. */
const RAW_DDL = sql`create table bench_raw_report (like progress_report including defaults including constraints including indexes including identity)`
const RAW_INSERT = `insert into bench_raw_report (county_code, campaign_id, unit_code, report_date, nothing_new, progress, problems, next_steps, figures, milestones, created_by, created_by_name)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`

interface RawBody {
  unitCode: string
  campaign: string
  reportDate: string
  nothingNew: boolean
  progress: string
  problems: string
  nextSteps: string
  figures: Record<string, number>
  milestones: string[]
}
const rawValues = (b: RawBody) => [COUNTY, b.campaign, b.unitCode, b.reportDate, b.nothingNew, b.progress, b.problems, b.nextSteps, JSON.stringify(b.figures), b.milestones, '1', '联络员']

/**
 * The physical limit of a durable single-row write over HTTP on this engine (performance.md B3's
 * /vote): bare Fastify, no hooks or schema, one transaction with one INSERT, on the engine's own
 * driver (PostgreSQL: pg.Pool of 10, as the application's, with a named prepared statement;
 * PGlite: the instance itself).
 */
async function rawServer(b: BenchDb): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  await RAW_DDL.execute(b.database.db)
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  let close = async () => {}
  if (b.pglite) {
    const lite = b.pglite
    app.post('/api/reports', async (req) => {
      const r = await lite.transaction((tx) => tx.query<{ id: string }>(RAW_INSERT, rawValues(req.body as RawBody)))
      return { id: String(r.rows[0]!.id) }
    })
  } else {
    const pool = new pg.Pool({ connectionString: b.url, max: 10 })
    close = () => pool.end()
    app.post('/api/reports', async (req) => {
      const c = await pool.connect()
      try {
        await c.query('BEGIN')
        const r = await c.query<{ id: string }>({ name: 'raw_report', text: RAW_INSERT, values: rawValues(req.body as RawBody) })
        await c.query('COMMIT')
        return { id: r.rows[0]!.id }
      } catch (e) {
        await c.query('ROLLBACK')
        throw e
      } finally {
        c.release()
      }
    })
  }
  return { app, close }
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

async function count(db: Kysely<DB>, q: ReturnType<typeof sql<{ n: string }>>): Promise<number> {
  return Number((await q.execute(db)).rows[0]!.n)
}

/** One amount-bound load in the child process: every item sent once, CONNECTIONS at a time. */
async function load(url: string, name: string, items: LoadItem[]): Promise<LoadResult> {
  return (await runLoad({ url, connections: CONNECTIONS, phases: [{ name, method: 'POST', items }] }))[0]!
}

function checkLoad(r: LoadResult, what: string): void {
  const line = `${r.requests} requests in ${r.seconds.toFixed(1)} s: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.non2xx} non-2xx, ${r.errors} errors`
  log(`    ${what} ${r.name}: ${line}`)
  if (r.ok !== r.requests || r.non2xx || r.errors || r.timeouts || r.sent !== r.requests) {
    throw new Error(`${what} ${r.name}: ${r.ok} of ${r.requests} answered 2xx (sent ${r.sent}, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}, statuses ${JSON.stringify(r.statuses)}): ${r.samples.join(' | ')}`)
  }
}

/** A counted load and, on PostgreSQL, what the database's backends were doing meanwhile. */
interface Measured {
  r: LoadResult
  server: ServerTiming
  waits?: { samples: number; states: WaitSample[] }
}

interface RushRun {
  report: Measured
  raw: Measured
}

/** The rush load of `name`, CPU-profiled when PROFILE is set, its backends sampled on PostgreSQL. */
async function measured(b: BenchDb, app: FastifyInstance, name: string, url: string, items: LoadItem[]): Promise<Measured> {
  const sampler = b.url ? await sampleWaits(b.url) : undefined
  const watch = watchServer(app.server)
  const r = await withCpuProfile(PROFILE, name, () => load(url, 'rush', items))
  const server = watch.stop()
  log(`    ${name}: server side p50 ${server.p50.toFixed(0)} ms, p99 ${server.p99.toFixed(0)} ms, max ${server.max.toFixed(0)} ms; event-loop delay p99 ${server.loopP99.toFixed(0)} ms, max ${server.loopMax.toFixed(0)} ms`)
  return { r, server, waits: await sampler?.stop() }
}

/** One raw load on a fresh database: warm-up on the warm-up units, then the counted units. */
async function rawRun(engine: BenchEngine, run: number, warm: LoadItem[], items: LoadItem[]): Promise<Measured> {
  const b = await engine.fresh()
  try {
    const raw = await rawServer(b)
    try {
      const url = await listen(raw.app)
      if (warm.length) checkLoad(await load(url, 'warm-up', warm), 'raw')
      const m = await measured(b, raw.app, `raw-${engine.name}-run${run}`, url, items)
      checkLoad(m.r, 'raw')
      const rows = await count(b.database.db, sql<{ n: string }>`select count(*) as n from bench_raw_report`)
      if (rows !== items.length + warm.length) throw new Error(`raw table holds ${rows} rows, expected ${items.length + warm.length}`)
      return m
    } finally {
      await raw.app.close()
      await raw.close()
    }
  } finally {
    await b.close()
  }
}

interface Prepared {
  b: BenchDb
  app: FastifyInstance
  url: string
  campaignId: string
  warm: LoadItem[]
  items: LoadItem[]
}

async function prepareRush(engine: BenchEngine, run: number, today: string): Promise<Prepared> {
  const t0 = performance.now()
  const b = await engine.fresh()
  const db = b.database.db
  const campaignId = await generateCounty(db, today)
  const app = await buildApp({ config: loadConfig({ DATA_DIR: '.tmp/unused', WEB_DIR: '.tmp/no-web' }), db, engine: b.database.engine, idKey: randomBytes(80), logger: false })
  await app.ready()
  const unitCodes = (await db.selectFrom('territory').select('code').where('county_code', '=', COUNTY).where('level', '=', 'unit').orderBy('code').execute()).map((u) => u.code)
  const rush = unitCodes.filter((c) => c.slice(6, 9) !== WARMUP_TOWNSHIP.slice(6, 9) && c.slice(6, 9) !== SUMMARY_TOWNSHIP.slice(6, 9))
  const warmUnits = unitCodes.filter((c) => c.slice(6, 9) === WARMUP_TOWNSHIP.slice(6, 9))
  if (rush.length !== UNITS) throw new Error(`generated ${rush.length} units, expected ${UNITS}`)
  const filers = await makeFilers(db, app, [...warmUnits, ...rush])
  // The warm-up units file WARMUP reports (each unit once per day, as many days back as needed).
  const warmFilers = filers.slice(0, warmUnits.length)
  const warm = Array.from({ length: WARMUP }, (_, i) => reportItems([warmFilers[i % warmFilers.length]!], campaignId, addDays(today, -Math.floor(i / warmFilers.length)), `warm${run}-${i}`)[0]!)
  const items = reportItems(filers.slice(warmUnits.length), campaignId, today, `rush${run}`)
  await stampSessions(db)
  // Statistics as a county that has had its users for a while has them (PostgreSQL's autovacuum
  // would analyze within a minute; PGlite has no autovacuum). Stale ones make the planner find a
  // user by county through app_user_username_uq and filter 14,000 rows for the id: 2.4 ms.
  await sql`analyze`.execute(db)
  // One request by hand first: the cookie and body are what the route expects.
  const probe = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: items[0]!.headers.cookie! } })
  if (probe.statusCode !== 200) throw new Error(`GET /api/auth/me with a generated session: ${probe.statusCode} ${probe.body}`)
  const url = await listen(app)
  log(`    prepared ${UNITS} units in ${TOWNSHIPS} townships, ${SESSIONS === 'cadre' ? `${filers.length} cadre sessions` : 'one county-admin session'} in ${(since(t0) / 1000).toFixed(1)} s`)
  return { b, app, url, campaignId, warm, items }
}

/** The rush through the application, then its checks: every unit once, one stored answer each, the chain intact. */
async function reportRun(engine: BenchEngine, run: number, p: Prepared, today: string): Promise<Measured> {
  const db = p.b.database.db
  if (p.warm.length) checkLoad(await load(p.url, 'warm-up', p.warm), 'report')
  const m = await measured(p.b, p.app, `report-${engine.name}-run${run}`, p.url, p.items)
  checkLoad(m.r, 'report')
  const t0 = performance.now()
  const reports = await count(db, sql<{ n: string }>`
    select count(distinct unit_code) as n from progress_report
    where county_code = ${COUNTY} and campaign_id = ${p.campaignId} and report_date = ${today} and substr(unit_code, 7, 3) between '101' and ${String(100 + TOWNSHIPS)}`)
  const all = await count(db, sql<{ n: string }>`select count(*) as n from progress_report where county_code = ${COUNTY}`)
  const keys = await count(db, sql<{ n: string }>`select count(*) as n from idempotency_key where county_code = ${COUNTY} and status = 200`)
  const audits = await count(db, sql<{ n: string }>`select count(*) as n from audit_log where county_code = ${COUNTY} and action = 'report.file'`)
  const expected = UNITS + WARMUP
  if (reports !== UNITS || all !== expected || keys !== expected || audits !== expected) {
    throw new Error(`after the rush: ${reports} units reported today (expected ${UNITS}), ${all} reports, ${keys} idempotency answers, ${audits} audit rows (expected ${expected} each)`)
  }
  const chain = await verifyChain(db, COUNTY)
  if (!chain.ok) throw new Error(`audit chain broken: ${chain.problem}`)
  log(`    checked: ${reports} units reported once, ${keys} idempotency answers, audit chain of ${chain.rows} rows verifies (${(since(t0) / 1000).toFixed(1)} s)`)
  return m
}

/**
 * The summary township: 30 units, each with its election days (Party election 15–19 days ago,
 * committee 8–12 days ago), the milestones planned up to today done on their planned day (but
 * "talks" left undone in every seventh unit, so some are overdue), and a report every day of the
 * last 30 with the milestones of that day; a tiny photo on every third report.
 */
async function generateSummaryTownship(db: Kysely<DB>, campaignId: string, today: string): Promise<void> {
  const units = (await db.selectFrom('territory').select('code').where('county_code', '=', COUNTY).where('parent_code', '=', SUMMARY_TOWNSHIP).orderBy('code').execute()).map((u) => u.code)
  const org = await db.transaction().execute((trx) =>
    createSystemUser(trx, { countyCode: COUNTY, username: 'sum_org', displayName: '汇总镇组织员', role: 'township_organiser', territoryCode: SUMMARY_TOWNSHIP, password: PASSWORD, mustChangePassword: false }),
  )
  await db
    .insertInto('campaign_phase')
    .values([
      { county_code: COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'preparation', starts_on: addDays(today, -70), ends_on: addDays(today, -45) },
      { county_code: COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'party', starts_on: addDays(today, -44), ends_on: addDays(today, -14) },
      { county_code: COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'committee', starts_on: addDays(today, -40), ends_on: addDays(today, 5) },
      { county_code: COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'follow_up', starts_on: addDays(today, -5), ends_on: addDays(today, 40) },
    ])
    .execute()
  const milestones: { county_code: string; campaign_id: string; unit_code: string; key: string; done_on: string; evidence: string; done_by: string }[] = []
  const doneOn = new Map<string, string[]>()
  for (const [k, unit] of units.entries()) {
    const days = { party: addDays(today, -15 - (k % 5)), committee: addDays(today, -8 - (k % 5)) }
    await db.insertInto('unit_schedule').values({ county_code: COUNTY, campaign_id: campaignId, unit_code: unit, party_on: days.party, committee_on: days.committee, updated_by: '汇总镇组织员' }).execute()
    for (const m of planMilestones(days)) {
      if (!m.plannedOn || m.plannedOn > today || (m.key === 'talks' && k % 7 === 0)) continue
      milestones.push({ county_code: COUNTY, campaign_id: campaignId, unit_code: unit, key: m.key, done_on: m.plannedOn, evidence: `见${m.plannedOn}日报告`, done_by: '联络员' })
      doneOn.set(`${unit}:${m.plannedOn}`, [...(doneOn.get(`${unit}:${m.plannedOn}`) ?? []), m.key])
    }
  }
  await db.insertInto('milestone').values(milestones).execute()
  const reports = []
  for (const [k, unit] of units.entries()) {
    for (let d = 0; d < SUMMARY_DAYS; d++) {
      const day = addDays(today, -d)
      const i = k * SUMMARY_DAYS + d
      const done = doneOn.get(`${unit}:${day}`) ?? []
      reports.push({
        county_code: COUNTY,
        campaign_id: campaignId,
        unit_code: unit,
        report_date: day,
        nothing_new: i % 11 === 0 && !done.length,
        progress: i % 11 === 0 && !done.length ? '' : `${PROGRESS[i % PROGRESS.length]}${done.length ? `；完成${done.map((x) => defaultTemplate.find((t) => t.key === x)!.name).join('、')}` : ''}`,
        problems: i % 6 === 0 ? PROBLEMS[i % PROBLEMS.length]! : '',
        next_steps: NEXT[i % NEXT.length]!,
        figures: JSON.stringify({ meetings: i % 3, visits: 3 + (i % 17), publicity: i % 2, talks: i % 4 }),
        milestones: done,
        created_by: org.id,
        created_by_name: '汇总镇组织员',
      })
    }
  }
  const ids = await db.insertInto('progress_report').values(reports).returning('id').execute()
  await db
    .insertInto('report_photo')
    .values(ids.filter((_, i) => i % 3 === 0).map((r) => ({ county_code: COUNTY, report_id: r.id, file_name: '现场.png', content_type: 'image/png', data: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') })))
    .execute()
  await sql`analyze`.execute(db)
}

async function timed(f: () => Promise<unknown>): Promise<Stats> {
  await f()
  const ms: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await f()
    ms.push(since(t))
  }
  return stats(ms)
}

interface SummaryTimes {
  rows: { label: string; s: Stats }[]
  reports: number
  photos: number
  milestones: number
}

async function benchSummary(p: Prepared, today: string): Promise<SummaryTimes> {
  const db = p.b.database.db
  const t0 = performance.now()
  await generateSummaryTownship(db, p.campaignId, today)
  log(`    generated the summary township in ${(since(t0) / 1000).toFixed(1)} s`)
  const cookie = await login(p.app, 'sum_org')
  const weekFrom = addDays(today, -6)
  const get = (url: string) => async () => {
    const res = await p.app.inject({ method: 'GET', url, headers: { cookie } })
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`)
    return res
  }
  const q = (from: string) => `township=${SUMMARY_TOWNSHIP}&campaign=${p.campaignId}&from=${from}&to=${today}`
  // The day's numbers must be the reports behind them.
  const day = (await get(`/api/reports/summary?${q(today)}`)()).json<{ totals: { units: number; reports: number; reported: number } }>()
  if (day.totals.units !== SUMMARY_UNITS || day.totals.reports !== SUMMARY_UNITS || day.totals.reported !== SUMMARY_UNITS) throw new Error(`day summary: ${JSON.stringify(day.totals)}`)
  const week = (await get(`/api/reports/summary?${q(weekFrom)}`)()).json<{ totals: { reports: number } }>()
  if (week.totals.reports !== SUMMARY_UNITS * 7) throw new Error(`week summary: ${JSON.stringify(week.totals)}`)
  const rows = [
    { label: 'GET /api/reports/summary — day (日报汇总)', url: `/api/reports/summary?${q(today)}` },
    { label: 'GET /api/reports/summary — week (周报, 7 days)', url: `/api/reports/summary?${q(weekFrom)}` },
    { label: `GET /api/reports/summary — all ${SUMMARY_DAYS} days`, url: `/api/reports/summary?${q(addDays(today, -(SUMMARY_DAYS - 1)))}` },
    { label: 'GET /api/reports/summary.xlsx — day', url: `/api/reports/summary.xlsx?${q(today)}` },
    { label: 'GET /api/reports/summary.xlsx — week', url: `/api/reports/summary.xlsx?${q(weekFrom)}` },
    { label: 'GET /api/reports/summary.docx — week', url: `/api/reports/summary.docx?${q(weekFrom)}` },
  ]
  const out: { label: string; s: Stats }[] = []
  for (const r of rows) out.push({ label: r.label, s: await timed(get(r.url)) })
  const n = async (table: 'milestone' | 'report_photo' | 'progress_report', prefix: string) =>
    table === 'report_photo'
      ? count(db, sql<{ n: string }>`select count(*) as n from report_photo ph join progress_report r on r.county_code = ph.county_code and r.id = ph.report_id where r.county_code = ${COUNTY} and r.unit_code like ${`${prefix}%`}`)
      : count(db, sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where county_code = ${COUNTY} and unit_code like ${`${prefix}%`}`)
  const prefix = SUMMARY_TOWNSHIP.slice(0, 9)
  return { rows: out, reports: await n('progress_report', prefix), photos: await n('report_photo', prefix), milestones: await n('milestone', prefix) }
}

interface Anatomy {
  requests: number
  app: Stats
  appMean: number
  raw: Stats
  statements: StatementTime[]
}

/**
 * Where one report request's time goes, without contention: ANATOMY requests one at a time through
 * Fastify inject, on an application built over a timed handle of the same database (QueryTimer),
 * beside the raw route's requests one at a time.
 */
async function anatomy(engine: BenchEngine, today: string): Promise<Anatomy> {
  const p = await prepareRush(engine, 0, today)
  const timer = new QueryTimer()
  const app = await buildApp({ config: loadConfig({ DATA_DIR: '.tmp/unused', WEB_DIR: '.tmp/no-web' }), db: p.b.database.db.withPlugin(timer), engine: p.b.database.engine, idKey: randomBytes(80), logger: false })
  const raw = await rawServer(p.b)
  try {
    await app.ready()
    const send = async (a: FastifyInstance, item: LoadItem) => {
      const t = performance.now()
      const res = await a.inject({ method: 'POST', url: item.path, headers: item.headers, payload: item.body })
      if (res.statusCode !== 200) throw new Error(`POST ${item.path}: ${res.statusCode} ${res.body.slice(0, 300)}`)
      return since(t)
    }
    const n = Math.min(ANATOMY, p.items.length)
    for (const item of p.warm) await send(app, item)
    timer.reset()
    const appMs: number[] = []
    for (const item of p.items.slice(0, n)) appMs.push(await send(app, item))
    const statements = [...timer.stats.values()].sort((a, b) => b.ms - a.ms)
    for (const item of p.warm) await send(raw.app, item)
    const rawMs: number[] = []
    for (const item of p.items.slice(0, n)) rawMs.push(await send(raw.app, item))
    return { requests: n, app: stats(appMs), appMean: appMs.reduce((t, x) => t + x, 0) / n, raw: stats(rawMs), statements }
  } finally {
    await app.close()
    await raw.app.close()
    await raw.close()
    await p.app.close()
    await p.b.close()
  }
}

async function settings(engine: BenchEngine, db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ name: string; setting: string }>`select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'wal_sync_method') order by name`.execute(db)
  const s = rows.map((r) => `${r.name}=${r.setting}`).join(', ')
  return engine.name === 'pglite' ? `${s} (PGlite on a Node file system never fsyncs, stack.md §4.2: both routes commit alike)` : s
}

export async function benchReport(engine: BenchEngine): Promise<string> {
  const started = new Date()
  const load0 = os.loadavg()
  const today = todayInChina()
  log(`  report: ${UNITS} units, ${CONNECTIONS} connections, ${RUSH_RUNS} rush run(s), ${WARMUP} warm-up requests, sessions: ${SESSIONS}${SESSION_TOUCH ? ' (touched)' : ''}, ${engine.name}${QUICK ? ' (quick)' : ''}`)
  const runs: RushRun[] = []
  let summary: SummaryTimes | undefined
  let engineSettings = ''
  for (let run = 1; run <= RUSH_RUNS; run++) {
    log(`  rush run ${run}/${RUSH_RUNS}`)
    const p = await prepareRush(engine, run, today)
    try {
      if (!engineSettings) engineSettings = await settings(engine, p.b.database.db)
      // Alternate which goes first, so a drift in the machine's speed does not favour one side.
      let raw: Measured | undefined
      if (run % 2 === 0) raw = await rawRun(engine, run, p.warm, p.items)
      const report = await reportRun(engine, run, p, today)
      raw ??= await rawRun(engine, run, p.warm, p.items)
      runs.push({ report, raw })
      if (run === RUSH_RUNS) {
        log('  township summary')
        summary = await benchSummary(p, today)
      }
    } finally {
      await p.app.close()
      await p.b.close()
    }
  }

  let anat: Anatomy | undefined
  if (ANATOMY > 0) {
    log(`  anatomy: ${ANATOMY} requests one at a time`)
    anat = await anatomy(engine, today)
  }

  const rep = (pick: (r: LoadResult) => number) => stats(runs.map((r) => pick(r.report.r)))
  const raw = (pick: (r: LoadResult) => number) => stats(runs.map((r) => pick(r.raw.r)))
  const rps = rep((r) => r.reqPerSec)
  const rawRps = raw((r) => r.reqPerSec)
  const p99 = rep((r) => r.p99)
  const rawP99 = raw((r) => r.p99)
  const p50 = rep((r) => r.p50)
  const rawP50 = raw((r) => r.p50)
  const secs = rep((r) => r.seconds)
  const rawSecs = raw((r) => r.seconds)
  const srvP99 = stats(runs.map((r) => r.report.server.p99))
  const rawSrvP99 = stats(runs.map((r) => r.raw.server.p99))
  const loopMax = stats(runs.map((r) => r.report.server.loopMax))
  const rawLoopMax = stats(runs.map((r) => r.raw.server.loopMax))
  const rpsRatio = rps.median / rawRps.median
  const p99Ratio = p99.median / rawP99.median
  const n0 = (x: number) => Math.round(x).toLocaleString('en-US')
  const f = (x: Stats) => (x.n > 1 ? `${n0(x.median)} (${n0(x.min)}–${n0(x.max)})` : n0(x.median))
  const fs1 = (x: Stats) => (x.n > 1 ? `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})` : x.median.toFixed(1))
  const ms = (x: Stats) => (x.n > 1 ? `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})` : x.median.toFixed(1))
  const errs = runs.reduce((n, { report: { r } }) => n + r.errors + r.non2xx + r.timeouts, 0)
  const rawErrs = runs.reduce((n, { raw: { r } }) => n + r.errors + r.non2xx + r.timeouts, 0)
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**')
  const cpus = os.cpus()
  const load1 = os.loadavg()
  const lines = [
    `## Deadline rush and township summary (issue 6) — ${engine.name === 'pglite' ? 'PGlite' : 'PostgreSQL'}${QUICK ? ' (quick)' : ''}`,
    '',
    `- when: ${started.toISOString()}; machine: ${cpus.length} CPU (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; node ${process.version}`,
    `- database: ${engine.version.split(' on ')[0]}${engine.name === 'pglite' ? ' (on-disk data directory in the temp folder, in the server process)' : ' (127.0.0.1:5432, a new database per run)'}; ${engineSettings}`,
    `- load average (1/5/15 min) before ${load0.map((x) => x.toFixed(2)).join(' / ')}, after ${load1.map((x) => x.toFixed(2)).join(' / ')}`,
    `- rush: ${UNITS.toLocaleString('en-US')} units in ${TOWNSHIPS} townships; each sends its day's report once (POST /api/reports, its own Idempotency-Key, the phone page's body, no milestones ticked); ` +
      `${SESSIONS === 'cadre' ? `a contact cadre and a live session per unit${SESSION_TOUCH ? ' (last seen 2 min before, so every request rewrites its session)' : ' (seen within the minute, so no request rewrites its session)'}` : 'one county-admin session for all'}; ` +
      `autocannon ${CONNECTIONS} connections, pipelining 1, amount-bound (${UNITS.toLocaleString('en-US')} requests), in a child process; ${WARMUP} warm-up requests on other units first (not counted); ${RUSH_RUNS} run(s), each on a new database, alternating which side goes first`,
    `- server: the application (buildApp, logger off) listening on 127.0.0.1, in the benchmark's process; raw baseline: bare Fastify in the same process, BEGIN; INSERT … RETURNING id; COMMIT into a copy of progress_report (LIKE … INCLUDING ALL but foreign keys) on ${engine.name === 'pglite' ? 'the PGlite instance' : 'pg.Pool(max 10), named prepared statement'}`,
    `- afterwards, every run: exactly ${UNITS.toLocaleString('en-US')} units reported that day, ${(UNITS + WARMUP).toLocaleString('en-US')} stored idempotency answers and report.file audit rows, and verifyChain of the county is ok`,
    '',
    '| | measurement | median (min–max) | baseline (a0) | ratio | goal | |',
    '|---|---|---|---|---|---|---|',
    `| a | rush req/s: POST /api/reports | ${f(rps)} | ${f(rawRps)} | **${Math.round(rpsRatio * 100)}%** | ≥ 50% | ${mark(rpsRatio >= 0.5)} |`,
    `| a | rush p99 latency, ms | ${fs1(p99)} | ${fs1(rawP99)} | **${p99Ratio.toFixed(2)}×** | ≤ 2× | ${mark(p99Ratio <= 2)} |`,
    `| a | rush p50 latency, ms | ${fs1(p50)} | ${fs1(rawP50)} | ${(p50.median / rawP50.median).toFixed(2)}× | | |`,
    `| a | … p99 inside the server (request event → response finish), ms | ${fs1(srvP99)} | ${fs1(rawSrvP99)} | ${(srvP99.median / rawSrvP99.median).toFixed(2)}× | | |`,
    `| a | … server event-loop delay max, ms | ${fs1(loopMax)} | ${fs1(rawLoopMax)} | | | |`,
    `| a | time for all ${UNITS.toLocaleString('en-US')} units, s | ${fs1(secs)} | ${fs1(rawSecs)} | | | |`,
    `| a | errors + non-2xx + timeouts (all runs) | ${errs} | ${rawErrs} | | 0 | ${mark(errs === 0)} |`,
    '',
  ]
  if (engine.name === 'postgresql') {
    // Mean backends in each state over all runs' samples.
    const states = (pick: (x: RushRun) => Measured) => {
      const m = new Map<string, number>()
      for (const x of runs) for (const w of pick(x).waits?.states ?? []) m.set(w.state, (m.get(w.state) ?? 0) + w.mean / runs.length)
      return m
    }
    const app = states((x) => x.report)
    const base = states((x) => x.raw)
    // States below 0.01 connections on both sides are left out.
    const keys = [...new Set([...app.keys(), ...base.keys()])].filter((k) => (app.get(k) ?? 0) >= 0.01 || (base.get(k) ?? 0) >= 0.01).sort((a, b) => (app.get(b) ?? 0) - (app.get(a) ?? 0))
    lines.push(
      "What PostgreSQL's backends did during the counted loads (pg_stat_activity sampled every 50 ms; mean number of the database's connections in each state — the pools hold at most 10):",
      '',
      '| backend state: wait | POST /api/reports | raw route |',
      '|---|---|---|',
      ...keys.map((k) => `| ${k} | ${(app.get(k) ?? 0).toFixed(2)} | ${(base.get(k) ?? 0).toFixed(2)} |`),
      '',
    )
  }
  if (summary) {
    lines.push(
      `Township summary: ${SUMMARY_UNITS} units, ${summary.reports} reports (every unit every day for ${SUMMARY_DAYS} days), ${summary.photos} tiny photos, ${summary.milestones} milestones done, in the county above after its rush; ` +
        `township organiser's session, Fastify inject (no network); ${RUNS} runs after one warm-up.`,
      '',
      '| | measurement | ms median (min–max) |',
      '|---|---|---|',
      ...summary.rows.map((r, i) => `| b${i + 1} | ${r.label} | ${ms(r.s)} |`),
      '',
    )
  }
  if (anat) {
    const per = (ms: number) => (ms / anat.requests).toFixed(2)
    const inStatements = anat.statements.reduce((t, x) => t + x.ms, 0)
    const count = anat.statements.reduce((t, x) => t + x.count, 0)
    lines.push(
      `Anatomy of one report request, without contention: ${anat.requests} requests one at a time through Fastify inject (no network), the application over a timed Kysely handle (each statement from compile to result; BEGIN and COMMIT are not seen), then the raw route the same way.`,
      '',
      '| | ms per request | statements per request |',
      '|---|---|---|',
      `| raw route (BEGIN; INSERT; COMMIT), median (min–max) | ${ms(anat.raw)} | 1 (+ BEGIN, COMMIT) |`,
      `| POST /api/reports, median (min–max) | ${ms(anat.app)} | ${(count / anat.requests).toFixed(1)} (+ BEGIN, COMMIT) |`,
      `| … of which in Kysely statements (mean) | ${per(inStatements)} | |`,
      `| … the rest: BEGIN/COMMIT, Fastify, hooks, validation, services, JSON (mean) | ${(anat.appMean - inStatements / anat.requests).toFixed(2)} (of a mean ${anat.appMean.toFixed(2)}) | |`,
      '',
      '| statement (Kysely, compiled) | per request | ms per request |',
      '|---|---|---|',
      ...anat.statements.map((x) => `| \`${x.sql.replace(/\|/g, '\\|')}\` | ${(x.count / anat.requests).toFixed(2)} | ${per(x.ms)} |`),
      '',
    )
  }
  return lines.join('\n')
}
