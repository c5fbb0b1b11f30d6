import { createHash } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'

type Handle = Kysely<any> | Transaction<any>

/** Tables that are not data: migration bookkeeping, and sessions (live logins do not travel). */
const notData = new Set(['kysely_migration', 'kysely_migration_lock', 'session'])

export interface TableInfo {
  name: string
  /** Primary-key columns, for a stable row order. */
  key: string[]
}

/**
 * The application's data tables in an order where every table comes after the tables its
 * foreign keys point to, read from the catalog so a new module's tables are never forgotten.
 */
export async function dataTables(db: Handle): Promise<TableInfo[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' order by c.relname collate "C"`.execute(db)
  const { rows: deps } = await sql<{ child: string; parent: string }>`
    select cc.relname as child, pc.relname as parent from pg_constraint k
    join pg_class cc on cc.oid = k.conrelid join pg_class pc on pc.oid = k.confrelid
    join pg_namespace n on n.oid = cc.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()
    order by cc.relname collate "C", pc.relname collate "C"`.execute(db)
  const { rows: keys } = await sql<{ name: string; col: string; pos: number }>`
    select c.relname as name, a.attname as col, array_position(i.indkey::int2[], a.attnum) as pos
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey::int2[])
    where i.indisprimary and n.nspname = current_schema()`.execute(db)
  const names = tables.map((t) => t.name).filter((n) => !notData.has(n))
  const ordered: string[] = []
  const visit = (n: string, path: Set<string>) => {
    if (ordered.includes(n) || path.has(n)) return
    path.add(n)
    for (const d of deps) if (d.child === n && d.parent !== n && names.includes(d.parent)) visit(d.parent, path)
    ordered.push(n)
  }
  for (const n of names) visit(n, new Set())
  return ordered.map((name) => ({
    name,
    key: keys
      .filter((k) => k.name === name)
      .sort((a, b) => a.pos - b.pos)
      .map((k) => k.col),
  }))
}

/**
 * Rows as jsonb text, in key order, with timestamps rendered in UTC: the exact, engine-neutral
 * form that backups carry and digests hash. Must run inside a transaction (SET LOCAL).
 */
export async function* tableRows(trx: Transaction<any>, t: TableInfo, batch = 1000): AsyncGenerator<string[]> {
  await sql`set local timezone = 'UTC'`.execute(trx)
  const order = t.key.length ? sql.join(t.key.map((k) => sql.ref(`t.${k}`))) : sql`1`
  for (let offset = 0; ; offset += batch) {
    const { rows } = await sql<{ r: string }>`select to_jsonb(t)::text as r from ${sql.table(t.name)} t order by ${order} limit ${batch} offset ${offset}`.execute(trx)
    if (rows.length) yield rows.map((x) => x.r)
    if (rows.length < batch) return
  }
}

export interface TableDigest {
  table: string
  rows: number
  sha256: string
}

/** One SHA-256 per table over its rows in key order: equal digests mean equal contents. */
export async function tableDigests(db: Kysely<any>): Promise<TableDigest[]> {
  return db.transaction().execute((trx) => digestsIn(trx))
}

/** The same, inside a transaction the caller holds (restore checks before it commits). */
export async function digestsIn(trx: Transaction<any>): Promise<TableDigest[]> {
  const out: TableDigest[] = []
  for (const t of await dataTables(trx)) {
    const h = createHash('sha256')
    let n = 0
    for await (const rows of tableRows(trx, t)) {
      for (const r of rows) h.update(r).update('\n')
      n += rows.length
    }
    out.push({ table: t.name, rows: n, sha256: h.digest('hex') })
  }
  return out
}
