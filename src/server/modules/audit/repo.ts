import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import type { AuditLogRow, AuditLogTable } from './table.ts'
import { GENESIS_HASH } from './hash.ts'

/** Locks the county's chain head (creating it on first use) and returns it. */
export async function lockHead(trx: Transaction<DB>, countyCode: string): Promise<{ seq: string; hash: string }> {
  await trx
    .insertInto('audit_head')
    .values({ county_code: countyCode, seq: '0', hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('county_code').doNothing())
    .execute()
  return trx.selectFrom('audit_head').select(['seq', 'hash']).where('county_code', '=', countyCode).forUpdate().executeTakeFirstOrThrow()
}

export async function appendRow(trx: Transaction<DB>, row: AuditLogTable): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute()
  await trx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('county_code', '=', row.county_code).execute()
}

/** Inserts consecutive rows of one county (chunked under the parameter limit) and moves the head. */
export async function appendRows(trx: Transaction<DB>, rows: AuditLogTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute()
  const last = rows[rows.length - 1]!
  await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('county_code', '=', last.county_code).execute()
}

export interface AuditFilter {
  countyCode: string
  territoryPrefix?: string
  action?: string
  actor?: string
  objectType?: string
  from?: Date
  to?: Date
}

function filtered(db: Kysely<DB>, f: AuditFilter) {
  let q = db.selectFrom('audit_log').where('county_code', '=', f.countyCode)
  if (f.territoryPrefix) q = q.where('territory_code', 'like', `${f.territoryPrefix}%`)
  if (f.action) q = q.where('action', '=', f.action)
  if (f.objectType) q = q.where('object_type', '=', f.objectType)
  if (f.actor) q = q.where('actor_name', 'like', containing(f.actor))
  if (f.from) q = q.where('at', '>=', f.from)
  if (f.to) q = q.where('at', '<', f.to)
  return q
}

export async function pageAudit(db: Kysely<DB>, f: AuditFilter, page: number, pageSize: number): Promise<{ rows: AuditLogRow[]; total: number }> {
  const rows = await filtered(db, f)
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}

/** Reads a county's chain in order, a batch at a time, so verification needs little memory. */
export async function* chainRows(db: Kysely<DB>, countyCode: string, batch = 2000): AsyncGenerator<AuditLogRow> {
  let after = '-1'
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('county_code', '=', countyCode)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(batch)
      .execute()
    for (const r of rows) yield r
    if (rows.length < batch) return
    after = rows[rows.length - 1]!.seq
  }
}

export async function readHead(db: Kysely<DB>, countyCode: string) {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('county_code', '=', countyCode).executeTakeFirst()
}

export async function chainCounties(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('audit_head').select('county_code').orderBy('county_code').execute()
  return rows.map((r) => r.county_code)
}
