import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, onPostgres } from '../helpers/db.ts'
import { acquireDataDirLock, LockError } from '../../src/server/db/lock.ts'
import { latestMigration } from '../../src/server/db/migrate.ts'
import type { Database } from '../../src/server/db/create-db.ts'

const run = promisify(execFile)
const bin = path.resolve('bin/huanjie.js')
let dir: string
let env: NodeJS.ProcessEnv
let pgDb: (Database & { url?: string }) | undefined

function cli(...args: string[]) {
  return run(process.execPath, [bin, ...args], { env, timeout: 120_000 }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  )
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hj-cli-'))
  env = { ...process.env, DATA_DIR: path.join(dir, 'data') }
  delete env.DATABASE_URL
  if (onPostgres()) {
    pgDb = await freshDatabase({ migrated: false })
    env.DATABASE_URL = pgDb.url
  }
})
afterAll(async () => {
  await pgDb?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('huanjie CLI', () => {
  it('prints help for itself and for every command', async () => {
    const top = await cli('--help')
    expect(top.code).toBe(0)
    for (const name of ['migrate', 'seed-demo', 'create-county', 'create-user', 'audit verify', 'backup', 'restore', 'stats', 'alerts']) {
      expect(top.out).toContain(name)
      const r = await cli(...name.split(' '), '--help')
      expect(r.code, name).toBe(0)
      expect(r.out).toContain(`用法：huanjie ${name}`)
    }
    const bad = await cli('frobnicate')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('未知命令')
  }, 120_000)

  it('migrates, seeds the demo county, verifies the audit chain, backs up and restores', async () => {
    expect((await cli('migrate')).out).toContain(latestMigration)
    const seeded = await cli('seed-demo')
    expect(seeded.code).toBe(0)
    expect(seeded.out).toContain('xyz_organiser')
    expect((await cli('seed-demo')).err).toContain('只能载入空数据库')
    const verify = await cli('audit', 'verify')
    expect(verify.code).toBe(0)
    expect(verify.out).toMatch(/县 150999：完整/)
    const user = await cli('create-user', '--username', 'cli_leader', '--name', '命令行用户', '--role', 'leader', '--territory', '150999100000')
    expect(user.code, user.err).toBe(0)
    expect(user.out).toMatch(/初始密码：\S{12}/)
    const missing = await cli('create-user', '--username', 'x_y_z', '--role', 'leader', '--territory', '150999100000')
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('--name')
    const file = path.join(dir, 'b.hjbak')
    const b = await cli('backup', file)
    expect(b.code, b.err).toBe(0)
    expect(fs.existsSync(file)).toBe(true)
    // Restore into an empty embedded database beside it.
    const restoreEnv: NodeJS.ProcessEnv = { ...env, DATA_DIR: path.join(dir, 'restored') }
    delete restoreEnv.DATABASE_URL
    const r = await run(process.execPath, [bin, 'restore', file], { env: restoreEnv, timeout: 120_000 })
    expect(r.stdout).toContain('恢复完成')
    const v2 = await run(process.execPath, [bin, 'audit', 'verify'], { env: restoreEnv, timeout: 120_000 })
    expect(v2.stdout).toMatch(/完整/)
    // Six processes, each starting Node and the database, and the whole demo county seeded through
    // the services: on a busy 2-core CI machine this took over 3 minutes once.
  }, 360_000)

  it('reproduces the seed report’s figures from the demo county’s 2021 Party round (huanjie stats --json)', async () => {
    const r = await cli('stats', '--region', '150999100000', '--body', 'party_committee', '--year', '2021', '--json')
    expect(r.code, r.err).toBe(0)
    const s = JSON.parse(r.out) as {
      year: number
      progress: { total: number; finished: number; byKind: { kind: string; total: number; finished: number }[] }
      finished: { members: number; heads: number; womenHeads: number; women: number; under35: number; college: number }
      finishedWithHead: number
      electedFrom: string
      electedTo: string
      paragraph: string
    }
    expect(s.year).toBe(2021)
    expect(s.progress.byKind.filter((k) => k.total > 0).map((k) => [k.kind, k.total, k.finished])).toEqual([
      ['village', 26, 26],
      ['community', 2, 2],
    ])
    expect(s.finishedWithHead).toBe(28)
    expect(s.finished).toMatchObject({ members: 88, heads: 28, womenHeads: 1, women: 19, under35: 7, college: 57 })
    expect([s.electedFrom, s.electedTo]).toEqual(['2021-01-05', '2021-01-09'])
    expect(s.paragraph.split('\n')[0]).toBe('2021年1月5日至9日，全镇26个村、2个社区圆满完成了党组织换届工作。此次选举，各村、社区全部产生党组织书记，委员88人，其中女性书记1人，女性委员19人，35周岁以下7人，大专及以上学历57人。')
    const text = await cli('stats', '--region', '150999100000', '--year', '2021')
    expect(text.out).toContain('红旗村')
    expect(text.out).toContain('委员88人')
    // The day's alerts for the demo county print without a robot configured.
    const alerts = await cli('alerts', '--county', '150999')
    expect(alerts.code, alerts.err).toBe(0)
    expect(alerts.out).toContain('换届工作提醒')
    const bad = await cli('stats', '--region', '15x')
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('区划代码')
  }, 120_000)

  it('creates a county for a new deployment', async () => {
    const r = await cli('create-county', '--code', '150998', '--name', '新旗', '--kind', 'banner')
    expect(r.code, r.err).toBe(0)
    const again = await cli('create-county', '--code', '150998', '--name', '新旗', '--kind', 'banner')
    expect(again.err).toContain('已存在')
  }, 60_000)
})

describe('data directory lock', () => {
  it('refuses a second holder while the first process lives, naming its pid, and takes over a stale lock', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hj-lock-'))
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    fs.writeFileSync(path.join(d, 'huanjie.lock'), String(child.pid))
    try {
      expect(() => acquireDataDirLock(d)).toThrow(LockError)
      expect(() => acquireDataDirLock(d)).toThrow(new RegExp(`pid ${child.pid}`))
    } finally {
      child.kill()
    }
    await new Promise((r) => child.once('exit', r))
    const lock = acquireDataDirLock(d)
    expect(fs.readFileSync(path.join(d, 'huanjie.lock'), 'utf8')).toBe(String(process.pid))
    lock.release()
    expect(fs.existsSync(path.join(d, 'huanjie.lock'))).toBe(false)
    fs.rmSync(d, { recursive: true, force: true })
  })

  it.skipIf(onPostgres())('makes a second server process on the same directory refuse with a clear message', async () => {
    const data = path.join(dir, 'locked')
    fs.mkdirSync(data, { recursive: true })
    const holder = acquireDataDirLock(data)
    try {
      // Every command opens the directory through the same lock: with it held they refuse.
      const second = await run(process.execPath, [bin, 'migrate'], { env: { ...env, DATA_DIR: data } }).catch((e: { code: number; stderr: string }) => e)
      expect((second as { code: number }).code).toBe(1)
      expect((second as { stderr: string }).stderr).toContain(`正被另一个 huanjie 进程（pid ${process.pid}）使用`)
    } finally {
      holder.release()
    }
  })
})
