import type { Insertable, Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { WorkGroupRow, WorkGroupTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function groupsOf(db: Handle, countyCode: string, campaignId: string, townshipCode: string): Promise<WorkGroupRow[]> {
  return db.selectFrom('work_group').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('township_code', '=', townshipCode).orderBy('kind').orderBy('id').execute()
}

export async function findGroup(db: Handle, countyCode: string, id: string): Promise<WorkGroupRow | undefined> {
  return db.selectFrom('work_group').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function insertGroup(trx: Transaction<DB>, row: Insertable<WorkGroupTable>): Promise<WorkGroupRow> {
  return trx.insertInto('work_group').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateGroup(trx: Transaction<DB>, countyCode: string, id: string, version: number, v: { name: string; members: string; unit_codes: string[]; duties: string; updated_by: string }): Promise<WorkGroupRow | undefined> {
  return trx
    .updateTable('work_group')
    .set({ ...v, updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteGroup(trx: Transaction<DB>, countyCode: string, id: string): Promise<void> {
  await trx.deleteFrom('work_group').where('county_code', '=', countyCode).where('id', '=', id).execute()
}

/** The active leaders and contact cadres assigned to the township's units (包村). */
export async function assignments(db: Handle, countyCode: string, unitPrefix: string) {
  return db
    .selectFrom('user_unit')
    .innerJoin('app_user', (j) => j.onRef('app_user.county_code', '=', 'user_unit.county_code').onRef('app_user.id', '=', 'user_unit.user_id'))
    .select(['user_unit.unit_code', 'app_user.display_name', 'app_user.role'])
    .where('user_unit.county_code', '=', countyCode)
    .where('user_unit.unit_code', 'like', `${unitPrefix}%`)
    .where('app_user.status', '=', 'active')
    .where('app_user.role', 'in', ['leader', 'contact_cadre'])
    .orderBy('app_user.display_name')
    .execute()
}
