/**
 * Statistics and composition checks for a region, without an actor: the service calls these after
 * its scope checks, and `huanjie stats` calls them for any region (a province's roll-up included).
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import {
  addFigures,
  averageAge,
  checkSlate,
  checkTeams,
  emptyFigures,
  ruleKeys,
  type CompositionRules,
  type Figures,
  resultsParagraph,
  type Finding,
  type Member,
  type SlateBody,
  type StatsBody,
  type UnitKind,
} from '../../../rules/composition/index.ts'
import { isPartyMember } from '../../../rules/codes/index.ts'
import * as repo from './repo.ts'
import type { CampaignRow } from '../campaign/table.ts'

export const statsBodies: Record<StatsBody, repo.BodyFilter & { label: string }> = {
  party_committee: { body: 'party', kinds: ['village', 'gacha', 'community'], label: '村（社区）党组织' },
  villager_committee: { body: 'committee', kinds: ['village', 'gacha'], label: '村（嘎查）民委员会' },
  resident_committee: { body: 'committee', kinds: ['community'], label: '社区居民委员会' },
}

export type UnitStatus = 'finished' | 'in_progress' | 'not_started'
export const unitStatusLabels: Record<UnitStatus, string> = { finished: '已完成', in_progress: '进行中', not_started: '未开始' }

export interface FiguresOut extends Figures {
  averageAge: number | null
}
export interface Cross {
  unitsWithBothHeads: number
  oneShoulder: number
  people: number
  both: number
}
export interface Progress {
  total: number
  finished: number
  inProgress: number
  notStarted: number
  byKind: { kind: UnitKind; total: number; finished: number; inProgress: number }[]
}
export interface UnitStat {
  code: string
  name: string
  kind: UnitKind
  townshipCode: string
  status: UnitStatus
  firstOn: string | null
  lastOn: string | null
  elected: Figures
  incumbent: Figures
  cross: Cross
  /** The same cross-body facts for the teams in office when the campaign began. */
  incumbentCross: Cross
  reserveCadres: number
}

const emptyCross = (): Cross => ({ unitsWithBothHeads: 0, oneShoulder: 0, people: 0, both: 0 })
const addCross = (a: Cross, b: Cross): Cross => ({ unitsWithBothHeads: a.unitsWithBothHeads + b.unitsWithBothHeads, oneShoulder: a.oneShoulder + b.oneShoulder, people: a.people + b.people, both: a.both + b.both })
export const withAverage = (f: Figures): FiguresOut => ({ ...f, averageAge: averageAge(f) })

export function toFigures(r: repo.FigureRow | undefined): Figures {
  if (!r) return emptyFigures()
  return {
    members: r.members,
    women: r.women,
    heads: r.heads,
    womenHeads: r.women_heads,
    under35: r.under35,
    college: r.college,
    partyMembers: r.party_members,
    ageSum: r.age_sum,
    ageBands: { under35: r.under35, '35to44': r.b35, '45to54': r.b45, '55to59': r.b55, '60plus': r.b60 },
    educationLevels: { 研究生: r.e_grad, 大学本科: r.e_bachelor, 大学专科: r.e_college, '中专·中技': r.e_vocational, 高中: r.e_high, 初中: r.e_middle, 小学及以下: r.e_primary },
  }
}

const electionBodies = (b: StatsBody) => (b === 'party_committee' ? ['party_committee', 'party_secretary'] : [b])

