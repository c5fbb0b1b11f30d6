/**
 * `npm run bench -- report`: issue 6's benchmark (performance.md B3 and goal 8).
 *
 *   (a) the deadline rush: UNITS (14,000 — a province: Inner Mongolia has 103 county-level units
 *       and ≈ 1.1万 嘎查村 plus some thousands of 社区, performance.md A1) spread over COUNTIES (100)
 *       counties of ≈ 140 units, each county with its own territory tree, campaign, contact cadres
 *       and audit chain, in townships of ≈ 15 units (A1: ≈ 16 villages a township). Each unit files
 *       its day's report once — POST /api/reports with its own Idempotency-Key — through the whole
 *       application listening on 127.0.0.1, loaded by autocannon in a child process, amount-bound
 *       (the run ends when every unit has an answer), the counties' requests mixed in a seeded
 *       random order as a real deadline mixes them. Every write appends to its county's audit
 *       chain under that county's one head row lock, so the county count sets how much the rush
 *       serializes: COUNTIES=1 is the worst case of one county of 14,000 units in 47 townships.
 *       Afterwards, in every county and in total: exactly its units' reports of the day, one stored
 *       idempotency answer and one report.file audit row each, and its audit chain verifies.
 *   (a0) beside it, in the same run: the raw durable write — a bare Fastify route doing
 *       BEGIN; INSERT one row into a copy of progress_report RETURNING id; COMMIT on the same
 *       engine — loaded with the same requests (same bytes), connections and count.
 *       Goals: (a) ≥ 50% of (a0) req/s, (a) p99 ≤ 2× (a0) p99.
 *   (b) the township summary: a 30-unit township with 30 days of reports per unit (tiny photos on
 *       every third), its election days and milestones done, in the first county after the rush;
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
 * connections wait on). Env: UNITS (14000, in all counties), COUNTIES (100; at most 936), TOWNSHIPS
 * (per county; default ⌈units per county ÷ 15⌉, at most 47), CONNECTIONS (50), RUSH_RUNS (3), WARMUP
 * (1000 requests on separate units, spread over the counties, before each counted load), RUNS (7,
 * summary timings), ANATOMY (300; 0 skips), SESSIONS (cadre: a contact cadre and session per unit |
 * admin: one county-admin session per county), SESSION_TOUCH (1: every session last seen 2 minutes
 * ago, so each request rewrites it), PROFILE (a folder: CPU profiles of the server process during
 * each counted load, summarised on stderr).
 * `--quick` (or QUICK=1): 500 units in 4 counties (125 each, near the full run's 140), 1 run, 100
 * warm-up requests, 5 summary runs, no anatomy; under a minute; its results are printed, not
 * written to bench/results.
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
import { rng } from './lib/people.ts'
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
/** County codes 15PPNN: Inner Mongolia's 12 prefecture codes PP, county numbers NN 21–98 (so never the demo county's 150999). */
const PREFECTURES = ['09', '01', '02', '03', '04', '05', '06', '07', '08', '22', '25', '29']
const MAX_COUNTIES = PREFECTURES.length * 78
const COUNTIES = int('COUNTIES', QUICK ? 4 : 100)
if (COUNTIES > MAX_COUNTIES) throw new Error(`COUNTIES ≤ ${MAX_COUNTIES}: county codes 15PPNN, PP one of ${PREFECTURES.length} prefectures, NN 21–98`)
if (COUNTIES > UNITS) throw new Error('COUNTIES ≤ UNITS: every county has at least one unit')
/** The first county is 150921, the single-county run's (COUNTIES=1), and holds the summary township. */
const COUNTY_CODES = Array.from({ length: COUNTIES }, (_, c) => `15${PREFECTURES[c % PREFECTURES.length]}${21 + Math.floor(c / PREFECTURES.length)}`)
/** County c's share of a total spread over the counties: the first ones one more as needed. */
const share = (total: number, c: number) => Math.floor(total / COUNTIES) + (c < total % COUNTIES ? 1 : 0)
const UNITS_PER_COUNTY = Math.ceil(UNITS / COUNTIES)
/** Per county: ≈ 15 units a township (performance.md A1: ≈ 16 villages), at most the 47 of the single county of 14,000. */
const TOWNSHIPS = int('TOWNSHIPS', Math.min(47, Math.ceil(UNITS_PER_COUNTY / 15)))
const PER_TOWNSHIP = Math.ceil(UNITS_PER_COUNTY / TOWNSHIPS)
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
if (Math.ceil(WARMUP / COUNTIES) > 4 * 398) throw new Error(`WARMUP ≤ ${COUNTIES * 4 * 398}: 398 warm-up units a county, each filing today and up to 3 days back`)
// Township codes 101–197 (198 and 199 are the warm-up and summary townships).
if (TOWNSHIPS > 97) throw new Error('TOWNSHIPS ≤ 97: township codes 101–197 per county')
if (PER_TOWNSHIP > 398) throw new Error(`UNITS ≤ ${COUNTIES * TOWNSHIPS * 398}: unit codes 201–399 (villages) and 001–199 (communities) per township`)

