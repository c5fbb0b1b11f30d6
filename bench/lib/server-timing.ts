import type { Server } from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'

export interface ServerTiming {
  /** Requests seen by the server while watched. */
  requests: number
  /** ms from the HTTP server's 'request' event (headers parsed) to the response's 'finish', per request. */
  p50: number
  p99: number
  max: number
  /** The server process's event-loop delay meanwhile, ms: how late its timers ran (a busy or stalled loop). */
  loopP99: number
  loopMax: number
}

/**
 * Watches a listening Node HTTP server from outside (a 'request' listener, no framework hook), to
 * tell the time a request spends in the server from the time the load generator adds (its own
 * scheduling on a busy machine, the socket queue), and whether the event loop stalled.
 */
export function watchServer(server: Server): { stop(): ServerTiming } {
  const ms: number[] = []
  const onRequest = (_req: unknown, res: { once(event: 'finish', f: () => void): void }) => {
    const t0 = performance.now()
    res.once('finish', () => ms.push(performance.now() - t0))
  }
  server.on('request', onRequest)
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  return {
    stop() {
      server.off('request', onRequest)
      loop.disable()
      const s = ms.sort((a, b) => a - b)
      const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
      return { requests: s.length, p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? 0, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 }
    },
  }
}
