/**
 * Property tests of the counting engine (shared/docs/rules.md "Decisions", quality.md §3.3 R1–R8).
 *
 * Two kinds of generated rounds:
 * - "messy" rounds: random marks, write-ins (sometimes of candidates' names), void ballots, too many
 *   ballots, every body and round kind and rule override. Used for invariants that hold whatever
 *   the ballots say.
 * - "clean" rounds: every ballot is valid by construction (or `{void:true}`), so the test can
 *   aggregate the ballots itself into totals and work out the winners with a small reference
 *   count (party bodies; villager/resident without carry-down, where posts are independent).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { tally } from './index.ts'
import type { Ballot, Gender, Mark, TallyBody, TallyCandidate, TallyInput, TallyPost, TallyResult, TallyRound, TallyRules, TallyTotals, WriteIn } from './types.ts'

// A fixed seed keeps CI reproducible; TALLY_SEED=n explores other cases locally.
const RUNS = { numRuns: 250, seed: Number(process.env.TALLY_SEED ?? 20_260_101) }

const MALE = ['张伟', '李强', '刘洋', '王军', '陈明', '赵磊', '周杰', '吴刚', '杨帆', '黄涛', '徐斌', '马超', '朱军', '胡勇', '郭亮', '林涛']
const FEMALE = ['王芳', '李娜', '刘红', '孙丽', '周敏', '何琳', '陈静', '杨洁', '赵敏', '黄丽', '徐燕', '马兰', '朱婷', '胡梅', '郭霞', '林雪']
/** Names never given to a candidate: write-ins only. */
const EXTRA_MALE = ['高峰', '马力']
const EXTRA_FEMALE = ['罗雪', '梁静']
const WOMEN = new Set([...FEMALE, ...EXTRA_FEMALE])
const DEFAULTS: TallyRules = { quorumComparison: '>', partySurplusRatio: 0.2, carryDown: true, supplementaryTurnoutRequired: true, womenFallback: 'none' }

interface Shape {
  body: TallyBody
  posts: { post: TallyPost; seats: number }[]
  candidates: TallyCandidate[]
}

// ---------------------------------------------------------------------------------------------
// shapes: body, posts and candidates

const gender = fc.constantFrom<Gender>('male', 'female')

/** For each post: seats, number of candidates (sometimes too few for the surplus rule) and genders. */
function arbShape(body: TallyBody, postsArb: fc.Arbitrary<{ post: TallyPost; seats: number }[]>): fc.Arbitrary<Shape> {
  return postsArb.chain((posts) =>
    fc
      .tuple(
        ...posts.map((p) =>
          fc.tuple(
            fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 1, max: p.seats }) }, { weight: 12, arbitrary: fc.integer({ min: p.seats + 1, max: p.seats + 2 }) }),
            fc.array(gender, { minLength: p.seats + 2, maxLength: p.seats + 2 }),
          ),
        ),
      )
      .map((perPost) => {
        let m = 0
        let f = 0
        let id = 0
        const candidates: TallyCandidate[] = []
        perPost.forEach(([n, genders], i) => {
          const post = posts[i]!.post
          for (let k = 0; k < n; k++) {
            const g: Gender = post === 'woman_member' ? 'female' : genders[k]!
            const name = g === 'male' ? MALE[m++]! : FEMALE[f++]!
            candidates.push({ id: `k${++id}`, name, gender: g, post })
          }
        })
        return { body, posts, candidates }
      }),
  )
}

