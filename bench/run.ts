/**
 * `npm run bench`: the people Excel import against its physical baselines (performance.md,
 * goals 1–3), measured in one run on one machine so that ratios, not absolute numbers, are
 * compared.
 *
 *   (a) exceljs streaming read of the file                      baseline for (b)
 *   (b) the project's import: importPeople's two halves (read, check, encrypt; then write)
 *   (c) raw COPY of the same person rows into the same table    baseline for (d)
 *   (d) the import's database write (writePeopleImport: ids, COPY of the people, audit chain
 *       and COPY of one audit row per person, in one transaction)
 *   (e) raw COPY of the same person rows and their audit rows   what (d) writes, at COPY speed
 *
 * PGlite (a temporary on-disk data directory) by default; PostgreSQL when DATABASE_URL is set
 * (a new database per run, dropped after). Env: RUNS (default 3), ROWS (default 100000).
 * Results are printed and written to bench/results/latest.md (one section per engine).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { randomBytes } from 'node:crypto'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { idCipher } from '../src/server/crypto/id-cipher.ts'
import type { Ctx } from '../src/server/http/context.ts'
import { levelOfCode } from '../src/server/scope.ts'
import { DEMO_COUNTY } from '../src/server/modules/setup/demo.ts'
import { planPeopleImport, writePeopleImport, type PlannedPerson } from '../src/server/modules/person/import.ts'
import { verifyChain } from '../src/server/modules/audit/service.ts'
import { pgliteEngine, postgresEngine, type BenchEngine } from './lib/engines.ts'
import { peopleRows, writePeopleXlsx } from './lib/people.ts'
import { rawAuditRows, rawCopyAudit, rawCopyPeople, type RawAuditRow } from './lib/raw-copy.ts'
import { stats, type Stats } from './lib/stats.ts'
import { benchTally } from './tally.ts'
import { benchStats } from './stats.ts'
import { benchReport, REPORT_QUICK } from './report.ts'

const RUNS = Number(process.env.RUNS ?? 3)
const ROWS = Number(process.env.ROWS ?? 100_000)
if (!Number.isInteger(RUNS) || RUNS < 1 || !Number.isInteger(ROWS) || ROWS < 1) throw new Error('RUNS and ROWS must be positive integers')

const log = (m: string) => process.stderr.write(`${m}\n`)
const since = (t0: number) => performance.now() - t0

/** (a): performance.md B4's reader and options, over the same in-memory file the import gets. */
async function streamingRead(buf: Buffer): Promise<number> {
  const input = new PassThrough()
  input.end(buf)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' })
  let rows = 0
  let cells = 0
  for await (const ws of reader) {
    for await (const row of ws) {
      rows++
      cells += (row.values as unknown[]).length
    }
  }
  if (cells === 0) throw new Error('read nothing')
  return rows
}

interface Sample {
  read: number
  full: number
  plan: number
  write: number
  raw: number
  rawBoth: number
}

