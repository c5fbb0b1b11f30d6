/**
 * Independent, table-driven tests of the counting engine against shared/docs/rules.md "Decisions"
 * (rules 1–15), shared/docs/tally-format.md and quality.md §3.3 (R1–R8). Every expected number is
 * worked out by hand in the comment above its case; nothing here is derived from the engine.
 *
 * Ballot shorthand: ballots(n, 'c1 c2 -c3 ~c4', [writeIns]) is n identical ballots approving c1 and
 * c2, disapproving c3 and marking c4 abstain; a candidate not named is left unmarked (= abstain).
 */
import { describe, expect, it } from 'vitest'
import { defaultRules, tally } from './index.ts'
import {
  TallyInputError,
  type Ballot,
  type Gender,
  type InvalidReason,
  type Mark,
  type TallyCandidate,
  type TallyInput,
  type TallyPost,
  type TallyResult,
  type WriteIn,
} from './types.ts'

// ---------------------------------------------------------------------------------------------
// helpers

function marks(spec: string): Record<string, Mark> {
  const m: Record<string, Mark> = {}
  for (const tok of spec.split(/\s+/).filter(Boolean)) {
    if (tok.startsWith('-')) m[tok.slice(1)] = 'disapprove'
    else if (tok.startsWith('~')) m[tok.slice(1)] = 'abstain'
    else m[tok] = 'approve'
  }
  return m
}

/** n identical ballots; see the file comment for the mark shorthand. */
function ballots(n: number, spec = '', writeIns: WriteIn[] = []): Ballot[] {
  return Array.from({ length: n }, () => {
    const b: Ballot = { marks: marks(spec) }
    if (writeIns.length > 0) b.writeIns = writeIns.map((w) => ({ ...w }))
    return b
  })
}
const voided = (n: number): Ballot[] => Array.from({ length: n }, () => ({ void: true }))
const wi = (name: string, post: TallyPost, gender?: Gender): WriteIn => (gender ? { name, post, gender } : { name, post })
const cand = (id: string, name: string, post: TallyPost, gender: Gender = 'male'): TallyCandidate => ({ id, name, post, gender })

/** Party committee members c1..c4 (rule 3: 3 seats need ceil(3.6) = 4 candidates). */
const C4: TallyCandidate[] = [
  cand('c1', '张伟', 'member'),
  cand('c2', '王芳', 'member', 'female'),
  cand('c3', '李强', 'member'),
  cand('c4', '刘洋', 'member'),
]
const members = (n: number): TallyCandidate[] => Array.from({ length: n }, (_, i) => cand(`c${i + 1}`, `党员${i + 1}`, 'member'))

function party(over: Partial<TallyInput>): TallyInput {
  const input: TallyInput = {
    body: 'party_committee',
    round: 'first',
    entitled: 10,
    present: 9,
    ballotsIssued: 9,
    posts: [{ post: 'member', seats: 3 }],
    candidates: C4,
    ballots: [],
    ...over,
  }
  if (over.totals && !over.ballots) delete input.ballots
  return input
}

/** Secretary s1 and deputy s2, one seat each, 等额 (rule 8). */
const S2: TallyCandidate[] = [cand('s1', '张伟', 'secretary'), cand('s2', '王芳', 'deputy_secretary', 'female')]
function secretary(over: Partial<TallyInput>): TallyInput {
  return party({
    body: 'party_secretary',
    entitled: 5,
    present: 5,
    ballotsIssued: 5,
    posts: [
      { post: 'secretary', seats: 1 },
      { post: 'deputy_secretary', seats: 1 },
    ],
    candidates: S2,
    ...over,
  })
}

/** Director d1/d2 (1 seat), member m1..m3 (2 seats): rule 10 surplus holds for both posts. */
const V: TallyCandidate[] = [
  cand('d1', '王军', 'director'),
  cand('d2', '陈明', 'director'),
  cand('m1', '赵磊', 'member'),
  cand('m2', '孙丽', 'member', 'female'),
  cand('m3', '周杰', 'member'),
]
/** V plus deputy director v1/v2 (1 seat). */
const VD: TallyCandidate[] = [...V, cand('v1', '刘红', 'deputy_director', 'female'), cand('v2', '杨帆', 'deputy_director')]
const DIR_MEM = [
  { post: 'director' as const, seats: 1 },
  { post: 'member' as const, seats: 2 },
]
const DIR_DEP_MEM = [
  { post: 'director' as const, seats: 1 },
  { post: 'deputy_director' as const, seats: 1 },
  { post: 'member' as const, seats: 2 },
]

function village(over: Partial<TallyInput>): TallyInput {
  const input: TallyInput = {
    body: 'villager_committee',
    round: 'first',
    entitled: 20,
    ballotsIssued: 15,
    posts: DIR_MEM,
    candidates: V,
    ballots: [],
    ...over,
  }
  if (over.totals && !over.ballots) delete input.ballots
  return input
}

/** The result line of a candidate id or a write-in name, optionally "post:key". Exactly one must match. */
function lineOf(r: TallyResult, key: string) {
  const [post, k] = key.includes(':') ? (key.split(':') as [TallyPost, string]) : [undefined, key]
  const found = r.results.filter((l) => (l.candidateId === k || (l.candidateId === null && l.name === k) || l.name === k) && (post === undefined || l.post === post))
  // a candidate id match is preferred over a name match
  const byId = found.filter((l) => l.candidateId === k)
  const hits = byId.length > 0 ? byId : found
  if (hits.length !== 1) throw new Error(`expected one result line for ${key}, found ${hits.length}: ${JSON.stringify(r.results.map((l) => [l.post, l.candidateId, l.name]))}`)
  return hits[0]!
}

const keyOf = (e: { candidateId: string | null; name: string; post: TallyPost }) => `${e.post}:${e.candidateId ?? e.name}`
const electedKeys = (r: TallyResult) => r.elected.map(keyOf).sort()
const unfilledOf = (r: TallyResult) => r.unfilled.map((u) => `${u.post}:${u.seats}`).sort()
const tiesOf = (r: TallyResult) =>
  r.tie
    .map((t) => ({
      post: t.post,
      seats: t.seats,
      who: t.candidateIds.map((id, i) => `${id ?? 'null'}/${t.names[i] ?? '?'}`).sort(),
    }))
    .sort((a, b) => a.post.localeCompare(b.post))
const voidReasonsOf = (r: TallyResult) => Object.fromEntries(Object.entries(r.voidByReason).filter(([, n]) => n !== 0))

interface Expect {
  valid?: boolean
  reasons?: InvalidReason[]
  base?: number
  threshold?: number
  returned?: number
  validBallots?: number
  voidBallots?: number
  /** "post:candidateId" or "post:writtenName" */
  elected?: string[]
  /** "post:seats" */
  unfilled?: string[]
  /** who: "candidateId/name" or "null/name" */
  tie?: { post: TallyPost; seats: number; who: string[] }[]
  next?: TallyResult['next']
  /** [approve, disapprove, abstain] by lineOf key */
  counts?: Record<string, [number, number, number]>
  carried?: Record<string, number>
  voidByReason?: Record<string, number>
}

/** Runs the engine and checks the expectation plus the invariants every result must meet. */
function run(input: TallyInput, exp: Expect): TallyResult {
  const r = tally(input)
  if (exp.valid !== undefined) expect(r.valid, 'valid').toBe(exp.valid)
  if (exp.reasons !== undefined) expect([...r.invalidReasons].sort(), 'invalidReasons').toEqual([...exp.reasons].sort())
  if (exp.base !== undefined) expect(r.base, 'base').toBe(exp.base)
  if (exp.threshold !== undefined) expect(r.threshold, 'threshold').toBe(exp.threshold)
  if (exp.returned !== undefined) expect(r.ballotsReturned, 'ballotsReturned').toBe(exp.returned)
  if (exp.validBallots !== undefined) expect(r.validBallots, 'validBallots').toBe(exp.validBallots)
  if (exp.voidBallots !== undefined) expect(r.voidBallots, 'voidBallots').toBe(exp.voidBallots)
  if (exp.elected !== undefined) expect(electedKeys(r), 'elected').toEqual([...exp.elected].sort())
  if (exp.unfilled !== undefined) expect(unfilledOf(r), 'unfilled').toEqual([...exp.unfilled].sort())
  if (exp.tie !== undefined) expect(tiesOf(r), 'tie').toEqual(exp.tie.map((t) => ({ ...t, who: [...t.who].sort() })).sort((a, b) => a.post.localeCompare(b.post)))
  if (exp.next !== undefined) expect(r.next, 'next').toBe(exp.next)
  for (const [k, c] of Object.entries(exp.counts ?? {})) {
    const l = lineOf(r, k)
    expect([l.approve, l.disapprove, l.abstain], `counts of ${k}`).toEqual(c)
  }
  for (const [k, n] of Object.entries(exp.carried ?? {})) expect(lineOf(r, k).carried, `carried of ${k}`).toBe(n)
  if (exp.voidByReason !== undefined) expect(voidReasonsOf(r), 'voidByReason').toEqual(exp.voidByReason)

  // invariants (R1, R4, R8 and the invalid-round shape)
  expect(r.ballotsReturned, 'R1').toBe(r.validBallots + r.voidBallots)
  if (input.ballots) expect(r.ballotsReturned, 'ballotsReturned = ballots given').toBe(input.ballots.length)
  for (const l of r.results) expect(l.approve + l.disapprove + l.abstain, `R4 ${l.post}:${l.name}`).toBe(r.validBallots)
  expect(r.results.filter((l) => l.elected).map(keyOf).sort(), 'elected flags = elected list').toEqual(electedKeys(r))
  for (const p of input.posts) expect(r.elected.filter((e) => e.post === p.post).length, `R8 ${p.post}`).toBeLessThanOrEqual(p.seats)
  // A write-in with the exact name of a candidate of the same post is that candidate: no separate line.
  for (const l of r.results) {
    if (l.candidateId === null) expect(input.candidates.some((c) => c.post === l.post && c.name === l.name), `write-in line ${l.post}:${l.name} duplicates a candidate`).toBe(false)
  }
  for (const t of r.tie) expect(t.names.length, 'tie names').toBe(t.candidateIds.length)
  if (!r.valid) {
    expect(r.next).toBe('rerun')
    expect(r.elected).toEqual([])
    expect(r.unfilled).toEqual([])
    expect(r.tie).toEqual([])
    expect(r.results.every((l) => !l.elected)).toBe(true)
    expect(r.invalidReasons.length).toBeGreaterThan(0)
  } else {
    expect(r.invalidReasons).toEqual([])
  }
  return r
}

interface Case {
  name: string
  input: TallyInput
  exp: Expect
}
const table = (cases: Case[]) => it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => void run(c.input, c.exp))

// ---------------------------------------------------------------------------------------------

describe('defaults and overrides', () => {
  it('has the default rule set of rules.md "Counting-engine parameters"', () => {
    expect(defaultRules).toEqual({ quorumComparison: '>', partySurplusRatio: 0.2, carryDown: true, supplementaryTurnoutRequired: true, womenFallback: 'none' })
  })
  it('reports the rule set after overrides', () => {
    const r = tally(party({ rules: { quorumComparison: '>=' }, ballots: ballots(9, 'c1 c2 c3 -c4') }))
    expect(r.rules).toEqual({ ...defaultRules, quorumComparison: '>=' })
  })
})