const committeeShape = fc.integer({ min: 1, max: 4 }).chain((seats) => arbShape('party_committee', fc.constant([{ post: 'member' as const, seats }])))
const secretaryShape = arbShape(
  'party_secretary',
  fc.constantFrom(
    [{ post: 'secretary' as const, seats: 1 }],
    [
      { post: 'secretary' as const, seats: 1 },
      { post: 'deputy_secretary' as const, seats: 1 },
    ],
    [
      { post: 'secretary' as const, seats: 1 },
      { post: 'deputy_secretary' as const, seats: 2 },
    ],
  ),
)
const villagePosts = fc
  .record({
    director: fc.boolean(),
    deputy: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    woman: fc.boolean(),
    member: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  })
  .map((r) => {
    const posts: { post: TallyPost; seats: number }[] = []
    if (r.director) posts.push({ post: 'director', seats: 1 })
    if (r.deputy) posts.push({ post: 'deputy_director', seats: r.deputy })
    if (r.woman) posts.push({ post: 'woman_member', seats: 1 })
    if (r.member) posts.push({ post: 'member', seats: r.member })
    if (posts.length === 0) posts.push({ post: 'member', seats: 2 })
    return posts
  })
const villageShape = fc.constantFrom<TallyBody>('villager_committee', 'resident_committee').chain((body) => arbShape(body, villagePosts))

// ---------------------------------------------------------------------------------------------
// messy ballots

function writeInPool(shape: Shape, post: TallyPost): string[] {
  const names = shape.candidates.map((c) => c.name)
  if (post === 'woman_member') return [...shape.candidates.filter((c) => c.gender === 'female').map((c) => c.name), ...EXTRA_FEMALE]
  return [...names, ...EXTRA_MALE, ...EXTRA_FEMALE]
}

function arbMessyBallot(shape: Shape): fc.Arbitrary<Ballot> {
  const n = shape.candidates.length
  const mark = fc.constantFrom<Mark | null>('approve', 'approve', 'disapprove', 'abstain', null)
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Ballot>({ void: true }) },
    {
      weight: 12,
      arbitrary: fc
        .record({
          marks: fc.array(mark, { minLength: n, maxLength: n }),
          writeIns: fc.oneof(
            { weight: 3, arbitrary: fc.constant<[number, number][]>([]) },
            { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(shape.posts.length - 1), fc.nat(99)), { minLength: 1, maxLength: 2 }) },
          ),
          tidy: fc.constantFrom(true, true, true, false),
        })
        .map(({ marks, writeIns, tidy }) => {
          const b: Ballot = { marks: {} }
          const approvals = new Map<TallyPost, number>()
          shape.candidates.forEach((c, i) => {
            let m = marks[i]
            if (m === null || m === undefined) return
            if (m === 'approve' && tidy) {
              const seats = shape.posts.find((p) => p.post === c.post)!.seats
              const k = approvals.get(c.post) ?? 0
              if (k >= seats) m = 'disapprove'
              else approvals.set(c.post, k + 1)
            }
            b.marks![c.id] = m
          })
          if (writeIns.length > 0) {
            b.writeIns = writeIns.map(([pi, ni]): WriteIn => {
              const post = shape.posts[pi]!.post
              const pool = writeInPool(shape, post)
              return { name: pool[ni % pool.length]!, post }
            })
          }
          return b
        }),
    },
  )
}

/**
 * ballotsIssued and the ballots: usually exactly `max` ballots, sometimes fewer or one too many.
 * Most ballots copy one of up to three "bloc" ballots, so that majorities and ties happen often.
 */
function arbBallots(shape: Shape, max: number, ballot: (s: Shape) => fc.Arbitrary<Ballot>): fc.Arbitrary<{ issued: number; ballots: Ballot[] }> {
  return fc
    .record({
      drop: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
      count: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: max + 1 }) }),
    })
    .chain(({ drop, count }) => {
      const issued = Math.max(0, max - drop)
      const n = count < 0 ? issued : count
      return fc
        .tuple(fc.array(ballot(shape), { minLength: 1, maxLength: 3 }), fc.array(ballot(shape), { minLength: n, maxLength: n }), fc.array(fc.nat(11), { minLength: n, maxLength: n }))
        .map(([blocs, own, picks]) => ({
          issued,
          // picks 0–4: the first bloc; 5–8: any bloc; 9–11: a ballot of its own
          ballots: own.map((b, i) => (picks[i]! < 9 ? structuredClone(blocs[picks[i]! < 5 ? 0 : picks[i]! % blocs.length]!) : b)),
        }))
    })
}