const SUMMARY_COUNTY = COUNTY_CODES[0]!
const WARMUP_TOWNSHIP = '198'
const SUMMARY_TOWNSHIP = `${SUMMARY_COUNTY}199000`
const SUMMARY_UNITS = 30
const SUMMARY_DAYS = 30
const PASSWORD = 'Bq5#zWn8rTx2'
const log = (m: string) => process.stderr.write(`${m}\n`)
const since = (t0: number) => performance.now() - t0
const n0 = (x: number) => Math.round(x).toLocaleString('en-US')
/** "140" when every county has as many units, else "140–141". */
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? n0(xs[0]!) : `${n0(Math.min(...xs))}–${n0(Math.max(...xs))}`)

/** One generated county: its code, how many rush units and warm-up requests it has, its campaign. */
interface County {
  code: string
  units: number
  warm: number
  campaignId: string
}

/**
 * The counties (createCounty: their root node and the first row of their audit chain), their
 * townships and units, and each one's 2026 campaign; the townships and units in two statements
 * for all counties at once.
 */
async function generateCounties(db: Kysely<DB>, today: string): Promise<County[]> {
  await db.transaction().execute(async (trx) => {
    for (const [c, code] of COUNTY_CODES.entries()) await createCounty(trx, { code, name: c === 0 ? '基准县' : `基准${c + 1}县`, kind: 'county' })
  })
  const units = COUNTY_CODES.map((_, c) => share(UNITS, c))
  const warm = COUNTY_CODES.map((_, c) => share(WARMUP, c))
  await sql`
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select k.code, k.code || (100 + t)::text || '000', k.code || '000000', 'township', 'town', '第' || t || '镇', '', t
    from unnest(${COUNTY_CODES}::text[]) as k(code), generate_series(1, ${TOWNSHIPS}::int) t
    union all select k.code, k.code || ${WARMUP_TOWNSHIP} || '000', k.code || '000000', 'township', 'town', '预热镇', '', 98 from unnest(${COUNTY_CODES}::text[]) as k(code)
    union all select ${SUMMARY_COUNTY}, ${SUMMARY_TOWNSHIP}, ${SUMMARY_COUNTY} || '000000', 'township', 'town', '汇总镇', '', 99`.execute(db)
  // Each township's unit count: a county's n rush units ⌈n ÷ t⌉ to a township, its last townships
  // one short as needed; the warm-up township one unit per warm-up request (at most 398, each then
  // filing up to 3 days back); the summary township SUMMARY_UNITS. Unit u of a township: villages
  // 201–399 first, then communities 001–199.
  await sql`
    with county as (select code, n, warm, ${TOWNSHIPS}::int as t from unnest(${COUNTY_CODES}::text[], ${units}::int[], ${warm}::int[]) as k(code, n, warm)),
    township as (
      select tw.code, tw.name, (k.n + k.t - 1) / k.t - (case when tw.sort > k.t - ((k.n + k.t - 1) / k.t * k.t - k.n) then 1 else 0 end) as n
      from county k join territory tw on tw.county_code = k.code and tw.level = 'township' and tw.sort <= k.t
      union all select k.code || ${WARMUP_TOWNSHIP} || '000', '预热镇', least(k.warm, 398) from county k
      union all select ${SUMMARY_TOWNSHIP}, '汇总镇', ${SUMMARY_UNITS}::int
    )
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select substr(tw.code, 1, 6), substr(tw.code, 1, 9) || lpad((case when u <= 199 then 200 + u else u - 199 end)::text, 3, '0'), tw.code, 'unit',
      case when u <= 199 then 'village' else 'community' end,
      tw.name || u || (case when u <= 199 then '村' else '社区' end), '', u
    from township tw, generate_series(1, tw.n) u`.execute(db)
  const year = Number(today.slice(0, 4))
  const rows = await db
    .insertInto('campaign')
    .values(COUNTY_CODES.map((code) => ({ county_code: code, year, name: `${year}年村（社区）“两委”换届`, starts_on: addDays(today, -90) })))
    .returning(['county_code', 'id'])
    .execute()
  const campaigns = new Map(rows.map((r) => [r.county_code, r.id]))
  return COUNTY_CODES.map((code, c) => ({ code, units: units[c]!, warm: warm[c]!, campaignId: campaigns.get(code)! }))
}