describe('rule 1: party quorum, present × 5 > entitled × 4', () => {
  table([
    {
      // entitled 10, present 8: 8×5 = 40, 10×4 = 40; 40 > 40 is false → invalid (quorum).
      // Counts are still reported: all 8 ballots approve c1 c2 c3 and disapprove c4.
      // Base = present = 8, threshold floor(8/2)+1 = 5.
      name: 'exactly 4/5 present is not enough with ">" (default)',
      input: party({ present: 8, ballotsIssued: 8, ballots: ballots(8, 'c1 c2 c3 -c4') }),
      exp: {
        valid: false,
        reasons: ['quorum'],
        base: 8,
        threshold: 5,
        elected: [],
        unfilled: [],
        tie: [],
        next: 'rerun',
        counts: { c1: [8, 0, 0], c2: [8, 0, 0], c3: [8, 0, 0], c4: [0, 8, 0] },
        validBallots: 8,
        voidBallots: 0,
      },
    },
    {
      // Same round with quorumComparison ">=": 40 >= 40 → valid; threshold 5; c1 c2 c3 have 8 ≥ 5.
      name: 'exactly 4/5 present is enough with ">="',
      input: party({ present: 8, ballotsIssued: 8, rules: { quorumComparison: '>=' }, ballots: ballots(8, 'c1 c2 c3 -c4') }),
      exp: { valid: true, reasons: [], threshold: 5, elected: ['member:c1', 'member:c2', 'member:c3'], unfilled: [], tie: [], next: 'none' },
    },
    {
      // present 9 of 10: 45 > 40 → valid; threshold floor(9/2)+1 = 5.
      name: 'more than 4/5 present is valid',
      input: party({ ballots: ballots(9, 'c1 c2 c3 -c4') }),
      exp: { valid: true, base: 9, threshold: 5, elected: ['member:c1', 'member:c2', 'member:c3'], next: 'none', counts: { c4: [0, 9, 0] } },
    },
    {
      // present 7 of 10 with ">=": 35 >= 40 false → still invalid.
      name: 'below 4/5 is invalid even with ">="',
      input: party({ present: 7, ballotsIssued: 7, rules: { quorumComparison: '>=' }, ballots: ballots(7, 'c1 c2 c3') }),
      exp: { valid: false, reasons: ['quorum'], next: 'rerun', counts: { c1: [7, 0, 0], c4: [0, 0, 7] } },
    },
    {
      // Quorum applies to a supplementary round too: 1 seat, candidates c1 c2 (ceil(1.2) = 2, surplus ok),
      // present 8 of 10 → 40 > 40 false → invalid.
      name: 'applies to a supplementary round',
      input: party({ round: 'supplementary', present: 8, ballotsIssued: 8, posts: [{ post: 'member', seats: 1 }], candidates: C4.slice(0, 2), ballots: ballots(8, 'c1 -c2') }),
      exp: { valid: false, reasons: ['quorum'], next: 'rerun', counts: { c1: [8, 0, 0] } },
    },
    {
      // ... and to a revote among tied c3 c4 (1 seat): present 8 of 10 → invalid.
      name: 'applies to a revote',
      input: party({ round: 'revote', present: 8, ballotsIssued: 8, posts: [{ post: 'member', seats: 1 }], candidates: C4.slice(2), ballots: ballots(8, 'c3 -c4') }),
      exp: { valid: false, reasons: ['quorum'], next: 'rerun' },
    },
  ])
})

describe('rule 2: party ballots returned > issued voids the round', () => {
  table([
    {
      // issued 8 (≤ present 9, R3 ok), returned 9 > 8 → invalid (ballots_exceed_issued). Quorum 45 > 40 ok.
      name: 'one ballot too many',
      input: party({ ballotsIssued: 8, ballots: ballots(9, 'c1 c2 c3 -c4') }),
      exp: { valid: false, reasons: ['ballots_exceed_issued'], returned: 9, next: 'rerun', elected: [], counts: { c1: [9, 0, 0] } },
    },
    {
      // returned 9 = issued 9 → valid.
      name: 'returned = issued is valid',
      input: party({ ballotsIssued: 9, ballots: ballots(9, 'c1 c2 c3 -c4') }),
      exp: { valid: true, returned: 9, elected: ['member:c1', 'member:c2', 'member:c3'] },
    },
    {
      // A void ballot still counts as returned: 8 marked + 1 void = 9 > issued 8.
      name: 'void ballots count as returned',
      input: party({ ballotsIssued: 8, ballots: [...ballots(8, 'c1 c2 c3 -c4'), ...voided(1)] }),
      exp: { valid: false, reasons: ['ballots_exceed_issued'], returned: 9, validBallots: 8, voidBallots: 1 },
    },
    {
      // Also in a revote among c3 c4 for 1 seat: issued 8, returned 9.
      name: 'applies to a revote',
      input: party({ round: 'revote', ballotsIssued: 8, posts: [{ post: 'member', seats: 1 }], candidates: C4.slice(2), ballots: ballots(9, 'c3 -c4') }),
      exp: { valid: false, reasons: ['ballots_exceed_issued'], next: 'rerun' },
    },
    {
      // Several reasons together: present 8 of 10 (40 > 40 false: quorum), issued 7 < returned 8
      // (ballots_exceed_issued), 3 seats with 3 candidates < ceil(3.6) = 4 (insufficient_surplus).
      name: 'several reasons are listed together',
      input: party({ present: 8, ballotsIssued: 7, candidates: C4.slice(0, 3), ballots: ballots(8, 'c1 c2 c3') }),
      exp: { valid: false, reasons: ['quorum', 'ballots_exceed_issued', 'insufficient_surplus'], next: 'rerun', counts: { c1: [8, 0, 0] } },
    },
  ])
})

describe('rule 3: party committee surplus, candidates ≥ ceil(seats × 1.2)', () => {
  // 9 blank ballots (everyone abstains): a valid round elects nobody and leaves every seat unfilled.
  const surplus = (seats: number, n: number, over: Partial<TallyInput> = {}) =>
    party({ posts: [{ post: 'member', seats }], candidates: members(n), ballots: ballots(9), ...over })
  const ok = (seats: number): Expect => ({ valid: true, reasons: [], elected: [], unfilled: [`member:${seats}`], tie: [], next: 'supplementary' })
  const short: Expect = { valid: false, reasons: ['insufficient_surplus'], elected: [], unfilled: [], next: 'rerun' }
  table([
    // 1 seat: ceil(1.2) = 2
    { name: '1 seat, 1 candidate: invalid (needs 2)', input: surplus(1, 1), exp: short },
    { name: '1 seat, 2 candidates: valid', input: surplus(1, 2), exp: ok(1) },
    // 3 seats: ceil(3.6) = 4
    { name: '3 seats, 3 candidates: invalid (needs 4)', input: surplus(3, 3), exp: short },
    { name: '3 seats, 4 candidates: valid', input: surplus(3, 4), exp: ok(3) },
    // 5 seats: 5 × 1.2 = 6 exactly (must not become 7 through floating point)
    { name: '5 seats, 5 candidates: invalid (needs 6)', input: surplus(5, 5), exp: short },
    { name: '5 seats, 6 candidates: valid', input: surplus(5, 6), exp: ok(5) },
    // 10 seats: 12
    { name: '10 seats, 11 candidates: invalid (needs 12)', input: surplus(10, 11), exp: short },
    { name: '10 seats, 12 candidates: valid', input: surplus(10, 12), exp: ok(10) },
    // supplementary round alike: 2 seats need ceil(2.4) = 3
    { name: 'supplementary, 2 seats, 2 candidates: invalid', input: surplus(2, 2, { round: 'supplementary' }), exp: short },
    { name: 'supplementary, 2 seats, 3 candidates: valid', input: surplus(2, 3, { round: 'supplementary' }), exp: ok(2) },
    // a revote is exempt: 6 seats tied among 7 would need ceil(7.2) = 8 in a first round
    { name: 'first round, 6 seats, 7 candidates: invalid (needs 8)', input: surplus(6, 7), exp: short },
    { name: 'revote, 6 seats, 7 candidates: no surplus check', input: surplus(6, 7, { round: 'revote' }), exp: ok(6) },
    // partySurplusRatio override: ratio 0 → ceil(3 × 1) = 3; ratio 0.1 with 10 seats → 11 exactly
    { name: 'ratio 0: 3 seats, 3 candidates valid', input: surplus(3, 3, { rules: { partySurplusRatio: 0 } }), exp: ok(3) },
    { name: 'ratio 0.1: 10 seats, 11 candidates valid (integer arithmetic)', input: surplus(10, 11, { rules: { partySurplusRatio: 0.1 } }), exp: ok(10) },
    { name: 'ratio 0.1: 10 seats, 10 candidates invalid', input: surplus(10, 10, { rules: { partySurplusRatio: 0.1 } }), exp: short },
    {
      // Nothing is elected even though every candidate has 9/9 approvals (threshold 5).
      name: 'an equal-number (等额) committee vote elects nobody',
      input: party({ candidates: C4.slice(0, 3), ballots: ballots(9, 'c1 c2 c3') }),
      exp: { ...short, counts: { c1: [9, 0, 0], c2: [9, 0, 0], c3: [9, 0, 0] } },
    },
  ])
})

