import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import type { NomineeState } from '../../../rules/nominee/index.ts'
import type { NomineeRow, NomineeTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface NomineeFilter {
  countyCode: string
  unitPrefix: string
  onlyUnits?: string[]
  states?: NomineeState[]
  batchId?: string
  noticeId?: string
  keyword?: string
  ids?: string[]
  /** Worklists: disqualified without a talk record; or waiting for the county's decision. */
  awaiting?: 'talk' | 'decision'
}

/** A nominee with what every list shows of the person and the unit. */
function joined(db: Handle, f: NomineeFilter) {
  let q = db
    .selectFrom('nominee')
    .innerJoin('person', (j) => j.onRef('person.county_code', '=', 'nominee.county_code').onRef('person.id', '=', 'nominee.person_id'))
    .innerJoin('territory as unit', (j) => j.onRef('unit.county_code', '=', 'nominee.county_code').onRef('unit.code', '=', 'nominee.unit_code'))
    .innerJoin('territory as township', (j) => j.onRef('township.county_code', '=', 'unit.county_code').onRef('township.code', '=', 'unit.parent_code'))
    .where('nominee.county_code', '=', f.countyCode)
    .where('nominee.unit_code', 'like', `${f.unitPrefix}%`)
  if (f.onlyUnits) q = f.onlyUnits.length ? q.where('nominee.unit_code', 'in', f.onlyUnits) : q.where(sql<boolean>`false`)
  if (f.states?.length) q = q.where('nominee.state', 'in', f.states)
  if (f.batchId) q = q.where('nominee.batch_id', '=', f.batchId)
  if (f.noticeId) q = q.where('nominee.notice_id', '=', f.noticeId)
  if (f.ids) q = f.ids.length ? q.where('nominee.id', 'in', f.ids) : q.where(sql<boolean>`false`)
  if (f.keyword) q = q.where('person.name', 'like', containing(f.keyword))
  if (f.awaiting === 'talk') {
    q = q
      .where('nominee.state', '=', 'disqualified')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('talk_record as t').select('t.id').whereRef('t.county_code', '=', 'nominee.county_code').whereRef('t.nominee_id', '=', 'nominee.id'))))
  }
  if (f.awaiting === 'decision') {
    // Every department has answered, something "discourage" was found and no bar: rules/nominee.reviewOutcome's county_decision.
    q = q.where('nominee.state', '=', 'under_review').where((eb) => {
      const findings = (found: boolean | null, severity?: 'bar' | 'discourage') => {
        let sub = eb
          .selectFrom('review_request as r')
          .innerJoin('review_finding as f', (j) => j.onRef('f.county_code', '=', 'r.county_code').onRef('f.request_id', '=', 'r.id'))
          .select('r.id')
          .whereRef('r.county_code', '=', 'nominee.county_code')
          .whereRef('r.nominee_id', '=', 'nominee.id')
          .whereRef('r.batch_id', '=', 'nominee.batch_id')
          .where('r.status', '!=', 'cancelled')
        sub = found === null ? sub.where('f.found', 'is', null) : sub.where('f.found', '=', found)
        if (severity) sub = sub.where('f.severity', '=', severity)
        return sub
      }
      return eb.and([eb.exists(findings(true, 'discourage')), eb.not(eb.exists(findings(true, 'bar'))), eb.not(eb.exists(findings(null)))])
    })
  }
  return q
}

/** How many nominees are in each state, within a scope. */
export async function countByState(db: Handle, f: NomineeFilter) {
  return joined(db, f).select(['nominee.state', sql<string>`count(*)`.as('n')]).groupBy('nominee.state').execute()
}

const columns = [
  'person.name',
  'person.id_number_masked',
  'person.gender',
  'person.birth_date',
  'person.education',
  'person.political_status',
  'person.party_joined_on',
  'person.ethnicity',
  'unit.name as unit_name',
  'unit.kind as unit_kind',
  'township.code as township_code',
  'township.name as township_name',
] as const

export type NomineeListRow = Awaited<ReturnType<typeof listNominees>>[number]

export async function listNominees(db: Handle, f: NomineeFilter, page?: { page: number; pageSize: number }) {
  let q = joined(db, f).selectAll('nominee').select(columns).orderBy('nominee.unit_code').orderBy('nominee.body').orderBy('nominee.id')
  if (page) q = q.limit(page.pageSize).offset((page.page - 1) * page.pageSize)
  return q.execute()
}