const round = fc.constantFrom<TallyRound>('first', 'first', 'supplementary', 'revote')
const revoteOf = fc.constantFrom<'first' | 'supplementary' | undefined>(undefined, 'first', 'supplementary')

function arbPartyInput(ballot: (s: Shape) => fc.Arbitrary<Ballot>, shapes = fc.oneof(committeeShape, secretaryShape)): fc.Arbitrary<TallyInput> {
  return fc
    .record({
      shape: shapes,
      round,
      revoteOf,
      present: fc.integer({ min: 1, max: 13 }),
      absent: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
      quorumComparison: fc.constantFrom<'>' | '>='>('>', '>='),
      partySurplusRatio: fc.constantFrom(0.2, 0.2, 0, 0.5),
    })
    .chain((r) =>
      arbBallots(r.shape, r.present, ballot).map(({ issued, ballots }): TallyInput => {
        const input: TallyInput = {
          body: r.shape.body,
          round: r.round,
          rules: { quorumComparison: r.quorumComparison, partySurplusRatio: r.partySurplusRatio },
          entitled: r.present + r.absent,
          present: r.present,
          ballotsIssued: issued,
          posts: r.shape.posts,
          candidates: r.shape.candidates,
          ballots,
        }
        if (r.round === 'revote' && r.revoteOf) input.revoteOf = r.revoteOf
        return input
      }),
    )
}

function arbVillageInput(ballot: (s: Shape) => fc.Arbitrary<Ballot>, rules: fc.Arbitrary<Partial<TallyRules>>, rounds = round): fc.Arbitrary<TallyInput> {
  return fc
    .record({ shape: villageShape, round: rounds, revoteOf, entitled: fc.integer({ min: 1, max: 16 }), rules })
    .chain((r) =>
      fc
        .integer({ min: Math.ceil(r.entitled / 2), max: r.entitled })
        .chain((max) => arbBallots(r.shape, max, ballot))
        .map(({ issued, ballots }): TallyInput => {
          const input: TallyInput = {
            body: r.shape.body,
            round: r.round,
            rules: r.rules,
            entitled: r.entitled,
            ballotsIssued: issued,
            posts: r.shape.posts,
            candidates: r.shape.candidates,
            ballots,
          }
          if (r.round === 'revote' && r.revoteOf) input.revoteOf = r.revoteOf
          return input
        }),
    )
}

const anyVillageRules = fc.record(
  {
    carryDown: fc.boolean(),
    supplementaryTurnoutRequired: fc.boolean(),
    womenFallback: fc.constantFrom<'none' | 'last_seat'>('none', 'last_seat'),
  },
  { requiredKeys: [] },
)
const messyParty = arbPartyInput(arbMessyBallot)
const messyVillage = arbVillageInput(arbMessyBallot, anyVillageRules)
const messyAny = fc.oneof(messyParty, messyVillage)

// ---------------------------------------------------------------------------------------------
// clean ballots: valid by construction

/** Write-in names for clean ballots, one pool per post, never a candidate's name, never shared by two posts. */
const CLEAN_WRITE_INS: Record<TallyPost, string[]> = {
  secretary: ['高峰'],
  deputy_secretary: ['马力'],
  member: ['罗雪', '马力', '高峰'],
  director: ['高峰'],
  deputy_director: ['马力'],
  woman_member: ['罗雪'],
}
const cleanPool = (shape: Shape, post: TallyPost) =>
  shape.body === 'party_committee' || shape.body === 'party_secretary' ? CLEAN_WRITE_INS[post] : { ...CLEAN_WRITE_INS, member: ['梁静', '林海'] }[post]