describe('rule 4: party ballot voidness', () => {
  table([
    {
      // present 9, 3 seats, threshold 5.
      //  4× 'c1 c2 c3 -c4'            valid
      //  1× 'c1 c2 c3 c4'             4 approvals > 3 seats → void (overvote)
      //  1× 'c1 c2 -c3' + 赵六        2 + 1 write-in = 3 ≤ 3, 1 write-in ≤ 1 disapproval → valid
      //  1× 'c1 c2 c3 -c4' + 赵六     3 + 1 = 4 > 3 → void (overvote)
      //  1× 'c1' + 赵六               1 write-in > 0 disapprovals → void (write_in_without_disapproval)
      //  1× void:true                 → void (ruled_void)
      // valid 5, void 4. c1: 5/0/0; c2: 5/0/0; c3: 4 approve, 1 disapprove; c4: 4 disapprove, 1 unmarked;
      // 赵六: 1 approve, abstain 5−1 = 4. c1, c2 elected with 5 ≥ 5; c3 4 < 5 → 1 seat unfilled.
      name: 'overvote, write-in without disapproval, ruled void',
      input: party({
        ballots: [
          ...ballots(4, 'c1 c2 c3 -c4'),
          ...ballots(1, 'c1 c2 c3 c4'),
          ...ballots(1, 'c1 c2 -c3', [wi('赵六', 'member')]),
          ...ballots(1, 'c1 c2 c3 -c4', [wi('赵六', 'member')]),
          ...ballots(1, 'c1', [wi('赵六', 'member')]),
          ...voided(1),
        ],
      }),
      exp: {
        valid: true,
        returned: 9,
        validBallots: 5,
        voidBallots: 4,
        voidByReason: { overvote: 2, write_in_without_disapproval: 1, ruled_void: 1 },
        counts: { c1: [5, 0, 0], c2: [5, 0, 0], c3: [4, 1, 0], c4: [0, 4, 1], 赵六: [1, 0, 4] },
        threshold: 5,
        elected: ['member:c1', 'member:c2'],
        unfilled: ['member:1'],
        next: 'supplementary',
      },
    },
    {
      // A write-in with a candidate's exact name (张伟 = c1) is an approval of c1:
      //  1× '-c1' + 张伟        c1 disapproved and written in → void (contradictory)
      //  1× '~c1 -c2' + 张伟    c1 marked abstain and written in → void (contradictory)
      //  1× 'c1 -c2' + 张伟     approved and written in → counts once for c1
      //  1× '-c2' + 张伟        c1 unmarked, written in → approval of c1
      //  5× 'c1 c3 -c4'
      // valid 7, void 2. c1: 1+1+5 = 7 approve; c2: 2 disapprove, 5 unmarked; c3: 5 approve, 2 unmarked;
      // c4: 5 disapprove, 2 unmarked. No separate write-in line for 张伟. Threshold 5 → c1 (7), c3 (5).
      name: 'write-in of a candidate name: once only, contradictory when also disapproved/abstained',
      input: party({
        ballots: [
          ...ballots(1, '-c1', [wi('张伟', 'member')]),
          ...ballots(1, '~c1 -c2', [wi('张伟', 'member')]),
          ...ballots(1, 'c1 -c2', [wi('张伟', 'member')]),
          ...ballots(1, '-c2', [wi('张伟', 'member')]),
          ...ballots(5, 'c1 c3 -c4'),
        ],
      }),
      exp: {
        validBallots: 7,
        voidBallots: 2,
        voidByReason: { contradictory: 2 },
        counts: { 'member:c1': [7, 0, 0], c2: [0, 2, 5], c3: [5, 0, 2], c4: [0, 5, 2] },
        elected: ['member:c1', 'member:c3'],
        unfilled: ['member:1'],
        next: 'supplementary',
      },
    },
    {
      // party_secretary, rule 4 per post. entitled 8, present 7 (35 > 32), threshold floor(7/2)+1 = 4.
      // secretary: s1, s3 (1 seat); deputy_secretary: s2 (1 seat).
      //  4× 's1 s2 -s3'                valid
      //  1× 's1 s3'                    2 approvals for the 1 secretary seat → void (overvote), although
      //                                2 approvals ≤ 2 seats over both posts
      //  1× '-s1' + 李强 (deputy)       deputy post: 1 write-in, 0 disapprovals in that post → void
      //                                (the disapproval is in the secretary post)
      //  1× '-s3' + 李强 (secretary)    secretary: 0 + 1 = 1 ≤ 1, 1 write-in ≤ 1 disapproval → valid
      // valid 5, void 2. s1: 4/0/1; s3: 0/5/0; s2: 4/0/1; 李强 (secretary): 1/0/4. s1, s2 elected (4 ≥ 4).
      name: 'party_secretary: overvote and write-ins counted per post',
      input: secretary({
        entitled: 8,
        present: 7,
        ballotsIssued: 7,
        candidates: [...S2, cand('s3', '刘洋', 'secretary')],
        ballots: [
          ...ballots(4, 's1 s2 -s3'),
          ...ballots(1, 's1 s3'),
          ...ballots(1, '-s1', [wi('李强', 'deputy_secretary')]),
          ...ballots(1, '-s3', [wi('李强', 'secretary')]),
        ],
      }),
      exp: {
        valid: true,
        threshold: 4,
        validBallots: 5,
        voidBallots: 2,
        voidByReason: { overvote: 1, write_in_without_disapproval: 1 },
        counts: { s1: [4, 0, 1], s3: [0, 5, 0], s2: [4, 0, 1], 'secretary:李强': [1, 0, 4] },
        elected: ['secretary:s1', 'deputy_secretary:s2'],
        unfilled: [],
        next: 'none',
      },
    },
  ])
})