/** Per-unit statistics of one body for a campaign year: status, elected and incumbent figures, cross-body facts. */
export async function unitStats(db: Kysely<DB>, region: repo.Region, year: number, body: StatsBody, youthAge: number): Promise<UnitStat[]> {
  const f = statsBodies[body]
  const ws = await repo.windows(db, region, year)
  const [units, both, cross, crossBefore, spans, reserves] = await Promise.all([
    repo.unitsIn(db, region),
    repo.figures(db, region, ws, ['elected', 'incumbent'], f, 'unit', youthAge),
    repo.crossFigures(db, region, ws, f.kinds, 'unit'),
    repo.crossFigures(db, region, ws, f.kinds, 'unit', 'incumbent'),
    repo.electionSpans(db, region, year),
    repo.reserveCounts(db, region),
  ])
  const byKey = <T extends { key: string }>(rows: T[]) => new Map(rows.map((r) => [r.key, r]))
  const [e, i, c, cb] = [byKey(both.filter((x) => x.set === 'elected')), byKey(both.filter((x) => x.set === 'incumbent')), byKey(cross), byKey(crossBefore)]
  const toCross = (x: repo.CrossRow | undefined): Cross => (x ? { unitsWithBothHeads: x.units_with_both_heads, oneShoulder: x.one_shoulder, people: x.people, both: x.both } : emptyCross())
  const bodies = electionBodies(body)
  return units
    .filter((u) => f.kinds.includes(u.kind))
    .map((u) => {
      const mine = spans.filter((s) => s.unit_code === u.code && bodies.includes(s.body))
      const figures = toFigures(e.get(u.code))
      const pending = mine.some((s) => s.pending > 0)
      const status: UnitStatus = figures.members > 0 && !pending ? 'finished' : figures.members > 0 || mine.length ? 'in_progress' : 'not_started'
      const dates = mine.flatMap((s) => [s.first_on, s.last_on]).filter((d): d is string => !!d).sort()
      return {
        code: u.code,
        name: u.name,
        kind: u.kind as UnitKind,
        townshipCode: u.code.slice(0, 9) + '000',
        status,
        firstOn: dates[0] ?? null,
        lastOn: dates.at(-1) ?? null,
        elected: figures,
        incumbent: toFigures(i.get(u.code)),
        cross: toCross(c.get(u.code)),
        incumbentCross: toCross(cb.get(u.code)),
        reserveCadres: reserves.get(u.code) ?? 0,
      }
    })
}

export function progressOf(units: UnitStat[]): Progress {
  const kinds: UnitKind[] = ['village', 'gacha', 'community']
  const count = (s: UnitStatus, list = units) => list.filter((u) => u.status === s).length
  return {
    total: units.length,
    finished: count('finished'),
    inProgress: count('in_progress'),
    notStarted: count('not_started'),
    byKind: kinds.map((kind) => {
      const list = units.filter((u) => u.kind === kind)
      return { kind, total: list.length, finished: count('finished', list), inProgress: count('in_progress', list) }
    }),
  }
}

export interface Rollup {
  elected: Figures
  incumbent: Figures
  cross: Cross
  incumbentCross: Cross
  /** Finished units only: the figures the seed's paragraph reports. */
  finishedElected: Figures
  finishedWithHead: number
  from: string | null
  to: string | null
  reserveCadres: number
}

export function rollup(units: UnitStat[]): Rollup {
  const done = units.filter((u) => u.status === 'finished')
  const dates = done.flatMap((u) => [u.firstOn, u.lastOn]).filter((d): d is string => !!d).sort()
  return {
    elected: units.reduce((s, u) => addFigures(s, u.elected), emptyFigures()),
    incumbent: units.reduce((s, u) => addFigures(s, u.incumbent), emptyFigures()),
    cross: units.reduce((s, u) => addCross(s, u.cross), emptyCross()),
    incumbentCross: units.reduce((s, u) => addCross(s, u.incumbentCross), emptyCross()),
    finishedElected: done.reduce((s, u) => addFigures(s, u.elected), emptyFigures()),
    finishedWithHead: done.filter((u) => u.elected.heads > 0).length,
    reserveCadres: units.reduce((n, u) => n + u.reserveCadres, 0),
    from: dates[0] ?? null,
    to: dates.at(-1) ?? null,
  }
}

// ---------------------------------------------------------------- composition checks

export type Check = 'incumbent' | 'slate' | 'elected'
export const checkLabels: Record<Check, string> = { incumbent: '现任班子（选情分析）', slate: '拟任人选（选前预警）', elected: '新一届班子' }

function toMember(r: { person_id: string | null; name: string; gender: '1' | '2'; birth_date: string | null; education: string | null; ethnicity: string | null; political_status: string | null; body: 'party' | 'committee'; post: string }, isNew: boolean): Member {
  return {
    personId: r.person_id ?? `name:${r.name}`,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date ?? '',
    education: r.education ?? '',
    ethnicity: r.ethnicity ?? '',
    partyMember: r.political_status ? isPartyMember(r.political_status) : false,
    body: r.body,
    post: r.post,
    isNew,
  }
}

export interface UnitCheck {
  code: string
  name: string
  kind: UnitKind
  townshipCode: string
  referenceDate: string
  findings: Finding[]
}

