import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'

/** Newest modification time under the paths the web build depends on. */
function newest(paths: string[]): number {
  let max = 0
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return
    const st = fs.statSync(p)
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e))
    else max = Math.max(max, st.mtimeMs)
  }
  paths.forEach(walk)
  return max
}

const sources = ['src/web', 'src/shared', 'src/rules', 'vite.config.ts', 'package-lock.json']

/** Whether dist/web is missing or older than its sources. */
export function webBuildStale(root: string, webDir: string): boolean {
  const stamp = path.join(webDir, 'index.html')
  if (!fs.existsSync(stamp)) return true
  return newest(sources.map((s) => path.join(root, s))) > fs.statSync(stamp).mtimeMs
}

/** Builds the web app with Vite when it is missing or stale; `npm start` calls this. */
export function ensureWebBuild(root: string, webDir: string, log: (msg: string) => void): void {
  // A WEB_DIR elsewhere is a build the operator provides; Vite only writes dist/web.
  if (path.resolve(webDir) !== path.join(root, 'dist/web')) return
  if (!webBuildStale(root, webDir)) return
  if (!fs.existsSync(path.join(root, 'src/web/index.html'))) return
  log('正在构建网页前端（首次启动或源文件有更新）…')
  const vite = path.join(root, 'node_modules/vite/bin/vite.js')
  if (!fs.existsSync(vite)) throw new Error('找不到 vite：请先运行 npm install（需安装开发依赖）')
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('网页前端构建失败，见上方输出')
}
