import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { TallyBody, TallyPost } from '../../../rules/tally/types.ts'
import type { ElectionCandidateTable, ElectionTable, ResultState, StaffRole, StationKind, TallyResultTable } from './table.ts'
import type { Insertable, Updateable } from 'kysely'

type Handle = Kysely<DB> | Transaction<DB>

const electionColumns = (db: Handle) =>
  db
    .selectFrom('election as e')
    .innerJoin('territory as u', (j) => j.onRef('u.county_code', '=', 'e.county_code').onRef('u.code', '=', 'e.unit_code'))
    .leftJoin('territory as t', (j) => j.onRef('t.county_code', '=', 'u.county_code').onRef('t.code', '=', 'u.parent_code'))
    .selectAll('e')
    .select(['u.name as unit_name', 'u.kind as unit_kind', sql<string>`coalesce(t.name, '')`.as('township_name')])

export type ElectionListRow = Awaited<ReturnType<typeof findElection>> & object

export async function findElection(db: Handle, countyCode: string, id: string) {
  return electionColumns(db).where('e.county_code', '=', countyCode).where('e.id', '=', id).executeTakeFirst()
}

export interface ElectionFilter {
  countyCode: string
  unitPrefix: string
  onlyUnits?: string[]
  body?: TallyBody
}

function filtered(db: Handle, f: ElectionFilter) {
  let q = electionColumns(db).where('e.county_code', '=', f.countyCode).where('e.unit_code', 'like', `${f.unitPrefix}%`)
  if (f.onlyUnits) q = q.where('e.unit_code', 'in', f.onlyUnits.length ? f.onlyUnits : [''])
  if (f.body) q = q.where('e.body', '=', f.body)
  return q
}

export async function listElections(db: Handle, f: ElectionFilter) {
  return filtered(db, f).orderBy('e.held_on', 'desc').orderBy('e.unit_code').orderBy('e.id', 'desc').execute()
}

export async function insertElection(trx: Transaction<DB>, row: Insertable<ElectionTable>) {
  return trx.insertInto('election').values(row).returning('id').executeTakeFirstOrThrow()
}

