import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import type { Severity } from '../../../rules/nominee/index.ts'
import type { BatchStatus, RequestStatus, ReviewBatchRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

// ---- batches

export interface BatchFilter {
  countyCode: string
  prefix: string
  status?: BatchStatus
}

export async function listBatches(db: Handle, f: BatchFilter) {
  let q = db
    .selectFrom('review_batch')
    .innerJoin('territory', (j) => j.onRef('territory.county_code', '=', 'review_batch.county_code').onRef('territory.code', '=', 'review_batch.township_code'))
    .selectAll('review_batch')
    .select('territory.name as township_name')
    .select((eb) => [
      eb
        .selectFrom('nominee')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('nominee.county_code', '=', 'review_batch.county_code')
        .whereRef('nominee.batch_id', '=', 'review_batch.id')
        .as('nominee_count'),
      eb
        .selectFrom('review_request')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('review_request.county_code', '=', 'review_batch.county_code')
        .whereRef('review_request.batch_id', '=', 'review_batch.id')
        .where('review_request.status', '=', 'pending')
        .as('pending_count'),
    ])
    .where('review_batch.county_code', '=', f.countyCode)
    .where('review_batch.township_code', 'like', `${f.prefix}%`)
  if (f.status) q = q.where('review_batch.status', '=', f.status)
  return q.orderBy('review_batch.id', 'desc').execute()
}

export async function findBatch(db: Handle, countyCode: string, id: string): Promise<ReviewBatchRow | undefined> {
  return db.selectFrom('review_batch').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function lockBatch(trx: Transaction<DB>, countyCode: string, id: string): Promise<ReviewBatchRow | undefined> {
  return trx.selectFrom('review_batch').selectAll().where('county_code', '=', countyCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertBatch(trx: Transaction<DB>, row: { county_code: string; township_code: string; title: string; status: BatchStatus; submitted_by: string }) {
  return trx.insertInto('review_batch').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateBatch(trx: Transaction<DB>, countyCode: string, id: string, change: Partial<Pick<ReviewBatchRow, 'status' | 'opened_at' | 'deadline' | 'closed_at'>>) {
  return trx
    .updateTable('review_batch')
    .set({ ...change, version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

// ---- who checks what

/** For each active department, the active circumstances it checks. */
export async function responsibilities(db: Handle, countyCode: string) {
  return db
    .selectFrom('circumstance_department as cd')
    .innerJoin('circumstance as c', (j) => j.onRef('c.county_code', '=', 'cd.county_code').onRef('c.id', '=', 'cd.circumstance_id'))
    .innerJoin('department as d', (j) => j.onRef('d.county_code', '=', 'cd.county_code').onRef('d.id', '=', 'cd.department_id'))
    .select(['cd.department_id', 'd.name as department_name', 'cd.circumstance_id', 'c.severity'])
    .where('cd.county_code', '=', countyCode)
    .where('c.status', '=', 'active')
    .where('d.status', '=', 'active')
    .orderBy('d.sort')
    .orderBy('d.id')
    .orderBy('c.sort')
    .execute()
}

// ---- requests

export async function insertRequests(trx: Transaction<DB>, rows: { county_code: string; batch_id: string; nominee_id: string; department_id: string; deadline: string }[]) {
  const out = []
  for (let i = 0; i < rows.length; i += 500) out.push(...(await trx.insertInto('review_request').values(rows.slice(i, i + 500)).returningAll().execute()))
  return out
}

export async function insertFindings(trx: Transaction<DB>, rows: { county_code: string; request_id: string; circumstance_id: string; severity: Severity }[]) {
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('review_finding').values(rows.slice(i, i + 1000)).execute()
}

export interface RequestFilter {
  countyCode: string
  unitPrefix?: string
  departmentId?: string
  status?: RequestStatus
  /** Pending with a deadline before this date. */
  overdueOn?: string
  batchId?: string
  nomineeIds?: string[]
  keyword?: string
  ids?: string[]
}

function requests(db: Handle, f: RequestFilter) {
  let q = db
    .selectFrom('review_request as r')
    .innerJoin('nominee as n', (j) => j.onRef('n.county_code', '=', 'r.county_code').onRef('n.id', '=', 'r.nominee_id'))
    .innerJoin('person as p', (j) => j.onRef('p.county_code', '=', 'n.county_code').onRef('p.id', '=', 'n.person_id'))
    .innerJoin('territory as u', (j) => j.onRef('u.county_code', '=', 'n.county_code').onRef('u.code', '=', 'n.unit_code'))
    .innerJoin('territory as t', (j) => j.onRef('t.county_code', '=', 'u.county_code').onRef('t.code', '=', 'u.parent_code'))
    .innerJoin('department as d', (j) => j.onRef('d.county_code', '=', 'r.county_code').onRef('d.id', '=', 'r.department_id'))
    .where('r.county_code', '=', f.countyCode)
  if (f.unitPrefix) q = q.where('n.unit_code', 'like', `${f.unitPrefix}%`)
  if (f.departmentId) q = q.where('r.department_id', '=', f.departmentId)
  if (f.status) q = q.where('r.status', '=', f.status)
  if (f.overdueOn) q = q.where('r.status', '=', 'pending').where('r.deadline', '<', f.overdueOn)
  if (f.batchId) q = q.where('r.batch_id', '=', f.batchId)
  if (f.nomineeIds) q = f.nomineeIds.length ? q.where('r.nominee_id', 'in', f.nomineeIds) : q.where(sql<boolean>`false`)
  if (f.ids) q = f.ids.length ? q.where('r.id', 'in', f.ids) : q.where(sql<boolean>`false`)
  if (f.keyword) q = q.where('p.name', 'like', containing(f.keyword))
  return q
}

export type RequestListRow = Awaited<ReturnType<typeof listRequests>>[number]

export async function listRequests(db: Handle, f: RequestFilter, page?: { page: number; pageSize: number }) {
  let q = requests(db, f)
    .selectAll('r')
    .select([
      'n.body',
      'n.post',
      'n.state as nominee_state',
      'n.unit_code',
      'p.name',
      'p.id_number_masked',
      'p.gender',
      'p.birth_date',
      'p.political_status',
      'u.name as unit_name',
      'u.kind as unit_kind',
      't.code as township_code',
      't.name as township_name',
      'd.name as department_name',
    ])
    .orderBy('r.deadline')
    .orderBy('r.id')
  if (page) q = q.limit(page.pageSize).offset((page.page - 1) * page.pageSize)
  return q.execute()
}

export async function countRequests(db: Handle, f: RequestFilter): Promise<number> {
  const { n } = await requests(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number(n)
}

/** Counts per department, in the database (a county has thousands of requests). */
export async function requestCounts(db: Handle, f: RequestFilter, today: string) {
  return requests(db, f)
    .select([
      'r.department_id',
      'd.name as department_name',
      'd.sort',
      sql<string>`count(*) filter (where r.status = 'pending')`.as('pending'),
      sql<string>`count(*) filter (where r.status = 'pending' and r.deadline < ${today})`.as('overdue'),
      sql<string>`count(*) filter (where r.status = 'answered')`.as('answered'),
    ])
    .groupBy(['r.department_id', 'd.name', 'd.sort'])
    .orderBy('d.sort')
    .orderBy('r.department_id')
    .execute()
}

export async function lockRequest(trx: Transaction<DB>, countyCode: string, id: string) {
  return trx.selectFrom('review_request').selectAll().where('county_code', '=', countyCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function findingsOf(db: Handle, countyCode: string, requestIds: string[]) {
  if (!requestIds.length) return []
  return db
    .selectFrom('review_finding as f')
    .innerJoin('circumstance as c', (j) => j.onRef('c.county_code', '=', 'f.county_code').onRef('c.id', '=', 'f.circumstance_id'))
    .select(['f.request_id', 'f.circumstance_id', 'f.severity', 'f.found', 'f.note', 'c.text', 'c.sort'])
    .where('f.county_code', '=', countyCode)
    .where('f.request_id', 'in', requestIds)
    .orderBy('f.request_id')
    .orderBy('c.sort')
    .orderBy('c.id')
    .execute()
}

export async function setFinding(trx: Transaction<DB>, countyCode: string, requestId: string, circumstanceId: string, found: boolean, note: string): Promise<boolean> {
  const r = await trx
    .updateTable('review_finding')
    .set({ found, note })
    .where('county_code', '=', countyCode)
    .where('request_id', '=', requestId)
    .where('circumstance_id', '=', circumstanceId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function markAnswered(trx: Transaction<DB>, countyCode: string, id: string, by: string) {
  return trx
    .updateTable('review_request')
    .set({ status: 'answered', answered_by: by, answered_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function cancelPending(trx: Transaction<DB>, countyCode: string, batchId: string): Promise<number> {
  const r = await trx
    .updateTable('review_request')
    .set({ status: 'cancelled', version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('batch_id', '=', batchId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function cancelPendingOf(trx: Transaction<DB>, countyCode: string, batchId: string, nomineeId: string): Promise<number> {
  const r = await trx
    .updateTable('review_request')
    .set({ status: 'cancelled', version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('batch_id', '=', batchId)
    .where('nominee_id', '=', nomineeId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Every finding of a nominee's live requests in one batch: the input of the verdict. */
export async function nomineeFindings(db: Handle, countyCode: string, nomineeId: string, batchId: string) {
  return db
    .selectFrom('review_finding as f')
    .innerJoin('review_request as r', (j) => j.onRef('r.county_code', '=', 'f.county_code').onRef('r.id', '=', 'f.request_id'))
    .select(['f.severity', 'f.found', 'f.circumstance_id'])
    .where('r.county_code', '=', countyCode)
    .where('r.nominee_id', '=', nomineeId)
    .where('r.batch_id', '=', batchId)
    .where('r.status', '!=', 'cancelled')
    .execute()
}

// ---- evidence

export async function insertEvidence(
  trx: Transaction<DB>,
  row: { county_code: string; request_id: string; file_name: string; content_type: string; size: number; sha256: string; content: Buffer; uploaded_by: string },
) {
  return trx
    .insertInto('review_evidence')
    .values(row)
    .returning(['id', 'request_id', 'file_name', 'content_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at'])
    .executeTakeFirstOrThrow()
}

export async function evidenceOf(db: Handle, countyCode: string, requestIds: string[]) {
  if (!requestIds.length) return []
  return db
    .selectFrom('review_evidence')
    .select(['id', 'request_id', 'file_name', 'content_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at'])
    .where('county_code', '=', countyCode)
    .where('request_id', 'in', requestIds)
    .orderBy('id')
    .execute()
}

export async function findEvidence(db: Handle, countyCode: string, requestId: string, id: string) {
  return db.selectFrom('review_evidence').selectAll().where('county_code', '=', countyCode).where('request_id', '=', requestId).where('id', '=', id).executeTakeFirst()
}

export async function deleteEvidence(trx: Transaction<DB>, countyCode: string, id: string): Promise<void> {
  await trx.deleteFrom('review_evidence').where('county_code', '=', countyCode).where('id', '=', id).execute()
}
