import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import net from 'node:net'
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { onPostgres } from '../helpers/db.ts'
import { latestMigration } from '../../src/server/db/migrate.ts'

const bin = path.resolve('bin/huanjie.js')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hj-serve-'))
const children: ChildProcess[] = []

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/** Starts `huanjie serve`; resolves with its output once it listens or exits. */
function serve(port: number): Promise<{ child: ChildProcess; out: string; code: number | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: path.join(dir, 'data'), WEB_DIR: path.join(dir, 'no-web'), LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  const child = spawn(process.execPath, [bin, 'serve'], { env })
  children.push(child)
  let out = ''
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString()
      if (out.includes('huanjie 已启动')) resolve({ child, out, code: null })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => resolve({ child, out, code }))
  })
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  fs.rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(onPostgres())('huanjie serve on the embedded database', () => {
  it('seeds and prints the demo logins on first start, refuses a second process, closes cleanly on SIGTERM', async () => {
    const port = await freePort()
    const first = await serve(port)
    expect(first.code).toBeNull()
    expect(first.out).toContain('演示县“青山旗”已载入')
    expect(first.out).toMatch(/xyz_organiser\s+密码 \S{12}/)
    expect(fs.statSync(path.join(dir, 'data', 'demo-logins.txt')).mode & 0o777).toBe(0o600)
    const health = await fetch(`http://127.0.0.1:${port}/api/health`)
    expect((await health.json()) as object).toMatchObject({ engine: 'pglite', migration: latestMigration })

    const second = await serve(await freePort())
    expect(second.code).toBe(1)
    expect(second.out).toContain(`正被另一个 huanjie 进程（pid ${first.child.pid}）使用`)

    const exited = new Promise<number | null>((r) => first.child.once('exit', r))
    first.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(fs.existsSync(path.join(dir, 'data', 'huanjie.lock'))).toBe(false)

    const again = await serve(port)
    expect(again.code).toBeNull()
    expect(again.out).toContain('演示账号见')
    expect(again.out).not.toContain('已载入')
    const stop = new Promise<number | null>((r) => again.child.once('exit', r))
    again.child.kill('SIGINT')
    expect(await stop).toBe(0)
  }, 120_000)
})
