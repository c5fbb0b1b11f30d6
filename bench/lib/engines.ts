import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { createDb, type Database } from '../../src/server/db/create-db.ts'
import { prepareDatabase } from '../../src/server/modules/setup/prepare.ts'
import { seedDemo } from '../../src/server/modules/setup/demo.ts'

/** One fresh, migrated database holding the demo county, as the application opens it. */
export interface BenchDb {
  database: Database
  /** PGlite: the instance, for the raw COPY baseline. */
  pglite?: PGlite
  /** PostgreSQL: its URL, for the raw COPY baseline's own connection. */
  url?: string
  close(): Promise<void>
}

export interface BenchEngine {
  name: 'pglite' | 'postgresql'
  version: string
  /** A new database copied from the prepared template: every run starts from the same state. */
  fresh(): Promise<BenchDb>
  dispose(): Promise<void>
}

async function prepare(database: Database): Promise<string> {
  await prepareDatabase(database.db)
  await seedDemo(database.db)
  const { rows } = await sql<{ v: string }>`select version() as v`.execute(database.db)
  return rows[0]!.v
}

/** PGlite on disk in a temporary folder: a template data directory, copied for each run. */
export async function pgliteEngine(): Promise<BenchEngine> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'huanjie-bench-'))
  const template = path.join(root, 'template')
  const pglite = await PGlite.create(template)
  const database = await createDb({ pglite })
  const version = await prepare(database)
  await database.close()
  await pglite.close()
  let n = 0
  return {
    name: 'pglite',
    version,
    async fresh() {
      const dir = path.join(root, `run-${++n}`)
      fs.cpSync(template, dir, { recursive: true })
      const instance = await PGlite.create(dir)
      const d = await createDb({ pglite: instance })
      return {
        database: d,
        pglite: instance,
        async close() {
          await d.close()
          await instance.close()
          fs.rmSync(dir, { recursive: true, force: true })
        },
      }
    },
    async dispose() {
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
}

/** PostgreSQL at DATABASE_URL: a template database, and a database made from it for each run. */
export async function postgresEngine(url: string): Promise<BenchEngine> {
  const prefix = `hj_bench_${process.pid}_${randomBytes(3).toString('hex')}`
  const template = `${prefix}_tpl`
  const urlOf = (name: string) => {
    const u = new URL(url)
    u.pathname = `/${name}`
    return u.toString()
  }
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${template}`)
  const database = await createDb({ databaseUrl: urlOf(template) })
  const version = await prepare(database)
  await database.close()
  let n = 0
  // pg.Pool's end() does not wait for its connections to close: a forced drop right away would
  // cut one that is still closing, so first wait for them to go (as test/helpers/db.ts does).
  const drop = async (name: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`drop database if exists ${name}${attempt >= 20 ? ' with (force)' : ''}`)
        return
      } catch (err) {
        if (attempt >= 20) throw err
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }
  return {
    name: 'postgresql',
    version,
    async fresh() {
      const name = `${prefix}_${++n}`
      await admin.query(`create database ${name} template ${template}`)
      const d = await createDb({ databaseUrl: urlOf(name) })
      return {
        database: d,
        url: urlOf(name),
        async close() {
          await d.close()
          await drop(name)
        },
      }
    },
    async dispose() {
      await drop(template)
      await admin.end()
    },
  }
}