describe('rule 5: party base = present, threshold floor(present/2)+1, highest first', () => {
  table([
    {
      // entitled 12, present 10 (50 > 48), threshold 6.
      //  5× 'c1 c2 c3 -c4', 1× 'c1 c2 c4 -c3', 4× 'c1 -c2'
      // c1 10/0/0; c2 6/4/0; c3 5/1/4; c4 1/5/4. c2 has 6 = threshold → elected; c3 has exactly half (5)
      // → not elected; 1 seat unfilled.
      name: 'exactly half is not enough, half + 1 is',
      input: party({ entitled: 12, present: 10, ballotsIssued: 10, ballots: [...ballots(5, 'c1 c2 c3 -c4'), ...ballots(1, 'c1 c2 c4 -c3'), ...ballots(4, 'c1 -c2')] }),
      exp: {
        base: 10,
        threshold: 6,
        counts: { c1: [10, 0, 0], c2: [6, 4, 0], c3: [5, 1, 4], c4: [1, 5, 4] },
        elected: ['member:c1', 'member:c2'],
        unfilled: ['member:1'],
        tie: [],
        next: 'supplementary',
      },
    },
    {
      // present 10, only 8 ballots returned: base stays 10, threshold 6 (not floor(8/2)+1 = 5).
      //  5× 'c1 c2 c3 -c4', 3× 'c1 c4 -c2' → c1 8, c2 5, c3 5, c4 3. Only c1 ≥ 6; 2 seats unfilled.
      name: 'base is present, not ballots returned',
      input: party({ entitled: 12, present: 10, ballotsIssued: 10, ballots: [...ballots(5, 'c1 c2 c3 -c4'), ...ballots(3, 'c1 c4 -c2')] }),
      exp: { base: 10, threshold: 6, returned: 8, counts: { c1: [8, 0, 0], c2: [5, 3, 0], c3: [5, 0, 3], c4: [3, 5, 0] }, elected: ['member:c1'], unfilled: ['member:2'], next: 'supplementary' },
    },
    {
      // present 9, threshold 5. 4× 'c1 c2 c3 -c4', 2× 'c1 c2 c4 -c3', 2× 'c1 c3 c4 -c2', 1× 'c2 c3 c4 -c1'
      // c1 8/1/0, c2 7/2/0, c3 7/2/0, c4 5/4/0. All four pass 5; top three fill the 3 seats (c2 = c3 both
      // fit, so no tie). c4 is above the threshold but not elected.
      name: 'more passing than seats: highest first',
      input: party({ ballots: [...ballots(4, 'c1 c2 c3 -c4'), ...ballots(2, 'c1 c2 c4 -c3'), ...ballots(2, 'c1 c3 c4 -c2'), ...ballots(1, 'c2 c3 c4 -c1')] }),
      exp: { counts: { c1: [8, 1, 0], c2: [7, 2, 0], c3: [7, 2, 0], c4: [5, 4, 0] }, elected: ['member:c1', 'member:c2', 'member:c3'], unfilled: [], tie: [], next: 'none' },
    },
    {
      // No ballots at all (present 9, quorum ok): counts 0/0/0 for everyone, all 3 seats unfilled.
      name: 'no ballots: every seat unfilled',
      input: party({ ballots: [] }),
      exp: { valid: true, returned: 0, validBallots: 0, voidBallots: 0, counts: { c1: [0, 0, 0] }, elected: [], unfilled: ['member:3'], next: 'supplementary' },
    },
  ])

  it('ranks contenders by votes, equal votes sharing a place', () => {
    // Same as "highest first": c1 8 → rank 1; c2 = c3 = 7 share a rank; c4 5 ranks below them.
    const r = tally(party({ ballots: [...ballots(4, 'c1 c2 c3 -c4'), ...ballots(2, 'c1 c2 c4 -c3'), ...ballots(2, 'c1 c3 c4 -c2'), ...ballots(1, 'c2 c3 c4 -c1')] }))
    expect(lineOf(r, 'c1').rank).toBe(1)
    expect(lineOf(r, 'c2').rank).toBe(lineOf(r, 'c3').rank)
    expect(lineOf(r, 'c2').rank).toBeGreaterThan(1)
    expect(lineOf(r, 'c4').rank).toBeGreaterThan(lineOf(r, 'c3').rank)
  })

  it('explains every line in Chinese with the numbers, citing a basis', () => {
    const r = tally(party({ entitled: 12, present: 10, ballotsIssued: 10, ballots: [...ballots(5, 'c1 c2 c3 -c4'), ...ballots(1, 'c1 c2 c4 -c3'), ...ballots(4, 'c1 -c2')] }))
    for (const l of r.results) {
      expect(l.explanation).toMatch(/[\u4e00-\u9fff]/)
      expect(l.explanation).toContain(String(l.approve))
      expect(l.basis.length).toBeGreaterThan(0)
      for (const b of l.basis) expect(b.law.length).toBeGreaterThan(0)
    }
    expect(r.explanation.length).toBeGreaterThan(0)
    for (const s of r.explanation) expect(s).toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('rule 6: ties at the last seat(s) go to a revote', () => {
  table([
    {
      // present 9, threshold 5. 4× 'c1 c2 c3', 3× 'c1 c2 c4', 1× 'c1 c3 c4', 1× 'c1 c4 -c2'
      // c1 9/0/0, c2 7/1/1, c3 5/0/4, c4 5/0/4. c1, c2 take 2 seats; c3 = c4 = 5 ≥ 5 for the 1 seat
      // left → tie, neither elected, next revote.
      name: 'two tied for the last seat',
      input: party({ ballots: [...ballots(4, 'c1 c2 c3'), ...ballots(3, 'c1 c2 c4'), ...ballots(1, 'c1 c3 c4'), ...ballots(1, 'c1 c4 -c2')] }),
      exp: {
        counts: { c1: [9, 0, 0], c2: [7, 1, 1], c3: [5, 0, 4], c4: [5, 0, 4] },
        elected: ['member:c1', 'member:c2'],
        tie: [{ post: 'member', seats: 1, who: ['c3/李强', 'c4/刘洋'] }],
        unfilled: [],
        next: 'revote',
      },
    },
    {
      // entitled 12, present 10, threshold 6. 2× each of 'c1 c2 c3', 'c1 c2 c4', 'c1 c3 c4', 'c2 c3 c4', 'c1'
      // c1 8/0/2, c2 = c3 = c4 = 6/0/4. c1 elected; three tied at 6 for the 2 seats left → tie seats 2.
      name: 'three tied for the last two seats',
      input: party({
        entitled: 12,
        present: 10,
        ballotsIssued: 10,
        ballots: [...ballots(2, 'c1 c2 c3'), ...ballots(2, 'c1 c2 c4'), ...ballots(2, 'c1 c3 c4'), ...ballots(2, 'c2 c3 c4'), ...ballots(2, 'c1')],
      }),
      exp: {
        threshold: 6,
        counts: { c1: [8, 0, 2], c2: [6, 0, 4], c3: [6, 0, 4], c4: [6, 0, 4] },
        elected: ['member:c1'],
        tie: [{ post: 'member', seats: 2, who: ['c2/王芳', 'c3/李强', 'c4/刘洋'] }],
        unfilled: [],
        next: 'revote',
      },
    },
    {
      // present 9, threshold 5. 4× 'c1 c2 c3', 4× 'c1 c2 c4', 1× 'c1 c2': c1 = c2 = 9, c3 = c4 = 4.
      // c3 and c4 are tied but below the threshold → no tie, 1 seat unfilled.
      name: 'equal votes below the threshold are not a tie',
      input: party({ ballots: [...ballots(4, 'c1 c2 c3'), ...ballots(4, 'c1 c2 c4'), ...ballots(1, 'c1 c2')] }),
      exp: { elected: ['member:c1', 'member:c2'], tie: [], unfilled: ['member:1'], next: 'supplementary' },
    },
    {
      // A write-in in the tie. entitled 12, present 10, threshold 6.
      //  4× 'c1 c2 -c4' + 赵六, 4× 'c1 c2 c3', 2× 'c1 c3 -c4' + 赵六
      // c1 10, c2 8, c3 6, 赵六 6, c4 0/6/4. c1, c2 elected; c3 and 赵六 tied at 6 for 1 seat.
      name: 'a write-in tied with a candidate (candidateId null)',
      input: party({
        entitled: 12,
        present: 10,
        ballotsIssued: 10,
        ballots: [...ballots(4, 'c1 c2 -c4', [wi('赵六', 'member')]), ...ballots(4, 'c1 c2 c3'), ...ballots(2, 'c1 c3 -c4', [wi('赵六', 'member')])],
      }),
      exp: {
        validBallots: 10,
        counts: { c1: [10, 0, 0], c2: [8, 0, 2], c3: [6, 0, 4], c4: [0, 6, 4], 赵六: [6, 0, 4] },
        elected: ['member:c1', 'member:c2'],
        tie: [{ post: 'member', seats: 1, who: ['c3/李强', 'null/赵六'] }],
        next: 'revote',
      },
    },
  ])
})

describe('rule 7: unfilled seats, supplementary and revote rounds (party)', () => {
  table([
    {
      // A write-in elected. present 9, threshold 5. 6× 'c1 c2 -c4' + 赵六, 3× 'c1 c2 c3'
      // c1 9, c2 9, 赵六 6 (abstain 3), c3 3/0/6, c4 0/6/3 → c1, c2, 赵六 elected.
      name: 'a write-in is elected',
      input: party({ ballots: [...ballots(6, 'c1 c2 -c4', [wi('赵六', 'member')]), ...ballots(3, 'c1 c2 c3')] }),
      exp: { counts: { 赵六: [6, 0, 3], c3: [3, 0, 6], c4: [0, 6, 3] }, elected: ['member:c1', 'member:c2', 'member:赵六'], unfilled: [], next: 'none' },
    },
    {
      // Supplementary party round keeps the majority threshold floor(9/2)+1 = 5 (not a third).
      // 2 seats, candidates c1 c2 c3 (ceil(2.4) = 3). 4× 'c1 c2', 4× 'c1 c3', 1× 'c1' → c1 9, c2 4, c3 4.
      // c2 and c3 (4 ≥ ceil(9/3) = 3 but < 5) are not elected and not tied → 1 unfilled.
      name: 'supplementary party round: majority of present',
      input: party({ round: 'supplementary', posts: [{ post: 'member', seats: 2 }], candidates: C4.slice(0, 3), ballots: [...ballots(4, 'c1 c2'), ...ballots(4, 'c1 c3'), ...ballots(1, 'c1')] }),
      exp: { valid: true, base: 9, threshold: 5, elected: ['member:c1'], tie: [], unfilled: ['member:1'], next: 'supplementary' },
    },
    {
      // Party revote among c3 c4 for 1 seat, present 9, threshold 5: 5× 'c3 -c4', 4× 'c4 -c3' → c3.
      name: 'party revote: majority of present elects',
      input: party({ round: 'revote', posts: [{ post: 'member', seats: 1 }], candidates: C4.slice(2), ballots: [...ballots(5, 'c3 -c4'), ...ballots(4, 'c4 -c3')] }),
      exp: { valid: true, threshold: 5, counts: { c3: [5, 4, 0], c4: [4, 5, 0] }, elected: ['member:c3'], next: 'none' },
    },
    {
      // revoteOf 'supplementary' changes nothing for a party body: threshold still 5.
      // 4× 'c3', 3× 'c4', 2× blank → c3 4 < 5 → unfilled.
      name: 'party revote of a supplementary round: still majority of present',
      input: party({ round: 'revote', revoteOf: 'supplementary', posts: [{ post: 'member', seats: 1 }], candidates: C4.slice(2), ballots: [...ballots(4, 'c3'), ...ballots(3, 'c4'), ...ballots(2)] }),
      exp: { valid: true, threshold: 5, elected: [], unfilled: ['member:1'], next: 'supplementary' },
    },
  ])
})

describe('rule 8: party_secretary', () => {
  table([
    {
      // 等额: 1 candidate per post is allowed (no rule 3). present 5 of 5, threshold 3.
      // 3× 's1 s2', 2× '-s1 -s2' → s1 3/2/0, s2 3/2/0 → both elected.
      name: 'equal-number candidacy is valid',
      input: secretary({ ballots: [...ballots(3, 's1 s2'), ...ballots(2, '-s1 -s2')] }),
      exp: { valid: true, reasons: [], base: 5, threshold: 3, counts: { s1: [3, 2, 0], s2: [3, 2, 0] }, elected: ['secretary:s1', 'deputy_secretary:s2'], next: 'none' },
    },
    {
      // 2× 's1 s2', 1× 's1 -s2', 2× '-s1' → s1 3/2/0 elected; s2 2/1/2 < 3 → deputy unfilled.
      name: 'deputy below threshold: unfilled',
      input: secretary({ ballots: [...ballots(2, 's1 s2'), ...ballots(1, 's1 -s2'), ...ballots(2, '-s1')] }),
      exp: { counts: { s1: [3, 2, 0], s2: [2, 1, 2] }, elected: ['secretary:s1'], unfilled: ['deputy_secretary:1'], next: 'supplementary' },
    },
    {
      // Quorum (rule 1) applies: present 4 of 5 → 20 > 20 false → invalid.
      name: 'quorum applies',
      input: secretary({ present: 4, ballotsIssued: 4, ballots: ballots(4, 's1 s2') }),
      exp: { valid: false, reasons: ['quorum'], base: 4, threshold: 3, next: 'rerun', counts: { s1: [4, 0, 0] } },
    },
    {
      // With ">=": 20 >= 20 → valid; threshold floor(4/2)+1 = 3.
      name: 'quorum ">=" variant',
      input: secretary({ present: 4, ballotsIssued: 4, rules: { quorumComparison: '>=' }, ballots: ballots(4, 's1 s2') }),
      exp: { valid: true, threshold: 3, elected: ['secretary:s1', 'deputy_secretary:s2'] },
    },
    {
      // Rule 2 applies: issued 4, returned 5.
      name: 'ballots exceeding issued',
      input: secretary({ ballotsIssued: 4, ballots: ballots(5, 's1 s2') }),
      exp: { valid: false, reasons: ['ballots_exceed_issued'], next: 'rerun' },
    },
  ])
})

describe('rule 9: villager turnout and ballots issued', () => {
  table([
    {
      // entitled 20, 10 returned: 10×2 = 20 > 20 false → invalid (turnout). base 10, threshold 6.
      name: 'exactly half turnout is invalid',
      input: village({ ballotsIssued: 10, ballots: ballots(10, 'd1 m1 m2') }),
      exp: { valid: false, reasons: ['turnout'], base: 10, threshold: 6, next: 'rerun', counts: { 'director:d1': [10, 0, 0], m1: [10, 0, 0], m3: [0, 0, 10] } },
    },
    {
      // 11 returned: 22 > 20 → valid; threshold floor(11/2)+1 = 6; d1, m1, m2 have 11.
      name: 'half plus one is valid',
      input: village({ ballotsIssued: 11, ballots: ballots(11, 'd1 m1 m2') }),
      exp: { valid: true, base: 11, threshold: 6, elected: ['director:d1', 'member:m1', 'member:m2'], unfilled: [], next: 'none' },
    },
    {
      // Same for a residents' committee.
      name: 'resident committee: exactly half is invalid',
      input: village({ body: 'resident_committee', ballotsIssued: 10, ballots: ballots(10, 'd1 m1 m2') }),
      exp: { valid: false, reasons: ['turnout'], next: 'rerun' },
    },
    {
      // Supplementary round (member 1 seat, m1 m3): 10 of 20 → invalid by default
      // (supplementaryTurnoutRequired true).
      name: 'supplementary round needs turnout by default',
      input: village({ round: 'supplementary', ballotsIssued: 10, posts: [{ post: 'member', seats: 1 }], candidates: [V[2]!, V[4]!], ballots: [...ballots(6, 'm1'), ...ballots(4, 'm3')] }),
      exp: { valid: false, reasons: ['turnout'], next: 'rerun' },
    },
    {
      // supplementaryTurnoutRequired false: valid; threshold ceil(10/3) = 4; m1 6 elected.
      name: 'supplementary round without turnout requirement',
      input: village({
        round: 'supplementary',
        rules: { supplementaryTurnoutRequired: false },
        ballotsIssued: 10,
        posts: [{ post: 'member', seats: 1 }],
        candidates: [V[2]!, V[4]!],
        ballots: [...ballots(6, 'm1'), ...ballots(4, 'm3')],
      }),
      exp: { valid: true, base: 10, threshold: 4, elected: ['member:m1'], next: 'none' },
    },
    {
      // A revote always needs turnout, whatever supplementaryTurnoutRequired says.
      name: 'revote always needs turnout',
      input: village({ round: 'revote', rules: { supplementaryTurnoutRequired: false }, ballotsIssued: 10, posts: [{ post: 'director', seats: 1 }], candidates: V.slice(0, 2), ballots: ballots(10, 'd1') }),
      exp: { valid: false, reasons: ['turnout'], next: 'rerun' },
    },
    {
      // Returned 13 > issued 12 (turnout 26 > 20 ok) → ballots_exceed_issued.
      name: 'ballots returned > issued',
      input: village({ ballotsIssued: 12, ballots: ballots(13, 'd1 m1 m2') }),
      exp: { valid: false, reasons: ['ballots_exceed_issued'], next: 'rerun' },
    },
    {
      // 10 of 20 returned and 10 > issued 9: both reasons.
      name: 'turnout and ballots exceeding issued together',
      input: village({ ballotsIssued: 9, ballots: ballots(10, 'd1 m1 m2') }),
      exp: { valid: false, reasons: ['turnout', 'ballots_exceed_issued'], next: 'rerun' },
    },
  ])
})

describe('rule 10: villager surplus, candidates per post > seats', () => {
  table([
    {
      // director 1 seat with only d1 → 1 > 1 false → insufficient_surplus (member 3 > 2 is fine).
      name: 'one director candidate for one seat',
      input: village({ candidates: V.filter((c) => c.id !== 'd2'), ballots: ballots(15, 'd1 m1 m2') }),
      exp: { valid: false, reasons: ['insufficient_surplus'], next: 'rerun', counts: { 'director:d1': [15, 0, 0] } },
    },
    {
      // member 2 seats with m1 m2 only → 2 > 2 false.
      name: 'two member candidates for two seats',
      input: village({ candidates: V.filter((c) => c.id !== 'm3'), ballots: ballots(15, 'd1 m1 m2') }),
      exp: { valid: false, reasons: ['insufficient_surplus'] },
    },
    {
      // supplementary alike: director 1 seat, 1 candidate.
      name: 'supplementary round alike',
      input: village({ round: 'supplementary', posts: [{ post: 'director', seats: 1 }], candidates: V.slice(0, 1), ballots: ballots(15, 'd1') }),
      exp: { valid: false, reasons: ['insufficient_surplus'] },
    },
    {
      // never in a revote: member 2 seats, 2 candidates; threshold floor(15/2)+1 = 8; both have 15.
      name: 'no surplus check in a revote',
      input: village({ round: 'revote', posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2, 4), ballots: ballots(15, 'm1 m2') }),
      exp: { valid: true, threshold: 8, elected: ['member:m1', 'member:m2'], next: 'none' },
    },
    {
      // all posts fine: 2 > 1 and 3 > 2. 8× 'd1 m1 m2', 7× 'd2 m1 m3' → threshold 8: d1 8; m1 15, m2 8.
      // d2 (7, not elected) carries 7 to member: 7 < 8.
      name: 'surplus met for every post',
      input: village({ ballots: [...ballots(8, 'd1 m1 m2'), ...ballots(7, 'd2 m1 m3')] }),
      exp: { valid: true, reasons: [], threshold: 8, elected: ['director:d1', 'member:m1', 'member:m2'], next: 'none', counts: { 'member:m3': [7, 0, 8] }, carried: { 'member:d2': 7 } },
    },
  ])
})

describe('rule 11: carry-down (villager/resident)', () => {
  table([
    {
      // Supplementary round, 15 returned, threshold ceil(15/3) = 5. Director 1 seat, member 2 seats.
      //  4× 'd1 m1 m2', 2× 'd1 m1 m3', 5× 'd2 m1', 2× 'm3', 2× 'm1'
      // director: d1 6, d2 5 → d1 elected (higher). d2 not elected → her 5 director approvals carry.
      // member: m1 13, d2 0+5 = 5, m2 4, m3 4 → m1 and d2 elected (d2 by carried votes alone).
      // d2's member line: candidateId d2, approve 5, disapprove 0, abstain 15−5 = 10, carried 5.
      // d1 (elected director) is not a contender at member and has no member approvals.
      name: 'carried votes elect a director loser as member',
      input: village({
        round: 'supplementary',
        ballots: [...ballots(4, 'd1 m1 m2'), ...ballots(2, 'd1 m1 m3'), ...ballots(5, 'd2 m1'), ...ballots(2, 'm3'), ...ballots(2, 'm1')],
      }),
      exp: {
        valid: true,
        threshold: 5,
        counts: { 'director:d1': [6, 0, 9], 'director:d2': [5, 0, 10], 'member:d2': [5, 0, 10], m1: [13, 0, 2], m2: [4, 0, 11], m3: [4, 0, 11] },
        carried: { 'director:d2': 0, 'member:d2': 5, m1: 0 },
        elected: ['director:d1', 'member:m1', 'member:d2'],
        unfilled: [],
        tie: [],
        next: 'none',
      },
    },
    {
      // The same round with carryDown false: member m1 13, m2 4, m3 4 (< 5) → 1 member seat unfilled.
      name: 'the same round without carry-down',
      input: village({
        round: 'supplementary',
        rules: { carryDown: false },
        ballots: [...ballots(4, 'd1 m1 m2'), ...ballots(2, 'd1 m1 m3'), ...ballots(5, 'd2 m1'), ...ballots(2, 'm3'), ...ballots(2, 'm1')],
      }),
      exp: { valid: true, elected: ['director:d1', 'member:m1'], unfilled: ['member:1'], tie: [], next: 'supplementary' },
    },
    {
      // Cumulative chain, first round: entitled 20, 15 returned, threshold 8.
      //  2× 'd1 m1' + 陈明 written in for deputy director
      //  1× 'd1 v1 m1' + 陈明 written in for member
      //  7× 'd1 v1 m1 m2'
      //  4× 'd2 v2 m1'
      //  1× 'd2 v1 m1'
      // director: d1 10 elected; d2 (陈明) 5.
      // deputy: v1 1+7+1 = 9 elected; v2 4; 陈明 = 2 written in + 5 carried = 7 (< 8).
      // member: m1 15; 陈明 = 1 written in + 5 (director) + 2 (deputy) = 8 → elected; m2 7; v2 4 carried.
      // Lines of 陈明 keep candidateId d2: deputy 7/0/8 carried 5; member 8/0/7 carried 7.
      name: 'cumulative carry-down (member = member + deputy + director approvals) elects',
      input: village({
        posts: DIR_DEP_MEM,
        candidates: VD,
        ballots: [
          ...ballots(2, 'd1 m1', [wi('陈明', 'deputy_director')]),
          ...ballots(1, 'd1 v1 m1', [wi('陈明', 'member')]),
          ...ballots(7, 'd1 v1 m1 m2'),
          ...ballots(4, 'd2 v2 m1'),
          ...ballots(1, 'd2 v1 m1'),
        ],
      }),
      exp: {
        valid: true,
        validBallots: 15,
        threshold: 8,
        counts: {
          'director:d2': [5, 0, 10],
          'deputy_director:d2': [7, 0, 8],
          'member:d2': [8, 0, 7],
          'deputy_director:v1': [9, 0, 6],
          'deputy_director:v2': [4, 0, 11],
          'member:v2': [4, 0, 11],
          m1: [15, 0, 0],
          m2: [7, 0, 8],
        },
        carried: { 'deputy_director:d2': 5, 'member:d2': 7, 'member:v2': 4, 'member:m2': 0 },
        elected: ['director:d1', 'deputy_director:v1', 'member:m1', 'member:d2'],
        unfilled: [],
        next: 'none',
      },
    },
    {
      // The same ballots with carryDown false: member m1 15, m2 7, 陈明 1 → 1 member seat unfilled.
      name: 'the same ballots without carry-down',
      input: village({
        posts: DIR_DEP_MEM,
        candidates: VD,
        rules: { carryDown: false },
        ballots: [
          ...ballots(2, 'd1 m1', [wi('陈明', 'deputy_director')]),
          ...ballots(1, 'd1 v1 m1', [wi('陈明', 'member')]),
          ...ballots(7, 'd1 v1 m1 m2'),
          ...ballots(4, 'd2 v2 m1'),
          ...ballots(1, 'd2 v1 m1'),
        ],
      }),
      exp: { valid: true, elected: ['director:d1', 'deputy_director:v1', 'member:m1'], unfilled: ['member:1'], next: 'supplementary' },
    },
    {
      // A write-in (not a candidate anywhere) carried down and elected, threshold 8:
      //  4× 'm1 m2' + 吴刚 for director, 4× 'd1 m1' + 吴刚 for member, 6× 'd1 m1 m3', 1× 'd2 m3'
      // director: d1 10 elected, 吴刚 4, d2 1. member: m1 14, 吴刚 4 + 4 carried = 8 → elected, m3 7,
      // m2 4, d2 1 carried. 吴刚: director line 4/0/11; member line candidateId null, 8/0/7, carried 4.
      name: 'a written-in person carried down and elected',
      input: village({
        ballots: [...ballots(4, 'm1 m2', [wi('吴刚', 'director')]), ...ballots(4, 'd1 m1', [wi('吴刚', 'member')]), ...ballots(6, 'd1 m1 m3'), ...ballots(1, 'd2 m3')],
      }),
      exp: {
        valid: true,
        threshold: 8,
        counts: { 'director:吴刚': [4, 0, 11], 'member:吴刚': [8, 0, 7], m1: [14, 0, 1], m3: [7, 0, 8], m2: [4, 0, 11] },
        carried: { 'member:吴刚': 4, 'member:d2': 1 },
        elected: ['director:d1', 'member:m1', 'member:吴刚'],
        next: 'none',
      },
    },
    {
      // Supplementary round (threshold ceil(15/3) = 5): 5× 'd1 m1', 5× 'd2 m1', 4× 'm1 m2', 1× 'm3'.
      // director: d1 5 = d2 5 ≥ 5 → tie for 1 seat. Both are held out of member in this round
      // (otherwise each would bring 5 carried votes and tie for the second member seat).
      // member: m1 14 elected; m2 4, m3 1 < 5 → 1 unfilled. Tie and unfilled → next revote.
      name: 'a person tied at a higher post is held out of lower posts; tie + unfilled → revote',
      input: village({ round: 'supplementary', ballots: [...ballots(5, 'd1 m1'), ...ballots(5, 'd2 m1'), ...ballots(4, 'm1 m2'), ...ballots(1, 'm3')] }),
      exp: {
        valid: true,
        threshold: 5,
        elected: ['member:m1'],
        tie: [{ post: 'director', seats: 1, who: ['d1/王军', 'd2/陈明'] }],
        unfilled: ['member:1'],
        next: 'revote',
      },
    },
    {
      // A person elected at a higher post is not a contender lower down, even when written in there.
      // Supplementary, threshold 5: 6× 'd1 m1', 5× 'd2 m1' + 王军 written in for member, 4× 'm1 m2'.
      // director: d1 6 elected, d2 5 (carried). member: m1 15, d2 5 carried, 王军 5 (written in, but
      // already elected director), m2 4 → m1 and d2 elected; no tie between d2 and 王军.
      name: 'a person elected at a higher post is not a contender at a lower post',
      input: village({ round: 'supplementary', ballots: [...ballots(6, 'd1 m1'), ...ballots(5, 'd2 m1', [wi('王军', 'member')]), ...ballots(4, 'm1 m2')] }),
      exp: { valid: true, threshold: 5, validBallots: 15, elected: ['director:d1', 'member:m1', 'member:d2'], tie: [], unfilled: [], next: 'none' },
    },
    {
      // Carry-down works the same for a residents' committee: the first case of this table with
      // body resident_committee (d2 elected member on 5 carried votes).
      name: 'resident committee: carried votes elect',
      input: village({
        body: 'resident_committee',
        round: 'supplementary',
        ballots: [...ballots(4, 'd1 m1 m2'), ...ballots(2, 'd1 m1 m3'), ...ballots(5, 'd2 m1'), ...ballots(2, 'm3'), ...ballots(2, 'm1')],
      }),
      exp: { valid: true, threshold: 5, carried: { 'member:d2': 5 }, elected: ['director:d1', 'member:m1', 'member:d2'], next: 'none' },
    },
  ])

  it('woman member neither gives nor receives carried votes', () => {
    // director d1 王军, d3 李娜 (woman); woman_member w1 何琳, w2 周敏; member m1 赵磊, m3 周杰, m4 吴刚.
    // 8× 'd1 w1 m1 m3', 7× 'd3 w2 m1 m4'; threshold 8.
    // director: d1 8 elected, 李娜 7 → carried to member only (not to woman_member).
    // woman_member: w1 8 elected, w2 7 → not carried to member.
    // member: m1 15, m3 8, m4 7, 李娜 7 carried → m1, m3 elected.
    const input = village({
      posts: [
        { post: 'director', seats: 1 },
        { post: 'woman_member', seats: 1 },
        { post: 'member', seats: 2 },
      ],
      candidates: [
        cand('d1', '王军', 'director'),
        cand('d3', '李娜', 'director', 'female'),
        cand('w1', '何琳', 'woman_member', 'female'),
        cand('w2', '周敏', 'woman_member', 'female'),
        cand('m1', '赵磊', 'member'),
        cand('m3', '周杰', 'member'),
        cand('m4', '吴刚', 'member'),
      ],
      ballots: [...ballots(8, 'd1 w1 m1 m3'), ...ballots(7, 'd3 w2 m1 m4')],
    })
    const r = run(input, {
      valid: true,
      threshold: 8,
      counts: { w1: [8, 0, 7], w2: [7, 0, 8], 'member:d3': [7, 0, 8], m1: [15, 0, 0], m3: [8, 0, 7], m4: [7, 0, 8] },
      carried: { 'member:d3': 7, w1: 0, w2: 0 },
      elected: ['director:d1', 'woman_member:w1', 'member:m1', 'member:m3'],
      next: 'none',
    })
    expect(r.results.filter((l) => l.post === 'woman_member').map((l) => l.name).sort()).toEqual(['何琳', '周敏'].sort())
    expect(r.results.some((l) => l.post === 'member' && l.name === '周敏')).toBe(false)
    // The elected director is not carried anywhere.
    expect(r.results.some((l) => l.post !== 'director' && l.name === '王军')).toBe(false)
  })
})

describe('rule 11 and R4: a carried line never shows a negative count', () => {
  it('a ballot that approves someone for director and disapproves them as member is void (contradictory)', () => {
    // entitled 20, 15 returned, threshold 8. 14× 'd1 m1 m2 -m3', 1× 'm1 m2 -m3' + 周杰 (= m3) written in
    // for director. With carry-down (rule 11) an approval for director is also one for member, so the
    // last ballot says yes and no to 周杰 for the same member seat: the engine decides it is void as
    // contradictory (rules.md leaves this open; counting it would give m3 a negative abstention).
    // Valid 14, void 1. director: d1 14 elected. member: m1 14, m2 14 elected; m3 0/14/0.
    const r = run(
      village({ ballots: [...ballots(14, 'd1 m1 m2 -m3'), ...ballots(1, 'm1 m2 -m3', [wi('周杰', 'director')])] }),
      { valid: true, validBallots: 14, voidBallots: 1, threshold: 8, elected: ['director:d1', 'member:m1', 'member:m2'], next: 'none' },
    )
    expect(r.voidByReason).toEqual({ contradictory: 1 })
    const m3 = lineOf(r, 'member:m3')
    expect([m3.approve, m3.disapprove, m3.abstain, m3.carried]).toEqual([0, 14, 0, 0])
    for (const l of r.results) expect(Math.min(l.approve, l.disapprove, l.abstain), `${l.post}:${l.name}`).toBeGreaterThanOrEqual(0)
  })

  it('without carry-down the same ballot is valid: the two posts are separate choices', () => {
    // carryDown false: nothing carries, so the last ballot is an ordinary valid ballot.
    // Valid 15. director: d1 14 elected, 周杰 1 (write-in). member: m1 15, m2 15 elected; m3 0/15/0.
    const r = run(
      village({ rules: { carryDown: false }, ballots: [...ballots(14, 'd1 m1 m2 -m3'), ...ballots(1, 'm1 m2 -m3', [wi('周杰', 'director')])] }),
      { valid: true, validBallots: 15, voidBallots: 0, threshold: 8, elected: ['director:d1', 'member:m1', 'member:m2'], next: 'none' },
    )
    expect([lineOf(r, 'member:m3').approve, lineOf(r, 'member:m3').abstain]).toEqual([0, 0])
  })

  it('a count sheet whose carried votes cannot fit is refused, naming the candidate', () => {
    // Totals: m3 (周杰) has 0/15/0 at member with 15 valid ballots, and 周杰 has 1 write-in approval for
    // director. Carried down, 1 + 15 > 15: the sheet contradicts itself → TallyInputError.
    const totals = {
      validBallots: 15,
      voidBallots: 0,
      candidates: Object.fromEntries(V.map((c) => [c.id, c.id === 'd1' ? { approve: 14, disapprove: 0, abstain: 1 } : c.id === 'm3' ? { approve: 0, disapprove: 15, abstain: 0 } : c.post === 'member' ? { approve: 15, disapprove: 0, abstain: 0 } : { approve: 0, disapprove: 0, abstain: 15 }])),
      writeIns: [{ name: '周杰', post: 'director' as const, approve: 1 }],
    }
    expect(() => tally(village({ totals }))).toThrow(TallyInputError)
  })
})

describe('rule 12: villager ballot voidness', () => {
  table([
    {
      // entitled 20, issued 12, 12 returned; director 1, deputy 1, member 2; threshold floor(12/2)+1 = 7.
      //  6× 'd1 v1 m1 m2'                          valid
      //  1× 'd1 d2 v1 m1'                          2 approvals for 1 director seat → overvote
      //  1× 'd1 v1 m1 m2' + 吴刚 (member)           member 2 + 1 > 2 → overvote
      //  1× 'd1 v1 m1' + 王军 (member)              王军 = d1 approved as director and as member → same_person_two_posts
      //  1× 'd2 m1' + 吴刚 (deputy) + 吴刚 (member) one written-in person in two posts → same_person_two_posts
      //  1× void:true                              ruled_void
      //  1× 'd2 m3' + 吴刚 (member)                 valid: a villager write-in needs no disapproval
      // valid 7, void 5. d1 6/0/1, d2 1/0/6, v1 6/0/1, v2 0/0/7, m1 6/0/1, m2 6/0/1, m3 1/0/6, 吴刚 1/0/6.
      // Nobody reaches 7 (d1 has 6 of 7 valid ballots, but the base is 12). Carried: d1 6 at deputy
      // (director 6) and 6 at member; v1 6 at member. All seats unfilled.
      name: 'overvote per post, same person in two posts, ruled void',
      input: village({
        ballotsIssued: 12,
        posts: DIR_DEP_MEM,
        candidates: VD,
        ballots: [
          ...ballots(6, 'd1 v1 m1 m2'),
          ...ballots(1, 'd1 d2 v1 m1'),
          ...ballots(1, 'd1 v1 m1 m2', [wi('吴刚', 'member')]),
          ...ballots(1, 'd1 v1 m1', [wi('王军', 'member')]),
          ...ballots(1, 'd2 m1', [wi('吴刚', 'deputy_director'), wi('吴刚', 'member')]),
          ...voided(1),
          ...ballots(1, 'd2 m3', [wi('吴刚', 'member')]),
        ],
      }),
      exp: {
        valid: true,
        base: 12,
        threshold: 7,
        returned: 12,
        validBallots: 7,
        voidBallots: 5,
        voidByReason: { overvote: 2, same_person_two_posts: 2, ruled_void: 1 },
        counts: {
          'director:d1': [6, 0, 1],
          'director:d2': [1, 0, 6],
          'deputy_director:v1': [6, 0, 1],
          'deputy_director:v2': [0, 0, 7],
          m1: [6, 0, 1],
          m2: [6, 0, 1],
          m3: [1, 0, 6],
          'member:吴刚': [1, 0, 6],
          'deputy_director:d1': [6, 0, 1],
          'member:d1': [6, 0, 1],
          'member:v1': [6, 0, 1],
        },
        carried: { 'deputy_director:d1': 6, 'member:d1': 6, 'member:v1': 6 },
        elected: [],
        unfilled: ['director:1', 'deputy_director:1', 'member:2'],
        tie: [],
        next: 'supplementary',
      },
    },
    {
      // entitled 10, issued 6, member 2 seats only; threshold floor(6/2)+1 = 4.
      //  1× '-m1' + 赵磊   m1 disapproved and written in → contradictory
      //  1× 'm1' + 赵磊    approved and written in → once
      //  1× 'm2' + 赵磊    m1 unmarked, written in → approval of m1
      //  3× 'm1 m3'
      // valid 5: m1 1+1+3 = 5/0/0 elected; m3 3/0/2; m2 1/0/4; 1 seat unfilled.
      name: 'write-in of a candidate name and contradictory ballots',
      input: village({
        entitled: 10,
        ballotsIssued: 6,
        posts: [{ post: 'member', seats: 2 }],
        candidates: V.slice(2),
        ballots: [...ballots(1, '-m1', [wi('赵磊', 'member')]), ...ballots(1, 'm1', [wi('赵磊', 'member')]), ...ballots(1, 'm2', [wi('赵磊', 'member')]), ...ballots(3, 'm1 m3')],
      }),
      exp: {
        valid: true,
        threshold: 4,
        validBallots: 5,
        voidBallots: 1,
        voidByReason: { contradictory: 1 },
        counts: { m1: [5, 0, 0], m2: [1, 0, 4], m3: [3, 0, 2] },
        elected: ['member:m1'],
        unfilled: ['member:1'],
        next: 'supplementary',
      },
    },
  ])
})

describe('rule 13: villager base = ballots returned; thresholds', () => {
  table([
    {
      // 15 returned, 3 of them void → base 15, threshold 8 (not 7 of 12 valid).
      //  7× 'd1 m1 m2', 5× 'd2 m1 m3', 3 void.
      // director: d1 7 (> half of 12 valid but < 8) → unfilled. member: m1 12 elected; m2 7, d1 7
      // carried, m3 5, d2 5 carried → 1 member seat unfilled.
      name: 'void ballots count in the base',
      input: village({ ballots: [...ballots(7, 'd1 m1 m2'), ...ballots(5, 'd2 m1 m3'), ...voided(3)] }),
      exp: {
        valid: true,
        base: 15,
        threshold: 8,
        validBallots: 12,
        voidBallots: 3,
        voidByReason: { ruled_void: 3 },
        counts: { 'director:d1': [7, 0, 5], 'member:m2': [7, 0, 5], 'member:d1': [7, 0, 5] },
        carried: { 'member:d1': 7, 'member:d2': 5 },
        elected: ['member:m1'],
        unfilled: ['director:1', 'member:1'],
        next: 'supplementary',
      },
    },
    {
      // Supplementary threshold ceil(16/3) = 6 (16/3 = 5.33). entitled 30, 16 returned.
      // 6× 'm1 m2', 5× 'm1 m3', 5× 'm1' → m1 16, m2 6 (exactly 6) elected, m3 5.
      name: 'supplementary: a third rounded up, at the boundary',
      input: village({ round: 'supplementary', entitled: 30, ballotsIssued: 16, posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2), ballots: [...ballots(6, 'm1 m2'), ...ballots(5, 'm1 m3'), ...ballots(5, 'm1')] }),
      exp: { valid: true, base: 16, threshold: 6, elected: ['member:m1', 'member:m2'], next: 'none' },
    },
    {
      // 5× 'm1 m2', 4× 'm1 m3', 7× 'm1' → m2 5 < 6 (5.33 rounds up) → 1 unfilled.
      name: 'supplementary: 5 of 16 is not a third',
      input: village({ round: 'supplementary', entitled: 30, ballotsIssued: 16, posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2), ballots: [...ballots(5, 'm1 m2'), ...ballots(4, 'm1 m3'), ...ballots(7, 'm1')] }),
      exp: { valid: true, threshold: 6, elected: ['member:m1'], unfilled: ['member:1'], next: 'supplementary' },
    },
    {
      // 15 returned: ceil(15/3) = 5 exactly. 5× 'm1 m2', 10× 'm1' → m2 5 elected.
      name: 'supplementary: exactly a third',
      input: village({ round: 'supplementary', posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2), ballots: [...ballots(5, 'm1 m2'), ...ballots(10, 'm1')] }),
      exp: { valid: true, base: 15, threshold: 5, elected: ['member:m1', 'member:m2'] },
    },
    {
      // Void ballots count in the supplementary base too: 14 valid + 2 void = 16 → threshold 6.
      // 5× 'm1 m2', 9× 'm1' → m2 5 < 6.
      name: 'supplementary: void ballots count in the base',
      input: village({ round: 'supplementary', entitled: 30, ballotsIssued: 16, posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2), ballots: [...ballots(5, 'm1 m2'), ...ballots(9, 'm1'), ...voided(2)] }),
      exp: { base: 16, threshold: 6, validBallots: 14, elected: ['member:m1'], unfilled: ['member:1'] },
    },
    {
      // Revote of a first-round tie (default): threshold floor(15/2)+1 = 8. 7× 'd1', 5× 'd2', 3 blank:
      // d1 7 < 8 → unfilled.
      name: 'revote (of first) uses the majority threshold',
      input: village({ round: 'revote', posts: [{ post: 'director', seats: 1 }], candidates: V.slice(0, 2), ballots: [...ballots(7, 'd1'), ...ballots(5, 'd2'), ...ballots(3)] }),
      exp: { valid: true, threshold: 8, elected: [], unfilled: ['director:1'], next: 'supplementary' },
    },
    {
      // 8× 'd1', 7× 'd2' → d1 8 ≥ 8 elected.
      name: 'revote (of first): 8 of 15 elects',
      input: village({ round: 'revote', posts: [{ post: 'director', seats: 1 }], candidates: V.slice(0, 2), ballots: [...ballots(8, 'd1'), ...ballots(7, 'd2')] }),
      exp: { valid: true, threshold: 8, elected: ['director:d1'], next: 'none' },
    },
    {
      // revoteOf 'supplementary': threshold ceil(15/3) = 5; 7× 'd1', 5× 'd2', 3 blank → d1 elected.
      name: 'revote of a supplementary round uses a third',
      input: village({ round: 'revote', revoteOf: 'supplementary', posts: [{ post: 'director', seats: 1 }], candidates: V.slice(0, 2), ballots: [...ballots(7, 'd1'), ...ballots(5, 'd2'), ...ballots(3)] }),
      exp: { valid: true, threshold: 5, elected: ['director:d1'], next: 'none' },
    },
    {
      // A write-in elected in a villager first round. member 2 seats, threshold 8:
      // 9× 'm1' + 吴刚, 6× 'm1 m2' → m1 15, 吴刚 9/0/6, m2 6 → m1, 吴刚.
      name: 'a write-in is elected (villager)',
      input: village({ posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2), ballots: [...ballots(9, 'm1', [wi('吴刚', 'member')]), ...ballots(6, 'm1 m2')] }),
      exp: { valid: true, threshold: 8, counts: { 吴刚: [9, 0, 6], m2: [6, 0, 9] }, carried: { 吴刚: 0 }, elected: ['member:m1', 'member:吴刚'], next: 'none' },
    },
  ])
})

