import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import type { DB } from './schema.ts'
import { acquireDataDirLock, type DataDirLock } from './lock.ts'
import { pgBulkSource, pgliteBulkSource, registerBulkSource } from './bulk.ts'
import { prepareStatements } from './prepared.ts'

export type Engine = 'pglite' | 'postgresql'

export interface Database {
  readonly db: Kysely<DB>
  readonly engine: Engine
  close(): Promise<void>
}

// Dates (not timestamps) stay 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone.
pg.types.setTypeParser(1082, (v: string) => v)

export class DataDirError extends Error {}

/**
 * The one place that knows which engine runs. Everything else gets a Kysely<DB> over pg.Pool,
 * fed either by PGlite's node-postgres adapter or by a real server.
 */
export async function createDb(opts: { databaseUrl?: string | undefined; dataDir?: string; pglite?: PGlite }): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 })
    // An idle connection dropped by the server (restart, admin kill) must not crash the process:
    // the pool discards it and opens a new one on the next query.
    pool.on('error', (err) => console.error(`数据库连接中断（将自动重连）：${err.message}`))
    prepareStatements(pool)
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    registerBulkSource(db, pgBulkSource(pool))
    const close = async () => {
      await db.destroy()
      // Bulk loads take connections from the pool directly: if Kysely itself never connected,
      // destroy() leaves the pool open.
      if (!pool.ending) await pool.end()
    }
    return { db, engine: 'postgresql', close }
  }
  let lock: DataDirLock | undefined
  let pglite = opts.pglite
  const owned = pglite === undefined
  if (!pglite) {
    if (!opts.dataDir) throw new Error('dataDir or databaseUrl is required')
    fs.mkdirSync(opts.dataDir, { recursive: true })
    lock = acquireDataDirLock(opts.dataDir)
    try {
      checkDataDir(opts.dataDir)
      pglite = await PGlite.create(path.join(opts.dataDir, 'pgdata'))
    } catch (err) {
      lock.release()
      throw err
    }
  }
  const pool = new pg.Pool(createPgConfig(pglite))
  prepareStatements(pool)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  registerBulkSource(db, pgliteBulkSource(db, pglite))
  const instance = pglite
  return {
    db,
    engine: 'pglite',
    async close() {
      await db.destroy()
      // A clean close checkpoints; PGlite never fsyncs otherwise (quality.md §4.2).
      if (owned) await instance.close()
      lock?.release()
    },
  }
}

/** A half-built or damaged directory makes PGlite abort; say what to do instead. */
function checkDataDir(dataDir: string): void {
  const pgdata = path.join(dataDir, 'pgdata')
  if (!fs.existsSync(pgdata) || fs.readdirSync(pgdata).length === 0) return
  const complete = fs.existsSync(path.join(pgdata, 'PG_VERSION')) && fs.existsSync(path.join(pgdata, 'global', 'pg_control'))
  if (!complete) {
    throw new DataDirError(
      `数据目录 ${pgdata} 不完整（可能是首次初始化被中断）。请把它移走后重新启动，` +
        `或用 "huanjie restore 备份文件" 恢复到一个空目录。系统不会自动删除它。`,
    )
  }
}