interface Filer {
  unitCode: string
  cookie: string
}

/**
 * SESSIONS=cadre: a contact cadre assigned to each unit (包村), with a live session, written in SQL
 * as login writes them (a login costs an argon2 hash, ≈ 43 ms: 14,000 would take minutes and are
 * not what is measured). SESSIONS=admin: one admin per county, logged in through the real route.
 * Returns each unit's filer.
 */
async function makeFilers(db: Kysely<DB>, app: FastifyInstance, units: string[]): Promise<Map<string, Filer>> {
  if (SESSIONS === 'admin') {
    const cookies = new Map<string, string>()
    for (const county of COUNTY_CODES) {
      const username = `rush_admin_${county}`
      await db.transaction().execute((trx) =>
        createSystemUser(trx, { countyCode: county, username, displayName: '县管理员', role: 'county_admin', territoryCode: `${county}000000`, password: PASSWORD, mustChangePassword: false }),
      )
      cookies.set(county, await login(app, username))
    }
    return new Map(units.map((unitCode) => [unitCode, { unitCode, cookie: cookies.get(unitCode.slice(0, 6))! }]))
  }
  const hash = await hashPassword(PASSWORD)
  await sql`
    insert into app_user (county_code, username, display_name, role, territory_code, password_hash, must_change_password)
    select county_code, 'c' || code, '联络员' || right(code, 6), 'contact_cadre', parent_code, ${hash}, false
    from territory where county_code = any(${COUNTY_CODES}::text[]) and level = 'unit' and code = any(${units}::text[])`.execute(db)
  const cadres = sql`county_code = any(${COUNTY_CODES}::text[]) and role = 'contact_cadre'`
  await sql`insert into login_name (username, county_code, user_id) select username, county_code, id from app_user where ${cadres}`.execute(db)
  await sql`insert into user_unit (county_code, user_id, unit_code) select county_code, id, substr(username, 2) from app_user where ${cadres}`.execute(db)
  const users = await db.selectFrom('app_user').select(['county_code', 'id', 'username']).where('county_code', 'in', COUNTY_CODES).where('role', '=', 'contact_cadre').execute()
  const byUnit = new Map<string, Filer>()
  const counties: string[] = []
  const hashes: string[] = []
  const ids: string[] = []
  for (const u of users) {
    const token = randomBytes(32).toString('base64url')
    counties.push(u.county_code)
    hashes.push(hashToken(token))
    ids.push(u.id)
    byUnit.set(u.username.slice(1), { unitCode: u.username.slice(1), cookie: `${app.sessionCookieName}=${u.county_code}.${token}` })
  }
  for (let i = 0; i < ids.length; i += 5000) {
    await sql`
      insert into session (county_code, token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
      select c, h, u, now(), now(), now() + interval '12 hours', '127.0.0.1', 'huanjie-bench'
      from unnest(${counties.slice(i, i + 5000)}::text[], ${hashes.slice(i, i + 5000)}::text[], ${ids.slice(i, i + 5000)}::bigint[]) as s(c, h, u)`.execute(db)
  }
  return byUnit
}

