/**
 * `npm run bench -- tally`: the counting engine on a large villagers' committee election (issue 4):
 * 10,000 ballots, 5 seats over the four posts (主任 1, 副主任 1, 妇女委员 1, 委员 2), 10 candidates,
 * write-ins and void ballots mixed in. Reports the engine's time against two yardsticks measured in
 * the same run: one JSON.parse of the same input (the least any consumer of the ballots must do)
 * and the 100 ms within which a UI should answer a user's action (RAIL), which the engine's time
 * must stay far under. bench/run.ts writes the results to bench/results/tally.md.
 */
import os from 'node:os'
import { tally } from '../src/rules/tally/index.ts'
import type { Ballot, Mark, TallyCandidate, TallyInput } from '../src/rules/tally/types.ts'
import { stats } from './lib/stats.ts'

const BALLOTS = Number(process.env.BALLOTS ?? 10_000)
const RUNS = Number(process.env.RUNS ?? 21)

/** mulberry32: the performance note's deterministic generator. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function villageRound(n: number, seed = 42): TallyInput {
  const r = rng(seed)
  const c = (id: string, name: string, post: TallyCandidate['post'], gender: TallyCandidate['gender'] = 'male'): TallyCandidate => ({ id, name, gender, post })
  const candidates = [
    c('d1', '王建国', 'director'),
    c('d2', '李志强', 'director'),
    c('v1', '张海', 'deputy_director'),
    c('v2', '刘军', 'deputy_director'),
    c('w1', '赵红', 'woman_member', 'female'),
    c('w2', '孙丽', 'woman_member', 'female'),
    c('m1', '周杰', 'member'),
    c('m2', '吴刚', 'member'),
    c('m3', '郑伟', 'member'),
    c('m4', '冯涛', 'member'),
  ]
  const posts = [
    { post: 'director' as const, seats: 1 },
    { post: 'deputy_director' as const, seats: 1 },
    { post: 'woman_member' as const, seats: 1 },
    { post: 'member' as const, seats: 2 },
  ]
  const weights: Record<string, number> = { d1: 0.62, d2: 0.3, v1: 0.55, v2: 0.35, w1: 0.6, w2: 0.33, m1: 0.58, m2: 0.52, m3: 0.4, m4: 0.3 }
  const ballots: Ballot[] = []
  for (let i = 0; i < n; i++) {
    if (r() < 0.01) {
      ballots.push({ void: true })
      continue
    }
    const marks: Record<string, Mark> = {}
    for (const { post, seats } of posts) {
      let approved = 0
      for (const cand of candidates.filter((x) => x.post === post)) {
        const x = r()
        if (x < weights[cand.id]! && approved < seats) {
          marks[cand.id] = 'approve'
          approved++
        } else if (x > 0.9) marks[cand.id] = 'disapprove'
        else if (x > 0.8) marks[cand.id] = 'abstain'
      }
    }
    const b: Ballot = { marks }
    if (r() < 0.02) b.writeIns = [{ name: ['陈明', '杨帆', '黄涛'][Math.floor(r() * 3)]!, post: 'member' }]
    ballots.push(b)
  }
  return { body: 'villager_committee', round: 'first', entitled: Math.ceil(n * 1.25), ballotsIssued: n, posts, candidates, ballots }
}

export function benchTally(): string {
  const input = villageRound(BALLOTS)
  const text = JSON.stringify(input)
  // Warm up the JIT on both, as a running server would be.
  for (let i = 0; i < 3; i++) {
    tally(JSON.parse(text))
  }
  const parse: number[] = []
  const engine: number[] = []
  let elected = ''
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now()
    const parsed: unknown = JSON.parse(text)
    parse.push(performance.now() - t)
    t = performance.now()
    const result = tally(parsed)
    engine.push(performance.now() - t)
    elected = result.elected.map((e) => `${e.name}`).join('、')
  }
  const p = stats(parse)
  const e = stats(engine)
  const ms = (x: number) => x.toFixed(1)
  const cpus = os.cpus()
  return [
    '# Benchmark results: counting engine',
    '',
    'Written by `npm run bench -- tally`.',
    '',
    `- when: ${new Date().toISOString()}`,
    `- machine: ${cpus.length} CPU (${cpus[0]?.model.trim() ?? '?'}), node ${process.version}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`,
    `- input: villagers' committee, ${BALLOTS.toLocaleString('en-US')} ballots (${(text.length / 1e6).toFixed(1)} MB of JSON), 5 seats over 4 posts, 10 candidates, ≈1% void, ≈2% with a write-in; elected: ${elected}`,
    `- median of ${RUNS} runs after 3 warm-up runs (min–max in brackets)`,
    '',
    '| measurement | ms median (min–max) | ratio |',
    '|---|---|---|',
    `| JSON.parse of the same input (baseline) | ${ms(p.median)} (${ms(p.min)}–${ms(p.max)}) | |`,
    `| tally(): validate, judge each ballot, count, carry down, decide, explain | ${ms(e.median)} (${ms(e.min)}–${ms(e.max)}) | ${(e.median / p.median).toFixed(1)}× JSON.parse; ${Math.round((e.median / 100) * 100)}% of a 100 ms UI response |`,
    '',
  ].join('\n')
}
