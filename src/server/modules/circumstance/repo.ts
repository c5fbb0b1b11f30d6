import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Severity } from '../../../rules/nominee/index.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function listCircumstances(db: Handle, countyCode: string) {
  return db.selectFrom('circumstance').selectAll().where('county_code', '=', countyCode).orderBy('sort').orderBy('id').execute()
}

export async function departmentLinks(db: Handle, countyCode: string) {
  return db
    .selectFrom('circumstance_department')
    .innerJoin('department', (j) => j.onRef('department.county_code', '=', 'circumstance_department.county_code').onRef('department.id', '=', 'circumstance_department.department_id'))
    .select(['circumstance_department.circumstance_id', 'department.id', 'department.name'])
    .where('circumstance_department.county_code', '=', countyCode)
    .orderBy('department.sort')
    .execute()
}

export async function findCircumstance(db: Handle, countyCode: string, id: string) {
  return db.selectFrom('circumstance').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function insertCircumstance(
  trx: Transaction<DB>,
  row: { county_code: string; sort: number; text: string; severity: Severity; lookback_years: number; source: string },
) {
  return trx.insertInto('circumstance').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateCircumstanceVersioned(
  trx: Transaction<DB>,
  countyCode: string,
  id: string,
  version: number,
  patch: { sort?: number; text?: string; severity?: Severity; lookback_years?: number; source?: string; status?: 'active' | 'retired' },
) {
  return trx
    .updateTable('circumstance')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export async function setDepartments(trx: Transaction<DB>, countyCode: string, circumstanceId: string, departmentIds: string[]): Promise<void> {
  await trx.deleteFrom('circumstance_department').where('county_code', '=', countyCode).where('circumstance_id', '=', circumstanceId).execute()
  if (departmentIds.length) {
    await trx
      .insertInto('circumstance_department')
      .values(departmentIds.map((department_id) => ({ county_code: countyCode, circumstance_id: circumstanceId, department_id })))
      .execute()
  }
}