function arbCleanBallot(shape: Shape): fc.Arbitrary<Ballot> {
  const party = shape.body === 'party_committee' || shape.body === 'party_secretary'
  const perPost = shape.posts.map((p) => {
    const ids = shape.candidates.filter((c) => c.post === p.post).map((c) => c.id)
    return fc.record({
      approve: fc.shuffledSubarray(ids, { maxLength: Math.min(p.seats, ids.length) }),
      others: fc.array(fc.constantFrom<Mark | null>('disapprove', 'abstain', null), { minLength: ids.length, maxLength: ids.length }),
      writeIns: fc.nat(3),
    })
  })
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Ballot>({ void: true }) },
    {
      weight: 10,
      arbitrary: fc.tuple(...perPost).map((choices) => {
        const b: Ballot = { marks: {}, writeIns: [] }
        choices.forEach((ch, i) => {
          const p = shape.posts[i]!
          const ids = shape.candidates.filter((c) => c.post === p.post).map((c) => c.id)
          let disapprovals = 0
          ids.forEach((id, j) => {
            if (ch.approve.includes(id)) b.marks![id] = 'approve'
            else {
              const m = ch.others[j]
              if (m === 'disapprove') disapprovals++
              if (m) b.marks![id] = m
            }
          })
          let room = p.seats - ch.approve.length
          if (party) room = Math.min(room, disapprovals)
          const pool = cleanPool(shape, p.post)
          const k = Math.min(ch.writeIns, room, pool.length)
          for (let j = 0; j < k; j++) b.writeIns!.push(p.post === 'woman_member' ? { name: pool[j]!, post: p.post, gender: 'female' } : { name: pool[j]!, post: p.post })
        })
        if (b.writeIns!.length === 0) delete b.writeIns
        return b
      }),
    },
  )
}

const cleanParty = arbPartyInput(arbCleanBallot)
const cleanVillage = arbVillageInput(
  arbCleanBallot,
  fc.record({ carryDown: fc.constant(false), supplementaryTurnoutRequired: fc.boolean() }, { requiredKeys: ['carryDown'] }),
)

const cleanVillageCarry = arbVillageInput(
  arbCleanBallot,
  fc.record({ carryDown: fc.constant(true), supplementaryTurnoutRequired: fc.boolean() }, { requiredKeys: [] }),
  // supplementary rounds (a third elects) are where carried votes most often decide a seat
  fc.constantFrom<TallyRound>('first', 'supplementary', 'supplementary', 'supplementary', 'revote'),
)

/** The test's own aggregation of the valid ballots into a count sheet. */
function aggregate(input: TallyInput): TallyTotals {
  const all = input.ballots ?? []
  const valid = all.filter((b) => !b.void)
  const candidates: TallyTotals['candidates'] = {}
  for (const c of input.candidates) {
    const approve = valid.filter((b) => b.marks?.[c.id] === 'approve').length
    const disapprove = valid.filter((b) => b.marks?.[c.id] === 'disapprove').length
    candidates[c.id] = { approve, disapprove, abstain: valid.length - approve - disapprove }
  }
  const w = new Map<string, { name: string; post: TallyPost; approve: number; gender?: Gender }>()
  for (const b of valid) {
    for (const x of b.writeIns ?? []) {
      const key = `${x.post}:${x.name}`
      const e = w.get(key) ?? { name: x.name, post: x.post, approve: 0, ...(x.gender ? { gender: x.gender } : {}) }
      e.approve++
      w.set(key, e)
    }
  }
  const totals: TallyTotals = { validBallots: valid.length, voidBallots: all.length - valid.length, candidates }
  if (w.size > 0) totals.writeIns = [...w.values()]
  return totals
}

interface RefLine {
  name: string
  id: string | null
  approve: number
  carried: number
}

interface Reference {
  /** contenders' lines by "post:(candidateId or name)", carried votes included (valid rounds only) */
  lines: Map<string, RefLine>
  valid: boolean
  reasons: string[]
  threshold: number
  elected: string[]
  tie: string[]
  unfilled: string[]
}

