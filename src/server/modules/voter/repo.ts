import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { BulkColumn, BulkWriter } from '../../db/bulk.ts'
import type { VoterCategory } from '../../../rules/voter/index.ts'
import type { NewVoter, VoterRollRow, VoterRow, VoterStatus } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

/**
 * Units under a code prefix as a range of their 12-digit codes rather than LIKE: a range uses the
 * indexes that lead with unit_code under any collation, so a township's page is read in order.
 */
function unitsUnder(prefix: string): [string, string] {
  return [prefix.padEnd(12, '0'), prefix.padEnd(12, '9')]
}

/** A LIKE pattern for text that starts with `text`, the user's own % and _ taken literally. */
function startingWith(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

// ── rolls ──

export async function findRoll(db: Handle, countyCode: string, campaignId: string, unitCode: string): Promise<VoterRollRow | undefined> {
  return db.selectFrom('voter_roll').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).executeTakeFirst()
}

/**
 * The roll, locked against a change of its stage until the transaction ends: writes to its voters
 * share the lock (they do not wait for each other), publishing or freezing takes it exclusively.
 */
export async function shareRoll(trx: Transaction<DB>, countyCode: string, campaignId: string, unitCode: string): Promise<VoterRollRow | undefined> {
  return trx.selectFrom('voter_roll').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).forShare().executeTakeFirst()
}

export async function rollsOf(db: Handle, countyCode: string, campaignId: string, unitCodes: string[]): Promise<VoterRollRow[]> {
  if (unitCodes.length === 0) return []
  return db.selectFrom('voter_roll').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', 'in', unitCodes).execute()
}

