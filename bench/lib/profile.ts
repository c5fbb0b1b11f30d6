import fs from 'node:fs'
import path from 'node:path'
import { Session } from 'node:inspector/promises'

/**
 * Runs `work` under V8's CPU profiler when `dir` is set, and writes `<dir>/<name>.cpuprofile`
 * (open it in Chrome DevTools, or summarise it with summariseProfile). Only this process is
 * profiled: the server side of a load, not the load generator.
 */
export async function withCpuProfile<T>(dir: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `${name}.cpuprofile`)
    fs.writeFileSync(file, JSON.stringify(profile))
    process.stderr.write(`    CPU profile written to ${file}\n${summariseProfile(profile)}\n`)
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples?: number[]
  timeDeltas?: number[]
}

/** Where the time went, by package (node_modules), source file of this project, or V8 category. */
export function summariseProfile(p: CpuProfile, top = 15): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const spent = new Map<string, number>()
  let total = 0
  const samples = p.samples ?? []
  const deltas = p.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const cf = byId.get(samples[i]!)?.callFrame
    const dt = deltas[i] ?? 0
    total += dt
    if (!cf) continue
    const url = cf.url
    const key = !url
      ? cf.functionName || '(native)'
      : url.startsWith('wasm://')
        ? 'wasm (PGlite engine)'
        : url.includes('node_modules/')
          ? url.replace(/.*node_modules\/(@[^/]+\/[^/]+|[^/]+).*/, '$1')
          : url.startsWith('node:')
            ? 'node internals'
            : url.replace(/^.*?\/(src|bench)\//, '$1/')
    spent.set(key, (spent.get(key) ?? 0) + dt)
  }
  return [...spent]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, t]) => `      ${(t / 1000).toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n')
}
