import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import type { SessionTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function insertSession(trx: Transaction<DB>, s: SessionTable): Promise<void> {
  await trx.insertInto('session').values(s).execute()
}

/**
 * A session, its user and the user's assigned units in one round trip: every request starts
 * here, so this is one statement, not three.
 */
export async function findSessionUser(db: Handle, countyCode: string, tokenHash: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('app_user as u', (j) => j.onRef('u.county_code', '=', 's.county_code').onRef('u.id', '=', 's.user_id'))
    .selectAll('u')
    .select(['s.expires_at as session_expires_at', 's.last_seen_at as session_last_seen_at'])
    .select(sql<string[]>`array(select uu.unit_code from user_unit uu where uu.county_code = s.county_code and uu.user_id = s.user_id order by uu.unit_code)::text[]`.as('unit_codes'))
    .where('s.county_code', '=', countyCode)
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function touchSession(db: Handle, countyCode: string, tokenHash: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('county_code', '=', countyCode).where('token_hash', '=', tokenHash).execute()
}

export async function deleteSession(db: Handle, countyCode: string, tokenHash: string): Promise<number> {
  const r = await db.deleteFrom('session').where('county_code', '=', countyCode).where('token_hash', '=', tokenHash).executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function deleteUserSessions(db: Handle, countyCode: string, userId: string, exceptHash?: string): Promise<number> {
  let q = db.deleteFrom('session').where('county_code', '=', countyCode).where('user_id', '=', userId)
  if (exceptHash) q = q.where('token_hash', '!=', exceptHash)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Sessions past their idle or absolute limit; removed so they do not pile up. */
export async function deleteExpiredSessions(db: Handle, idleSince: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleSince), eb('expires_at', '<', now)]))
    .execute()
}

export async function liveSessions(db: Handle, countyCode: string, territoryPrefix: string, idleSince: Date, now: Date) {
  return db
    .selectFrom('session')
    .innerJoin('app_user', (j) => j.onRef('app_user.county_code', '=', 'session.county_code').onRef('app_user.id', '=', 'session.user_id'))
    .select([
      'session.token_hash',
      'session.user_id',
      'session.created_at',
      'session.last_seen_at',
      'session.expires_at',
      'session.ip',
      'session.user_agent',
      'app_user.username',
      'app_user.display_name',
      'app_user.role',
      'app_user.territory_code',
    ])
    .where('session.county_code', '=', countyCode)
    .where('app_user.territory_code', 'like', `${territoryPrefix}%`)
    .where('session.last_seen_at', '>=', idleSince)
    .where('session.expires_at', '>', now)
    .orderBy('session.last_seen_at', 'desc')
    .execute()
}

export async function insertLoginLog(
  db: Handle,
  row: { county_code: string; username: string; user_id: string | null; ip: string; user_agent: string; success: boolean; message: string },
): Promise<void> {
  await db.insertInto('login_log').values(row).execute()
}

export interface LoginLogFilter {
  countyCode: string
  territoryPrefix?: string
  username?: string
  success?: boolean
}

function loginLogs(db: Handle, f: LoginLogFilter) {
  let q = db
    .selectFrom('login_log')
    .leftJoin('app_user', (j) => j.onRef('app_user.county_code', '=', 'login_log.county_code').onRef('app_user.id', '=', 'login_log.user_id'))
    .where('login_log.county_code', '=', f.countyCode)
  // Failed logins for unknown names belong to nobody's territory: only county-wide viewers see them.
  if (f.territoryPrefix && f.territoryPrefix.length > 6) q = q.where('app_user.territory_code', 'like', `${f.territoryPrefix}%`)
  if (f.username) q = q.where('login_log.username', 'like', containing(f.username))
  if (f.success !== undefined) q = q.where('login_log.success', '=', f.success)
  return q
}

export async function pageLoginLog(db: Handle, f: LoginLogFilter, page: number, pageSize: number) {
  const rows = await loginLogs(db, f)
    .selectAll('login_log')
    .select('app_user.display_name')
    .orderBy('login_log.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await loginLogs(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}