describe('rule 14: villager ties and unfilled seats', () => {
  table([
    {
      // member 2 seats, threshold 8: 7× 'm1 m2', 7× 'm1 m3', 1× 'm2 m3' → m1 14, m2 8, m3 8 → tie for 1.
      name: 'tie for the last member seat',
      input: village({ posts: [{ post: 'member', seats: 2 }], candidates: V.slice(2), ballots: [...ballots(7, 'm1 m2'), ...ballots(7, 'm1 m3'), ...ballots(1, 'm2 m3')] }),
      exp: { valid: true, elected: ['member:m1'], tie: [{ post: 'member', seats: 1, who: ['m2/孙丽', 'm3/周杰'] }], unfilled: [], next: 'revote' },
    },
    {
      // Supplementary, threshold 5: director d1 4 / d2 4 (< 5) → unfilled, not tie; member m1 5 → 1 elected.
      // 4× 'd1 m1', 4× 'd2', 1× 'm1', 6 blank. d1, d2 not elected → carried 4 each to member (< 5).
      name: 'unfilled director and member',
      input: village({ round: 'supplementary', ballots: [...ballots(4, 'd1 m1'), ...ballots(4, 'd2'), ...ballots(1, 'm1'), ...ballots(6)] }),
      exp: { valid: true, threshold: 5, elected: ['member:m1'], tie: [], unfilled: ['director:1', 'member:1'], next: 'supplementary' },
    },
  ])
})