/** Creates the roll unless another request just did: undefined then. */
export async function insertRoll(trx: Transaction<DB>, row: { county_code: string; campaign_id: string; unit_code: string; election_day: string; updated_by: string }): Promise<VoterRollRow | undefined> {
  return trx
    .insertInto('voter_roll')
    .values(row)
    .onConflict((oc) => oc.columns(['county_code', 'campaign_id', 'unit_code']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function updateRollVersioned(trx: Transaction<DB>, r: VoterRollRow, version: number, patch: { election_day: string; updated_by: string }): Promise<VoterRollRow | undefined> {
  return trx
    .updateTable('voter_roll')
    .set({ ...patch, updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', r.county_code)
    .where('campaign_id', '=', r.campaign_id)
    .where('unit_code', '=', r.unit_code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

/** The unit's election day in the township's plan (timeline), the roll's first election day. */
export async function plannedDay(db: Handle, countyCode: string, campaignId: string, unitCode: string): Promise<string | null> {
  const r = await db.selectFrom('unit_schedule').select('committee_on').where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).executeTakeFirst()
  return r?.committee_on ?? null
}

/** Active voters of the roll born after `latestBirth`: under 18 on the day it was computed for. */
export async function underage(db: Handle, r: VoterRollRow, latestBirth: string): Promise<{ name: string; birth_date: string }[]> {
  return db
    .selectFrom('voter')
    .select(['name', 'birth_date'])
    .where('county_code', '=', r.county_code)
    .where('campaign_id', '=', r.campaign_id)
    .where('unit_code', '=', r.unit_code)
    .where('status', '=', 'active')
    .where('birth_date', '>', latestBirth)
    .orderBy('birth_date')
    .execute()
}

export async function countActive(db: Handle, r: VoterRollRow): Promise<number> {
  const { n } = await db
    .selectFrom('voter')
    .select(sql<string>`count(*)`.as('n'))
    .where('county_code', '=', r.county_code)
    .where('campaign_id', '=', r.campaign_id)
    .where('unit_code', '=', r.unit_code)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return Number(n)
}

// ── voters ──

export interface VoterFilter {
  countyCode: string
  campaignId: string
  /** Code prefix of the units to list (a township's 9 digits, a unit's 12, the county's 6). */
  prefix: string
  /** A contact cadre's assigned units; undefined for everyone else. */
  onlyUnits?: string[]
  group?: string
  category?: VoterCategory
  status: VoterStatus
  /** Name prefix, or pinyin initials prefix when it is all Latin letters. */
  q?: string
}

function filtered(db: Handle, f: VoterFilter) {
  let q = db
    .selectFrom('voter')
    .where('voter.county_code', '=', f.countyCode)
    .where('voter.campaign_id', '=', f.campaignId)
    .where('voter.status', '=', f.status)
  q = f.prefix.length === 12 ? q.where('voter.unit_code', '=', f.prefix) : q.where((eb) => eb.between('voter.unit_code', ...unitsUnder(f.prefix)))
  if (f.onlyUnits) q = f.onlyUnits.length ? q.where('voter.unit_code', 'in', f.onlyUnits) : q.where(sql<boolean>`false`)
  if (f.group !== undefined) q = q.where('voter.village_group', '=', f.group)
  if (f.category) q = q.where('voter.category', '=', f.category)
  if (f.q) q = /^[a-z]+$/i.test(f.q) ? q.where('voter.name_initials', 'like', startingWith(f.q.toLowerCase())) : q.where('voter.name', 'like', startingWith(f.q))
  return q
}

export type VoterListRow = VoterRow & { unit_name: string }

export async function pageVoters(db: Handle, f: VoterFilter, page: number, pageSize: number): Promise<{ rows: VoterListRow[]; total: number }> {
  const rows = await filtered(db, f)
    .innerJoin('territory', (j) => j.onRef('territory.county_code', '=', 'voter.county_code').onRef('territory.code', '=', 'voter.unit_code'))
    .selectAll('voter')
    .select('territory.name as unit_name')
    // The order of the search index: a unit's page is read from it without a sort.
    .orderBy('voter.unit_code')
    .orderBy('voter.village_group')
    .orderBy('voter.name_initials')
    .orderBy('voter.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}

export async function findVoter(db: Handle, countyCode: string, id: string): Promise<VoterRow | undefined> {
  return db.selectFrom('voter').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

/** The person's active entry on any roll of the county in the campaign (there is at most one). */
export async function findActiveByIndex(db: Handle, countyCode: string, campaignId: string, index: string): Promise<VoterRow | undefined> {
  return db
    .selectFrom('voter')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', campaignId)
    .where('id_number_index', '=', index)
    .where('status', '=', 'active')
    .executeTakeFirst()
}

/** The same for many people at once, one array parameter however many (see person's findByIndexes). */
export async function findActiveByIndexes(db: Handle, countyCode: string, campaignId: string, indexes: string[]): Promise<Pick<VoterRow, 'id_number_index' | 'unit_code'>[]> {
  if (indexes.length === 0) return []
  return db
    .selectFrom('voter')
    .select(['id_number_index', 'unit_code'])
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'active')
    .where(sql<boolean>`id_number_index = any(${indexes}::bpchar[])`)
    .execute()
}

/** Active voters of the campaign with exactly this name in the given units (the door-step lookup). */
export async function findByName(db: Handle, countyCode: string, campaignId: string, name: string, prefix: string, onlyUnits: string[] | undefined, limit: number): Promise<VoterListRow[]> {
  let q = db
    .selectFrom('voter')
    .innerJoin('territory', (j) => j.onRef('territory.county_code', '=', 'voter.county_code').onRef('territory.code', '=', 'voter.unit_code'))
    .selectAll('voter')
    .select('territory.name as unit_name')
    .where('voter.county_code', '=', countyCode)
    .where('voter.campaign_id', '=', campaignId)
    .where('voter.name', '=', name)
    .where('voter.status', '=', 'active')
    .where((eb) => eb.between('voter.unit_code', ...unitsUnder(prefix)))
  if (onlyUnits) q = onlyUnits.length ? q.where('voter.unit_code', 'in', onlyUnits) : q.where(sql<boolean>`false`)
  return q.orderBy('voter.unit_code').orderBy('voter.id').limit(limit).execute()
}

export async function insertVoter(trx: Transaction<DB>, row: NewVoter): Promise<VoterRow> {
  return trx.insertInto('voter').values(row).returningAll().executeTakeFirstOrThrow()
}

export type VoterPatch = Pick<VoterRow, 'name' | 'name_initials' | 'village_group' | 'category' | 'living_since' | 'meeting_approved_on' | 'deprived' | 'note'>

export async function updateVoterVersioned(trx: Transaction<DB>, countyCode: string, id: string, version: number, patch: VoterPatch | { status: 'removed'; removed_reason: string }): Promise<VoterRow | undefined> {
  return trx
    .updateTable('voter')
    .set({ ...patch, updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst()
}

// ── summary ──

export interface GroupCount {
  unit_code: string
  village_group: string
  category: VoterCategory
  n: number
}

/** Active voters counted by unit, village group and category, in one grouped query. */
export async function countsByGroup(db: Handle, countyCode: string, campaignId: string, unitCodes: string[]): Promise<GroupCount[]> {
  if (unitCodes.length === 0) return []
  const rows = await db
    .selectFrom('voter')
    .select(['unit_code', 'village_group', 'category', sql<string>`count(*)`.as('n')])
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'active')
    .where(sql<boolean>`unit_code = any(${unitCodes}::bpchar[])`)
    .groupBy(['unit_code', 'village_group', 'category'])
    .orderBy('unit_code')
    .orderBy('village_group')
    .execute()
  return rows.map((r) => ({ ...r, n: Number(r.n) }))
}

// ── bulk load ──

/** A voter row as an import writes it: every column but the defaults (status, timestamps, version). */
export type BulkVoter = Omit<VoterRow, 'id' | 'status' | 'removed_reason' | 'created_at' | 'updated_at' | 'version'>

const bulkVoterColumns: BulkColumn[] = [
  { name: 'county_code', type: 'text' },
  { name: 'id', type: 'bigint' },
  { name: 'campaign_id', type: 'bigint' },
  { name: 'unit_code', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'name_initials', type: 'text' },
  { name: 'id_number_enc', type: 'text' },
  { name: 'id_number_index', type: 'text' },
  { name: 'id_number_masked', type: 'text' },
  { name: 'gender', type: 'text' },
  { name: 'birth_date', type: 'date' },
  { name: 'village_group', type: 'text' },
  { name: 'category', type: 'text' },
  { name: 'living_since', type: 'date' },
  { name: 'meeting_approved_on', type: 'date' },
  { name: 'deprived', type: 'boolean' },
  { name: 'note', type: 'text' },
  { name: 'created_by', type: 'bigint' },
]

export async function reserveVoterIds(bulk: BulkWriter, count: number): Promise<string[]> {
  return bulk.takeIds('voter', 'id', count)
}

/** Loads many voters, the i-th with ids[i], by COPY where the engine has it. */
export async function copyVoters(bulk: BulkWriter, voters: readonly BulkVoter[], ids: readonly string[]): Promise<number> {
  if (ids.length !== voters.length) throw new Error(`copyVoters: ${ids.length} ids for ${voters.length} voters`)
  const values = function* () {
    for (let i = 0; i < voters.length; i++) {
      const v = voters[i]!
      yield [
        v.county_code,
        ids[i]!,
        v.campaign_id,
        v.unit_code,
        v.name,
        v.name_initials,
        v.id_number_enc,
        v.id_number_index,
        v.id_number_masked,
        v.gender,
        v.birth_date,
        v.village_group,
        v.category,
        v.living_since,
        v.meeting_approved_on,
        v.deprived,
        v.note,
        v.created_by,
      ]
    }
  }
  return bulk.insert('voter', bulkVoterColumns, values())
}

