/**
 * Tests of the timeline engine (shared/docs/rules.md "Decisions" rule 19 and §6.2 item 8).
 *
 * Every expected date below was counted by hand on the calendar, not computed with the engine:
 * the comment on each row says how (e.g. "5 Mar − 5 = 28 Feb, − 15 = 13 Feb"). 2026 is not a
 * leap year (February has 28 days); 2028 is (29 February exists). P = Party election day,
 * E = villagers' committee election day, F = the day the new 两委 exist (the later of the two).
 *
 * The property test uses a fixed seed so CI is reproducible; TIMELINE_SEED=n replays another run.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  addDays,
  anchorDay,
  checkElectionDays,
  checkMilestoneDate,
  daysBetween,
  defaultTemplate,
  planMilestones,
  type ElectionDays,
  type MilestoneTemplate,
} from './index.ts'

const SEED = process.env.TIMELINE_SEED ? Number(process.env.TIMELINE_SEED) : 20_260_305
const RUNS = { numRuns: 1000, seed: SEED }

const nameOf = (key: string): string => {
  const m = defaultTemplate.find((x) => x.key === key)
  if (!m) throw new Error(`no template row ${key}`)
  return m.name
}

const P = (party: string, committee: string | null = null): ElectionDays => ({ party, committee })
const E = (committee: string, party: string | null = null): ElectionDays => ({ party, committee })

// ---------------------------------------------------------------------------------------------
// 1. every limit of the default template, at its boundary and one day past it
// ---------------------------------------------------------------------------------------------

interface Row {
  key: string
  days: ElectionDays
  /** The anchor day the message must name. */
  anchor: string
  /** The last allowed day (hand-counted). */
  bound: string
  /** The day after `bound` (hand-counted). */
  past: string
  level: 'refuse' | 'warn'
  how: string
}