describe('rule 15: women', () => {
  table([
    {
      // A woman written in for the woman-member post (gender female) is elected there.
      // director 1, woman_member 1 (w1 w2); threshold 8. 9× 'd1 w1', 6× 'd2' + 何琳 (female) written in
      // for woman_member … w1 9 elected; 何琳 6.
      name: 'woman member post with a female write-in',
      input: village({
        posts: [
          { post: 'director', seats: 1 },
          { post: 'woman_member', seats: 1 },
        ],
        candidates: [...V.slice(0, 2), cand('w1', '孙丽', 'woman_member', 'female'), cand('w2', '周敏', 'woman_member', 'female')],
        ballots: [...ballots(9, 'd1 w1'), ...ballots(6, 'd2', [wi('何琳', 'woman_member', 'female')])],
      }),
      exp: { valid: true, counts: { w1: [9, 0, 6], 何琳: [6, 0, 9] }, elected: ['director:d1', 'woman_member:w1'], next: 'none' },
    },
  ])

  // entitled 30, 20 returned, threshold 11. director d1 d2; member 3 seats: m1 m2 m3 (men), w 孙丽.
  //  2× 'd1 m2 m3 w', 4× 'd1 m1 m3 w', 6× 'd1 m1 m2 w', 8× 'd2 m1 m2 m3'
  // d1 12 elected; d2 8 (carried 8 to member, < 11). member: m1 18, m2 16, m3 14, w 12.
  const fallback = (over: Partial<TallyInput>, candidates = [cand('d1', '王军', 'director'), cand('d2', '陈明', 'director')]) =>
    village({
      entitled: 30,
      ballotsIssued: 20,
      posts: [
        { post: 'director', seats: 1 },
        { post: 'member', seats: 3 },
      ],
      candidates: [...candidates, cand('m1', '赵磊', 'member'), cand('m2', '周杰', 'member'), cand('m3', '吴刚', 'member'), cand('w', '孙丽', 'member', 'female')],
      ballots: [...ballots(2, 'd1 m2 m3 w'), ...ballots(4, 'd1 m1 m3 w'), ...ballots(6, 'd1 m1 m2 w'), ...ballots(8, 'd2 m1 m2 m3')],
      ...over,
    })
  table([
    {
      // Default womenFallback 'none': m1, m2, m3 elected, no woman.
      name: 'no fallback by default',
      input: fallback({}),
      exp: { threshold: 11, counts: { m1: [18, 0, 2], m2: [16, 0, 4], m3: [14, 0, 6], w: [12, 0, 8] }, elected: ['director:d1', 'member:m1', 'member:m2', 'member:m3'], next: 'none' },
    },
    {
      // 'last_seat': no woman elected; w (12 ≥ 11) takes the last member seat; m3 (14, lowest elected) is not elected.
      name: "'last_seat' gives the last member seat to the woman above the threshold",
      input: fallback({ rules: { womenFallback: 'last_seat' } }),
      exp: { threshold: 11, elected: ['director:d1', 'member:m1', 'member:m2', 'member:w'], unfilled: [], tie: [], next: 'none' },
    },
    {
      // 'last_seat' but the director elected is a woman (d1 李娜): a woman is elected → no change.
      name: "'last_seat' does nothing when a woman is already elected",
      input: fallback({ rules: { womenFallback: 'last_seat' } }, [cand('d1', '李娜', 'director', 'female'), cand('d2', '陈明', 'director')]),
      exp: { elected: ['director:d1', 'member:m1', 'member:m2', 'member:m3'], next: 'none' },
    },
    {
      // 'last_seat' with the woman below the threshold: 30 registered, 20 returned, threshold 11;
      // move 2 of w's approvals away: 2× 'd1 m2 m3', 4× 'd1 m1 m3 w', 6× 'd1 m1 m2 w', 8× 'd2 m1 m2 m3'
      // → w 10 < 11 → no change (m1 18, m2 16, m3 14).
      name: "'last_seat' needs the woman to reach the threshold",
      input: fallback({ rules: { womenFallback: 'last_seat' }, ballots: [...ballots(2, 'd1 m2 m3'), ...ballots(4, 'd1 m1 m3 w'), ...ballots(6, 'd1 m1 m2 w'), ...ballots(8, 'd2 m1 m2 m3')] }),
      exp: { counts: { w: [10, 0, 10] }, elected: ['director:d1', 'member:m1', 'member:m2', 'member:m3'], next: 'none' },
    },
    {
      // 'last_seat' taking a tied seat. Supplementary, 15 returned, threshold 5, member 2 seats:
      // 4× 'm1 m2', 4× 'm1 m3', 2× 'm2 m3', 5× 'w' → m1 8, m2 6, m3 6 (tie for 1 seat), w 5 ≥ 5.
      // Without the fallback: m1 elected, tie m2/m3 → revote. With it, w takes the tied seat.
      name: "'last_seat' takes a tied seat",
      input: village({
        round: 'supplementary',
        rules: { womenFallback: 'last_seat' },
        posts: [{ post: 'member', seats: 2 }],
        candidates: [cand('m1', '赵磊', 'member'), cand('m2', '周杰', 'member'), cand('m3', '吴刚', 'member'), cand('w', '孙丽', 'member', 'female')],
        ballots: [...ballots(4, 'm1 m2'), ...ballots(4, 'm1 m3'), ...ballots(2, 'm2 m3'), ...ballots(5, 'w')],
      }),
      exp: { threshold: 5, counts: { m1: [8, 0, 7], m2: [6, 0, 9], m3: [6, 0, 9], w: [5, 0, 10] }, elected: ['member:m1', 'member:w'], tie: [], unfilled: [], next: 'none' },
    },
    {
      // The same ballots without the fallback: tie m2/m3 → revote.
      name: 'the same round without the fallback ties',
      input: village({
        round: 'supplementary',
        posts: [{ post: 'member', seats: 2 }],
        candidates: [cand('m1', '赵磊', 'member'), cand('m2', '周杰', 'member'), cand('m3', '吴刚', 'member'), cand('w', '孙丽', 'member', 'female')],
        ballots: [...ballots(4, 'm1 m2'), ...ballots(4, 'm1 m3'), ...ballots(2, 'm2 m3'), ...ballots(5, 'w')],
      }),
      exp: { elected: ['member:m1'], tie: [{ post: 'member', seats: 1, who: ['m2/周杰', 'm3/吴刚'] }], next: 'revote' },
    },
    {
      // A written-in woman (gender female) counts for the fallback. As the first fallback case, but
      // the woman is 何琳 written in for member, and m4 (a man, no votes) keeps the member surplus 4 > 3:
      //  2× 'd1 m2 m3' + 何琳, 4× 'd1 m1 m3' + 何琳, 6× 'd1 m1 m2' + 何琳, 8× 'd2 m1 m2 m3'
      // m1 18, m2 16, m3 14, 何琳 12 ≥ 11 → 何琳 takes the last seat from m3.
      name: "'last_seat' with a female write-in",
      input: village({
        entitled: 30,
        ballotsIssued: 20,
        rules: { womenFallback: 'last_seat' },
        posts: [
          { post: 'director', seats: 1 },
          { post: 'member', seats: 3 },
        ],
        candidates: [cand('d1', '王军', 'director'), cand('d2', '陈明', 'director'), cand('m1', '赵磊', 'member'), cand('m2', '周杰', 'member'), cand('m3', '吴刚', 'member'), cand('m4', '杨帆', 'member')],
        ballots: [
          ...ballots(2, 'd1 m2 m3', [wi('何琳', 'member', 'female')]),
          ...ballots(4, 'd1 m1 m3', [wi('何琳', 'member', 'female')]),
          ...ballots(6, 'd1 m1 m2', [wi('何琳', 'member', 'female')]),
          ...ballots(8, 'd2 m1 m2 m3'),
        ],
      }),
      exp: { threshold: 11, counts: { 何琳: [12, 0, 8], m3: [14, 0, 6], m4: [0, 0, 20] }, elected: ['director:d1', 'member:m1', 'member:m2', 'member:何琳'], next: 'none' },
    },
    {
      // With a woman-member post the fallback does not apply: the first fallback case plus a
      // woman_member post (何琳, 周敏, no votes → unfilled). No woman is elected, yet m3 keeps the seat.
      name: "'last_seat' does not apply where there is a woman-member post",
      input: fallback({
        rules: { womenFallback: 'last_seat' },
        posts: [
          { post: 'director', seats: 1 },
          { post: 'woman_member', seats: 1 },
          { post: 'member', seats: 3 },
        ],
        candidates: [
          cand('d1', '王军', 'director'),
          cand('d2', '陈明', 'director'),
          cand('wa', '何琳', 'woman_member', 'female'),
          cand('wb', '周敏', 'woman_member', 'female'),
          cand('m1', '赵磊', 'member'),
          cand('m2', '周杰', 'member'),
          cand('m3', '吴刚', 'member'),
          cand('w', '孙丽', 'member', 'female'),
        ],
      }),
      exp: { elected: ['director:d1', 'member:m1', 'member:m2', 'member:m3'], unfilled: ['woman_member:1'], next: 'supplementary' },
    },
    {
      // Party bodies have no fallback: the "highest first" party round (c1 8, c2 7, c3 7, c4 5 ≥ 5)
      // with c4 a woman and everyone else a man → still c1, c2, c3.
      name: "'last_seat' does nothing for a party committee",
      input: party({
        rules: { womenFallback: 'last_seat' },
        candidates: [cand('c1', '张伟', 'member'), cand('c2', '王强', 'member'), cand('c3', '李强', 'member'), cand('c4', '刘丽', 'member', 'female')],
        ballots: [...ballots(4, 'c1 c2 c3 -c4'), ...ballots(2, 'c1 c2 c4 -c3'), ...ballots(2, 'c1 c3 c4 -c2'), ...ballots(1, 'c2 c3 c4 -c1')],
      }),
      exp: { counts: { c4: [5, 4, 0] }, elected: ['member:c1', 'member:c2', 'member:c3'], next: 'none' },
    },
  ])
})

