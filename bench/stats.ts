/**
 * `npm run bench -- stats`: the statistics of issue 5 on a generated province (performance.md goals
 * 5 and 6). 47 counties × 15 townships × 20 units = 14,100 units; in each unit a Party committee
 * and a villagers' committee of 3–5 each, overlapping (一肩挑, 交叉任职), elected in the 2026
 * campaign, and the 2021 teams they replaced: ≈ 100,000 holdings of ≈ 80,000 people per round.
 *
 *   (a) county dashboard: GET /api/stats for one county (auth, scope, five aggregate queries, JSON)
 *       beside (a0) the raw per-unit aggregate SQL for that county — goal ≤ 10× (a0)
 *   (b) province roll-up: the per-county figures of the whole province (repo.figures, level county)
 *       beside (b0) the raw per-county aggregate SQL over the same rows — goal ≤ 1.5× (b0)
 *
 * The data is generated in SQL (generate_series), on PGlite or on PostgreSQL (DATABASE_URL).
 */
import os from 'node:os'
import { randomBytes } from 'node:crypto'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../src/server/db/schema.ts'
import { buildApp } from '../src/server/app.ts'
import { loadConfig } from '../src/server/config.ts'
import { createSystemUser } from '../src/server/modules/setup/service.ts'
import * as repo from '../src/server/modules/stats/repo.ts'
import type { BenchEngine } from './lib/engines.ts'
import { stats, type Stats } from './lib/stats.ts'

const COUNTIES = Number(process.env.COUNTIES ?? 47)
const RUNS = Number(process.env.RUNS ?? 7)
const PASSWORD = 'Bq5#zWn8rTx2'
const log = (m: string) => process.stderr.write(`${m}\n`)

/** The province: territory, people, 2021 and 2026 teams, one 2026 campaign per county. */
export async function generate(db: Kysely<DB>): Promise<{ units: number; holdings: number; people: number }> {
  await sql`
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select c.cc, c.cc || '000000', null, 'county', 'county', '测试县' || c.n, '', c.n
    from (select n, '15' || lpad(n::text, 4, '0') as cc from generate_series(1, ${COUNTIES}) n) c`.execute(db)
  await sql`
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select c.cc, c.cc || (99 + t)::text || '000', c.cc || '000000', 'township', 'town', '第' || t || '镇', '', t
    from (select '15' || lpad(n::text, 4, '0') as cc from generate_series(1, ${COUNTIES}) n) c, generate_series(1, 15) t`.execute(db)
  await sql`
    insert into territory (county_code, code, parent_code, level, kind, name, name_initials, sort)
    select c.cc, c.cc || (99 + t)::text || lpad((case when u <= 2 then u else 198 + u end)::text, 3, '0'), c.cc || (99 + t)::text || '000', 'unit',
      case when u <= 2 then 'community' else 'village' end, t || '镇' || u || (case when u <= 2 then '社区' else '村' end), '', u
    from (select '15' || lpad(n::text, 4, '0') as cc from generate_series(1, ${COUNTIES}) n) c, generate_series(1, 15) t, generate_series(1, 20) u`.execute(db)
  // Six people per unit and round: ids are generated, attributes spread by a hash of the row number.
  await sql`
    insert into person (county_code, name, id_number_enc, id_number_index, id_number_masked, birth_date, gender, ethnicity, education, political_status, unit_code)
    select t.county_code, '成员' || r || '-' || k, 'x', md5(t.code || ':' || r || ':' || k) || md5(t.code || k), '1501**********0000',
      date '1950-01-01' + ((hashtext(t.code || ':' || r || ':' || k) & 2147483647) % 17000),
      case when (hashtext(t.code || k || r) & 7) < 2 then '2' else '1' end,
      '01',
      (array['11','21','31','33','41','61','71','81'])[1 + (hashtext(t.code || r || ':' || k) & 2147483647) % 8],
      case when k < 5 then '01' else '13' end,
      t.code
    from territory t, generate_series(1, 2) r, generate_series(0, 5) k
    where t.level = 'unit' and t.county_code like '15%' and t.county_code <> '150999'`.execute(db)
  await sql`
    insert into campaign (county_code, year, name, starts_on)
    select county_code, 2026, '2026年换届', date '2026-01-01' from territory where level = 'county' and county_code like '15%' and county_code <> '150999'`.execute(db)
  // Round 1 (2021, ended on 2026-03-01) and round 2 (2026): people 0–3 on the Party committee (0 the
  // secretary), people 0, 3, 4, 5 on the committee (0 the chair in most units).
  for (const [r, since, ended] of [
    [1, '2021-03-01', '2026-03-01'],
    [2, '2026-03-01', null],
  ] as const) {
    await sql`
      insert into post_holding (county_code, unit_code, person_id, body, post, since, ended_on)
      select p.county_code, p.unit_code, p.id, b.body,
        case when k = 0 and b.body = 'party' then 'secretary' when k = 0 and (hashtext(p.unit_code) & 15) > 0 then 'chair' when k = 3 and b.body = 'committee' and (hashtext(p.unit_code) & 15) = 0 then 'chair' else 'member' end,
        ${since}::date, ${ended}::date
      from (select id, county_code, unit_code, split_part(name, '-', 2)::int as k from person
            where county_code like '15%' and county_code <> '150999' and split_part(split_part(name, '-', 1), '员', 2)::int = ${r}) p
      join (values ('party'), ('committee')) b(body)
        on (b.body = 'party' and p.k <= 3) or (b.body = 'committee' and p.k in (0, 3, 4, 5))`.execute(db)
  }
  await sql`analyze`.execute(db)
  const n = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(db)).rows[0]!.n)
  return {
    units: await n(sql<{ n: string }>`select count(*) as n from territory where level = 'unit' and county_code <> '150999'`),
    holdings: await n(sql<{ n: string }>`select count(*) as n from post_holding where county_code <> '150999'`),
    people: await n(sql<{ n: string }>`select count(*) as n from person where county_code <> '150999'`),
  }
}