const rows: Row[] = [
  // voter_list ≤ E−20, legal
  { key: 'voter_list', days: E('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-13', past: '2026-02-14', level: 'refuse', how: '5 Mar − 5 = 28 Feb, − 15 = 13 Feb' },
  { key: 'voter_list', days: E('2028-03-10'), anchor: '2028-03-10', bound: '2028-02-19', past: '2028-02-20', level: 'refuse', how: '10 Mar − 10 = 29 Feb, − 10 = 19 Feb' },
  { key: 'voter_list', days: E('2026-01-10'), anchor: '2026-01-10', bound: '2025-12-21', past: '2025-12-22', level: 'refuse', how: '10 Jan − 10 = 31 Dec 2025, − 10 = 21 Dec' },
  // candidate_list ≤ E−5, legal
  { key: 'candidate_list', days: E('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-28', past: '2026-03-01', level: 'refuse', how: '5 Mar − 5 = 28 Feb; next day 1 Mar' },
  { key: 'candidate_list', days: E('2028-03-04'), anchor: '2028-03-04', bound: '2028-02-28', past: '2028-02-29', level: 'refuse', how: '4 Mar − 4 = 29 Feb, − 1 = 28 Feb; next day 29 Feb' },
  { key: 'candidate_list', days: E('2028-03-05'), anchor: '2028-03-05', bound: '2028-02-29', past: '2028-03-01', level: 'refuse', how: '5 Mar − 5 = 29 Feb; next day 1 Mar' },
  { key: 'candidate_list', days: E('2026-01-05'), anchor: '2026-01-05', bound: '2025-12-31', past: '2026-01-01', level: 'refuse', how: '5 Jan − 5 = 31 Dec 2025; next day 1 Jan 2026' },
  // handover ≤ E+10, legal
  { key: 'handover', days: E('2026-02-18'), anchor: '2026-02-18', bound: '2026-02-28', past: '2026-03-01', level: 'refuse', how: '18 Feb + 10 = 28 Feb; next day 1 Mar' },
  { key: 'handover', days: E('2026-02-25'), anchor: '2026-02-25', bound: '2026-03-07', past: '2026-03-08', level: 'refuse', how: '25 Feb + 3 = 28 Feb, + 7 = 7 Mar' },
  { key: 'handover', days: E('2028-02-25'), anchor: '2028-02-25', bound: '2028-03-06', past: '2028-03-07', level: 'refuse', how: '25 Feb + 4 = 29 Feb, + 6 = 6 Mar' },
  { key: 'handover', days: E('2025-12-25'), anchor: '2025-12-25', bound: '2026-01-04', past: '2026-01-05', level: 'refuse', how: '25 Dec + 6 = 31 Dec, + 4 = 4 Jan 2026' },
  // election_committee ≤ E−21, practice
  { key: 'election_committee', days: E('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-12', past: '2026-02-13', level: 'warn', how: '5 Mar − 5 = 28 Feb, − 16 = 12 Feb' },
  { key: 'election_committee', days: E('2028-03-10'), anchor: '2028-03-10', bound: '2028-02-18', past: '2028-02-19', level: 'warn', how: '10 Mar − 10 = 29 Feb, − 11 = 18 Feb' },
  { key: 'election_committee', days: E('2026-01-10'), anchor: '2026-01-10', bound: '2025-12-20', past: '2025-12-21', level: 'warn', how: '10 Jan − 10 = 31 Dec, − 11 = 20 Dec' },
  // nomination ≤ E−5, practice
  { key: 'nomination', days: E('2026-03-03'), anchor: '2026-03-03', bound: '2026-02-26', past: '2026-02-27', level: 'warn', how: '3 Mar − 3 = 28 Feb, − 2 = 26 Feb' },
  { key: 'nomination', days: E('2028-03-04'), anchor: '2028-03-04', bound: '2028-02-28', past: '2028-02-29', level: 'warn', how: '4 Mar − 4 = 29 Feb, − 1 = 28 Feb' },
  { key: 'nomination', days: E('2026-01-03'), anchor: '2026-01-03', bound: '2025-12-29', past: '2025-12-30', level: 'warn', how: '3 Jan − 3 = 31 Dec, − 2 = 29 Dec' },
  // supervisory ≤ F+10, practice (F = the later of P and E)
  { key: 'supervisory', days: P('2026-02-10', '2026-02-20'), anchor: '2026-02-20', bound: '2026-03-02', past: '2026-03-03', level: 'warn', how: 'F = E; 20 Feb + 8 = 28 Feb, + 2 = 2 Mar' },
  { key: 'supervisory', days: P('2028-02-20', '2028-01-15'), anchor: '2028-02-20', bound: '2028-03-01', past: '2028-03-02', level: 'warn', how: 'F = P; 20 Feb + 9 = 29 Feb, + 1 = 1 Mar' },
  { key: 'supervisory', days: E('2025-12-25'), anchor: '2025-12-25', bound: '2026-01-04', past: '2026-01-05', level: 'warn', how: 'F = E (only day set); 25 Dec + 6 = 31 Dec, + 4 = 4 Jan' },
  // talks ≤ F+7, practice
  { key: 'talks', days: P('2026-02-01', '2026-02-25'), anchor: '2026-02-25', bound: '2026-03-04', past: '2026-03-05', level: 'warn', how: 'F = E; 25 Feb + 3 = 28 Feb, + 4 = 4 Mar' },
  { key: 'talks', days: P('2028-02-25'), anchor: '2028-02-25', bound: '2028-03-03', past: '2028-03-04', level: 'warn', how: 'F = P (only day set); 25 Feb + 4 = 29 Feb, + 3 = 3 Mar' },
  { key: 'talks', days: P('2025-12-28', '2025-12-20'), anchor: '2025-12-28', bound: '2026-01-04', past: '2026-01-05', level: 'warn', how: 'F = P; 28 Dec + 3 = 31 Dec, + 4 = 4 Jan' },
  // training ≤ F+30, practice
  { key: 'training', days: P('2026-01-20', '2026-01-31'), anchor: '2026-01-31', bound: '2026-03-02', past: '2026-03-03', level: 'warn', how: 'F = E; 31 Jan + 28 = 28 Feb, + 2 = 2 Mar' },
  { key: 'training', days: P('2028-01-31', '2028-01-10'), anchor: '2028-01-31', bound: '2028-03-01', past: '2028-03-02', level: 'warn', how: 'F = P; 31 Jan + 29 = 29 Feb, + 1 = 1 Mar' },
  { key: 'training', days: P('2025-12-15', '2025-12-15'), anchor: '2025-12-15', bound: '2026-01-14', past: '2026-01-15', level: 'warn', how: 'F = P = E; 15 Dec + 16 = 31 Dec, + 14 = 14 Jan' },
  // Party phase lead times, practice
  { key: 'recommend', days: P('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-23', past: '2026-02-24', level: 'warn', how: '5 Mar − 5 = 28 Feb, − 5 = 23 Feb' },
  { key: 'recommend', days: P('2028-03-05'), anchor: '2028-03-05', bound: '2028-02-24', past: '2028-02-25', level: 'warn', how: '5 Mar − 5 = 29 Feb, − 5 = 24 Feb' },
  { key: 'recommend', days: P('2026-01-05'), anchor: '2026-01-05', bound: '2025-12-26', past: '2025-12-27', level: 'warn', how: '5 Jan − 5 = 31 Dec, − 5 = 26 Dec' },
  { key: 'party_review', days: P('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-26', past: '2026-02-27', level: 'warn', how: '5 Mar − 5 = 28 Feb, − 2 = 26 Feb' },
  { key: 'party_review', days: P('2028-03-05'), anchor: '2028-03-05', bound: '2028-02-27', past: '2028-02-28', level: 'warn', how: '5 Mar − 5 = 29 Feb, − 2 = 27 Feb' },
  { key: 'party_review', days: P('2026-01-05'), anchor: '2026-01-05', bound: '2025-12-29', past: '2025-12-30', level: 'warn', how: '5 Jan − 5 = 31 Dec, − 2 = 29 Dec' },
  { key: 'party_notice', days: P('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-28', past: '2026-03-01', level: 'warn', how: '5 Mar − 5 = 28 Feb; next day 1 Mar' },
  { key: 'party_notice', days: P('2028-03-05'), anchor: '2028-03-05', bound: '2028-02-29', past: '2028-03-01', level: 'warn', how: '5 Mar − 5 = 29 Feb; next day 1 Mar' },
  { key: 'party_notice', days: P('2026-01-05'), anchor: '2026-01-05', bound: '2025-12-31', past: '2026-01-01', level: 'warn', how: '5 Jan − 5 = 31 Dec 2025; next day 1 Jan 2026' },
  // preparation-phase lead times, practice
  { key: 'plan', days: P('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-03', past: '2026-02-04', level: 'warn', how: '5 Mar − 5 = 28 Feb, − 25 = 3 Feb' },
  { key: 'plan', days: P('2028-03-10'), anchor: '2028-03-10', bound: '2028-02-09', past: '2028-02-10', level: 'warn', how: '10 Mar − 10 = 29 Feb, − 20 = 9 Feb' },
  { key: 'plan', days: P('2026-01-10'), anchor: '2026-01-10', bound: '2025-12-11', past: '2025-12-12', level: 'warn', how: '10 Jan − 10 = 31 Dec, − 20 = 11 Dec' },
  { key: 'mobilise', days: P('2026-03-05'), anchor: '2026-03-05', bound: '2026-02-12', past: '2026-02-13', level: 'warn', how: '5 Mar − 5 = 28 Feb, − 16 = 12 Feb' },
  { key: 'mobilise', days: P('2028-03-10'), anchor: '2028-03-10', bound: '2028-02-18', past: '2028-02-19', level: 'warn', how: '10 Mar − 10 = 29 Feb, − 11 = 18 Feb' },
  { key: 'mobilise', days: P('2026-01-10'), anchor: '2026-01-10', bound: '2025-12-20', past: '2025-12-21', level: 'warn', how: '10 Jan − 10 = 31 Dec, − 11 = 20 Dec' },
]

describe('checkMilestoneDate: limits of the default template', () => {
  it('covers every milestone with a limit, with the level its strictness implies', () => {
    const limited = defaultTemplate.filter((m) => m.limit).map((m) => m.key)
    expect(new Set(rows.map((r) => r.key))).toEqual(new Set(limited))
    for (const r of rows) {
      const m = defaultTemplate.find((x) => x.key === r.key)!
      expect(r.level, r.key).toBe(m.strict ? 'refuse' : 'warn')
    }
    // The legal ones (rule 19 / §6.2 item 8) are exactly voter_list, candidate_list and handover.
    expect(defaultTemplate.filter((m) => m.limit && m.strict).map((m) => m.key)).toEqual(['voter_list', 'candidate_list', 'handover'])
  })

  it.each(rows.map((r) => [`${r.key} anchored ${r.anchor}: ≤ ${r.bound} (${r.how})`, r] as const))('%s', (_, r) => {
    const onDay = checkMilestoneDate(r.key, r.bound, r.days)
    expect(onDay.level).toBe('ok')
    expect(onDay.message).toBe('')
    expect(onDay.basis.length).toBeGreaterThan(0)

    const late = checkMilestoneDate(r.key, r.past, r.days)
    expect(late.level).toBe(r.level)
    expect(late.basis.length).toBeGreaterThan(0)
    expect(late.message).toContain(`“${nameOf(r.key)}”`)
    expect(late.message).toContain(r.anchor)
    expect(late.message).toContain(`最迟 ${r.bound}`)
    expect(late.message).toContain(`所填 ${r.past} 晚了 1 日`)
  })

  it('spells out the refusal in full', () => {
    expect(checkMilestoneDate('voter_list', '2026-02-14', E('2026-03-05'))).toEqual({
      level: 'refuse',
      message: '“公布选民名单”应在村（居）委会选举日前20日完成（村（居）委会选举日 2026-03-05，最迟 2026-02-13），所填 2026-02-14 晚了 1 日',
      basis: defaultTemplate.find((m) => m.key === 'voter_list')!.basis,
    })
    expect(checkMilestoneDate('handover', '2026-03-01', E('2026-02-18')).message).toBe(
      '“工作移交”应在村（居）委会选举日起10日内完成（村（居）委会选举日 2026-02-18，最迟 2026-02-28），所填 2026-03-01 晚了 1 日',
    )
    expect(checkMilestoneDate('training', '2026-03-03', P('2026-01-20', '2026-01-31')).message).toBe(
      '“新任干部集中培训”应在新一届“两委”产生之日起30日内完成（新一届“两委”产生之日 2026-01-31，最迟 2026-03-02），所填 2026-03-03 晚了 1 日',
    )
  })

  it('counts the days late across month ends, year ends and 29 February', () => {
    // 13 Feb → 28 Feb is 15 days (2026), + 2 to 2 Mar = 17.
    expect(checkMilestoneDate('voter_list', '2026-03-02', E('2026-03-05')).message).toContain('最迟 2026-02-13），所填 2026-03-02 晚了 17 日')
    // 19 Feb → 29 Feb is 10 days (2028), + 1 to 1 Mar = 11.
    expect(checkMilestoneDate('voter_list', '2028-03-01', E('2028-03-10')).message).toContain('最迟 2028-02-19），所填 2028-03-01 晚了 11 日')
    // 21 Dec → 31 Dec is 10 days, + 2 to 2 Jan = 12.
    expect(checkMilestoneDate('voter_list', '2026-01-02', E('2026-01-10')).message).toContain('最迟 2025-12-21），所填 2026-01-02 晚了 12 日')
    // On election day itself the voter list is 20 days late.
    expect(checkMilestoneDate('voter_list', '2026-01-10', E('2026-01-10')).message).toContain('晚了 20 日')
    // training bound 14 Jan 2026; 14 Jan → 31 Jan is 17, → 28 Feb is 28 more = 45.
    expect(checkMilestoneDate('training', '2026-02-28', P('2025-12-15')).message).toContain('晚了 45 日')
  })

  it('accepts any earlier day, however early', () => {
    expect(checkMilestoneDate('voter_list', '2025-12-31', E('2026-03-05')).level).toBe('ok')
    expect(checkMilestoneDate('candidate_list', '2025-01-01', E('2026-01-05')).level).toBe('ok')
    expect(checkMilestoneDate('handover', '2026-02-18', E('2026-02-18')).level).toBe('ok')
  })

  it('says nothing about a milestone without a limit once its day is set', () => {
    for (const key of ['party_election', 'committee_election']) {
      const v = checkMilestoneDate(key, '2030-01-01', P('2026-01-05', '2026-02-05'))
      expect(v).toEqual({ level: 'ok', message: '', basis: defaultTemplate.find((m) => m.key === key)!.basis })
      expect(v.basis.length).toBeGreaterThan(0)
    }
  })

  it("reports an 'after' limit as too early (custom template)", () => {
    // Not in the default template: "on or after E−3". E = 1 Mar 2028 → 1 Mar − 1 = 29 Feb, − 2 = 27 Feb.
    const basis = [{ law: '测试', version: '测试', article: '测试' }]
    const tpl: MilestoneTemplate[] = [{ key: 'x', name: '测试事项', phase: 'committee', anchor: 'committee', offset: -3, limit: { days: -3, side: 'after' }, strict: true, basis }]
    expect(checkMilestoneDate('x', '2028-02-27', E('2028-03-01'), tpl)).toEqual({ level: 'ok', message: '', basis })
    expect(checkMilestoneDate('x', '2028-03-01', E('2028-03-01'), tpl).level).toBe('ok')
    const early = checkMilestoneDate('x', '2028-02-26', E('2028-03-01'), tpl)
    expect(early.level).toBe('refuse')
    expect(early.message).toContain('最早 2028-02-27')
    expect(early.message).toContain('所填 2028-02-26 早了 1 日')
  })
})

// ---------------------------------------------------------------------------------------------
// 2. anchor days and unset election days
// ---------------------------------------------------------------------------------------------

describe('anchorDay', () => {
  it('party and committee are the days themselves', () => {
    const d = P('2026-01-05', '2026-02-05')
    expect(anchorDay('party', d)).toBe('2026-01-05')
    expect(anchorDay('committee', d)).toBe('2026-02-05')
    expect(anchorDay('party', E('2026-02-05'))).toBeNull()
    expect(anchorDay('committee', P('2026-01-05'))).toBeNull()
  })

  it("'formed' is the later of the two days, the only one when one is set, null when none", () => {
    expect(anchorDay('formed', P('2026-01-05', '2026-02-05'))).toBe('2026-02-05')
    expect(anchorDay('formed', P('2026-02-05', '2026-01-05'))).toBe('2026-02-05')
    // across a year end: 31 Dec 2025 is earlier than 1 Jan 2026
    expect(anchorDay('formed', P('2026-01-01', '2025-12-31'))).toBe('2026-01-01')
    expect(anchorDay('formed', P('2025-12-31', '2026-01-01'))).toBe('2026-01-01')
    expect(anchorDay('formed', P('2028-02-29', '2028-02-29'))).toBe('2028-02-29')
    expect(anchorDay('formed', P('2026-01-05'))).toBe('2026-01-05')
    expect(anchorDay('formed', E('2026-02-05'))).toBe('2026-02-05')
    expect(anchorDay('formed', { party: null, committee: null })).toBeNull()
  })
})

describe('milestones whose anchor day is not set', () => {
  const none: ElectionDays = { party: null, committee: null }

  it("are 'ok' with a message that the day is not fixed yet", () => {
    const cases: [string, ElectionDays, string][] = [
      ['recommend', E('2026-03-05'), '党组织选举日尚未确定'],
      ['voter_list', P('2026-01-05'), '村（居）委会选举日尚未确定'],
      ['handover', P('2026-01-05'), '村（居）委会选举日尚未确定'],
      ['supervisory', none, '新一届“两委”产生之日尚未确定'],
      ['party_election', none, '党组织选举日尚未确定'],
    ]
    for (const [key, days, text] of cases) {
      const v = checkMilestoneDate(key, '2099-12-31', days)
      expect(v.level, key).toBe('ok')
      expect(v.message, key).toContain(text)
      expect(v.basis.length, key).toBeGreaterThan(0)
    }
  })

  it('plan to null plannedOn and deadline', () => {
    for (const p of planMilestones(none)) {
      expect(p.plannedOn, p.key).toBeNull()
      expect(p.deadline, p.key).toBeNull()
    }
    // Only the Party day set: Party rows and the 'formed' rows are planned, committee rows are not.
    const onlyParty = planMilestones(P('2026-01-10'))
    for (const p of onlyParty) {
      const anchor = defaultTemplate.find((m) => m.key === p.key)!.anchor
      expect(p.plannedOn === null, p.key).toBe(anchor === 'committee')
    }
  })
})

// ---------------------------------------------------------------------------------------------
// 3. planMilestones
// ---------------------------------------------------------------------------------------------

describe('planMilestones', () => {
  it('plans every template row at anchor + offset with deadline anchor + limit, in template order', () => {
    // P = 10 Jan 2026, E = 5 Mar 2026, so F = 5 Mar 2026. Counted by hand:
    const expected: [string, string, string | null][] = [
      ['plan', '2025-11-26', '2025-12-11'], // P−45: 10 Jan − 10 = 31 Dec, − 30 = 1 Dec, − 5 = 26 Nov; P−30: 31 Dec − 20 = 11 Dec
      ['mobilise', '2025-12-01', '2025-12-20'], // P−40: 31 Dec − 30 = 1 Dec; P−21: 31 Dec − 11 = 20 Dec
      ['recommend', '2025-12-16', '2025-12-31'], // P−25: 31 Dec − 15 = 16 Dec; P−10: 31 Dec
      ['party_review', '2025-12-23', '2026-01-03'], // P−18: 31 Dec − 8 = 23 Dec; P−7: 3 Jan
      ['party_notice', '2025-12-31', '2026-01-05'], // P−10: 31 Dec; P−5: 5 Jan
      ['party_election', '2026-01-10', null], // P, no limit
      ['election_committee', '2026-02-03', '2026-02-12'], // E−30: 5 Mar − 5 = 28 Feb, − 25 = 3 Feb; E−21: 28 Feb − 16 = 12 Feb
      ['voter_list', '2026-02-13', '2026-02-13'], // E−20: 28 Feb − 15 = 13 Feb
      ['nomination', '2026-02-21', '2026-02-28'], // E−12: 28 Feb − 7 = 21 Feb; E−5: 28 Feb
      ['candidate_list', '2026-02-28', '2026-02-28'], // E−5: 28 Feb
      ['committee_election', '2026-03-05', null], // E, no limit
      ['handover', '2026-03-15', '2026-03-15'], // E+10
      ['supervisory', '2026-03-15', '2026-03-15'], // F+10
      ['talks', '2026-03-12', '2026-03-12'], // F+7
      ['training', '2026-04-04', '2026-04-04'], // F+30: 5 Mar + 26 = 31 Mar, + 4 = 4 Apr
    ]
    const plan = planMilestones(P('2026-01-10', '2026-03-05'))
    expect(plan.map((p) => [p.key, p.plannedOn, p.deadline])).toEqual(expected)
    expect(plan.map((p) => p.key)).toEqual(defaultTemplate.map((m) => m.key))
    plan.forEach((p, i) => {
      const m = defaultTemplate[i]!
      expect(p).toEqual({ key: m.key, name: m.name, phase: m.phase, plannedOn: p.plannedOn, deadline: p.deadline, strict: m.strict })
    })
  })

  it('plans across 29 February in a leap year', () => {
    // P = 1 Mar 2028, E = 15 Mar 2028, F = 15 Mar 2028.
    const plan = Object.fromEntries(planMilestones(P('2028-03-01', '2028-03-15')).map((p) => [p.key, [p.plannedOn, p.deadline]]))
    expect(plan.party_notice).toEqual(['2028-02-20', '2028-02-25']) // 1 Mar − 1 = 29 Feb, − 9 = 20 Feb; 29 Feb − 4 = 25 Feb
    expect(plan.recommend).toEqual(['2028-02-05', '2028-02-20']) // 1 Mar − 1 = 29 Feb, − 24 = 5 Feb; 29 Feb − 9 = 20 Feb
    expect(plan.voter_list).toEqual(['2028-02-24', '2028-02-24']) // 15 Mar − 15 = 29 Feb, − 5 = 24 Feb
    expect(plan.candidate_list).toEqual(['2028-03-10', '2028-03-10']) // 15 Mar − 5
    expect(plan.training).toEqual(['2028-04-14', '2028-04-14']) // 15 Mar + 16 = 31 Mar, + 14 = 14 Apr
  })

  it('the offsets and limits are whole-day distances from the anchor (every row, several days)', () => {
    for (const days of [P('2026-01-10', '2026-03-05'), P('2028-02-29', '2028-02-10'), E('2025-12-31')]) {
      planMilestones(days).forEach((p, i) => {
        const m = defaultTemplate[i]!
        const a = anchorDay(m.anchor, days)
        if (a === null) {
          // E only: the Party rows have no anchor yet.
          expect([p.plannedOn, p.deadline], p.key).toEqual([null, null])
          return
        }
        expect(daysBetween(a, p.plannedOn!), p.key).toBe(m.offset)
        if (m.limit) expect(daysBetween(a, p.deadline!), p.key).toBe(m.limit.days)
        else expect(p.deadline, p.key).toBeNull()
      })
    }
  })

  it('the planned day of every default milestone passes its own check', () => {
    for (const days of [P('2026-01-10', '2026-03-05'), P('2028-02-29', '2028-03-20'), P('2025-12-20', '2026-01-10')]) {
      for (const p of planMilestones(days)) expect(checkMilestoneDate(p.key, p.plannedOn!, days).level, p.key).toBe('ok')
    }
  })
})

// ---------------------------------------------------------------------------------------------
// 4. checkElectionDays
// ---------------------------------------------------------------------------------------------

describe('checkElectionDays', () => {
  const phases = {
    party: { startsOn: '2025-12-01', endsOn: '2026-01-31' },
    committee: { startsOn: '2026-02-01', endsOn: '2026-03-31' },
  }

  it('both days inside their windows and in order → no verdicts', () => {
    expect(checkElectionDays(P('2026-01-10', '2026-03-05'), phases)).toEqual([])
    // window ends are inclusive
    expect(checkElectionDays(P('2025-12-01', '2026-03-31'), phases)).toEqual([])
    expect(checkElectionDays(P('2026-01-31', '2026-02-01'), phases)).toEqual([])
    // the same day is not "before"
    expect(checkElectionDays(P('2026-02-05', '2026-02-05'), {})).toEqual([])
  })

  it('warns when the committee is elected before the Party committee', () => {
    const v = checkElectionDays(P('2026-01-02', '2025-12-31'), {})
    expect(v).toHaveLength(1)
    expect(v[0]!.level).toBe('warn')
    expect(v[0]!.message).toContain('2025-12-31')
    expect(v[0]!.message).toContain('2026-01-02')
    expect(v[0]!.basis.length).toBeGreaterThan(0)
  })

  it('warns when a day falls outside the township window', () => {
    const party = checkElectionDays(P('2026-02-01', '2026-03-05'), phases) // one day after the party window
    expect(party).toHaveLength(1)
    expect(party[0]!.level).toBe('warn')
    expect(party[0]!.message).toContain('2026-02-01')
    expect(party[0]!.message).toContain('2025-12-01至2026-01-31')
    expect(party[0]!.basis.length).toBeGreaterThan(0)

    const committee = checkElectionDays(P('2026-01-10', '2026-01-31'), phases) // one day before the committee window
    expect(committee).toHaveLength(1)
    expect(committee[0]!.level).toBe('warn')
    expect(committee[0]!.message).toContain('2026-01-31')
    expect(committee[0]!.message).toContain('2026-02-01至2026-03-31')

    expect(checkElectionDays(P('2025-11-30', '2026-04-01'), phases)).toHaveLength(2)
  })

  it('warns both about order and about windows, and skips what is not set', () => {
    const v = checkElectionDays(P('2026-02-10', '2026-01-20'), phases)
    expect(v.map((x) => x.level)).toEqual(['warn', 'warn', 'warn'])
    expect(v.every((x) => x.basis.length > 0)).toBe(true)
    expect(checkElectionDays({ party: null, committee: null }, phases)).toEqual([])
    expect(checkElectionDays(E('2026-06-01'), { party: phases.party })).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 5. addDays / daysBetween
// ---------------------------------------------------------------------------------------------

describe('addDays and daysBetween', () => {
  it('known values (hand-counted)', () => {
    expect(addDays('2026-03-05', -20)).toBe('2026-02-13')
    expect(addDays('2028-03-10', -20)).toBe('2028-02-19')
    expect(addDays('2026-01-10', -20)).toBe('2025-12-21')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01') // 2100 is not a leap year
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29') // 2000 is
    expect(addDays('2025-12-31', 366)).toBe('2027-01-01') // 2026 has 365 days
    expect(addDays('2028-01-01', 366)).toBe('2029-01-01') // 2028 has 366
    expect(daysBetween('2026-02-13', '2026-03-05')).toBe(20)
    expect(daysBetween('2026-03-05', '2026-02-13')).toBe(-20)
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29)
  })

  const day = fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
  const shift = fc.integer({ min: -400, max: 400 })

  it('daysBetween(d, addDays(d, n)) === n, and addDays gives a real calendar date', () => {
    fc.assert(
      fc.property(day, shift, (d, n) => {
        const r = addDays(d, n)
        expect(daysBetween(d, r)).toBe(n)
        expect(r).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(new Date(`${r}T00:00:00Z`).toISOString().slice(0, 10)).toBe(r)
        expect(addDays(r, -n)).toBe(d)
      }),
      RUNS,
    )
  })
})

// ---------------------------------------------------------------------------------------------
// 6. unknown milestone
// ---------------------------------------------------------------------------------------------

describe('unknown milestone', () => {
  it('throws RangeError', () => {
    expect(() => checkMilestoneDate('no_such_step', '2026-01-01', P('2026-01-10'))).toThrow(RangeError)
    expect(() => checkMilestoneDate('voter_list', '2026-01-01', E('2026-03-05'), [])).toThrow(RangeError)
  })
})