export async function updateElection(trx: Transaction<DB>, countyCode: string, id: string, version: number, patch: Updateable<ElectionTable>) {
  const r = await trx
    .updateTable('election')
    .set({ ...patch, version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function deleteElection(trx: Transaction<DB>, countyCode: string, id: string) {
  await trx.deleteFrom('election').where('county_code', '=', countyCode).where('id', '=', id).execute()
}

export async function postsOf(db: Handle, countyCode: string, electionIds: string[]) {
  if (!electionIds.length) return []
  return db.selectFrom('election_post').selectAll().where('county_code', '=', countyCode).where('election_id', 'in', electionIds).execute()
}

export async function replacePosts(trx: Transaction<DB>, countyCode: string, electionId: string, posts: { post: TallyPost; seats: number }[]) {
  await trx.deleteFrom('election_post').where('county_code', '=', countyCode).where('election_id', '=', electionId).execute()
  await trx
    .insertInto('election_post')
    .values(posts.map((p) => ({ county_code: countyCode, election_id: electionId, post: p.post, seats: p.seats })))
    .execute()
}

export async function candidatesOf(db: Handle, countyCode: string, electionIds: string[]) {
  if (!electionIds.length) return []
  return db
    .selectFrom('election_candidate')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('election_id', 'in', electionIds)
    .orderBy('election_id')
    .orderBy('position')
    .execute()
}

export async function replaceCandidates(trx: Transaction<DB>, countyCode: string, electionId: string, rows: Omit<Insertable<ElectionCandidateTable>, 'county_code' | 'election_id'>[]) {
  await trx.deleteFrom('election_candidate').where('county_code', '=', countyCode).where('election_id', '=', electionId).execute()
  if (rows.length) await trx.insertInto('election_candidate').values(rows.map((r) => ({ ...r, county_code: countyCode, election_id: electionId }))).execute()
}

export async function staffOf(db: Handle, countyCode: string, electionId: string) {
  return db.selectFrom('election_staff').selectAll().where('county_code', '=', countyCode).where('election_id', '=', electionId).orderBy('id').execute()
}

export async function replaceStaff(trx: Transaction<DB>, countyCode: string, electionId: string, rows: { role: StaffRole; name: string }[]) {
  await trx.deleteFrom('election_staff').where('county_code', '=', countyCode).where('election_id', '=', electionId).execute()
  if (rows.length) await trx.insertInto('election_staff').values(rows.map((r) => ({ ...r, county_code: countyCode, election_id: electionId }))).execute()
}

export async function stationsOf(db: Handle, countyCode: string, electionId: string) {
  return db.selectFrom('election_station').selectAll().where('county_code', '=', countyCode).where('election_id', '=', electionId).orderBy('position').execute()
}

export async function replaceStations(trx: Transaction<DB>, countyCode: string, electionId: string, rows: { kind: StationKind; name: string }[]) {
  await trx.deleteFrom('election_station').where('county_code', '=', countyCode).where('election_id', '=', electionId).execute()
  if (rows.length) {
    await trx
      .insertInto('election_station')
      .values(rows.map((r, i) => ({ ...r, position: i + 1, county_code: countyCode, election_id: electionId })))
      .execute()
  }
}

/** Results without the scan's bytes. */
const resultColumns = (db: Handle) =>
  db
    .selectFrom('tally_result as r')
    .select([
      'r.county_code',
      'r.id',
      'r.election_id',
      'r.corrects_id',
      'r.correction_reason',
      'r.correction_basis',
      'r.mode',
      'r.state',
      'r.sheet',
      'r.outcome',
      'r.discrepancy_note',
      'r.return_note',
      'r.entered_by',
      'r.entered_by_name',
      'r.entered_at',
      'r.seen_by',
      'r.scan_name',
      'r.scan_type',
      'r.scan_sha256',
      'r.confirm_mode',
      'r.confirmed_by',
      'r.confirmed_by_name',
      'r.confirmed_at',
      'r.announced_by',
      'r.announced_at',
      'r.fingerprint',
      'r.chain_head',
      'r.created_at',
      'r.version',
    ])
    .select((eb) =>
      eb
        .selectFrom('tally_result as c')
        .select('c.id')
        .whereRef('c.county_code', '=', 'r.county_code')
        .whereRef('c.corrects_id', '=', 'r.id')
        .orderBy('c.id', 'desc')
        .limit(1)
        .as('corrected_by_id'),
    )
    .select((eb) => eb.selectFrom('tally_ballot as b').select(sql<string>`count(*)`.as('n')).whereRef('b.county_code', '=', 'r.county_code').whereRef('b.result_id', '=', 'r.id').as('ballot_count'))

export type ResultRow = NonNullable<Awaited<ReturnType<typeof findResult>>>

export async function findResult(db: Handle, countyCode: string, id: string) {
  return resultColumns(db).where('r.county_code', '=', countyCode).where('r.id', '=', id).executeTakeFirst()
}

export async function resultsOf(db: Handle, countyCode: string, electionIds: string[]) {
  if (!electionIds.length) return []
  return resultColumns(db).where('r.county_code', '=', countyCode).where('r.election_id', 'in', electionIds).orderBy('r.id').execute()
}

export async function insertResult(trx: Transaction<DB>, row: Insertable<TallyResultTable>) {
  return trx.insertInto('tally_result').values(row).returning('id').executeTakeFirstOrThrow()
}

export async function updateResult(trx: Transaction<DB>, countyCode: string, id: string, version: number, from: ResultState, patch: Updateable<TallyResultTable>) {
  const r = await trx
    .updateTable('tally_result')
    .set({ ...patch, version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function scanOf(db: Handle, countyCode: string, id: string) {
  return db.selectFrom('tally_result').select(['scan', 'scan_name', 'scan_type']).where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function ballotsOf(db: Handle, countyCode: string, resultId: string) {
  return db.selectFrom('tally_ballot').select(['seq', 'ballot']).where('county_code', '=', countyCode).where('result_id', '=', resultId).orderBy('seq').execute()
}

export async function appendBallots(trx: Transaction<DB>, countyCode: string, resultId: string, ballots: unknown[]) {
  // The result row is locked by the caller, so the next sequence number cannot race.
  const last = await trx
    .selectFrom('tally_ballot')
    .select(sql<number>`coalesce(max(seq), 0)::int`.as('seq'))
    .where('county_code', '=', countyCode)
    .where('result_id', '=', resultId)
    .executeTakeFirstOrThrow()
  for (let i = 0; i < ballots.length; i += 1000) {
    await trx
      .insertInto('tally_ballot')
      .values(ballots.slice(i, i + 1000).map((b, j) => ({ county_code: countyCode, result_id: resultId, seq: last.seq + i + j + 1, ballot: JSON.stringify(b) })))
      .execute()
  }
  return last.seq + ballots.length
}

export async function deleteLastBallot(trx: Transaction<DB>, countyCode: string, resultId: string) {
  const r = await trx
    .deleteFrom('tally_ballot')
    .where('county_code', '=', countyCode)
    .where('result_id', '=', resultId)
    .where('seq', '=', (eb) => eb.selectFrom('tally_ballot').select(sql<number>`max(seq)`.as('m')).where('county_code', '=', countyCode).where('result_id', '=', resultId))
    .returning('seq')
    .executeTakeFirst()
  return r?.seq ?? null
}

export async function copyBallots(trx: Transaction<DB>, countyCode: string, fromId: string, toId: string) {
  await sql`insert into tally_ballot (county_code, result_id, seq, ballot)
    select county_code, ${toId}, seq, ballot from tally_ballot where county_code = ${countyCode} and result_id = ${fromId}`.execute(trx)
}

/** Locks the result row for the rest of the transaction (ballot appends and state changes serialise on it). */
export async function lockResult(trx: Transaction<DB>, countyCode: string, id: string) {
  return trx.selectFrom('tally_result').select(['id', 'state', 'version']).where('county_code', '=', countyCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function getRuleSet(db: Handle, countyCode: string) {
  return db.selectFrom('tally_rule_set').selectAll().where('county_code', '=', countyCode).executeTakeFirst()
}

export async function saveRuleSet(trx: Transaction<DB>, countyCode: string, rules: Record<string, unknown>, by: string) {
  await trx
    .insertInto('tally_rule_set')
    .values({ county_code: countyCode, rules: JSON.stringify(rules), updated_by: by })
    .onConflict((oc) => oc.column('county_code').doUpdateSet({ rules: JSON.stringify(rules), updated_by: by, updated_at: new Date(), version: sql`tally_rule_set.version + 1` }))
    .execute()
}

/** How many election ballots name this person (their registration must then stay). */
export async function countCandidacies(db: Handle, countyCode: string, personId: string): Promise<number> {
  const r = await db.selectFrom('election_candidate').select(sql<string>`count(*)`.as('n')).where('county_code', '=', countyCode).where('person_id', '=', personId).executeTakeFirstOrThrow()
  return Number(r.n)
}
