import type { Kysely, Transaction } from 'kysely'
import { sql } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { CampaignRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function listCampaigns(db: Handle, countyCode: string): Promise<CampaignRow[]> {
  return db.selectFrom('campaign').selectAll().where('county_code', '=', countyCode).orderBy('year', 'desc').execute()
}

/** Every county's campaigns under a code prefix (a county's 6 digits, or a province's 2), newest first. */
export async function campaignsUnder(db: Handle, prefix: string): Promise<CampaignRow[]> {
  const q = db.selectFrom('campaign').selectAll()
  return (prefix.length >= 6 ? q.where('county_code', '=', prefix.slice(0, 6)) : q.where('county_code', 'like', `${prefix}%`)).orderBy('year', 'desc').execute()
}

export async function findCampaign(db: Handle, countyCode: string, id: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaign').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

/** Campaigns whose window meets [startsOn, endsOn] (open ends reach forever), other than `exceptId`. */
export async function overlapping(db: Handle, countyCode: string, startsOn: string, endsOn: string | null, exceptId?: string): Promise<CampaignRow[]> {
  let q = db
    .selectFrom('campaign')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where(sql<boolean>`daterange(starts_on, ends_on, '[]') && daterange(${startsOn}::date, ${endsOn}::date, '[]')`)
  if (exceptId) q = q.where('id', '!=', exceptId)
  return q.execute()
}

export interface CampaignValues {
  year: number
  name: string
  starts_on: string
  ends_on: string | null
  reference_date: string | null
}

export async function insertCampaign(trx: Transaction<DB>, countyCode: string, v: CampaignValues): Promise<CampaignRow> {
  return trx.insertInto('campaign').values({ county_code: countyCode, ...v }).returningAll().executeTakeFirstOrThrow()
}

export async function updateCampaign(trx: Transaction<DB>, countyCode: string, id: string, version: number, v: CampaignValues): Promise<CampaignRow | undefined> {
  return trx
    .updateTable('campaign')
    .set({ ...v, version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}