/**
 * Rule 18's figures in the plainest SQL — the same twenty aggregates the application computes
 * (members, women, heads, women heads, under 35, college, Party members, age sum, four more age
 * bands, seven education levels), over the 2026 Party teams, with PostgreSQL's own age().
 */
function rawFigures(db: Kysely<DB>, where: RawBuilder<unknown>, key: RawBuilder<unknown>) {
  const age = sql`date_part('year', age(h.since, p.birth_date))`
  return sql`
    select ${key} as key, count(*) as members,
      count(*) filter (where p.gender = '2') as women,
      count(*) filter (where h.post in ('secretary', 'chair')) as heads,
      count(*) filter (where h.post in ('secretary', 'chair') and p.gender = '2') as women_heads,
      count(*) filter (where ${age} < 35) as under35,
      count(*) filter (where p.education between '11' and '33') as college,
      count(*) filter (where p.political_status in ('01', '02')) as party_members,
      sum(${age}) as age_sum,
      count(*) filter (where ${age} >= 35 and ${age} < 45) as b35,
      count(*) filter (where ${age} >= 45 and ${age} < 55) as b45,
      count(*) filter (where ${age} >= 55 and ${age} < 60) as b55,
      count(*) filter (where ${age} >= 60) as b60,
      count(*) filter (where p.education between '11' and '19') as e_grad,
      count(*) filter (where p.education between '21' and '28') as e_bachelor,
      count(*) filter (where p.education between '31' and '33') as e_college,
      count(*) filter (where p.education between '41' and '49') as e_vocational,
      count(*) filter (where p.education between '61' and '63') as e_high,
      count(*) filter (where p.education between '71' and '73') as e_middle,
      count(*) filter (where not (p.education between '11' and '73')) as e_primary
    from post_holding h join person p on p.county_code = h.county_code and p.id = h.person_id
    where ${where} and h.body = 'party' and h.since >= date '2026-01-01'
    group by 1`.execute(db)
}

/** One county, per unit: what the dashboard's main query reads. */
const rawCounty = (db: Kysely<DB>, county: string) => rawFigures(db, sql`h.county_code = ${county}`, sql`h.unit_code`)
/** The province, per county: what the roll-up reads. */
const rawProvince = (db: Kysely<DB>) => rawFigures(db, sql`h.county_code like '15%'`, sql`h.county_code`)

async function timed(n: number, f: () => Promise<unknown>): Promise<Stats> {
  await f()
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await f()
    ms.push(performance.now() - t)
  }
  return stats(ms)
}

