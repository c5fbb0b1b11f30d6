import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor, Ctx } from './context.ts'
import { conflict, invalid, ruleViolation } from './errors.ts'

/** Keys being handled by this process: a repeat that arrives meanwhile answers 409 at once. */
const inFlight = new Set<string>()

/** Thrown inside the transaction when the key already has a stored answer. */
class AnsweredBefore extends Error {}

async function storedAnswer(db: Kysely<DB>, a: Actor, key: string) {
  return db.selectFrom('idempotency_key').select(['route', 'status', 'response']).where('county_code', '=', a.countyCode).where('user_id', '=', a.userId).where('key', '=', key).executeTakeFirst()
}

function replay<T>(row: { route: string; status: number | null; response: unknown }, route: string): T {
  if (row.route !== route) throw ruleViolation('这个 Idempotency-Key 已用于另一项操作，请换一个')
  // Only keys claimed by an earlier version of this code (before the answer moved into the
  // business transaction) can lack an answer.
  if (row.status === null) throw conflict('同一次提交正在处理中，请稍候再看结果，不要重复提交')
  return row.response as T
}

/**
 * `Idempotency-Key` for creates sent from phones on slow networks (issue 6 §7): the first request
 * with a key runs, and its answer is stored in the same transaction as its write — so a crash
 * leaves either both or neither, and the request costs one commit. A repeat gets the stored
 * answer: its own attempt runs, meets the stored key at the end (or fails first, as a repeat of a
 * create often does) and is rolled back, and the stored answer is returned instead — the first
 * request pays no lookup for the rare repeat. A repeat while the first still runs in this process
 * gets 409 at once; one in another process waits on the key's unique index and gets the first's
 * answer. A failed attempt stores nothing, so the key is free for the corrected retry. Keys are
 * per user.
 *
 * `run` gets the handle to write with: the transaction, when a key is given. `prepare` runs
 * before the transaction opens, for work that must not hold a connection (reading an upload).
 */
export async function idempotent<T, P = undefined>(
  db: Kysely<DB>,
  ctx: Ctx,
  key: string | undefined,
  route: string,
  run: (db: Kysely<DB>, prepared: P) => Promise<T>,
  prepare?: () => Promise<P>,
): Promise<T> {
  if (key === undefined) return run(db, prepare ? await prepare() : (undefined as P))
  if (!/^[A-Za-z0-9_-]{8,100}$/.test(key)) throw invalid('Idempotency-Key 应为 8–100 位字母、数字、- 或 _')
  const a = ctx.actor
  const slot = `${a.countyCode}/${a.userId}/${key}`
  if (inFlight.has(slot)) throw conflict('同一次提交正在处理中，请稍候再看结果，不要重复提交')
  inFlight.add(slot)
  try {
    const prepared = prepare ? await prepare() : (undefined as P)
    return await db.transaction().execute(async (trx) => {
      const result = await run(trx, prepared)
      const saved = await trx
        .insertInto('idempotency_key')
        .values({ county_code: a.countyCode, user_id: a.userId, key, route, status: 200, response: JSON.stringify(result) })
        .onConflict((oc) => oc.columns(['county_code', 'user_id', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst()
      if (!saved) throw new AnsweredBefore()
      return result
    })
  } catch (err) {
    // This attempt is rolled back; if the key has an answer, that is the answer.
    const row = await storedAnswer(db, a, key)
    if (row) return replay<T>(row, route)
    if (err instanceof AnsweredBefore) throw conflict('同一次提交正在处理中，请稍候再看结果，不要重复提交')
    throw err
  } finally {
    inFlight.delete(slot)
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