async function main(): Promise<void> {
  const started = new Date()
  const load0 = os.loadavg()
  log(`bench: ${ROWS} rows, ${RUNS} runs, ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (temporary data directory)'}`)
  const t0 = performance.now()
  const engine: BenchEngine = process.env.DATABASE_URL ? await postgresEngine(process.env.DATABASE_URL) : await pgliteEngine()
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huanjie-bench-xlsx-'))
  try {
    log(`  migrated template with the demo county in ${(since(t0) / 1000).toFixed(1)} s`)
    const first = await engine.fresh()
    const units = (await first.database.db.selectFrom('territory').select('name').where('county_code', '=', DEMO_COUNTY).where('level', '=', 'unit').where('status', '=', 'active').orderBy('code').execute()).map((u) => u.name)
    const admin = await first.database.db.selectFrom('app_user').selectAll().where('county_code', '=', DEMO_COUNTY).where('role', '=', 'county_admin').orderBy('id').executeTakeFirstOrThrow()
    await first.close()
    const ctx: Ctx = {
      requestId: 'bench',
      ip: '127.0.0.1',
      userAgent: 'huanjie-bench',
      actor: {
        userId: admin.id,
        countyCode: admin.county_code,
        username: admin.username,
        displayName: admin.display_name,
        role: admin.role,
        territoryCode: admin.territory_code,
        territoryLevel: levelOfCode(admin.territory_code),
        departmentId: null,
        unitCodes: [],
        sessionHash: '',
        mustChangePassword: false,
      },
    }
    const cipher = idCipher(randomBytes(80))

    const file = path.join(tmp, `people-${ROWS}.xlsx`)
    const tg = performance.now()
    await writePeopleXlsx(file, peopleRows(ROWS, units))
    const buf = fs.readFileSync(file)
    log(`  wrote ${file} (${(buf.length / 1e6).toFixed(1)} MB, ${units.length} units) in ${(since(tg) / 1000).toFixed(1)} s`)

    const samples: Sample[] = []
    let planned: readonly PlannedPerson[] = []
    let auditRows: RawAuditRow[] = []
    for (let run = 1; run <= RUNS; run++) {
      // (a)
      let t = performance.now()
      const rows = await streamingRead(buf)
      if (rows !== ROWS + 1) throw new Error(`read ${rows} rows`)
      const read = since(t)

      // (b), (d)
      const b = await engine.fresh()
      t = performance.now()
      planned = await planPeopleImport(b.database.db, cipher, ctx, buf)
      const plan = since(t)
      const tw = performance.now()
      const { created } = await writePeopleImport(b.database.db, ctx, planned)
      const write = since(tw)
      const full = since(t)
      const db = b.database.db
      const people = await db.selectFrom('person').select(sql<string>`count(*)`.as('n')).where('county_code', '=', DEMO_COUNTY).executeTakeFirstOrThrow()
      const audits = await db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).where('county_code', '=', DEMO_COUNTY).where('action', '=', 'person.import.create').executeTakeFirstOrThrow()
      if (created !== ROWS || Number(people.n) !== ROWS || Number(audits.n) !== ROWS) throw new Error(`import wrote ${created} / ${people.n} people, ${audits.n} audit rows`)
      if (run === 1) {
        const verdict = await verifyChain(db, DEMO_COUNTY)
        if (!verdict.ok) throw new Error(`audit chain broken: ${verdict.problem}`)
      }
      await b.close()

      // The audit rows' content is made outside the timing, as the people's encryption is.
      if (run === 1) auditRows = rawAuditRows(planned)

      // (c)
      const c = await engine.fresh()
      t = performance.now()
      await rawCopyPeople(c, planned)
      const raw = since(t)
      await c.close()

      // (e)
      const e = await engine.fresh()
      t = performance.now()
      await rawCopyPeople(e, planned)
      await rawCopyAudit(e, DEMO_COUNTY, auditRows)
      const rawBoth = since(t)
      await e.close()

      samples.push({ read, full, plan, write, raw, rawBoth })
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
      log(`  run ${run}/${RUNS}: read ${s(read)} | import ${s(full)} (read+check+encrypt ${s(plan)}, write ${s(write)}) | raw COPY people ${s(raw)} | raw COPY people+audit ${s(rawBoth)}`)
    }

    const rate = (pick: (x: Sample) => number) => stats(samples.map((x) => (ROWS / pick(x)) * 1000))
    const ms = (pick: (x: Sample) => number) => stats(samples.map(pick))
    const read = rate((x) => x.read)
    const full = rate((x) => x.full)
    const plan = rate((x) => x.plan)
    const write = rate((x) => x.write)
    const raw = rate((x) => x.raw)
    const rawBoth = rate((x) => x.rawBoth)
    const cpus = os.cpus()
    const load1 = os.loadavg()
    const machine = [
      `- when: ${started.toISOString()}`,
      `- machine: ${cpus.length} CPU (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
      `- node ${process.version}; exceljs ${pkgVersion('exceljs')}; ${engine.name === 'pglite' ? `@electric-sql/pglite ${pkgVersion('@electric-sql/pglite')}` : `pg ${pkgVersion('pg')}, pg-copy-streams ${pkgVersion('pg-copy-streams')}`}`,
      `- database: ${engine.version.split(' on ')[0]}${engine.name === 'pglite' ? ' (on-disk data directory in the temp folder)' : ''}`,
      `- load average (1/5/15 min) before ${load0.map((x) => x.toFixed(2)).join(' / ')}, after ${load1.map((x) => x.toFixed(2)).join(' / ')}`,
      `- file: ${ROWS.toLocaleString('en-US')} people, ${(buf.length / 1e6).toFixed(1)} MB (shared strings, as Excel saves), import template columns; median of ${RUNS} runs`,
    ]
    const pct = (x: Stats, y: Stats) => `${Math.round((x.median / y.median) * 100)}%`
    const fmt = (x: Stats) => `${Math.round(x.median).toLocaleString('en-US')} (${Math.round(x.min).toLocaleString('en-US')}–${Math.round(x.max).toLocaleString('en-US')})`
    const sec = (x: Stats) => (x.median / 1000).toFixed(2)
    const table = [
      '| | measurement | rows/s median (min–max) | s (median) | ratio | target |',
      '|---|---|---|---|---|---|',
      `| a | exceljs streaming read of the file (baseline) | ${fmt(read)} | ${sec(ms((x) => x.read))} | | |`,
      `| b | full import: importPeople (read, check, encrypt, write) | ${fmt(full)} | ${sec(ms((x) => x.full))} | **${pct(full, read)} of (a)** | ≥ 50% |`,
      `| b1 | … of which read + check + encrypt (planPeopleImport) | ${fmt(plan)} | ${sec(ms((x) => x.plan))} | ${pct(plan, read)} of (a) | |`,
      `| c | raw COPY of the same person rows (baseline) | ${fmt(raw)} | ${sec(ms((x) => x.raw))} | | |`,
      `| d | import database write: writePeopleImport (ids, COPY people, audit chain + COPY audit rows, one transaction) | ${fmt(write)} | ${sec(ms((x) => x.write))} | **${pct(write, raw)} of (c)** | ≥ 50% |`,
      `| e | raw COPY of the person rows and their audit rows (what (d) writes) | ${fmt(rawBoth)} | ${sec(ms((x) => x.rawBoth))} | (d) is ${pct(write, rawBoth)} of (e) | |`,
    ]
    const section = [`## ${engine.name === 'pglite' ? 'PGlite' : 'PostgreSQL'}`, '', ...machine, '', ...table, ''].join('\n')
    process.stdout.write(`\n${section}\n`)
    writeResults(engine.name, section)
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
    await engine.dispose()
  }
}

