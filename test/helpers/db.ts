import fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { inject } from 'vitest'
import { createDb, type Database } from '../../src/server/db/create-db.ts'

/** The engine this run tests: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const onPostgres = (): boolean => Boolean(inject('databaseUrl'))

/**
 * A fresh, migrated database for one test file: a copy of the run's golden PGlite image, or a
 * new PostgreSQL database made from the migrated template.
 */
export async function freshDatabase(opts: { migrated?: boolean } = {}): Promise<Database & { url?: string }> {
  const migrated = opts.migrated ?? true
  const url = inject('databaseUrl')
  if (url) {
    const name = `${inject('templateDb')}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(migrated ? `create database ${name} template ${inject('templateDb')}` : `create database ${name}`)
    await admin.end()
    const u = new URL(url)
    u.pathname = `/${name}`
    const d = await createDb({ databaseUrl: u.toString() })
    return {
      ...d,
      url: u.toString(),
      async close() {
        await d.close()
        // Without FORCE: a forced drop can hit a connection that is still closing, whose
        // "terminating connection" error then surfaces as an uncaught exception.
        const a = new pg.Client({ connectionString: url })
        await a.connect()
        for (let attempt = 0; ; attempt++) {
          try {
            await a.query(`drop database if exists ${name}${attempt >= 20 ? ' with (force)' : ''}`)
            break
          } catch (err) {
            if (attempt >= 20) throw err
            await new Promise((r) => setTimeout(r, 100))
          }
        }
        await a.end()
      },
    }
  }
  const pglite = migrated
    ? await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(inject('goldenImage'))]) })
    : await PGlite.create()
  const d = await createDb({ pglite })
  return {
    ...d,
    async close() {
      await d.close()
      await pglite.close()
    },
  }
}