export async function countNominees(db: Handle, f: NomineeFilter): Promise<number> {
  const { n } = await joined(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number(n)
}

export async function findNominee(db: Handle, countyCode: string, id: string): Promise<NomineeListRow | undefined> {
  return joined(db, { countyCode, unitPrefix: countyCode }).selectAll('nominee').select(columns).where('nominee.id', '=', id).executeTakeFirst()
}

export async function insertNominee(trx: Transaction<DB>, row: Omit<NomineeTable, 'id' | 'note' | 'version' | 'created_at' | 'updated_at' | 'batch_id' | 'notice_id' | 'return_reason' | 'withdraw_reason' | 'decision' | 'decision_reason' | 'decided_by' | 'decided_at' | 'concluded_at'> & { note?: string }) {
  return trx.insertInto('nominee').values(row).returningAll().executeTakeFirstOrThrow()
}

export type NomineeChange = Partial<Omit<NomineeRow, 'county_code' | 'id' | 'version' | 'created_at' | 'updated_at'>>

/** Changes one nominee if it still has the version the user saw (optimistic lock). */
export async function updateNomineeVersioned(trx: Transaction<DB>, countyCode: string, id: string, version: number, change: NomineeChange) {
  return trx
    .updateTable('nominee')
    .set({ ...change, updated_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

/** Changes a nominee the service has just locked, whatever its version (a step of a larger action). */
export async function updateNominee(trx: Transaction<DB>, countyCode: string, id: string, change: NomineeChange) {
  return trx
    .updateTable('nominee')
    .set({ ...change, updated_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function lockNominees(trx: Transaction<DB>, countyCode: string, ids: string[]): Promise<NomineeRow[]> {
  if (!ids.length) return []
  return trx.selectFrom('nominee').selectAll().where('county_code', '=', countyCode).where('id', 'in', ids).orderBy('id').forUpdate().execute()
}

export async function countByPerson(db: Handle, countyCode: string, personId: string): Promise<number> {
  const { n } = await db.selectFrom('nominee').select(sql<string>`count(*)`.as('n')).where('county_code', '=', countyCode).where('person_id', '=', personId).executeTakeFirstOrThrow()
  return Number(n)
}

export async function findLiveTwin(db: Handle, countyCode: string, personId: string, unitCode: string, body: string, exceptId?: string) {
  let q = db
    .selectFrom('nominee')
    .select(['id', 'state'])
    .where('county_code', '=', countyCode)
    .where('person_id', '=', personId)
    .where('unit_code', '=', unitCode)
    .where('body', '=', body as never)
    .where('state', 'not in', ['withdrawn', 'disqualified'])
  if (exceptId) q = q.where('id', '!=', exceptId)
  return q.executeTakeFirst()
}

export async function objectionsOf(db: Handle, countyCode: string, nomineeIds: string[]) {
  if (!nomineeIds.length) return []
  return db.selectFrom('nominee_objection').selectAll().where('county_code', '=', countyCode).where('nominee_id', 'in', nomineeIds).orderBy('id').execute()
}

export async function insertObjection(trx: Transaction<DB>, row: { county_code: string; nominee_id: string; received_on: string; content: string }) {
  return trx.insertInto('nominee_objection').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function handleObjectionVersioned(
  trx: Transaction<DB>,
  countyCode: string,
  id: string,
  version: number,
  change: { handling: string; upheld: boolean; handled_on: string },
) {
  return trx
    .updateTable('nominee_objection')
    .set({ ...change, version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export async function talksOf(db: Handle, countyCode: string, nomineeIds: string[]) {
  if (!nomineeIds.length) return []
  return db.selectFrom('talk_record').selectAll().where('county_code', '=', countyCode).where('nominee_id', 'in', nomineeIds).orderBy('id').execute()
}

export async function insertTalk(trx: Transaction<DB>, row: { county_code: string; nominee_id: string; talked_on: string; talkers: string; content: string; response: string; recorded_by: string }) {
  return trx.insertInto('talk_record').values(row).returningAll().executeTakeFirstOrThrow()
}