function pkgVersion(name: string): string {
  const file = path.resolve('node_modules', name, 'package.json')
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
}

/** Replaces this engine's section of bench/results/latest.md, keeping the other engine's. */
function writeResults(engine: string, section: string): void {
  const file = path.resolve(import.meta.dirname, 'results', 'latest.md')
  const begin = `<!-- ${engine}:begin -->`
  const end = `<!-- ${engine}:end -->`
  const intro = [
    '# Benchmark results: people Excel import',
    '',
    'Written by `npm run bench` (PGlite) and `DATABASE_URL=… npm run bench` (PostgreSQL); each run replaces its own',
    'engine\'s section. Ratios compare measurements taken in the same run (performance.md, "Suggested goals" 1–3).',
    '',
  ].join('\n')
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : intro
  const block = `${begin}\n${section}${end}`
  const at = text.indexOf(begin)
  const to = text.indexOf(end)
  text = at >= 0 && to > at ? text.slice(0, at) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  log(`  results written to ${path.relative(process.cwd(), file)}`)
}

// `npm run bench` runs every suite; `npm run bench -- tally`, `-- import`, `-- stats` or `-- report` runs one
// (`-- report --quick`: a small rush for smoke checks).
const only = process.argv[2]
if (only && only !== 'tally' && only !== 'import' && only !== 'stats' && only !== 'report') throw new Error(`unknown suite ${only}: tally | import | stats | report`)
if (!only || only === 'tally') {
  const section = benchTally()
  process.stdout.write(`${section}\n`)
  fs.writeFileSync(path.resolve(import.meta.dirname, 'results', 'tally.md'), section)
  log('  results written to bench/results/tally.md')
}
if (!only || only === 'stats') {
  const engine: BenchEngine = process.env.DATABASE_URL ? await postgresEngine(process.env.DATABASE_URL) : await pgliteEngine()
  try {
    const section = await benchStats(engine)
    process.stdout.write(`${section}\n`)
    const file = path.resolve(import.meta.dirname, 'results', `stats-${engine.name}.md`)
    fs.writeFileSync(file, section)
    log(`  results written to ${path.relative(process.cwd(), file)}`)
  } finally {
    await engine.dispose()
  }
}
if (!only || only === 'report') {
  const engine: BenchEngine = process.env.DATABASE_URL ? await postgresEngine(process.env.DATABASE_URL) : await pgliteEngine()
  try {
    const section = await benchReport(engine)
    process.stdout.write(`${section}\n`)
    // A quick smoke run does not replace the full run's results.
    if (!REPORT_QUICK) {
      const file = path.resolve(import.meta.dirname, 'results', `report-${engine.name}.md`)
      fs.writeFileSync(file, section)
      log(`  results written to ${path.relative(process.cwd(), file)}`)
    }
  } finally {
    await engine.dispose()
  }
}
if (!only || only === 'import') await main()