/**
 * Marks every session as seen: just now by default (a cadre opened the form less than a minute
 * before sending it, issue 6: "in under a minute" — stamped ahead by the longest the rush may
 * take, so no request rewrites it); with SESSION_TOUCH=1, two minutes ago, so every request does.
 */
async function stampSessions(db: Kysely<DB>): Promise<void> {
  if (SESSIONS === 'admin') return
  const at = SESSION_TOUCH ? sql`now() - interval '2 minutes'` : sql`now() + interval '20 minutes'`
  await sql`update session set last_seen_at = ${at} where county_code = any(${COUNTY_CODES}::text[])`.execute(db)
}

async function login(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username, password: PASSWORD } })
  const c = res.cookies.find((x) => x.name === app.sessionCookieName)
  if (res.statusCode !== 200 || !c) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
  return `${c.name}=${c.value}`
}

/**
 * The counties' lists merged into one: counties in a seeded random order (a deadline brings them
 * in no order, and a few at once may fall in the same county), each county's own entries in their
 * order. With one county, its list as it is.
 */
function interleave<T>(lists: T[][], seed: number): T[] {
  const slots = lists.flatMap((list, c) => list.map(() => c))
  const r = rng(seed)
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[slots[i], slots[j]] = [slots[j]!, slots[i]!]
  }
  const next = lists.map(() => 0)
  return slots.map((c) => lists[c]![next[c]!++]!)
}

const PROGRESS = ['召开党员大会，完成党组织委员会候选人预备人选推荐，参会党员42名', '入户走访老党员和困难群众，宣传换届政策，收集意见建议', '张贴选民登记公告，村村响广播每日三次，悬挂横幅两条', '召开村民代表会议推选村民选举委员会，公布选举日程']
const PROBLEMS = ['个别外出务工党员联系不上，正在通过电话和微信联络', '一户村民对选民资格有异议，已由村民选举委员会复核答复']
const NEXT = ['组织资格联审，准备候选人预备人选公示', '继续做好选民登记，核对外出人员名单', '筹备党员大会选举，布置会场']

/** One report to send: whose, for which campaign and day. */
interface Filing {
  filer: Filer
  campaignId: string
  date: string
}

