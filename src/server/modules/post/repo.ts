import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Body } from '../../../rules/posts/index.ts'

type Handle = Kysely<DB> | Transaction<DB>

/** Current holdings; with `history`, also those a newly elected team ended. */
export async function listHoldings(db: Handle, countyCode: string, prefix: string, onlyUnits?: string[], personIds?: string[], history = false) {
  let q = db
    .selectFrom('post_holding as h')
    .innerJoin('person as p', (j) => j.onRef('p.county_code', '=', 'h.county_code').onRef('p.id', '=', 'h.person_id'))
    .innerJoin('territory as u', (j) => j.onRef('u.county_code', '=', 'h.county_code').onRef('u.code', '=', 'h.unit_code'))
    .selectAll('h')
    .select(['p.name', 'p.id_number_masked', 'p.gender', 'p.birth_date', 'p.political_status', 'p.education', 'u.name as unit_name', 'u.kind as unit_kind'])
    .where('h.county_code', '=', countyCode)
    .where('h.unit_code', 'like', `${prefix}%`)
  if (onlyUnits) q = q.where('h.unit_code', 'in', onlyUnits.length ? onlyUnits : [''])
  if (personIds) q = q.where('h.person_id', 'in', personIds.length ? personIds : ['0'])
  if (!history) q = q.where('h.ended_on', 'is', null)
  return q.orderBy('h.unit_code').orderBy(sql`h.ended_on is not null`).orderBy('h.body', 'desc').orderBy('h.post').orderBy('h.id').execute()
}

export async function findHolding(db: Handle, countyCode: string, id: string) {
  return db.selectFrom('post_holding').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function findSame(db: Handle, countyCode: string, unitCode: string, personId: string, body: Body) {
  return db
    .selectFrom('post_holding')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('unit_code', '=', unitCode)
    .where('person_id', '=', personId)
    .where('body', '=', body)
    .where('ended_on', 'is', null)
    .executeTakeFirst()
}

export type NewHolding = { county_code: string; unit_code: string; person_id: string; body: Body; post: string; since: string | null }

export async function insertHoldings(trx: Transaction<DB>, rows: NewHolding[]) {
  const out = []
  for (let i = 0; i < rows.length; i += 500) out.push(...(await trx.insertInto('post_holding').values(rows.slice(i, i + 500)).returningAll().execute()))
  return out
}

export async function deleteHolding(trx: Transaction<DB>, countyCode: string, id: string): Promise<void> {
  await trx.deleteFrom('post_holding').where('county_code', '=', countyCode).where('id', '=', id).execute()
}
