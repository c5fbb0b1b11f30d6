import fs from 'node:fs'
import readline from 'node:readline'
import zlib from 'node:zlib'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.ts'
import { currentMigration, migrateTo, migrateToLatest } from './migrate.ts'
import { dataTables, digestsIn, tableRows, type TableDigest } from './tables.ts'

/**
 * Logical backup: gzip'd JSON lines. A header, then per table its rows as jsonb objects and a
 * closing line with the row count and SHA-256. Plain SQL types only, so a backup taken on PGlite
 * restores into PostgreSQL 15 and back — the way to move a county off the embedded database.
 */
export const BACKUP_FORMAT = 'huanjie-backup'
export const BACKUP_VERSION = 1

interface Header {
  format: string
  version: number
  migration: string | null
  engine: string
  createdAt: string
}

export async function backup(db: Kysely<DB>, file: string, engine: string): Promise<{ tables: TableDigest[] }> {
  const tmp = `${file}.part`
  const gz = zlib.createGzip()
  const out = fs.createWriteStream(tmp, { mode: 0o600 })
  gz.pipe(out)
  const write = async (obj: unknown) => {
    if (!gz.write(`${JSON.stringify(obj)}\n`)) await once(gz, 'drain')
  }
  const tables: TableDigest[] = []
  try {
    // One transaction: every table is read from the same snapshot.
    await db.transaction().execute(async (trx) => {
      await sql`set transaction isolation level repeatable read`.execute(trx)
      const header: Header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, migration: await currentMigration(trx), engine, createdAt: new Date().toISOString() }
      await write(header)
      for (const t of await dataTables(trx)) {
        const h = createHash('sha256')
        let n = 0
        for await (const rows of tableRows(trx, t)) {
          for (const r of rows) h.update(r).update('\n')
          n += rows.length
          await write({ table: t.name, rows: rows.map((r) => JSON.parse(r) as unknown) })
        }
        const digest = { table: t.name, rows: n, sha256: h.digest('hex') }
        tables.push(digest)
        await write({ end: t.name, count: n, sha256: digest.sha256 })
      }
    })
    gz.end()
    await once(out, 'finish')
    // Only a complete file takes the final name: a crash never leaves a half backup that looks whole.
    fs.renameSync(tmp, file)
  } catch (err) {
    gz.destroy()
    out.destroy()
    fs.rmSync(tmp, { force: true })
    throw err
  }
  return { tables }
}

export class RestoreError extends Error {}

export interface RestoreResult {
  migration: string | null
  tables: TableDigest[]
}

/**
 * Restores into an empty database (either engine): migrates to the backup's schema version,
 * loads every table in one transaction, checks each table's count and digest against the
 * backup, then migrates to the latest version. Any mismatch rolls everything back.
 */
export async function restore(db: Kysely<DB>, file: string): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new RestoreError(`备份文件不存在：${file}`)
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity })
  const it = lines[Symbol.asyncIterator]()
  const first = await it.next()
  let header: Header
  try {
    header = JSON.parse(String(first.value)) as Header
  } catch {
    throw new RestoreError('备份文件格式不正确（无法读取文件头）')
  }
  if (header.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION) throw new RestoreError('这不是 huanjie 的备份文件，或版本不受支持')
  if (header.migration) await migrateTo(db, header.migration)
  const tables = await dataTables(db)
  for (const t of tables) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(t.name)}`.execute(db)
    if (Number(rows[0]?.n) > 0) throw new RestoreError(`目标数据库不是空的（表 ${t.name} 已有数据），只能恢复到空数据库`)
  }
  const expected: TableDigest[] = []
  let actual: TableDigest[] = []
  await db.transaction().execute(async (trx) => {
    for (;;) {
      const next = await it.next()
      if (next.done) break
      if (!next.value) continue
      const line = JSON.parse(next.value) as { table?: string; rows?: unknown[]; end?: string; count?: number; sha256?: string }
      if (line.table && line.rows) {
        if (!tables.some((t) => t.name === line.table)) throw new RestoreError(`备份中的表 ${line.table} 在目标数据库中不存在`)
        // jsonb_populate_recordset maps each object back to the table's own column types.
        await sql`insert into ${sql.table(line.table)} select * from jsonb_populate_recordset(null::${sql.table(line.table)}, ${JSON.stringify(line.rows)}::jsonb)`.execute(trx)
      } else if (line.end) {
        expected.push({ table: line.end, rows: line.count ?? 0, sha256: line.sha256 ?? '' })
      }
    }
    // Identity columns continue after the restored ids.
    const { rows: idents } = await sql<{ t: string; c: string }>`
      select table_name as t, column_name as c from information_schema.columns
      where table_schema = current_schema() and is_identity = 'YES'`.execute(trx)
    for (const { t, c } of idents) {
      await sql`select setval(pg_get_serial_sequence(${t}, ${c}), coalesce((select max(${sql.ref(c)}) from ${sql.table(t)}), 0) + 1, false)`.execute(trx)
    }
    // Checked before commit: a mismatch rolls the whole load back.
    actual = await digestsIn(trx)
    for (const e of expected) {
      const a = actual.find((x) => x.table === e.table)
      if (!a || a.rows !== e.rows || a.sha256 !== e.sha256) {
        throw new RestoreError(`恢复校验失败：表 ${e.table} 的内容与备份不一致（备份 ${e.rows} 行，恢复后 ${a?.rows ?? 0} 行）`)
      }
    }
  })
  await migrateToLatest(db)
  return { migration: header.migration, tables: actual }
}
