import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Insertable } from 'kysely'
import type { DictItemTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function listItems(db: Handle, type: string) {
  return db.selectFrom('dict_item').selectAll().where('dict_type', '=', type).orderBy('sort').orderBy('code').execute()
}

export async function listAll(db: Handle) {
  return db.selectFrom('dict_item').selectAll().orderBy('dict_type').orderBy('sort').orderBy('code').execute()
}

/** Inserts missing items; existing ones (perhaps relabelled or retired by an admin) are left alone. */
export async function insertMissing(db: Handle, items: Insertable<DictItemTable>[]): Promise<void> {
  if (items.length === 0) return
  await db
    .insertInto('dict_item')
    .values(items)
    .onConflict((oc) => oc.columns(['dict_type', 'code']).doNothing())
    .execute()
}
