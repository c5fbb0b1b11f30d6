import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { syncDictionaries } from '../dictionary/service.ts'

/** Migrates to the latest schema and fills reference data: what every entry point runs first. */
export async function prepareDatabase(db: Kysely<DB>): Promise<string[]> {
  const done = await migrateToLatest(db)
  await syncDictionaries(db)
  return done
}