/** A small independent count for clean rounds (persons never stand or are written in at two posts). */
function reference(input: TallyInput, t: TallyTotals): Reference {
  const rules = { ...DEFAULTS, ...input.rules }
  const party = input.body === 'party_committee' || input.body === 'party_secretary'
  const returned = t.validBallots + t.voidBallots
  const reasons: string[] = []
  let threshold: number
  if (party) {
    const present = input.present!
    const quorum = rules.quorumComparison === '>' ? present * 5 > input.entitled * 4 : present * 5 >= input.entitled * 4
    if (!quorum) reasons.push('quorum')
    if (input.body === 'party_committee' && input.round !== 'revote') {
      const seats = input.posts[0]!.seats
      const r = Math.round(rules.partySurplusRatio * 1000)
      const need = Math.ceil((seats * (1000 + r)) / 1000)
      if (input.candidates.length < need) reasons.push('insufficient_surplus')
    }
    threshold = Math.floor(present / 2) + 1
  } else {
    const turnoutApplies = input.round !== 'supplementary' || rules.supplementaryTurnoutRequired
    if (turnoutApplies && !(returned * 2 > input.entitled)) reasons.push('turnout')
    if (input.round !== 'revote' && input.posts.some((p) => input.candidates.filter((c) => c.post === p.post).length <= p.seats)) reasons.push('insufficient_surplus')
    const kind = input.round === 'revote' ? (input.revoteOf ?? 'first') : input.round
    // "at least a third": ceil(base/3), but never 0 votes (an empty round elects nobody)
    threshold = kind === 'supplementary' ? Math.max(1, Math.ceil(returned / 3)) : Math.floor(returned / 2) + 1
  }
  if (returned > input.ballotsIssued) reasons.push('ballots_exceed_issued')
  const out: Reference = { lines: new Map(), valid: reasons.length === 0, reasons: reasons.sort(), threshold, elected: [], tie: [], unfilled: [] }
  if (!out.valid) return out
  // Posts in the order director → deputy director → woman member → member (rule 11); with carry-down,
  // a person not elected (and not tied) at a post of the chain director → deputy → member takes
  // their approvals there (carried ones included) down to the next post of the chain present.
  const carry = !party && rules.carryDown
  const CHAIN: TallyPost[] = ['director', 'deputy_director', 'member']
  const ORDER: TallyPost[] = ['secretary', 'deputy_secretary', 'director', 'deputy_director', 'woman_member', 'member']
  const carried = new Map<string, { id: string | null; approve: number }>()
  const blocked = new Set<string>()
  for (const p of [...input.posts].sort((a, b) => ORDER.indexOf(a.post) - ORDER.indexOf(b.post))) {
    const inChain = carry && CHAIN.includes(p.post)
    const all: RefLine[] = [
      ...input.candidates.filter((c) => c.post === p.post).map((c) => ({ name: c.name, id: c.id, approve: t.candidates[c.id]!.approve, carried: 0 })),
      ...(t.writeIns ?? []).filter((w) => w.post === p.post).map((w) => ({ name: w.name, id: null, approve: w.approve, carried: 0 })),
    ].filter((l) => !blocked.has(l.name))
    if (inChain) {
      for (const l of all) {
        const c = carried.get(l.name)
        if (c) {
          l.approve += c.approve
          l.carried = c.approve
          l.id = l.id ?? c.id
        }
      }
      for (const [name, c] of carried) if (!all.some((l) => l.name === name) && c.approve > 0) all.push({ name, id: c.id, approve: c.approve, carried: c.approve })
    }
    for (const l of all) out.lines.set(`${p.post}:${l.id ?? l.name}`, l)
    const lines = all.filter((l) => l.approve >= threshold).sort((a, b) => b.approve - a.approve)
    const key = (l: RefLine) => `${p.post}:${l.id ?? l.name}`
    const won: RefLine[] = []
    let tied: RefLine[] = []
    if (lines.length <= p.seats) {
      won.push(...lines)
      if (lines.length < p.seats) out.unfilled.push(`${p.post}:${p.seats - lines.length}`)
    } else {
      const last = lines[p.seats - 1]!.approve
      const above = lines.filter((l) => l.approve > last)
      const equal = lines.filter((l) => l.approve === last)
      const left = p.seats - above.length
      won.push(...above)
      if (equal.length > left) {
        tied = equal
        out.tie.push(`${p.post}:${left}:${tied.map(key).sort().join(',')}`)
      } else won.push(...equal)
    }
    out.elected.push(...won.map(key))
    for (const l of [...won, ...tied]) blocked.add(l.name)
    if (inChain) {
      carried.clear()
      for (const l of all) if (!blocked.has(l.name)) carried.set(l.name, { id: l.id, approve: l.approve })
    }
  }
  out.elected.sort()
  out.tie.sort()
  out.unfilled.sort()
  return out
}

