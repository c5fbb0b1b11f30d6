import pg from 'pg'

export interface WaitSample {
  /** e.g. "active: Lock transactionid", "active: IO WalSync", "active: on CPU", "idle in transaction: Client ClientRead". */
  state: string
  /** Mean number of the database's client backends in this state over the samples. */
  mean: number
}

/**
 * Samples what PostgreSQL's backends for one database are doing (pg_stat_activity) every
 * `everyMs` from its own connection, until stopped: the share of time the application's
 * connections spend waiting on a lock (the audit chain's head row), on WAL flushes, on the CPU, or
 * idle waiting for Node.
 */
export async function sampleWaits(url: string, everyMs = 50): Promise<{ stop(): Promise<{ samples: number; states: WaitSample[] }> }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const database = new URL(url).pathname.slice(1)
  const counts = new Map<string, number>()
  let samples = 0
  let running = true
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ state: string; n: string }>({
        name: 'waits',
        text: `select coalesce(state, '?') || ': ' || coalesce(wait_event_type || ' ' || wait_event, case when state = 'active' then 'on CPU' else '' end) as state, count(*) as n
               from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend' group by 1`,
        values: [database],
      })
      samples++
      for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + Number(r.n))
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      await client.end()
      return {
        samples,
        states: [...counts]
          .map(([state, n]) => ({ state, mean: n / Math.max(1, samples) }))
          .sort((a, b) => b.mean - a.mean),
      }
    },
  }
}
