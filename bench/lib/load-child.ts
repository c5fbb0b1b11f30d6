/**
 * The load generator of `npm run bench -- report`, in its own process (performance.md B3: autocannon
 * runs beside the server, not inside it). Started by load.ts with the path of a JSON plan; runs its
 * phases one after another, each amount-bound: request i of a phase is the phase's item i (its own
 * path, headers and body), so every unit is sent exactly once. Prints one JSON line of results.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { LoadPlan, LoadResult } from './load.ts'

interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
}
interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  '2xx': number
  resets: number
  mismatches: number
  statusCodeStats: Record<string, { count: number }>
  latency: { p50: number; p90: number; p99: number; max: number; mean: number; min: number }
  requests: { sent: number; total: number }
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

async function runPhase(url: string, connections: number, phase: LoadPlan['phases'][number]): Promise<LoadResult> {
  let next = 0
  const firstBodies = new Map<number, string>()
  const result = await autocannon({
    url,
    connections: Math.min(connections, phase.items.length),
    pipelining: 1,
    amount: phase.items.length,
    // A slow request is measured, not cut off: the run only ends when every item has an answer.
    timeout: 120,
    requests: [
      {
        method: phase.method,
        setupRequest: (req: AutocannonRequest) => {
          const item = phase.items[next++]
          // Called exactly `amount` times (once per request sent); more would mean a retry.
          if (!item) throw new Error(`request ${next} of ${phase.items.length}: more requests than items`)
          req.path = item.path
          req.headers = { ...item.headers }
          req.body = item.body
          return req
        },
        onResponse: (status: number, body: string) => {
          if (status >= 300 && firstBodies.size < 3) firstBodies.set(status, body.slice(0, 300))
        },
      },
    ],
  })
  return {
    name: phase.name,
    requests: phase.items.length,
    sent: next,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    reqPerSec: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    mean: result.latency.mean,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    samples: [...firstBodies.entries()].map(([status, body]) => `${status}: ${body}`),
  }
}

const planFile = process.argv[2]
if (!planFile) throw new Error('usage: load-child.ts <plan.json>')
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as LoadPlan
const out: LoadResult[] = []
for (const phase of plan.phases) out.push(await runPhase(plan.url, plan.connections, phase))
process.stdout.write(`${JSON.stringify(out)}\n`)
