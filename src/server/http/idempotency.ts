import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Ctx } from './context.ts'
import { conflict, invalid, ruleViolation } from './errors.ts'

/**
 * `Idempotency-Key` for creates sent from phones on slow networks (issue 6 §7): the first request
 * with a key runs and its answer is stored; a repeat gets the same answer, a repeat while the
 * first still runs gets 409, and a failed first attempt frees the key for a retry. Keys are per
 * user, so one person's key never answers another's request.
 */
export async function idempotent<T>(db: Kysely<DB>, ctx: Ctx, key: string | undefined, route: string, run: () => Promise<T>): Promise<T> {
  if (key === undefined) return run()
  if (!/^[A-Za-z0-9_-]{8,100}$/.test(key)) throw invalid('Idempotency-Key 应为 8–100 位字母、数字、- 或 _')
  const a = ctx.actor
  const claimed = await db
    .insertInto('idempotency_key')
    .values({ county_code: a.countyCode, user_id: a.userId, key, route, status: null, response: null })
    .onConflict((oc) => oc.columns(['county_code', 'user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst()
  if (!claimed) {
    const row = await db.selectFrom('idempotency_key').selectAll().where('county_code', '=', a.countyCode).where('user_id', '=', a.userId).where('key', '=', key).executeTakeFirstOrThrow()
    if (row.route !== route) throw ruleViolation('这个 Idempotency-Key 已用于另一项操作，请换一个')
    if (row.status === null) throw conflict('同一次提交正在处理中，请稍候再看结果，不要重复提交')
    return row.response as T
  }
  try {
    const result = await run()
    await db
      .updateTable('idempotency_key')
      .set({ status: 200, response: JSON.stringify(result) })
      .where('county_code', '=', a.countyCode)
      .where('user_id', '=', a.userId)
      .where('key', '=', key)
      .execute()
    return result
  } catch (err) {
    await db.deleteFrom('idempotency_key').where('county_code', '=', a.countyCode).where('user_id', '=', a.userId).where('key', '=', key).execute()
    throw err
  }
}

/** How long a key answers a retry: longer than any phone keeps an unsent draft in practice. */
export const KEY_RETENTION_DAYS = 7

/** Forgets one user's keys older than the retention; called at login, as expired sessions are swept. */
export async function purgeIdempotencyKeys(db: Kysely<DB>, countyCode: string, userId: string, now: Date): Promise<void> {
  await db
    .deleteFrom('idempotency_key')
    .where('county_code', '=', countyCode)
    .where('user_id', '=', userId)
    .where('created_at', '<', new Date(now.getTime() - KEY_RETENTION_DAYS * 86_400_000))
    .execute()
}
