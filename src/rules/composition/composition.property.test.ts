/**
 * Property tests of the composition engine (shared/docs/rules.md "Decisions" 16–18).
 *
 * Generated units have up to 12 people, each on the Party team, the committee or both, with at most
 * one secretary and one chair; names may repeat (two people can share a name), a person's holdings
 * agree on everything but body and post. Birth dates include 29 February of leap years. Rules are
 * random valid overrides of the defaults.
 *
 * A fixed seed keeps CI reproducible; COMPOSITION_SEED=n replays (or explores) another run.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { educations, isCollegeOrAbove } from '../codes/index.ts'
import {
  addFigures,
  ageBand,
  averageAge,
  checkSlate,
  checkTeams,
  crossFacts,
  mergeCompositionRules,
  ruleKeys,
  summarize,
  type CompositionRules,
  type Finding,
  type Holding,
  type Level,
  type Member,
  type RuleKey,
  type SlateBody,
  type TeamBody,
  type UnitKind,
  type UnitTeams,
} from './index.ts'

const SEED = process.env.COMPOSITION_SEED ? Number(process.env.COMPOSITION_SEED) : 20_210_105
const RUNS = { numRuns: 300, seed: SEED }

// ---------------------------------------------------------------------------------------------
// dates

const pad = (n: number) => String(n).padStart(2, '0')
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
const daysIn = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!

/** A real calendar day in the years given. */
const arbDay = (minYear: number, maxYear: number) =>
  fc.tuple(fc.integer({ min: minYear, max: maxYear }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([y, m, d]) => iso(y, m, Math.min(d, daysIn(y, m))))
/** 29 February of a leap year 1940–2008 (every multiple of 4 there is leap, 2000 included). */
const arbFeb29 = fc.integer({ min: 485, max: 502 }).map((k) => `${4 * k}-02-29`)
const arbBirth = fc.oneof({ weight: 4, arbitrary: arbDay(1945, 2003) }, { weight: 1, arbitrary: arbFeb29 })

/** Days added to a 'YYYY-MM-DD' (generator only: the oracle below does not use Date). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d) + days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The reference under-the-line test: the day someone reaches `line` full years is their birthday
 * in year by + line, or 1 March where they were born on 29 February and that year is common; they
 * are under the line on every day before it. ISO dates compare as strings.
 */
function youngRef(birth: string, on: string, line: number): boolean {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number]
  const y = by + line
  const [m, d] = bm === 2 && bd === 29 && !isLeap(y) ? [3, 1] : [bm, bd]
  return on < iso(y, m, d)
}

// ---------------------------------------------------------------------------------------------
// people, units, slates, rules

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵敏', '黄涛', '周杰', '吴刚']
const EDUCATION_CODES = educations.map(([c]) => c)

interface Person {
  name: string
  gender: '1' | '2'
  birthDate: string
  education: string
  ethnicity: string
  partyMember: boolean
  isNew: boolean | undefined
  where: 'party' | 'committee' | 'both'
}

const arbPerson: fc.Arbitrary<Person> = fc.record({
  name: fc.constantFrom(...NAMES),
  gender: fc.constantFrom<'1' | '2'>('1', '2'),
  birthDate: arbBirth,
  education: fc.constantFrom(...EDUCATION_CODES),
  ethnicity: fc.constantFrom('01', '01', '02', '03'),
  partyMember: fc.boolean(),
  isNew: fc.option(fc.boolean(), { nil: undefined }),
  where: fc.constantFrom<Person['where']>('party', 'committee', 'both', 'both'),
})

interface Shape {
  people: Person[]
  kind: UnitKind
  minorityEthnicity: string | null
  fullPartyMembers: number | null
  referenceDate: string
  /** Index among the Party holders of the secretary, and among the committee holders of the chair. */
  secretary: number | null
  chair: number | null
}

const arbShapeOf = (maxPeople: number): fc.Arbitrary<Shape> =>
  fc.record({
    people: fc.array(arbPerson, { maxLength: maxPeople }),
    kind: fc.constantFrom<UnitKind>('village', 'gacha', 'community'),
    minorityEthnicity: fc.option(fc.constantFrom('02', '03'), { nil: null }),
    fullPartyMembers: fc.option(fc.integer({ min: 1, max: 80 }), { nil: null }),
    referenceDate: arbDay(2018, 2030),
    secretary: fc.option(fc.nat(), { nil: null }),
    chair: fc.option(fc.nat(), { nil: null }),
  })

