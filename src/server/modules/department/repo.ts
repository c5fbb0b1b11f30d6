import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { TerritoryStatus } from '../territory/table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function listDepartments(db: Handle, countyCode: string) {
  return db.selectFrom('department').selectAll().where('county_code', '=', countyCode).orderBy('sort').orderBy('id').execute()
}

export async function findDepartment(db: Handle, countyCode: string, id: string) {
  return db.selectFrom('department').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function insertDepartment(trx: Transaction<DB>, row: { county_code: string; name: string; sort?: number }) {
  return trx.insertInto('department').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateDepartmentVersioned(
  trx: Transaction<DB>,
  countyCode: string,
  id: string,
  version: number,
  patch: { name?: string; sort?: number; status?: TerritoryStatus },
) {
  return trx
    .updateTable('department')
    .set({ ...patch, version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}