/**
 * One of the three checks for every unit of the region. Ages are counted on the campaign's
 * reference date, else the unit's first election day of the campaign, else `today`.
 */
export async function checkUnits(db: Kysely<DB>, region: repo.Region, campaign: CampaignRow, check: Check, rules: CompositionRules, today: string): Promise<UnitCheck[]> {
  const [units, spans, ws] = await Promise.all([repo.unitsIn(db, region), repo.electionSpans(db, region, campaign.year), repo.windows(db, region, campaign.year)])
  const refOf = (code: string) => {
    const days = spans.filter((s) => s.unit_code === code && s.first_on).map((s) => s.first_on!).sort()
    return campaign.reference_date ?? days[0] ?? today
  }
  const fullMembers = (code: string) => spans.find((s) => s.unit_code === code && s.body === 'party_committee')?.entitled ?? null
  const base = (u: repo.UnitRow) => ({ code: u.code, name: u.name, kind: u.kind as UnitKind, minorityEthnicity: u.minority_ethnicity, fullPartyMembers: fullMembers(u.code), referenceDate: refOf(u.code) })

  if (check === 'slate') {
    const [{ people, seats }, current] = await Promise.all([repo.slate(db, region, campaign.year), repo.members(db, region, ws, 'current')])
    return units.map((u) => {
      const b = base(u)
      const bodies: SlateBody[] = []
      for (const body of ['party', 'committee'] as const) {
        const nominees = people.filter((p) => p.unit_code === u.code && p.body === body)
        const election = seats.find((s) => s.unit_code === u.code && (body === 'party' ? s.body === 'party_committee' : s.body !== 'party_committee'))
        if (!nominees.length && !election) continue
        const holders = new Set(current.filter((m) => m.unit_code === u.code && m.body === body).map((m) => m.person_id))
        const planned = election?.seats ?? (holders.size || (body === 'party' ? rules.partyCommitteeMin : u.kind === 'community' ? rules.residentCommitteeMin : rules.villagerCommitteeMin))
        const distinct = new Set(nominees.map((n) => n.person_id ?? n.name)).size
        bodies.push({
          body,
          seats: planned,
          competitive: (election?.candidates ?? distinct) > planned,
          womanSeat: election?.woman_seat ?? false,
          nominees: nominees.map((n) => toMember(n, !n.person_id || !holders.has(n.person_id))),
        })
      }
      return { ...b, townshipCode: u.code.slice(0, 9) + '000', findings: checkSlate(b, bodies, rules) }
    })
  }

  const rows = await repo.members(db, region, ws, check === 'incumbent' ? 'current' : 'team')
  return units.map((u) => {
    const b = base(u)
    const members = rows.filter((m) => m.unit_code === u.code).map((m) => toMember(m, check === 'elected' && !m.incumbent))
    return { ...b, townshipCode: u.code.slice(0, 9) + '000', findings: checkTeams({ ...b, members }, rules) }
  })
}

/** Per rule: units met, missed (named) and checked — the paragraph's second half. */
export function targetLines(units: UnitCheck[]) {
  return ruleKeys.map((rule) => {
    const cells = units.map((u) => ({ u, f: u.findings.find((f) => f.rule === rule)! }))
    return {
      rule,
      met: cells.filter((c) => c.f.level === 'ok' || c.f.level === 'warn').length,
      checked: cells.filter((c) => c.f.level !== 'na').length,
      missed: cells.filter((c) => c.f.level === 'fail').map((c) => c.u.name),
    }
  })
}

/**
 * The seed report's paragraph for an area: the finished units' figures (rule 18), and the targets
 * each finished unit of the body's kinds met or missed in the elected check.
 */
export function paragraphOf(area: { name: string; kind: string }, body: StatsBody, units: UnitStat[], checks: UnitCheck[], youthAge: number, asOf: string) {
  const done = new Set(units.filter((u) => u.status === 'finished').map((u) => u.code))
  const targets = targetLines(checks.filter((c) => statsBodies[body].kinds.includes(c.kind) && done.has(c.code)))
  const r = rollup(units)
  const text = resultsParagraph({
    areaName: area.name,
    areaKind: area.kind,
    body,
    asOf,
    kinds: progressOf(units).byKind,
    from: r.from,
    to: r.to,
    finishedWithHead: r.finishedWithHead,
    figures: r.finishedElected,
    youthAge,
    targets,
  })
  return { text, targets }
}
