import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { freshDatabase } from '../helpers/db.ts'
import { currentMigration, latestMigration, migrateDownAll, migrateToLatest } from '../../src/server/db/migrate.ts'
import type { Database } from '../../src/server/db/create-db.ts'

let d: Database

beforeAll(async () => {
  d = await freshDatabase({ migrated: false })
})
afterAll(() => d.close())

async function tables(): Promise<string[]> {
  const { rows } = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(d.db)
  return rows.map((r) => r.t).filter((t) => !t.startsWith('kysely_'))
}

// Global tables: a lookup that cannot carry a county (login names) and reference data (code lists).
const global = new Set(['login_name', 'dict_item'])

describe('migrations', () => {
  it('migrate up, down and up again on an empty database', async () => {
    expect(await migrateToLatest(d.db)).toContain(latestMigration)
    const first = await tables()
    expect(first.length).toBeGreaterThanOrEqual(9)
    await migrateDownAll(d.db)
    expect(await tables()).toEqual([])
    await migrateToLatest(d.db)
    expect(await tables()).toEqual(first)
    expect(await currentMigration(d.db)).toBe(latestMigration)
  })

  it('puts county_code in every primary key, unique constraint and foreign key of county data (Citus-ready)', async () => {
    const { rows } = await sql<{ t: string; name: string; type: string; cols: string[]; ref_cols: string[] | null }>`
      select c.relname as t, k.conname as name, k.contype as type,
        array(select a.attname from pg_attribute a where a.attrelid = k.conrelid and a.attnum = any(k.conkey) order by a.attnum)::text[] as cols,
        case when k.contype = 'f' then array(select a.attname from pg_attribute a where a.attrelid = k.confrelid and a.attnum = any(k.confkey))::text[] end as ref_cols
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and k.contype in ('p', 'u', 'f') and c.relname not like 'kysely_%'`.execute(d.db)
    const bad = rows.filter((r) => !global.has(r.t) && !r.cols.includes('county_code'))
    expect(bad.map((r) => `${r.t}.${r.name}`)).toEqual([])
    for (const t of await tables()) {
      if (global.has(t)) continue
      expect(rows.some((r) => r.t === t && r.type === 'p'), `${t} has a primary key`).toBe(true)
    }
  })
})