describe('totals input (the signed count sheet)', () => {
  table([
    {
      // party, present 9, threshold 5. totals: 8 valid + 1 void = 9 returned.
      // c1 8, c2 6, c3 5 (≥ 5), c4 4; 赵六 written in once → 1/0/7. Elected c1 c2 c3.
      name: 'party totals',
      input: party({
        totals: {
          validBallots: 8,
          voidBallots: 1,
          candidates: { c1: { approve: 8, disapprove: 0, abstain: 0 }, c2: { approve: 6, disapprove: 1, abstain: 1 }, c3: { approve: 5, disapprove: 2, abstain: 1 }, c4: { approve: 4, disapprove: 3, abstain: 1 } },
          writeIns: [{ name: '赵六', post: 'member', approve: 1 }],
        },
      }),
      exp: {
        valid: true,
        returned: 9,
        validBallots: 8,
        voidBallots: 1,
        threshold: 5,
        counts: { c1: [8, 0, 0], c2: [6, 1, 1], c3: [5, 2, 1], c4: [4, 3, 1], 赵六: [1, 0, 7] },
        elected: ['member:c1', 'member:c2', 'member:c3'],
        next: 'none',
      },
    },
    {
      // Totals exceeding issued (8 + 2 = 10 > 9) → round void, not an input error.
      name: 'party totals exceeding ballots issued',
      input: party({
        totals: {
          validBallots: 8,
          voidBallots: 2,
          candidates: { c1: { approve: 8, disapprove: 0, abstain: 0 }, c2: { approve: 8, disapprove: 0, abstain: 0 }, c3: { approve: 8, disapprove: 0, abstain: 0 }, c4: { approve: 0, disapprove: 8, abstain: 0 } },
        },
      }),
      exp: { valid: false, reasons: ['ballots_exceed_issued'], returned: 10, next: 'rerun' },
    },
    {
      // Villager totals with carry-down: the "carried votes elect a director loser" round entered as totals.
      // supplementary, 15 valid, threshold 5: d1 6, d2 5 → d1; member m1 13, m2 4, m3 4, d2 5 carried → m1, d2.
      name: 'villager totals with carry-down',
      input: village({
        round: 'supplementary',
        totals: {
          validBallots: 15,
          voidBallots: 0,
          candidates: {
            d1: { approve: 6, disapprove: 0, abstain: 9 },
            d2: { approve: 5, disapprove: 0, abstain: 10 },
            m1: { approve: 13, disapprove: 0, abstain: 2 },
            m2: { approve: 4, disapprove: 0, abstain: 11 },
            m3: { approve: 4, disapprove: 0, abstain: 11 },
          },
        },
      }),
      exp: { valid: true, threshold: 5, counts: { 'member:d2': [5, 0, 10] }, carried: { 'member:d2': 5 }, elected: ['director:d1', 'member:m1', 'member:d2'], next: 'none' },
    },
    {
      // Villager totals, turnout counted from valid + void: 8 + 2 = 10 of 20 → invalid (turnout).
      name: 'villager totals: turnout from valid + void',
      input: village({
        ballotsIssued: 10,
        totals: {
          validBallots: 8,
          voidBallots: 2,
          candidates: {
            d1: { approve: 8, disapprove: 0, abstain: 0 },
            d2: { approve: 0, disapprove: 0, abstain: 8 },
            m1: { approve: 8, disapprove: 0, abstain: 0 },
            m2: { approve: 8, disapprove: 0, abstain: 0 },
            m3: { approve: 0, disapprove: 0, abstain: 8 },
          },
        },
      }),
      exp: { valid: false, reasons: ['turnout'], base: 10, returned: 10, next: 'rerun' },
    },
  ])
})

