import fs from 'node:fs'
import path from 'node:path'

export interface DataDirLock {
  release(): void
}

export class LockError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite takes no lock of its own, and two processes on one directory corrupt it
 * (pglite#1106), so the app owns an exclusive lock file holding its pid.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = path.join(dataDir, 'huanjie.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx')
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          try {
            if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file)
          } catch {
            // already gone
          }
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(fs.readFileSync(file, 'utf8').trim())
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new LockError(
          `数据目录 ${dataDir} 正被另一个 huanjie 进程（pid ${pid}）使用。` +
            `同一数据目录只能由一个进程打开；请先停止该进程，或用 DATA_DIR 指定其他目录。`,
        )
      }
      // Stale lock from a crashed process: remove it and try once more.
      fs.unlinkSync(file)
    }
  }
  throw new LockError(`无法获得数据目录锁 ${file}`)
}
