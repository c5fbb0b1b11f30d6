import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { BulkColumn, BulkWriter } from '../../db/bulk.ts'
import { containing } from '../../db/like.ts'
import type { AuditLogRow, AuditLogTable } from './table.ts'
import { GENESIS_HASH } from './hash.ts'

/**
 * Locks the county's chain head and returns it, creating it on a county's first write. The lock
 * is read first: an insert-if-missing on every write would queue behind the current holder.
 */
export async function lockHead(trx: Transaction<DB>, countyCode: string): Promise<{ seq: string; hash: string }> {
  const head = await selectHeadForUpdate(trx, countyCode)
  if (head) return head
  await trx
    .insertInto('audit_head')
    .values({ county_code: countyCode, seq: '0', hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('county_code').doNothing())
    .execute()
  return (await selectHeadForUpdate(trx, countyCode))!
}

function selectHeadForUpdate(trx: Transaction<DB>, countyCode: string) {
  return trx.selectFrom('audit_head').select(['seq', 'hash']).where('county_code', '=', countyCode).forUpdate().executeTakeFirst()
}

/**
 * Adds one row and moves the head to it in one statement, the database completing the hash
 * material (`pre` + seq + '","' + previous hash + `post`, see chainMaterialParts): the UPDATE
 * locks the head, and reads it as it is once any writer before it has committed, so concurrent
 * appends queue and each gets the hash before it. Returns the new hash, or undefined when the
 * county has no head yet.
 */
export async function appendMovingHead(trx: Transaction<DB>, row: Omit<AuditLogTable, 'seq' | 'prev_hash' | 'hash'>, pre: string, post: string): Promise<string | undefined> {
  const digest = typeof row.digest === 'string' ? row.digest : JSON.stringify(row.digest)
  const r = await sql<{ hash: string }>`
    with moved as (
      update audit_head
      set seq = seq + 1, prev_hash = hash, hash = encode(sha256(convert_to(${pre} || (seq + 1)::text || '","' || hash || ${post}, 'UTF8')), 'hex')
      where county_code = ${row.county_code}
      returning seq, prev_hash, hash
    )
    insert into audit_log (county_code, seq, prev_hash, hash, at, actor_id, actor_name, role, territory_code, action, object_type, object_id, result, digest, request_id, ip)
    select ${row.county_code}, seq, prev_hash, hash, ${row.at}::timestamptz, ${row.actor_id}::bigint, ${row.actor_name}, ${row.role}, ${row.territory_code}, ${row.action}, ${row.object_type},
      ${row.object_id}, ${row.result}, ${digest}::jsonb, ${row.request_id}, ${row.ip}
    from moved
    returning hash`.execute(trx)
  return r.rows[0]?.hash
}

/**
 * Inserts consecutive rows of one county (consumed once, in order) and moves the head to the
 * last: through `bulk` (COPY) for an import of thousands of rows, else chunked under the
 * parameter limit. `digest` may be given as its JSON text.
 */
export async function appendRows(trx: Transaction<DB>, rows: Iterable<AuditLogTable>, bulk?: BulkWriter): Promise<void> {
  const tail: { row?: AuditLogTable } = {}
  function* tracked() {
    for (const r of rows) {
      tail.row = r
      yield r
    }
  }
  if (bulk) {
    const values = function* () {
      for (const r of tracked()) {
        const digest = typeof r.digest === 'string' ? r.digest : JSON.stringify(r.digest)
        yield [r.county_code, r.seq, r.prev_hash, r.hash, r.at, r.actor_id, r.actor_name, r.role, r.territory_code, r.action, r.object_type, r.object_id, r.result, digest, r.request_id, r.ip]
      }
    }
    await bulk.insert('audit_log', auditColumns, values())
  } else {
    let chunk: AuditLogTable[] = []
    for (const r of tracked()) {
      chunk.push(r)
      if (chunk.length === 500) {
        await trx.insertInto('audit_log').values(chunk).execute()
        chunk = []
      }
    }
    if (chunk.length) await trx.insertInto('audit_log').values(chunk).execute()
  }
  if (!tail.row) return
  await trx.updateTable('audit_head').set({ seq: tail.row.seq, hash: tail.row.hash }).where('county_code', '=', tail.row.county_code).execute()
}

const auditColumns: BulkColumn[] = [
  { name: 'county_code', type: 'text' },
  { name: 'seq', type: 'bigint' },
  { name: 'prev_hash', type: 'text' },
  { name: 'hash', type: 'text' },
  { name: 'at', type: 'timestamptz' },
  { name: 'actor_id', type: 'bigint' },
  { name: 'actor_name', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'territory_code', type: 'text' },
  { name: 'action', type: 'text' },
  { name: 'object_type', type: 'text' },
  { name: 'object_id', type: 'text' },
  { name: 'result', type: 'text' },
  { name: 'digest', type: 'jsonb' },
  { name: 'request_id', type: 'text' },
  { name: 'ip', type: 'text' },
]

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
