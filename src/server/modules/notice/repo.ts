import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { NoticeRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function listNotices(db: Handle, countyCode: string, prefix: string, onlyUnits?: string[]) {
  let q = db
    .selectFrom('notice')
    .innerJoin('territory', (j) => j.onRef('territory.county_code', '=', 'notice.county_code').onRef('territory.code', '=', 'notice.unit_code'))
    .selectAll('notice')
    .select('territory.name as unit_name')
    .select((eb) =>
      eb
        .selectFrom('nominee')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('nominee.county_code', '=', 'notice.county_code')
        .whereRef('nominee.notice_id', '=', 'notice.id')
        .as('nominee_count'),
    )
    .where('notice.county_code', '=', countyCode)
    .where('notice.unit_code', 'like', `${prefix}%`)
  if (onlyUnits) q = onlyUnits.length ? q.where('notice.unit_code', 'in', onlyUnits) : q.where(sql<boolean>`false`)
  return q.orderBy('notice.id', 'desc').execute()
}

export async function findNotice(db: Handle, countyCode: string, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('notice').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function lockNotice(trx: Transaction<DB>, countyCode: string, id: string): Promise<NoticeRow | undefined> {
  return trx.selectFrom('notice').selectAll().where('county_code', '=', countyCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertNotice(trx: Transaction<DB>, row: { county_code: string; unit_code: string; issuer: string; start_on: string; end_on: string; contact: string }) {
  return trx.insertInto('notice').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function closeNotice(trx: Transaction<DB>, countyCode: string, id: string) {
  return trx
    .updateTable('notice')
    .set({ status: 'closed', version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}
