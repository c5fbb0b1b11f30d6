import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
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

export async function findByIndexes(db: Handle, countyCode: string, indexes: string[]): Promise<PersonRow[]> {
  if (indexes.length === 0) return []
  return db.selectFrom('person').selectAll().where('county_code', '=', countyCode).where('id_number_index', 'in', indexes).execute()
}

/** Inserts in chunks under the bind-parameter limit; returns the rows in order. */
export async function insertPeople(trx: Transaction<DB>, rows: NewPerson[]): Promise<PersonRow[]> {
  const out: PersonRow[] = []
  for (let i = 0; i < rows.length; i += 500) out.push(...(await trx.insertInto('person').values(rows.slice(i, i + 500)).returningAll().execute()))
  return out
}

export async function allPeople(db: Handle, f: PersonFilter) {
  return filtered(db, f).selectAll('person').select('territory.name as unit_name').orderBy('person.unit_code').orderBy('person.id').execute()
}

export async function deletePerson(trx: Transaction<DB>, countyCode: string, id: string, version: number): Promise<boolean> {
  const r = await trx.deleteFrom('person').where('county_code', '=', countyCode).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}