// ---------------------------------------------------------------------------------------------
// result helpers

const keyOf = (e: { candidateId: string | null; name: string; post: TallyPost }) => `${e.post}:${e.candidateId ?? e.name}`
const electedKeys = (r: TallyResult) => r.elected.map(keyOf).sort()
const tieKeys = (r: TallyResult) => r.tie.map((t) => `${t.post}:${t.seats}:${t.candidateIds.map((id, i) => `${t.post}:${id ?? t.names[i]}`).sort().join(',')}`).sort()
const unfilledKeys = (r: TallyResult) => r.unfilled.map((u) => `${u.post}:${u.seats}`).sort()
const show = (input: TallyInput) => JSON.stringify(input)

// ---------------------------------------------------------------------------------------------

describe('tally properties', () => {
  it('shuffling the ballots gives a deep-equal result', () => {
    const arb = messyAny.chain((input) => {
      const bs = input.ballots!
      return fc.shuffledSubarray(bs, { minLength: bs.length, maxLength: bs.length }).map((shuffled) => [input, { ...input, ballots: shuffled }] as const)
    })
    fc.assert(
      fc.property(arb, ([a, b]) => {
        expect(tally(b)).toEqual(tally(a))
      }),
      RUNS,
    )
  })

  it('shuffling the ballots changes nothing but, at most, the order of result lines', () => {
    // Weaker than the deep-equal property above, so that a failure there from line order alone
    // does not hide any other dependence on ballot order.
    const sorted = (r: TallyResult) => ({
      ...r,
      results: [...r.results].sort((x, y) => keyOf(x).localeCompare(keyOf(y))),
      elected: [...r.elected].sort((x, y) => keyOf(x).localeCompare(keyOf(y))),
      tie: r.tie.map((t) => ({ ...t, candidateIds: [...t.candidateIds].sort(), names: [...t.names].sort() })).sort((x, y) => x.post.localeCompare(y.post)),
      unfilled: [...r.unfilled].sort((x, y) => x.post.localeCompare(y.post)),
    })
    const arb = messyAny.chain((input) => {
      const bs = input.ballots!
      return fc.shuffledSubarray(bs, { minLength: bs.length, maxLength: bs.length }).map((shuffled) => [input, { ...input, ballots: shuffled }] as const)
    })
    fc.assert(
      fc.property(arb, ([a, b]) => {
        expect(sorted(tally(b))).toEqual(sorted(tally(a)))
      }),
      RUNS,
    )
  })

  it('R1: ballotsReturned = validBallots + voidBallots = number of ballots', () => {
    fc.assert(
      fc.property(messyAny, (input) => {
        const r = tally(input)
        expect(r.ballotsReturned).toBe(r.validBallots + r.voidBallots)
        expect(r.ballotsReturned).toBe(input.ballots!.length)
        expect(r.voidBallots).toBeGreaterThanOrEqual(input.ballots!.filter((b) => b.void).length)
        expect(Object.values(r.voidByReason).reduce((a, b) => a + b, 0)).toBe(r.voidBallots)
      }),
      RUNS,
    )
  })

  it('R4: approve + disapprove + abstain = validBallots on every result line; no negative count', () => {
    fc.assert(
      fc.property(messyAny, (input) => {
        const r = tally(input)
        for (const l of r.results) {
          expect(l.approve + l.disapprove + l.abstain, `${l.post}:${l.name}`).toBe(r.validBallots)
          expect(Math.min(l.approve, l.disapprove, l.abstain, l.carried)).toBeGreaterThanOrEqual(0)
          expect(l.carried).toBeLessThanOrEqual(l.approve)
        }
        // every candidate has a line at its own post
        for (const c of input.candidates) expect(r.results.filter((l) => l.candidateId === c.id && l.post === c.post)).toHaveLength(1)
      }),
      RUNS,
    )
  })

  it('R8: elected per post ≤ seats, seats add up, a woman-only post holds a woman', () => {
    fc.assert(
      fc.property(messyAny, (input) => {
        const r = tally(input)
        expect(r.results.filter((l) => l.elected).map(keyOf).sort()).toEqual(electedKeys(r))
        for (const p of input.posts) {
          const elected = r.elected.filter((e) => e.post === p.post).length
          expect(elected, p.post).toBeLessThanOrEqual(p.seats)
          if (r.valid) {
            const tied = r.tie.filter((t) => t.post === p.post).reduce((a, t) => a + t.seats, 0)
            const unfilled = r.unfilled.filter((u) => u.post === p.post).reduce((a, u) => a + u.seats, 0)
            expect(elected + tied + unfilled, `seats of ${p.post}`).toBe(p.seats)
          }
        }
        for (const e of r.elected.filter((x) => x.post === 'woman_member')) expect(WOMEN.has(e.name), e.name).toBe(true)
        for (const l of r.results.filter((x) => x.elected)) expect(l.approve).toBeGreaterThanOrEqual(r.threshold)
      }),
      RUNS,
    )
  })

  it('invalid rounds elect nobody; next follows tie, unfilled and validity', () => {
    fc.assert(
      fc.property(messyAny, (input) => {
        const r = tally(input)
        if (!r.valid) {
          expect(r.invalidReasons.length).toBeGreaterThan(0)
          expect(r.next).toBe('rerun')
          expect(r.elected).toEqual([])
          expect(r.tie).toEqual([])
          expect(r.unfilled).toEqual([])
          expect(r.results.some((l) => l.elected)).toBe(false)
        } else {
          expect(r.invalidReasons).toEqual([])
          expect(r.next).toBe(r.tie.length > 0 ? 'revote' : r.unfilled.length > 0 ? 'supplementary' : 'none')
        }
        if (r.ballotsReturned > input.ballotsIssued) expect(r.invalidReasons).toContain('ballots_exceed_issued')
        else expect(r.invalidReasons).not.toContain('ballots_exceed_issued')
      }),
      RUNS,
    )
  })

  it('party threshold is floor(present/2)+1; party winners out-vote every loser of their post', () => {
    fc.assert(
      fc.property(messyParty, (input) => {
        const r = tally(input)
        expect(r.base).toBe(input.present)
        expect(r.threshold).toBe(Math.floor(input.present! / 2) + 1)
        for (const p of input.posts) {
          const lines = r.results.filter((l) => l.post === p.post)
          const minWinner = Math.min(...lines.filter((l) => l.elected).map((l) => l.approve))
          // (a person already elected secretary is not a contender for deputy, whatever his votes there)
          const electedElsewhere = new Set(r.elected.filter((e) => e.post !== p.post).map((e) => e.name))
          for (const l of lines.filter((x) => !x.elected && !electedElsewhere.has(x.name))) expect(l.approve).toBeLessThanOrEqual(minWinner)
        }
      }),
      RUNS,
    )
  })

  it('adding a {void:true} ballot to a party round never adds anyone to elected', () => {
    fc.assert(
      fc.property(messyParty, (input) => {
        const before = tally(input)
        const after = tally({ ...input, ballots: [...input.ballots!, { void: true }] })
        expect(after.voidBallots).toBe(before.voidBallots + 1)
        expect(after.validBallots).toBe(before.validBallots)
        const was = new Set(electedKeys(before))
        for (const k of electedKeys(after)) expect(was.has(k), k).toBe(true)
        // counts, base and threshold do not move; only the ballots-issued check can change
        if (after.valid) expect(electedKeys(after)).toEqual(electedKeys(before))
        expect(after.threshold).toBe(before.threshold)
      }),
      RUNS,
    )
  })

  it('party rounds: the count matches the test’s own aggregation and reference count; totals input agrees', () => {
    fc.assert(
      fc.property(cleanParty, (input) => {
        const t = aggregate(input)
        const byBallots = tally(input)
        const byTotals = tally(asTotals(input, t))
        checkAgainstReference(input, t, byBallots)
        expect(electedKeys(byTotals)).toEqual(electedKeys(byBallots))
        expect(byTotals.valid).toBe(byBallots.valid)
        expect(tieKeys(byTotals)).toEqual(tieKeys(byBallots))
        expect(unfilledKeys(byTotals)).toEqual(unfilledKeys(byBallots))
        expect([byTotals.ballotsReturned, byTotals.validBallots, byTotals.voidBallots]).toEqual([byBallots.ballotsReturned, byBallots.validBallots, byBallots.voidBallots])
      }),
      RUNS,
    )
  })

  it('villager/resident rounds without carry-down: the count matches the reference; totals input agrees', () => {
    fc.assert(
      fc.property(cleanVillage, (input) => {
        const t = aggregate(input)
        const byBallots = tally(input)
        const byTotals = tally(asTotals(input, t))
        checkAgainstReference(input, t, byBallots)
        expect(electedKeys(byTotals)).toEqual(electedKeys(byBallots))
        expect(byTotals.valid).toBe(byBallots.valid)
        expect(tieKeys(byTotals)).toEqual(tieKeys(byBallots))
        expect(unfilledKeys(byTotals)).toEqual(unfilledKeys(byBallots))
      }),
      RUNS,
    )
  })

  it('villager/resident rounds with carry-down: carried lines, winners, ties and unfilled seats match the reference', () => {
    fc.assert(
      fc.property(cleanVillageCarry, (input) => {
        checkAgainstReference(input, aggregate(input), tally(input))
      }),
      RUNS,
    )
  })
})

