/**
 * The statistics of rule 18, over holdings: the engine the SQL aggregates are tested against
 * (the server counts in SQL; this counts the same rows in plain TypeScript, and the two must agree).
 */
import { ageOn } from '../age/index.ts'
import { educationLevel, isCollegeOrAbove } from '../codes/index.ts'
import type { AgeBand, Figures, Member } from './types.ts'

export const ageBandLabels: Record<AgeBand, string> = {
  under35: '35周岁以下',
  '35to44': '35—44岁',
  '45to54': '45—54岁',
  '55to59': '55—59岁',
  '60plus': '60岁及以上',
}
export const educationLevelOrder = ['研究生', '大学本科', '大学专科', '中专·中技', '高中', '初中', '小学及以下'] as const

/** The band of an age; `youthAge` moves only the first boundary (35 by default). */
export function ageBand(age: number, youthAge = 35): AgeBand {
  if (age < youthAge) return 'under35'
  if (age < 45) return '35to44'
  if (age < 55) return '45to54'
  if (age < 60) return '55to59'
  return '60plus'
}

export interface Holding extends Member {
  /** The day ages are counted on for this holding (campaign reference date, or its election day). */
  referenceDate: string
}

export function emptyFigures(): Figures {
  return {
    members: 0,
    women: 0,
    heads: 0,
    womenHeads: 0,
    under35: 0,
    college: 0,
    partyMembers: 0,
    ageSum: 0,
    ageBands: { under35: 0, '35to44': 0, '45to54': 0, '55to59': 0, '60plus': 0 },
    educationLevels: Object.fromEntries(educationLevelOrder.map((l) => [l, 0])),
  }
}

const isHead = (post: string) => post === 'secretary' || post === 'chair'

/** Counts holdings as rule 18 defines: every member (the head included), women, heads, the young, the college-educated. */
export function summarize(holdings: Holding[], youthAge = 35): Figures {
  const f = emptyFigures()
  for (const h of holdings) {
    const age = ageOn(h.birthDate, h.referenceDate)
    const woman = h.gender === '2'
    f.members++
    if (woman) f.women++
    if (isHead(h.post)) {
      f.heads++
      if (woman) f.womenHeads++
    }
    if (age < youthAge) f.under35++
    if (isCollegeOrAbove(h.education)) f.college++
    if (h.partyMember) f.partyMembers++
    f.ageSum += age
    f.ageBands[ageBand(age, youthAge)]++
    const level = educationLevel(h.education)
    f.educationLevels[level] = (f.educationLevels[level] ?? 0) + 1
  }
  return f
}

/** Adds figures (for roll-ups from townships to the county). */
export function addFigures(a: Figures, b: Figures): Figures {
  const out = emptyFigures()
  for (const k of ['members', 'women', 'heads', 'womenHeads', 'under35', 'college', 'partyMembers', 'ageSum'] as const) out[k] = a[k] + b[k]
  for (const k of Object.keys(out.ageBands) as AgeBand[]) out.ageBands[k] = a.ageBands[k] + b.ageBands[k]
  for (const k of educationLevelOrder) out.educationLevels[k] = (a.educationLevels[k] ?? 0) + (b.educationLevels[k] ?? 0)
  return out
}

/** Average age to one decimal, from integers (no float sums). */
export function averageAge(f: Figures): number | null {
  return f.members ? Math.round((f.ageSum * 10) / f.members) / 10 : null
}

/** A share in percent to one decimal. */
export function percent(part: number, whole: number): number | null {
  return whole ? Math.round((part * 1000) / whole) / 10 : null
}

/** Cross-body facts of one unit: whether the secretary is the chair, and who sits on both committees. */
export function crossFacts(members: Member[]): { oneShoulder: boolean | null; both: number; people: number } {
  const party = members.filter((m) => m.body === 'party')
  const committee = members.filter((m) => m.body === 'committee')
  const secretary = party.find((m) => m.post === 'secretary')
  const chair = committee.find((m) => m.post === 'chair')
  const inCommittee = new Set(committee.map((m) => m.personId))
  return {
    oneShoulder: secretary && chair ? secretary.personId === chair.personId : null,
    both: new Set(party.filter((m) => inCommittee.has(m.personId)).map((m) => m.personId)).size,
    people: new Set(members.map((m) => m.personId)).size,
  }
}
