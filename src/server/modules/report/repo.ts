import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { ProgressReportRow, ReportFigures } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface ReportValues {
  nothing_new: boolean
  progress: string
  problems: string
  next_steps: string
  figures: ReportFigures
  milestones: string[]
}

/** The day's report of a unit: a second filing the same day replaces the first (one report per unit and day). */
export async function upsertReport(trx: Transaction<DB>, key: { countyCode: string; campaignId: string; unitCode: string; reportDate: string }, v: ReportValues, by: { id: string; name: string }) {
  const values = { ...v, figures: JSON.stringify(v.figures), created_by: by.id, created_by_name: by.name }
  return trx
    .insertInto('progress_report')
    .values({ county_code: key.countyCode, campaign_id: key.campaignId, unit_code: key.unitCode, report_date: key.reportDate, ...values })
    .onConflict((oc) =>
      oc.columns(['county_code', 'campaign_id', 'unit_code', 'report_date']).doUpdateSet({ ...values, updated_at: new Date(), version: sql`progress_report.version + 1` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findReport(db: Handle, countyCode: string, id: string): Promise<ProgressReportRow | undefined> {
  return db.selectFrom('progress_report').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

/** Reports of the units under a prefix between two days (inclusive). */
export async function reportsBetween(db: Handle, countyCode: string, campaignId: string, unitPrefix: string, from: string, to: string): Promise<ProgressReportRow[]> {
  return db
    .selectFrom('progress_report')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', campaignId)
    .where('unit_code', 'like', `${unitPrefix}%`)
    .where('report_date', '>=', from)
    .where('report_date', '<=', to)
    .orderBy('report_date')
    .orderBy('unit_code')
    .execute()
}

export async function photosOf(db: Handle, countyCode: string, reportIds: string[]) {
  if (!reportIds.length) return []
  return db.selectFrom('report_photo').select(['id', 'report_id', 'file_name', 'content_type', 'created_at']).where('county_code', '=', countyCode).where('report_id', 'in', reportIds).orderBy('id').execute()
}

export async function insertPhoto(trx: Transaction<DB>, row: { county_code: string; report_id: string; file_name: string; content_type: string; data: Buffer }) {
  return trx.insertInto('report_photo').values(row).returning(['id', 'report_id', 'file_name', 'content_type', 'created_at']).executeTakeFirstOrThrow()
}

export async function findPhoto(db: Handle, countyCode: string, reportId: string, photoId: string) {
  return db.selectFrom('report_photo').selectAll().where('county_code', '=', countyCode).where('report_id', '=', reportId).where('id', '=', photoId).executeTakeFirst()
}
