import type { Kysely, Transaction } from 'kysely'
import type { DB } from './schema.ts'

/**
 * Runs `fn` in a transaction: the caller's, when `db` already is one (a service called inside
 * `idempotent`, whose stored answer must commit with the write it answers), else a new one.
 */
export function inTransaction<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn)
}