function holding(p: Person, i: number, body: TeamBody, post: string): Member {
  return { personId: `p${i}`, name: p.name, gender: p.gender, birthDate: p.birthDate, education: p.education, ethnicity: p.ethnicity, partyMember: p.partyMember, isNew: p.isNew, body, post }
}

/** The holdings of each body, secretary / chair placed as the shape says (others: member or deputy). */
function holdings(s: Shape): { party: Member[]; committee: Member[] } {
  const inParty = s.people.map((p, i) => [p, i] as const).filter(([p]) => p.where !== 'committee')
  const inCommittee = s.people.map((p, i) => [p, i] as const).filter(([p]) => p.where !== 'party')
  const sec = s.secretary !== null && inParty.length ? inParty[s.secretary % inParty.length]![1] : -1
  // Half the time the chair is the secretary where he is on the committee, so 一肩挑 happens often.
  const chairPick = s.chair !== null && inCommittee.length ? inCommittee[s.chair % inCommittee.length]![1] : -1
  const chair = s.chair !== null && s.chair % 2 === 0 && inCommittee.some(([, i]) => i === sec) ? sec : chairPick
  return {
    party: inParty.map(([p, i]) => holding(p, i, 'party', i === sec ? 'secretary' : i % 3 === 1 ? 'deputy_secretary' : 'member')),
    committee: inCommittee.map(([p, i]) => holding(p, i, 'committee', i === chair ? 'chair' : i % 3 === 2 ? 'vice_chair' : 'member')),
  }
}

function unitOf(s: Shape, members: Member[]): UnitTeams {
  return { code: '150402001', name: '红旗村', kind: s.kind, minorityEthnicity: s.minorityEthnicity, fullPartyMembers: s.fullPartyMembers, referenceDate: s.referenceDate, members }
}

const arbUnit: fc.Arbitrary<UnitTeams> = arbShapeOf(12).map((s) => {
  const h = holdings(s)
  return unitOf(s, [...h.party, ...h.committee])
})

const arbRules: fc.Arbitrary<CompositionRules> = fc
  .record({
    minWomen: fc.integer({ min: 0, max: 3 }),
    youthAge: fc.integer({ min: 25, max: 45 }),
    minYouth: fc.integer({ min: 0, max: 3 }),
    minCollege: fc.integer({ min: 0, max: 4 }),
    oneShoulder: fc.boolean(),
    crossHoldingMinPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    minorityMember: fc.boolean(),
    newMemberMaxAge: fc.option(fc.integer({ min: 30, max: 70 }), { nil: null }),
  })
  .map((o) => mergeCompositionRules(o))

interface SlateCase {
  unit: Omit<UnitTeams, 'members'>
  bodies: SlateBody[]
}

/**
 * A slate from a shape: each body's nominees are its holders; seats 1–5 but never more than the
 * nominees (so the election can fill them); 差额 exactly when there are more nominees than seats,
 * unless `loose`, where the flags are random (the engine must still not care about order).
 */
function arbSlate(loose: boolean, maxPeople = 12): fc.Arbitrary<SlateCase> {
  return fc
    .record({
      shape: arbShapeOf(maxPeople),
      partySeats: fc.integer({ min: 1, max: 4 }),
      committeeSeats: fc.integer({ min: 1, max: 5 }),
      competitive: fc.tuple(fc.boolean(), fc.boolean()),
      womanSeat: fc.boolean(),
    })
    .map(({ shape, partySeats, committeeSeats, competitive, womanSeat }) => {
      const h = holdings(shape)
      const bodies: SlateBody[] = []
      const add = (body: TeamBody, want: number, nominees: Member[], flag: boolean, ws: boolean) => {
        if (!nominees.length) return
        const seats = Math.min(want, nominees.length)
        bodies.push({ body, seats, competitive: loose ? flag : nominees.length > seats, womanSeat: loose && ws, nominees })
      }
      add('party', partySeats, h.party, competitive[0], false)
      add('committee', committeeSeats, h.committee, competitive[1], womanSeat)
      const unit = { code: '150402001', name: '红旗村', kind: shape.kind, minorityEthnicity: shape.minorityEthnicity, fullPartyMembers: shape.fullPartyMembers, referenceDate: shape.referenceDate }
      return { unit, bodies }
    })
}

// ---------------------------------------------------------------------------------------------
// helpers

/** Findings as a set: their canonical JSON, sorted. */
const asSet = (fs: Finding[]) => fs.map((f) => JSON.stringify(f)).sort()
const byRule = (fs: Finding[]) => Object.fromEntries(fs.map((f) => [f.rule, f])) as Record<RuleKey, Finding>
const rank: Record<Level, number> = { fail: 0, warn: 1, ok: 2, na: -1 }