/** The reports, as the phone page sends them (toBody in src/web/views/report/shared.ts). */
function reportItems(filings: Filing[], tag: string): LoadItem[] {
  return filings.map(({ filer: f, campaignId, date }, i) => ({
    path: '/api/reports',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', cookie: f.cookie, 'idempotency-key': `${tag}-${i}-${randomUUID()}` },
    body: JSON.stringify({
      unitCode: f.unitCode,
      campaign: campaignId,
      reportDate: date,
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
// The unit's county: the first 6 digits of its code.
const rawValues = (b: RawBody) => [b.unitCode.slice(0, 6), b.campaign, b.unitCode, b.reportDate, b.nothingNew, b.progress, b.problems, b.nextSteps, JSON.stringify(b.figures), b.milestones, '1', '联络员']

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
  /** Each county's audit chain length after the run. */
  chains: number[]
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
  counties: County[]
  warm: LoadItem[]
  items: LoadItem[]
}

async function prepareRush(engine: BenchEngine, run: number, today: string): Promise<Prepared> {
  const t0 = performance.now()
  const b = await engine.fresh()
  const db = b.database.db
  const counties = await generateCounties(db, today)
  const app = await buildApp({ config: loadConfig({ DATA_DIR: '.tmp/unused', WEB_DIR: '.tmp/no-web' }), db, engine: b.database.engine, idKey: randomBytes(80), logger: false })
  await app.ready()
  const unitCodes = (await db.selectFrom('territory').select('code').where('county_code', 'in', COUNTY_CODES).where('level', '=', 'unit').orderBy('code').execute()).map((u) => u.code)
  const rushOf = new Map<string, string[]>(COUNTY_CODES.map((c) => [c, []]))
  const warmOf = new Map<string, string[]>(COUNTY_CODES.map((c) => [c, []]))
  for (const code of unitCodes) {
    const township = code.slice(6, 9)
    if (township === WARMUP_TOWNSHIP) warmOf.get(code.slice(0, 6))!.push(code)
    else if (code.slice(0, 9) !== SUMMARY_TOWNSHIP.slice(0, 9)) rushOf.get(code.slice(0, 6))!.push(code)
  }
  for (const c of counties) {
    const n = rushOf.get(c.code)!.length
    if (n !== c.units) throw new Error(`county ${c.code}: generated ${n} units, expected ${c.units}`)
  }
  const filers = await makeFilers(db, app, [...COUNTY_CODES.flatMap((c) => warmOf.get(c)!), ...COUNTY_CODES.flatMap((c) => rushOf.get(c)!)])
  const filer = (unit: string) => filers.get(unit)!
  // Each county's warm-up units file its share of WARMUP (each unit once per day, as many days back as needed).
  const warmLists = counties.map((c) => {
    const units = warmOf.get(c.code)!
    return Array.from({ length: c.warm }, (_, i) => ({ filer: filer(units[i % units.length]!), campaignId: c.campaignId, date: addDays(today, -Math.floor(i / units.length)) }))
  })
  const rushLists = counties.map((c) => rushOf.get(c.code)!.map((u) => ({ filer: filer(u), campaignId: c.campaignId, date: today })))
  const warm = reportItems(interleave(warmLists, 2 * run + 1), `warm${run}`)
  const items = reportItems(interleave(rushLists, 2 * run), `rush${run}`)
  await stampSessions(db)
  // Statistics as a county that has had its users for a while has them (PostgreSQL's autovacuum
  // would analyze within a minute; PGlite has no autovacuum). Stale ones make the planner find a
  // user by county through app_user_username_uq and filter 14,000 rows for the id: 2.4 ms.
  await sql`analyze`.execute(db)
  // One request by hand first in every county: the cookie is what the route expects.
  for (const c of counties) {
    const probe = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: filer(rushOf.get(c.code)![0]!).cookie } })
    if (probe.statusCode !== 200) throw new Error(`GET /api/auth/me with a generated session of county ${c.code}: ${probe.statusCode} ${probe.body}`)
  }
  const url = await listen(app)
  log(
    `    prepared ${plural(COUNTIES, 'county', 'counties')} × ${range(counties.map((c) => c.units))} units (${UNITS} in all, ${plural(TOWNSHIPS, 'township', 'townships')} a county), ` +
      `${SESSIONS === 'cadre' ? `${filers.size} cadre sessions` : `${COUNTIES} county-admin sessions`} in ${(since(t0) / 1000).toFixed(1)} s`,
  )
  return { b, app, url, counties, warm, items }
}

/** Per county: the query's n by county_code. */
async function perCounty(db: Kysely<DB>, q: ReturnType<typeof sql<{ county_code: string; n: string }>>): Promise<Map<string, number>> {
  return new Map((await q.execute(db)).rows.map((r) => [r.county_code, Number(r.n)]))
}

/**
 * The rush through the application, then its checks in every county and in total: every unit once,
 * one stored answer and audit row each, the chain intact. Returns the load and each county's chain length.
 */
async function reportRun(engine: BenchEngine, run: number, p: Prepared, today: string): Promise<{ m: Measured; chains: number[] }> {
  const db = p.b.database.db
  if (p.warm.length) checkLoad(await load(p.url, 'warm-up', p.warm), 'report')
  const m = await measured(p.b, p.app, `report-${engine.name}-run${run}`, p.url, p.items)
  checkLoad(m.r, 'report')
  const t0 = performance.now()
  const ours = sql`county_code = any(${COUNTY_CODES}::text[])`
  const reports = await perCounty(db, sql<{ county_code: string; n: string }>`
    select r.county_code, count(distinct r.unit_code) as n
    from progress_report r join unnest(${COUNTY_CODES}::text[], ${p.counties.map((c) => c.campaignId)}::text[]) as k(county, campaign) on r.county_code = k.county and r.campaign_id::text = k.campaign
    where r.report_date = ${today} and substr(r.unit_code, 7, 3) between '101' and ${String(100 + TOWNSHIPS)}
    group by r.county_code`)
  const all = await perCounty(db, sql<{ county_code: string; n: string }>`select county_code, count(*) as n from progress_report where ${ours} group by county_code`)
  const keys = await perCounty(db, sql<{ county_code: string; n: string }>`select county_code, count(*) as n from idempotency_key where ${ours} and status = 200 group by county_code`)
  const audits = await perCounty(db, sql<{ county_code: string; n: string }>`select county_code, count(*) as n from audit_log where ${ours} and action = 'report.file' group by county_code`)
  const total = (x: Map<string, number>) => [...x.values()].reduce((t, n) => t + n, 0)
  for (const c of p.counties) {
    const expected = c.units + c.warm
    const got = { reports: reports.get(c.code) ?? 0, all: all.get(c.code) ?? 0, keys: keys.get(c.code) ?? 0, audits: audits.get(c.code) ?? 0 }
    if (got.reports !== c.units || got.all !== expected || got.keys !== expected || got.audits !== expected) {
      throw new Error(`after the rush, county ${c.code}: ${got.reports} units reported today (expected ${c.units}), ${got.all} reports, ${got.keys} idempotency answers, ${got.audits} audit rows (expected ${expected} each)`)
    }
  }
  const expected = UNITS + WARMUP
  if (total(reports) !== UNITS || total(all) !== expected || total(keys) !== expected || total(audits) !== expected) {
    throw new Error(`after the rush: ${total(reports)} units reported today (expected ${UNITS}), ${total(all)} reports, ${total(keys)} idempotency answers, ${total(audits)} audit rows (expected ${expected} each)`)
  }
  const chains: number[] = []
  for (const c of p.counties) {
    const chain = await verifyChain(db, c.code)
    if (!chain.ok) throw new Error(`audit chain of county ${c.code} broken: ${chain.problem}`)
    chains.push(chain.rows)
  }
  log(
    `    checked: ${total(reports)} units reported once, ${total(keys)} idempotency answers and ${total(audits)} report.file audit rows, ` +
      `in ${COUNTIES === 1 ? 'the county' : `each of ${COUNTIES} counties`} as expected; ${plural(COUNTIES, 'audit chain', 'audit chains')} of ${range(chains)} rows verify (${(since(t0) / 1000).toFixed(1)} s)`,
  )
  return { m, chains }
}

/**
 * The summary township, in the first county: 30 units, each with its election days (Party election 15–19 days ago,
 * committee 8–12 days ago), the milestones planned up to today done on their planned day (but
 * "talks" left undone in every seventh unit, so some are overdue), and a report every day of the
 * last 30 with the milestones of that day; a tiny photo on every third report.
 */
async function generateSummaryTownship(db: Kysely<DB>, campaignId: string, today: string): Promise<void> {
  const units = (await db.selectFrom('territory').select('code').where('county_code', '=', SUMMARY_COUNTY).where('parent_code', '=', SUMMARY_TOWNSHIP).orderBy('code').execute()).map((u) => u.code)
  const org = await db.transaction().execute((trx) =>
    createSystemUser(trx, { countyCode: SUMMARY_COUNTY, username: 'sum_org', displayName: '汇总镇组织员', role: 'township_organiser', territoryCode: SUMMARY_TOWNSHIP, password: PASSWORD, mustChangePassword: false }),
  )
  await db
    .insertInto('campaign_phase')
    .values([
      { county_code: SUMMARY_COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'preparation', starts_on: addDays(today, -70), ends_on: addDays(today, -45) },
      { county_code: SUMMARY_COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'party', starts_on: addDays(today, -44), ends_on: addDays(today, -14) },
      { county_code: SUMMARY_COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'committee', starts_on: addDays(today, -40), ends_on: addDays(today, 5) },
      { county_code: SUMMARY_COUNTY, campaign_id: campaignId, township_code: SUMMARY_TOWNSHIP, phase: 'follow_up', starts_on: addDays(today, -5), ends_on: addDays(today, 40) },
    ])
    .execute()
  const milestones: { county_code: string; campaign_id: string; unit_code: string; key: string; done_on: string; evidence: string; done_by: string }[] = []
  const doneOn = new Map<string, string[]>()
  for (const [k, unit] of units.entries()) {
    const days = { party: addDays(today, -15 - (k % 5)), committee: addDays(today, -8 - (k % 5)) }
    await db.insertInto('unit_schedule').values({ county_code: SUMMARY_COUNTY, campaign_id: campaignId, unit_code: unit, party_on: days.party, committee_on: days.committee, updated_by: '汇总镇组织员' }).execute()
    for (const m of planMilestones(days)) {
      if (!m.plannedOn || m.plannedOn > today || (m.key === 'talks' && k % 7 === 0)) continue
      milestones.push({ county_code: SUMMARY_COUNTY, campaign_id: campaignId, unit_code: unit, key: m.key, done_on: m.plannedOn, evidence: `见${m.plannedOn}日报告`, done_by: '联络员' })
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
        county_code: SUMMARY_COUNTY,
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
    .values(ids.filter((_, i) => i % 3 === 0).map((r) => ({ county_code: SUMMARY_COUNTY, report_id: r.id, file_name: '现场.png', content_type: 'image/png', data: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') })))
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
  const campaignId = p.counties[0]!.campaignId
  await generateSummaryTownship(db, campaignId, today)
  log(`    generated the summary township in ${(since(t0) / 1000).toFixed(1)} s`)
  const cookie = await login(p.app, 'sum_org')
  const weekFrom = addDays(today, -6)
  const get = (url: string) => async () => {
    const res = await p.app.inject({ method: 'GET', url, headers: { cookie } })
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`)
    return res
  }
  const q = (from: string) => `township=${SUMMARY_TOWNSHIP}&campaign=${campaignId}&from=${from}&to=${today}`
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
      ? count(db, sql<{ n: string }>`select count(*) as n from report_photo ph join progress_report r on r.county_code = ph.county_code and r.id = ph.report_id where r.county_code = ${SUMMARY_COUNTY} and r.unit_code like ${`${prefix}%`}`)
      : count(db, sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where county_code = ${SUMMARY_COUNTY} and unit_code like ${`${prefix}%`}`)
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
  log(`  report: ${UNITS} units in ${plural(COUNTIES, 'county', 'counties')} (${plural(TOWNSHIPS, 'township', 'townships')} each), ${CONNECTIONS} connections, ${RUSH_RUNS} rush run(s), ${WARMUP} warm-up requests, sessions: ${SESSIONS}${SESSION_TOUCH ? ' (touched)' : ''}, ${engine.name}${QUICK ? ' (quick)' : ''}`)
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
      const { m: report, chains } = await reportRun(engine, run, p, today)
      raw ??= await rawRun(engine, run, p.warm, p.items)
      runs.push({ report, raw, chains })
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
  const f = (x: Stats) => (x.n > 1 ? `${n0(x.median)} (${n0(x.min)}–${n0(x.max)})` : n0(x.median))
  const fs1 = (x: Stats) => (x.n > 1 ? `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})` : x.median.toFixed(1))
  const ms = (x: Stats) => (x.n > 1 ? `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})` : x.median.toFixed(1))
  const errs = runs.reduce((n, { report: { r } }) => n + r.errors + r.non2xx + r.timeouts, 0)
  const rawErrs = runs.reduce((n, { raw: { r } }) => n + r.errors + r.non2xx + r.timeouts, 0)
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**')
  const cpus = os.cpus()
  const load1 = os.loadavg()
  const perCounty = range(COUNTY_CODES.map((_, c) => share(UNITS, c)))
  const counties = `${plural(COUNTIES, 'county', 'counties')} × ${perCounty} units`
  const chains = runs.flatMap((r) => r.chains)
  const codes = COUNTIES <= 3 ? COUNTY_CODES.join(', ') : `${COUNTY_CODES.slice(0, 2).join(', ')}, …, ${COUNTY_CODES.at(-1)}`
  const lines = [
    `## Deadline rush and township summary (issue 6) — ${engine.name === 'pglite' ? 'PGlite' : 'PostgreSQL'}, ${counties}${QUICK ? ' (quick)' : ''}`,
    '',
    `- counties: ${COUNTIES} × ${perCounty} units (${UNITS.toLocaleString('en-US')} units in all; ${COUNTIES === 1 ? 'county code' : 'county codes'} ${codes}), ${plural(TOWNSHIPS, 'township', 'townships')} of ≈ ${PER_TOWNSHIP} units a county; each county its own territory tree, campaign, contact cadres and audit chain (one head row lock)`,
    `- when: ${started.toISOString()}; machine: ${cpus.length} CPU (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; node ${process.version}`,
    `- database: ${engine.version.split(' on ')[0]}${engine.name === 'pglite' ? ' (on-disk data directory in the temp folder, in the server process)' : ' (127.0.0.1:5432, a new database per run)'}; ${engineSettings}`,
    `- load average (1/5/15 min) before ${load0.map((x) => x.toFixed(2)).join(' / ')}, after ${load1.map((x) => x.toFixed(2)).join(' / ')}`,
    `- rush: ${UNITS.toLocaleString('en-US')} units in ${plural(COUNTIES, 'county', 'counties')}, sent ${COUNTIES === 1 ? 'in code order' : "in a seeded random order of counties (each county's units in code order)"}; each sends its day's report once (POST /api/reports, its own Idempotency-Key, the phone page's body, no milestones ticked); ` +
      `${SESSIONS === 'cadre' ? `a contact cadre and a live session per unit${SESSION_TOUCH ? ' (last seen 2 min before, so every request rewrites its session)' : ' (seen within the minute, so no request rewrites its session)'}` : 'one county-admin session per county for all its units'}; ` +
      `autocannon ${CONNECTIONS} connections, pipelining 1, amount-bound (${UNITS.toLocaleString('en-US')} requests), in a child process; ${WARMUP} warm-up requests on other units of the same ${COUNTIES === 1 ? 'county' : 'counties'} first (not counted); ${RUSH_RUNS} run(s), each on a new database, alternating which side goes first`,
    `- server: the application (buildApp, logger off) listening on 127.0.0.1, in the benchmark's process; raw baseline: bare Fastify in the same process, BEGIN; INSERT … RETURNING id; COMMIT into a copy of progress_report (LIKE … INCLUDING ALL but foreign keys) on ${engine.name === 'pglite' ? 'the PGlite instance' : 'pg.Pool(max 10), named prepared statement'}`,
    `- afterwards, every run, in every county and in total: exactly its units reported that day (${UNITS.toLocaleString('en-US')} in all), as many stored idempotency answers and report.file audit rows as its units and warm-ups (${(UNITS + WARMUP).toLocaleString('en-US')} in all), and verifyChain of the county is ok`,
    `- per-county audit chains: ${plural(COUNTIES, 'chain', 'chains')} verified after each of ${runs.length} run(s), ${range(chains)} rows each (${n0(chains.reduce((t, x) => t + x, 0) / runs.length)} in all a run: the county's set-up, its warm-ups and its units' reports)`,
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
      `Township summary: ${SUMMARY_UNITS} units, ${summary.reports} reports (every unit every day for ${SUMMARY_DAYS} days), ${summary.photos} tiny photos, ${summary.milestones} milestones done, in county ${SUMMARY_COUNTY} after the rush; ` +
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
