import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PGlite } from '@electric-sql/pglite'
import { freshDatabase, onPostgres } from '../helpers/db.ts'
import { backup, restore } from '../../src/server/db/backup.ts'
import { tableDigests } from '../../src/server/db/tables.ts'
import { createDb, type Database } from '../../src/server/db/create-db.ts'
import { seedDemo } from '../../src/server/modules/setup/demo.ts'
import { verifyChain } from '../../src/server/modules/audit/service.ts'
import { prepareDatabase } from '../../src/server/modules/setup/prepare.ts'

let source: Database
let dir: string
let file: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hj-backup-'))
  file = path.join(dir, 'b.hjbak')
  source = await freshDatabase()
  await seedDemo(source.db)
  // Values that must survive exactly: a name with an Extension-B character and a middle dot.
  await source.db.updateTable('app_user').set({ display_name: '阿不都·𠈌', phone: '13912345678' }).where('username', '=', 'xyz_cadre').execute()
})
afterAll(async () => {
  await source.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('backup and restore', () => {
  it('restores into a fresh database of the same engine with identical table contents', async () => {
    const before = await tableDigests(source.db)
    const { tables } = await backup(source.db, file, source.engine)
    expect(tables).toEqual(before)
    const target = await freshDatabase({ migrated: false })
    try {
      const result = await restore(target.db, file)
      expect(result.tables).toEqual(before)
      expect(await tableDigests(target.db)).toEqual(before)
      expect((await verifyChain(target.db, '150999')).ok).toBe(true)
      const cadre = await target.db.selectFrom('app_user').select('display_name').where('username', '=', 'xyz_cadre').executeTakeFirstOrThrow()
      expect(cadre.display_name).toBe('阿不都·𠈌')
      // Identity sequences continue after the restored ids.
      const dep = await target.db.insertInto('department').values({ county_code: '150999', name: '新部门' }).returning('id').executeTakeFirstOrThrow()
      expect(Number(dep.id)).toBeGreaterThan(11)
    } finally {
      await target.close()
    }
  })

  it('refuses to restore into a database that holds data, and changes nothing', async () => {
    await expect(restore(source.db, file)).rejects.toThrow(/只能恢复到空数据库/)
  })

  it('refuses a file that is not a backup', async () => {
    const junk = path.join(dir, 'junk.hjbak')
    fs.writeFileSync(junk, 'not gzip')
    const target = await freshDatabase({ migrated: false })
    try {
      await expect(restore(target.db, junk)).rejects.toThrow()
    } finally {
      await target.close()
    }
  })

  it.runIf(onPostgres())('moves a county from PGlite into PostgreSQL with identical contents', async () => {
    const pglite = await PGlite.create()
    const embedded = await createDb({ pglite })
    await prepareDatabase(embedded.db)
    await seedDemo(embedded.db)
    const before = await tableDigests(embedded.db)
    const f = path.join(dir, 'from-pglite.hjbak')
    await backup(embedded.db, f, 'pglite')
    await embedded.close()
    await pglite.close()
    const target = await freshDatabase({ migrated: false })
    try {
      expect(target.engine).toBe('postgresql')
      await restore(target.db, f)
      expect(await tableDigests(target.db)).toEqual(before)
    } finally {
      await target.close()
    }
  })
})