describe('malformed input throws TallyInputError naming the field', () => {
  const P = (over: Partial<TallyInput>) => party({ ballots: ballots(9, 'c1 c2 c3 -c4'), ...over })
  const Vg = (over: Partial<TallyInput>) => village({ ballots: ballots(15, 'd1 m1 m2'), ...over })
  const okTotals = {
    validBallots: 9,
    voidBallots: 0,
    candidates: { c1: { approve: 9, disapprove: 0, abstain: 0 }, c2: { approve: 9, disapprove: 0, abstain: 0 }, c3: { approve: 9, disapprove: 0, abstain: 0 }, c4: { approve: 0, disapprove: 9, abstain: 0 } },
  }
  const withoutPresent = (i: TallyInput): TallyInput => {
    const rest = { ...i }
    delete rest.present
    return rest
  }
  const bad: [string, TallyInput][] = [
    ['unknown candidate id in marks', P({ ballots: [...ballots(8, 'c1 c2 c3 -c4'), ...ballots(1, 'c1 c9')] })],
    ['duplicate candidate ids', P({ candidates: [...C4, cand('c1', '另一人', 'member')] })],
    ['candidate post not among posts', secretary({ posts: [{ post: 'secretary', seats: 1 }], ballots: ballots(5, 's1') })],
    ['write-in post not among posts', Vg({ ballots: [...ballots(14, 'd1 m1 m2'), ...ballots(1, 'd1 m1', [wi('吴刚', 'deputy_director')])] })],
    ['party_committee with a director post', P({ posts: [{ post: 'director', seats: 1 }], candidates: [cand('c1', '张伟', 'director'), cand('c2', '王芳', 'director')], ballots: ballots(9, 'c1') })],
    ['party_committee with a secretary post', P({ posts: [{ post: 'secretary', seats: 1 }], candidates: [cand('c1', '张伟', 'secretary'), cand('c2', '王芳', 'secretary')], ballots: ballots(9, 'c1') })],
    ['party_secretary with a member post', secretary({ posts: [{ post: 'member', seats: 1 }], candidates: [cand('s1', '张伟', 'member')], ballots: ballots(5, 's1') })],
    ['villager with a secretary post', Vg({ posts: [{ post: 'secretary', seats: 1 }], candidates: [cand('d1', '王军', 'secretary'), cand('d2', '陈明', 'secretary')], ballots: ballots(15, 'd1') })],
    ['resident with a deputy_secretary post', Vg({ body: 'resident_committee', posts: [{ post: 'deputy_secretary', seats: 1 }], candidates: [cand('d1', '王军', 'deputy_secretary'), cand('d2', '陈明', 'deputy_secretary')], ballots: ballots(15, 'd1') })],
    ['duplicate posts', Vg({ posts: [...DIR_MEM, { post: 'member', seats: 1 }] })],
    ['seats 0', P({ posts: [{ post: 'member', seats: 0 }] })],
    ['seats not an integer', P({ posts: [{ post: 'member', seats: 2.5 }] })],
    ['seats negative', P({ posts: [{ post: 'member', seats: -1 }] })],
    ['entitled negative', Vg({ entitled: -1, ballotsIssued: 0, ballots: [] })],
    ['entitled not an integer', P({ entitled: 10.5 })],
    ['ballotsIssued negative', Vg({ ballotsIssued: -1, ballots: [] })],
    ['ballotsIssued not an integer', P({ ballotsIssued: 8.5 })],
    ['present negative', P({ present: -1, ballotsIssued: 0, ballots: [] })],
    ['present not an integer', P({ present: 8.5, ballotsIssued: 8 })],
    ['male candidate for woman_member', Vg({ posts: [...DIR_MEM, { post: 'woman_member', seats: 1 }], candidates: [...V, cand('w1', '孙芳', 'woman_member', 'female'), cand('w2', '张三', 'woman_member', 'male')] })],
    [
      'male write-in for woman_member',
      Vg({
        posts: [...DIR_MEM, { post: 'woman_member', seats: 1 }],
        candidates: [...V, cand('w1', '孙芳', 'woman_member', 'female'), cand('w2', '何琳', 'woman_member', 'female')],
        ballots: [...ballots(14, 'd1 m1 m2 w1'), ...ballots(1, 'd1 m1', [wi('张三', 'woman_member', 'male')])],
      }),
    ],
    ['party_committee without present', withoutPresent(P({}))],
    ['party_secretary without present', withoutPresent(secretary({ ballots: ballots(5, 's1 s2') }))],
    ['present > entitled', P({ entitled: 10, present: 11, ballotsIssued: 9 })],
    ['R3: party ballotsIssued > present', P({ ballotsIssued: 10 })],
    ['R3: villager ballotsIssued > entitled', Vg({ ballotsIssued: 21 })],
    ['both ballots and totals', { ...P({}), totals: okTotals }],
    ['neither ballots nor totals', (() => {
      const rest = P({})
      delete rest.ballots
      return rest
    })()],
    ['totals: negative count', party({ totals: { ...okTotals, candidates: { ...okTotals.candidates, c4: { approve: -1, disapprove: 9, abstain: 1 } } } })],
    ['totals: non-integer count', party({ totals: { ...okTotals, validBallots: 8.5 } })],
    ['totals: unknown candidate id', party({ totals: { ...okTotals, candidates: { ...okTotals.candidates, c9: { approve: 0, disapprove: 0, abstain: 9 } } } })],
    ['totals: R4 approve + disapprove + abstain ≠ validBallots', party({ totals: { ...okTotals, candidates: { ...okTotals.candidates, c2: { approve: 5, disapprove: 1, abstain: 1 } } } })],
  ]

  it.each(bad)('%s', (_name, input) => {
    let err: unknown
    try {
      tally(input)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(TallyInputError)
    expect((err as TallyInputError).field).toMatch(/\S/)
  })

  it('the unmodified fixtures are accepted', () => {
    expect(() => tally(P({}))).not.toThrow()
    expect(() => tally(Vg({}))).not.toThrow()
    expect(() => tally(party({ totals: okTotals }))).not.toThrow()
    expect(() => tally(secretary({ ballots: ballots(5, 's1 s2') }))).not.toThrow()
  })
})
