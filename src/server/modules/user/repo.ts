import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import type { AppUserPatch, AppUserRow, NewAppUser, Role, UserStatus } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function findLogin(db: Handle, username: string) {
  return db.selectFrom('login_name').selectAll().where('username', '=', username).executeTakeFirst()
}

export async function findUser(db: Handle, countyCode: string, id: string): Promise<AppUserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function lockUser(trx: Transaction<DB>, countyCode: string, id: string): Promise<AppUserRow | undefined> {
  return trx.selectFrom('app_user').selectAll().where('county_code', '=', countyCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertUser(trx: Transaction<DB>, user: NewAppUser): Promise<AppUserRow> {
  const row = await trx.insertInto('app_user').values(user).returningAll().executeTakeFirstOrThrow()
  await trx.insertInto('login_name').values({ username: row.username, county_code: row.county_code, user_id: row.id }).execute()
  return row
}

export async function updateUser(trx: Transaction<DB>, countyCode: string, id: string, patch: AppUserPatch): Promise<AppUserRow> {
  return trx
    .updateTable('app_user')
    .set({ ...patch, updated_at: new Date() })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Optimistic concurrency: zero rows back means someone else saved first. */
export async function updateUserVersioned(
  trx: Transaction<DB>,
  countyCode: string,
  id: string,
  version: number,
  patch: AppUserPatch,
): Promise<AppUserRow | undefined> {
  return trx
    .updateTable('app_user')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export async function unitCodesOf(db: Handle, countyCode: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_unit')
    .select('unit_code')
    .where('county_code', '=', countyCode)
    .where('user_id', '=', userId)
    .orderBy('unit_code')
    .execute()
  return rows.map((r) => r.unit_code)
}

export async function unitCodesOfMany(db: Handle, countyCode: string, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>()
  if (userIds.length === 0) return map
  const rows = await db
    .selectFrom('user_unit')
    .select(['user_id', 'unit_code'])
    .where('county_code', '=', countyCode)
    .where('user_id', 'in', userIds)
    .orderBy('unit_code')
    .execute()
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.unit_code])
  return map
}

export async function setUnitCodes(trx: Transaction<DB>, countyCode: string, userId: string, codes: string[]): Promise<void> {
  await trx.deleteFrom('user_unit').where('county_code', '=', countyCode).where('user_id', '=', userId).execute()
  if (codes.length > 0) {
    await trx
      .insertInto('user_unit')
      .values(codes.map((unit_code) => ({ county_code: countyCode, user_id: userId, unit_code })))
      .execute()
  }
}

export interface UserFilter {
  countyCode: string
  /** Users bound to nodes under this code prefix. */
  territoryPrefix: string
  keyword?: string
  role?: Role
  status?: UserStatus
}

function filtered(db: Handle, f: UserFilter) {
  let q = db
    .selectFrom('app_user')
    .where('app_user.county_code', '=', f.countyCode)
    .where('app_user.territory_code', 'like', `${f.territoryPrefix}%`)
  if (f.role) q = q.where('app_user.role', '=', f.role)
  if (f.status) q = q.where('app_user.status', '=', f.status)
  if (f.keyword) {
    const k = containing(f.keyword)
    q = q.where((eb) => eb.or([eb('app_user.username', 'like', k), eb('app_user.display_name', 'like', k)]))
  }
  return q
}

export async function pageUsers(db: Handle, f: UserFilter, page: number, pageSize: number) {
  const rows = await filtered(db, f)
    .leftJoin('territory', (j) => j.onRef('territory.county_code', '=', 'app_user.county_code').onRef('territory.code', '=', 'app_user.territory_code'))
    .leftJoin('department', (j) => j.onRef('department.county_code', '=', 'app_user.county_code').onRef('department.id', '=', 'app_user.department_id'))
    .selectAll('app_user')
    .select(['territory.name as territory_name', 'department.name as department_name'])
    .orderBy('app_user.territory_code')
    .orderBy('app_user.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}
