import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { BulkColumn, BulkWriter } from '../../db/bulk.ts'
import { containing } from '../../db/like.ts'
import type { NewPerson, PersonPatch, PersonRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface PersonFilter {
  countyCode: string
  unitPrefix: string
  onlyUnits?: string[]
  keyword?: string
  reserveCadre?: boolean
}

function filtered(db: Handle, f: PersonFilter) {
  let q = db
    .selectFrom('person')
    .innerJoin('territory', (j) => j.onRef('territory.county_code', '=', 'person.county_code').onRef('territory.code', '=', 'person.unit_code'))
    .where('person.county_code', '=', f.countyCode)
    .where('person.unit_code', 'like', `${f.unitPrefix}%`)
  if (f.onlyUnits) q = f.onlyUnits.length ? q.where('person.unit_code', 'in', f.onlyUnits) : q.where(sql<boolean>`false`)
  if (f.keyword) q = q.where('person.name', 'like', containing(f.keyword))
  if (f.reserveCadre !== undefined) q = q.where('person.reserve_cadre', '=', f.reserveCadre)
  return q
}

export async function pagePeople(db: Handle, f: PersonFilter, page: number, pageSize: number) {
  const rows = await filtered(db, f)
    .selectAll('person')
    .select('territory.name as unit_name')
    .orderBy('person.unit_code')
    .orderBy('person.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}

export async function findPerson(db: Handle, countyCode: string, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function findByIndex(db: Handle, countyCode: string, index: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('county_code', '=', countyCode).where('id_number_index', '=', index).executeTakeFirst()
}

export async function insertPerson(trx: Transaction<DB>, row: NewPerson): Promise<PersonRow> {
  return trx.insertInto('person').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updatePersonVersioned(trx: Transaction<DB>, countyCode: string, id: string, version: number, patch: PersonPatch) {
  return trx
    .updateTable('person')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

/** One array parameter, however many indexes: no statement with thousands of parameters to plan. */
export async function findByIndexes(db: Handle, countyCode: string, indexes: string[]): Promise<PersonRow[]> {
  if (indexes.length === 0) return []
  return db
    .selectFrom('person')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where(sql<boolean>`id_number_index = any(${indexes}::bpchar[])`)
    .execute()
}

/** Ids for people about to be loaded by copyPeople (see BulkWriter.takeIds). */
export async function reservePersonIds(bulk: BulkWriter, count: number): Promise<string[]> {
  return bulk.takeIds('person', 'id', count)
}

/** A person row as a bulk load writes it: every column but the defaults (version, timestamps). */
export type BulkPerson = Omit<PersonRow, 'version' | 'created_at' | 'updated_at'>

const bulkPersonColumns: BulkColumn[] = [
  { name: 'county_code', type: 'text' },
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'text' },
  { name: 'id_number_enc', type: 'text' },
  { name: 'id_number_index', type: 'text' },
  { name: 'id_number_masked', type: 'text' },
  { name: 'birth_date', type: 'date' },
  { name: 'gender', type: 'text' },
  { name: 'ethnicity', type: 'text' },
  { name: 'education', type: 'text' },
  { name: 'political_status', type: 'text' },
  { name: 'party_joined_on', type: 'date' },
  { name: 'phone', type: 'text' },
  { name: 'unit_code', type: 'text' },
  { name: 'reserve_cadre', type: 'boolean' },
]

/**
 * Loads many people, the i-th with ids[i] (see reservePersonIds), by COPY where the engine has
 * it; rows are made as they are sent.
 */
export async function copyPeople(bulk: BulkWriter, people: readonly Omit<BulkPerson, 'id'>[], ids: readonly string[]): Promise<number> {
  if (ids.length !== people.length) throw new Error(`copyPeople: ${ids.length} ids for ${people.length} people`)
  const values = function* () {
    for (let i = 0; i < people.length; i++) {
      const r = people[i]!
      yield [r.county_code, ids[i]!, r.name, r.id_number_enc, r.id_number_index, r.id_number_masked, r.birth_date, r.gender, r.ethnicity, r.education, r.political_status, r.party_joined_on, r.phone, r.unit_code, r.reserve_cadre]
    }
  }
  return bulk.insert('person', bulkPersonColumns, values())
}

export async function allPeople(db: Handle, f: PersonFilter) {
  return filtered(db, f).selectAll('person').select('territory.name as unit_name').orderBy('person.unit_code').orderBy('person.id').execute()
}

export async function deletePerson(trx: Transaction<DB>, countyCode: string, id: string, version: number): Promise<boolean> {
  const r = await trx.deleteFrom('person').where('county_code', '=', countyCode).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}