export async function benchStats(engine: BenchEngine): Promise<string> {
  const started = new Date()
  const b = await engine.fresh()
  try {
    const db = b.database.db
    const t0 = performance.now()
    const size = await generate(db)
    log(`  stats: generated ${size.units} units, ${size.people} people, ${size.holdings} holdings in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const county = `15${String(Math.min(17, COUNTIES)).padStart(4, '0')}`
    await db.transaction().execute((trx) =>
      createSystemUser(trx, { countyCode: county, username: 'bench_admin', displayName: '基准', role: 'county_admin', territoryCode: `${county}000000`, password: PASSWORD, mustChangePassword: false }),
    )
    const app = await buildApp({ config: loadConfig({ DATA_DIR: '.tmp/unused', WEB_DIR: '.tmp/no-web' }), db, engine: b.database.engine, idKey: randomBytes(80), logger: false })
    await app.ready()
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username: 'bench_admin', password: PASSWORD } })
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const check = await app.inject({ method: 'GET', url: '/api/stats', headers: { cookie } })
    if (check.statusCode !== 200) throw new Error(`GET /api/stats: ${check.statusCode} ${check.body}`)
    const reply = check.json<{ progress: { total: number }; elected: { members: number } }>()
    const raw = await rawCounty(db, county)
    const rawMembers = raw.rows.reduce((s: number, r) => s + Number((r as { members: string }).members), 0)
    if (reply.elected.members !== rawMembers) throw new Error(`dashboard counts ${reply.elected.members} members, raw SQL ${rawMembers}`)

    const dash = await timed(RUNS, () => app.inject({ method: 'GET', url: '/api/stats', headers: { cookie } }))
    const dashRaw = await timed(RUNS, () => rawCounty(db, county))
    const region = { countyCode: null, prefix: '15' }
    const roll = await timed(RUNS, async () => repo.figures(db, region, await repo.windows(db, region, 2026), ['elected'], { body: 'party', kinds: ['village', 'gacha', 'community'] }, 'county', 35))
    const rollRaw = await timed(RUNS, () => rawProvince(db))
    const rolled = await repo.figures(db, region, await repo.windows(db, region, 2026), ['elected'], { body: 'party', kinds: ['village', 'gacha', 'community'] }, 'county', 35)
    const rawRolled = (await rawProvince(db)).rows
    if (rolled.reduce((s, r) => s + r.members, 0) !== rawRolled.reduce((s: number, r) => s + Number((r as { members: string }).members), 0)) throw new Error('roll-up and raw SQL disagree')
    await app.close()

    const f = (x: Stats) => `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})`
    const ratio = (x: Stats, y: Stats) => `${(x.median / y.median).toFixed(2)}×`
    const cpus = os.cpus()
    return [
      `## Statistics (issue 5) — ${engine.name === 'pglite' ? 'PGlite' : 'PostgreSQL'}`,
      '',
      `- when: ${started.toISOString()}; machine: ${cpus.length} CPU (${cpus[0]?.model.trim() ?? '?'}), node ${process.version}; ${engine.version.split(' on ')[0]}`,
      `- data: ${size.units.toLocaleString('en-US')} units in ${COUNTIES} counties, ${size.people.toLocaleString('en-US')} people, ${size.holdings.toLocaleString('en-US')} holdings (2021 and 2026 teams); ${reply.progress.total} units in the county measured; ${RUNS} runs after one warm-up`,
      '',
      '| | measurement | ms median (min–max) | ratio | goal |',
      '|---|---|---|---|---|',
      `| a0 | raw SQL of the same per-unit figures, one county (baseline) | ${f(dashRaw)} | | |`,
      `| a | county dashboard: GET /api/stats through Fastify inject (auth, scope, 5 queries, JSON) | ${f(dash)} | **${ratio(dash, dashRaw)} of (a0)** | ≤ 10× |`,
      `| b0 | raw SQL of the same per-county figures, whole province (baseline) | ${f(rollRaw)} | | |`,
      `| b | province roll-up: repo.figures by county (campaign windows, rule-18 ages) | ${f(roll)} | **${ratio(roll, rollRaw)} of (b0)** | ≤ 1.5× |`,
      '',
    ].join('\n')
  } finally {
    await b.close()
  }
}