/** A permutation of a list, from fast-check (shrinks towards the original order). */
const arbPermutation = <T,>(xs: T[]) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length })

function combinations<T>(xs: T[], k: number): T[][] {
  if (k === 0) return [[]]
  if (xs.length < k) return []
  const [head, ...tail] = xs as [T, ...T[]]
  return [...combinations(tail, k - 1).map((c) => [head, ...c]), ...combinations(tail, k)]
}

// ---------------------------------------------------------------------------------------------

describe('composition properties', () => {
  it('every check gives one well-formed finding per rule', () => {
    fc.assert(
      fc.property(arbUnit, arbSlate(true), arbRules, (u, s, r) => {
        for (const [fs, name] of [
          [checkTeams(u, r), u.name],
          [checkSlate(s.unit, s.bodies, r), s.unit.name],
        ] as const) {
          expect(fs.map((f) => f.rule).sort()).toEqual([...ruleKeys].sort())
          for (const f of fs) {
            expect(f.message).toContain(name)
            expect(f.basis.length).toBeGreaterThan(0)
            if (f.actual !== null) expect(Number.isInteger(f.actual)).toBe(true)
            if (f.required !== null) expect(Number.isInteger(f.required)).toBe(true)
          }
        }
      }),
      RUNS,
    )
  })

  it('shuffling members never changes any finding (checkTeams)', () => {
    const arb = arbUnit.chain((u) => fc.tuple(fc.constant(u), arbPermutation(u.members)))
    fc.assert(
      fc.property(arb, arbRules, ([u, shuffled], r) => {
        expect(asSet(checkTeams({ ...u, members: shuffled }, r))).toEqual(asSet(checkTeams(u, r)))
      }),
      RUNS,
    )
  })

  it('shuffling nominees and bodies never changes any finding (checkSlate)', () => {
    const arb = arbSlate(true).chain((s) =>
      fc.tuple(fc.constant(s), fc.tuple(...s.bodies.map((b) => arbPermutation(b.nominees).map((nominees) => ({ ...b, nominees })))).chain((bs) => arbPermutation(bs))),
    )
    fc.assert(
      fc.property(arb, arbRules, ([s, shuffled], r) => {
        expect(asSet(checkSlate(s.unit, shuffled, r))).toEqual(asSet(checkSlate(s.unit, s.bodies, r)))
      }),
      RUNS,
    )
  })

  it('adding a person’s holding in the other body never changes the counts of distinct people', () => {
    // Pick someone on one body only and seat them on the other too (as a plain member).
    const arb = arbUnit
      .filter((u) => u.members.some((x) => u.members.filter((y) => y.personId === x.personId).length === 1))
      .chain((u) => {
        const single = u.members.filter((x) => u.members.filter((y) => y.personId === x.personId).length === 1)
        return fc.tuple(fc.constant(u), fc.constantFrom(...single))
      })
    fc.assert(
      fc.property(arb, arbRules, ([u, x], r) => {
        const other: Member = { ...x, body: x.body === 'party' ? 'committee' : 'party', post: 'member' }
        const before = byRule(checkTeams(u, r))
        const after = byRule(checkTeams({ ...u, members: [...u.members, other] }, r))
        for (const rule of ['women', 'youth', 'college', 'minority', 'new_member_age'] as const) expect(after[rule]).toEqual(before[rule])
      }),
      RUNS,
    )
  })

  /** A new woman, a plain member of one body; `neutral`: over the youth line, no college, 汉族, not new. */
  const arbWoman = (neutral: boolean) =>
    fc.record({ p: arbPerson, body: fc.constantFrom<TeamBody>('party', 'committee'), older: fc.integer({ min: 1, max: 30 }) }).map(({ p, body, older }) => ({ p, body, older, neutral }))

  function woman(w: { p: Person; body: TeamBody; older: number; neutral: boolean }, referenceDate: string, r: CompositionRules): Member {
    const base = holding({ ...w.p, gender: '2' }, 999, w.body, 'member')
    if (!w.neutral) return base
    // Born in year ref − youthAge − older: at least youthAge full years old on the reference date.
    const by = Number(referenceDate.slice(0, 4)) - r.youthAge - w.older
    return { ...base, birthDate: iso(by, 6, 15), education: '61', ethnicity: '01', isNew: false }
  }

  it('adding a woman never breaks the women target and leaves the other people-count rules alone', () => {
    // Size, cross-holding and new-member rules may move with the headcount; nothing else may.
    const free = new Set<RuleKey>(['party_size', 'committee_size', 'cross_holding', 'new_member_age'])
    // (An empty unit has no data for any rule: its first member turns na into a verdict.)
    fc.assert(
      fc.property(arbUnit.filter((u) => u.members.length > 0), arbWoman(true), arbRules, (u, w, r) => {
        const before = byRule(checkTeams(u, r))
        const after = byRule(checkTeams({ ...u, members: [...u.members, woman(w, u.referenceDate, r)] }, r))
        expect(rank[after.women.level]).toBeGreaterThanOrEqual(rank[before.women.level])
        expect(after.women.actual).toBe((before.women.actual ?? 0) + 1)
        for (const rule of ruleKeys.filter((k) => k !== 'women' && !free.has(k))) {
          expect([rule, after[rule].level, after[rule].actual]).toEqual([rule, before[rule].level, before[rule].actual])
        }
      }),
      RUNS,
    )
  })

  it('adding any woman (young, educated, minority, new or not) never lowers women, youth, college or minority', () => {
    fc.assert(
      fc.property(arbUnit, arbWoman(false), arbRules, (u, w, r) => {
        const before = byRule(checkTeams(u, r))
        const after = byRule(checkTeams({ ...u, members: [...u.members, woman(w, u.referenceDate, r)] }, r))
        for (const rule of ['women', 'youth', 'college', 'minority', 'one_shoulder'] as const) expect(rank[after[rule].level]).toBeGreaterThanOrEqual(rank[before[rule].level])
        expect(after.one_shoulder.level).toBe(before.one_shoulder.level)
      }),
      RUNS,
    )
  })

  it('adding a woman nominee never lowers the slate’s women verdict nor moves the others', () => {
    const free = new Set<RuleKey>(['party_size', 'committee_size', 'cross_holding', 'new_member_age'])
    const arb = arbSlate(true).filter((s) => s.bodies.length > 0)
    fc.assert(
      fc.property(arb, fc.nat(), arbWoman(true), arbRules, (s, which, w, r) => {
        const i = which % s.bodies.length
        const nominee = { ...woman(w, s.unit.referenceDate, r), body: s.bodies[i]!.body }
        const bodies = s.bodies.map((b, j) => (j === i ? { ...b, nominees: [...b.nominees, nominee] } : b))
        const before = byRule(checkSlate(s.unit, s.bodies, r))
        const after = byRule(checkSlate(s.unit, bodies, r))
        expect(rank[after.women.level]).toBeGreaterThanOrEqual(rank[before.women.level])
        for (const rule of ruleKeys.filter((k) => k !== 'women' && !free.has(k))) expect([rule, after[rule].level, after[rule].actual]).toEqual([rule, before[rule].level, before[rule].actual])
      }),
      RUNS,
    )
  })

  it('under the youth line agrees with the reference computation, 29 February included', () => {
    // The reference day: either anywhere in 1960–2060, or within 3 days of the line birthday
    // (for 29 Feb in a common year the generator's Date lands on 1 March, the oracle does not use it).
    const arb = fc
      .record({ birth: arbBirth, line: fc.integer({ min: 18, max: 60 }), near: fc.boolean(), shift: fc.integer({ min: -3, max: 3 }), any: arbDay(1960, 2060) })
      .map(({ birth, line, near, shift, any }) => {
        const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number]
        const on = near ? addDays(iso(by + line, bm, 1), bd - 1 + shift) : any
        return { birth, line, on }
      })
      .filter(({ birth, on }) => on >= birth)
    fc.assert(
      fc.property(arb, ({ birth, line, on }) => {
        const young = youngRef(birth, on, line)
        const x: Member = { personId: 'p', name: '周敏', gender: '1', birthDate: birth, education: '61', ethnicity: '01', partyMember: true, body: 'party', post: 'secretary' }
        const f = summarize([{ ...x, referenceDate: on }], line)
        expect(f.under35).toBe(young ? 1 : 0)
        expect(f.ageBands.under35).toBe(young ? 1 : 0)
        const r = mergeCompositionRules({ youthAge: line })
        const youth = byRule(checkTeams({ code: 'u', name: '红旗村', kind: 'village', minorityEthnicity: null, fullPartyMembers: null, referenceDate: on, members: [x] }, r)).youth
        expect(youth.actual).toBe(young ? 1 : 0)
        // The age itself: one less than the line the day before the line birthday.
        expect(ageBand(f.ageSum, line) === 'under35').toBe(young)
      }),
      { ...RUNS, numRuns: 1000 },
    )
  })

  const arbHoldings: fc.Arbitrary<Holding[]> = fc.array(
    fc.record({ p: arbPerson, i: fc.nat({ max: 20 }), body: fc.constantFrom<TeamBody>('party', 'committee'), post: fc.constantFrom('secretary', 'deputy_secretary', 'chair', 'vice_chair', 'member'), on: arbDay(2018, 2030) }).map(({ p, i, body, post, on }) => ({ ...holding(p, i, body, post), referenceDate: on })),
    { maxLength: 15 },
  )

  it('summarize of a concatenation equals addFigures of the parts', () => {
    fc.assert(
      fc.property(arbHoldings, arbHoldings, fc.integer({ min: 18, max: 60 }), (a, b, line) => {
        expect(summarize([...a, ...b], line)).toEqual(addFigures(summarize(a, line), summarize(b, line)))
      }),
      RUNS,
    )
  })

  it('the age bands and education levels each add up to the members', () => {
    fc.assert(
      fc.property(arbHoldings, fc.integer({ min: 18, max: 60 }), (hs, line) => {
        const f = summarize(hs, line)
        const bands = Object.values(f.ageBands).reduce((s, n) => s + n, 0)
        expect(bands).toBe(f.members)
        expect(f.ageBands.under35).toBe(f.under35)
        expect(f.under35 + f.ageBands['35to44'] + f.ageBands['45to54'] + f.ageBands['55to59'] + f.ageBands['60plus']).toBe(f.members)
        expect(Object.values(f.educationLevels).reduce((s, n) => s + n, 0)).toBe(f.members)
        expect(f.educationLevels['研究生']! + f.educationLevels['大学本科']! + f.educationLevels['大学专科']!).toBe(f.college)
        expect(f.college).toBe(hs.filter((x) => isCollegeOrAbove(x.education)).length)
        expect(f.members).toBe(hs.length)
        expect(f.womenHeads).toBeLessThanOrEqual(Math.min(f.heads, f.women))
        // The average is the mean rounded to one decimal.
        const avg = averageAge(f)
        if (f.members) expect(Math.abs(avg! - f.ageSum / f.members)).toBeLessThanOrEqual(0.05 + 1e-9)
        else expect(avg).toBeNull()
      }),
      RUNS,
    )
  })

  it('checkTeams agrees with crossFacts on 一肩挑 and cross-holders', () => {
    fc.assert(
      fc.property(arbUnit, arbRules, (u, r) => {
        const fs = byRule(checkTeams(u, r))
        const c = crossFacts(u.members)
        expect(fs.cross_holding.actual).toBe(u.members.length ? c.both : null)
        if (r.oneShoulder) expect(fs.one_shoulder.level).toBe(c.oneShoulder === null ? 'na' : c.oneShoulder ? 'ok' : 'fail')
        if (r.crossHoldingMinPercent !== null && fs.cross_holding.level !== 'na') expect(fs.cross_holding.level).toBe(c.both * 100 >= r.crossHoldingMinPercent * c.people ? 'ok' : 'fail')
      }),
      RUNS,
    )
  })

  it('a slate verdict of fail means no election outcome meets the target; ok or warn means one does', () => {
    // Every outcome: each body elects `seats` of its nominees. The elected team is then checked
    // with checkTeams. A warning (the named nominees must all win) also means some outcome misses.
    const rules = ['women', 'youth', 'college', 'minority', 'cross_holding'] as const
    fc.assert(
      fc.property(arbSlate(false, 7), arbRules, (s, r) => {
        const slate = byRule(checkSlate(s.unit, s.bodies, r))
        const outcomes = s.bodies.reduce<Member[][]>((acc, b) => acc.flatMap((team) => combinations(b.nominees, b.seats).map((won) => [...team, ...won])), [[]])
        for (const rule of rules) {
          const v = slate[rule]
          if (v.level === 'na') continue
          const met = outcomes.map((team) => byRule(checkTeams({ ...s.unit, members: team }, r))[rule].level)
          // An elected team missing a body gives na for cross_holding; count it as not met.
          const some = met.some((l) => l === 'ok')
          expect([rule, v.level === 'fail' ? 'infeasible' : 'feasible']).toEqual([rule, some ? 'feasible' : 'infeasible'])
          if (v.level === 'warn') expect([rule, met.every((l) => l === 'ok')]).toEqual([rule, false])
        }
      }),
      { ...RUNS, numRuns: 600 },
    )
  })
})
