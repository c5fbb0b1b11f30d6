import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** One request of a phase: autocannon sends item i as its i-th request. */
export interface LoadItem {
  path: string
  headers: Record<string, string>
  body: string
}

export interface LoadPlan {
  url: string
  connections: number
  phases: { name: string; method: 'POST' | 'GET'; items: LoadItem[] }[]
}

export interface LoadResult {
  name: string
  /** Items in the phase = requests asked for. */
  requests: number
  /** Requests autocannon built (one per item when nothing was retried). */
  sent: number
  ok: number
  non2xx: number
  errors: number
  timeouts: number
  seconds: number
  /** 2xx answers ÷ the phase's wall time (amount-bound, so not autocannon's per-second average). */
  reqPerSec: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  statuses: Record<string, number>
  /** The first answers that were not 2xx, shortened, to say why. */
  samples: string[]
}

/**
 * Runs the plan's phases in a child Node process (bench/lib/load-child.ts under tsx), so the load
 * generator's JavaScript does not share the server's event loop: they share only the machine's
 * two cores, as in performance.md B3.
 */
export async function runLoad(plan: LoadPlan): Promise<LoadResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huanjie-load-'))
  const file = path.join(dir, 'plan.json')
  fs.writeFileSync(file, JSON.stringify(plan))
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load-child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => (out += chunk))
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', resolve)
    })
    if (code !== 0) throw new Error(`load generator exited with ${code}`)
    return JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult[]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
