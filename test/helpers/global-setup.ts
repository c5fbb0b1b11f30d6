import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'
import { createDb } from '../../src/server/db/create-db.ts'
import { prepareDatabase } from '../../src/server/modules/setup/prepare.ts'
import { ensureWebBuild } from '../../src/server/web-build.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: path of a migrated data-directory image each test file loads. */
    goldenImage: string
    /** PostgreSQL: a migrated template database each test file copies. */
    templateDb: string
    databaseUrl: string
  }
}

/**
 * Migrates once per run: a PGlite image (dumpDataDir) or a PostgreSQL template database. Each
 * test file then starts from a copy, so files never share state and need not migrate again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Browser test files run two at a time: build the web app once here, never from two at once.
  // HJ_TEST_WEB_DIR: a private build for one developer's browser runs while others build dist/web.
  const ownDir = process.env.HJ_TEST_WEB_DIR
  if (ownDir && fs.existsSync('/usr/bin/chromium')) buildInto(path.resolve(ownDir))
  else if (fs.existsSync('/usr/bin/chromium')) ensureWebBuild(process.cwd(), path.resolve('dist/web'), (m) => console.log(m))
  const url = process.env.DATABASE_URL ?? ''
  project.provide('databaseUrl', url)
  if (url) {
    const template = `hj_tpl_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`drop database if exists ${template}`)
    await admin.query(`create database ${template}`)
    const u = new URL(url)
    u.pathname = `/${template}`
    const d = await createDb({ databaseUrl: u.toString() })
    await prepareDatabase(d.db)
    await d.close()
    project.provide('templateDb', template)
    project.provide('goldenImage', '')
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like '${template}_%' or datname = $1`, [template])
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`)
      await admin.end()
    }
  }
  const dir = path.resolve('.tmp')
  fs.mkdirSync(dir, { recursive: true })
  const image = path.join(dir, `golden-${process.pid}.tar`)
  const pglite = await PGlite.create()
  const d = await createDb({ pglite })
  await prepareDatabase(d.db)
  await d.close()
  const dump = await pglite.dumpDataDir('none')
  fs.writeFileSync(image, Buffer.from(await dump.arrayBuffer()))
  await pglite.close()
  project.provide('goldenImage', image)
  project.provide('templateDb', '')
  return async () => {
    fs.rmSync(image, { force: true })
  }
}

function buildInto(dir: string): void {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', dir, '--emptyOutDir'], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('网页前端构建失败，见上方输出')
}
