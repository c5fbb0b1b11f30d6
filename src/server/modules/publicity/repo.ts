import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Channel, PublicityActivityRow, PublicityActivityTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface ActivityValues {
  channel: Channel
  channel_other: string
  held_on: string
  theme: string
  reach: number
  place: string
}

/** Activities of a campaign under a township's code prefix; `onlyCodes` narrows to a contact cadre's units. */
export interface ActivityFilter {
  countyCode: string
  campaignId: string
  prefix: string
  onlyCodes?: string[]
  unit?: string
  channel?: Channel
}

function filtered(db: Handle, f: ActivityFilter) {
  let q = db.selectFrom('publicity_activity').where('county_code', '=', f.countyCode).where('campaign_id', '=', f.campaignId).where('unit_code', 'like', `${f.prefix}%`)
  if (f.onlyCodes) q = f.onlyCodes.length ? q.where('unit_code', 'in', f.onlyCodes) : q.where(sql<boolean>`false`)
  if (f.unit) q = q.where('unit_code', '=', f.unit)
  if (f.channel) q = q.where('channel', '=', f.channel)
  return q
}

/** Newest first: the page shows what was just filed on top. */
export async function pageActivities(db: Handle, f: ActivityFilter, page: number, pageSize: number) {
  const rows = await filtered(db, f)
    .selectAll()
    .orderBy('held_on', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}

/** In the order of the day held, for the export's detail sheet. */
export async function allActivities(db: Handle, f: ActivityFilter): Promise<PublicityActivityRow[]> {
  return filtered(db, f).selectAll().orderBy('held_on').orderBy('unit_code').orderBy('id').execute()
}

/** Count and reach per unit and channel: the cells of the coverage matrix. */
export async function coverageCounts(db: Handle, f: ActivityFilter) {
  const rows = await filtered(db, f)
    .select(['unit_code', 'channel', sql<string>`count(*)`.as('n'), sql<string>`coalesce(sum(reach), 0)`.as('reach')])
    .groupBy(['unit_code', 'channel'])
    .execute()
  return rows.map((r) => ({ unit: r.unit_code, channel: r.channel, n: Number(r.n), reach: Number(r.reach) }))
}

export async function findActivity(db: Handle, countyCode: string, id: string): Promise<PublicityActivityRow | undefined> {
  return db.selectFrom('publicity_activity').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

/** Locks the activity so that two photo uploads cannot both pass the count check. */
export async function lockActivity(trx: Transaction<DB>, countyCode: string, id: string): Promise<PublicityActivityRow | undefined> {
  return trx.selectFrom('publicity_activity').selectAll().where('county_code', '=', countyCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertActivity(trx: Transaction<DB>, row: Insertable<PublicityActivityTable>): Promise<PublicityActivityRow> {
  return trx.insertInto('publicity_activity').values(row).returningAll().executeTakeFirstOrThrow()
}

/** Undefined when the version is not the one read: someone else saved in between. */
export async function updateActivity(trx: Transaction<DB>, countyCode: string, id: string, version: number, v: ActivityValues & { updated_by_name: string }): Promise<PublicityActivityRow | undefined> {
  return trx
    .updateTable('publicity_activity')
    .set({ ...v, updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

/** Whether the row was there at that version (its photos go with it). */
export async function deleteActivity(trx: Transaction<DB>, countyCode: string, id: string, version: number): Promise<boolean> {
  const r = await trx.deleteFrom('publicity_activity').where('county_code', '=', countyCode).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

export async function photosOf(db: Handle, countyCode: string, activityIds: string[]) {
  if (!activityIds.length) return []
  return db.selectFrom('publicity_photo').select(['id', 'activity_id', 'file_name']).where('county_code', '=', countyCode).where('activity_id', 'in', activityIds).orderBy('id').execute()
}

export async function insertPhoto(trx: Transaction<DB>, row: { county_code: string; activity_id: string; file_name: string; content_type: string; data: Buffer }) {
  return trx.insertInto('publicity_photo').values(row).returning(['id', 'activity_id', 'file_name']).executeTakeFirstOrThrow()
}

export async function findPhoto(db: Handle, countyCode: string, activityId: string, photoId: string) {
  return db.selectFrom('publicity_photo').selectAll().where('county_code', '=', countyCode).where('activity_id', '=', activityId).where('id', '=', photoId).executeTakeFirst()
}

export async function deletePhoto(trx: Transaction<DB>, countyCode: string, activityId: string, photoId: string): Promise<boolean> {
  const r = await trx.deleteFrom('publicity_photo').where('county_code', '=', countyCode).where('activity_id', '=', activityId).where('id', '=', photoId).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}