function asTotals(input: TallyInput, totals: TallyTotals): TallyInput {
  const rest = { ...input, totals }
  delete rest.ballots
  return rest
}

function checkAgainstReference(input: TallyInput, t: TallyTotals, r: TallyResult) {
  const ref = reference(input, t)
  const ctx = show(input)
  expect(r.validBallots, ctx).toBe(t.validBallots)
  expect(r.voidBallots, ctx).toBe(t.voidBallots)
  expect(r.valid, ctx).toBe(ref.valid)
  expect([...r.invalidReasons].sort(), ctx).toEqual(ref.reasons)
  expect(r.threshold, ctx).toBe(ref.threshold)
  for (const c of input.candidates) {
    const l = r.results.find((x) => x.candidateId === c.id && x.post === c.post)
    const e = t.candidates[c.id]!
    expect(l && [l.approve, l.disapprove, l.abstain], `${c.id} ${ctx}`).toEqual([e.approve, e.disapprove, e.abstain])
  }
  for (const w of t.writeIns ?? []) {
    const l = r.results.find((x) => x.candidateId === null && x.name === w.name && x.post === w.post)
    expect(l && [l.approve, l.disapprove, l.abstain], `${w.post}:${w.name} ${ctx}`).toEqual([w.approve, 0, t.validBallots - w.approve])
  }
  for (const [k, l] of ref.lines) {
    if (l.carried === 0) continue
    const e = r.results.find((x) => keyOf(x) === k)
    expect(e && [e.approve, e.disapprove, e.abstain, e.carried], `carried line ${k} ${ctx}`).toEqual([l.approve, 0, t.validBallots - l.approve, l.carried])
  }
  expect(electedKeys(r), ctx).toEqual(ref.elected)
  expect(tieKeys(r), ctx).toEqual(ref.tie)
  expect(unfilledKeys(r), ctx).toEqual(ref.unfilled)
}
