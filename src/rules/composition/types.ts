import type { LegalBasis } from '../tally/types.ts'

export type { LegalBasis }

/** The two committees of a unit: the Party organisation's, and the villagers' or residents'. */
export type TeamBody = 'party' | 'committee'
export type UnitKind = 'village' | 'gacha' | 'community'

/**
 * One person holding (or standing for) one post. A person on both committees appears twice, once
 * per body; every count of people is over distinct `personId`s.
 */
export interface Member {
  personId: string
  name: string
  /** GB/T 2261.1: '1' male, '2' female. */
  gender: '1' | '2'
  birthDate: string
  /** GB/T 4658 code; 11–33 is 大专及以上. */
  education: string
  /** GB 3304 code, '01' 汉族. */
  ethnicity: string
  partyMember: boolean
  body: TeamBody
  /** secretary, deputy_secretary, member (party); chair, vice_chair, member (committee). */
  post: string
  /** Not on the incumbent team: the age cap for new members applies (slate and elected checks). */
  isNew?: boolean
}

export interface UnitTeams {
  code: string
  name: string
  kind: UnitKind
  /** The smaller ethnic group's code where the unit is multi-ethnic (村民委员会组织法 art. 6); null otherwise. */
  minorityEthnicity: string | null
  /** The branch's full Party members, where known (the Party round's 应到会人数): below 7 there is no committee. */
  fullPartyMembers: number | null
  /** The date ages are counted on (the campaign's reference date, default the unit's election day). */
  referenceDate: string
  members: Member[]
}

/** Seats and nominees of one body for the slate check (b). */
export interface SlateBody {
  body: TeamBody
  /** Seats to fill (the election's posts, or the planned 职数). */
  seats: number
  /** Whether the body is elected 差额 (more candidates than seats): each nominee may then lose. */
  competitive: boolean
  /** A woman-only post (妇女委员, 专职专选) among the seats: a woman is elected whatever happens. */
  womanSeat: boolean
  nominees: Member[]
}

/** Every composition parameter of rules.md "Decisions" 16–17; a county admin may change each. */
export interface CompositionRules {
  partyCommitteeMin: number
  partyCommitteeMax: number
  /** 一般不超过 7: above partyCommitteeMax and up to this is a warning, above it a violation. */
  partyCommitteeLimit: number
  /** Branches with fewer full members have no committee: a secretary and optionally a deputy. */
  smallBranchBelow: number
  villagerCommitteeMin: number
  villagerCommitteeMax: number
  residentCommitteeMin: number
  residentCommitteeMax: number
  minWomen: number
  youthAge: number
  minYouth: number
  minCollege: number
  oneShoulder: boolean
  /** Minimum share of two-committee members who sit on both (交叉任职), in percent; null: counted, not a target. */
  crossHoldingMinPercent: number | null
  minorityMember: boolean
  /** New members older than this on the reference date are flagged; null: no cap. */
  newMemberMaxAge: number | null
}

export type RuleKey = 'party_size' | 'committee_size' | 'women' | 'youth' | 'college' | 'one_shoulder' | 'cross_holding' | 'minority' | 'new_member_age'

/** ok: met · warn: met only just, or a soft limit passed · fail: missed · na: does not apply or no data. */
export type Level = 'ok' | 'warn' | 'fail' | 'na'

export interface Finding {
  unitCode: string
  unitName: string
  rule: RuleKey
  level: Level
  /** What the team (or slate) has, and what the rule asks; null where a count makes no sense. */
  actual: number | null
  required: number | null
  /** One Chinese sentence naming the unit, the rule and the numbers. */
  message: string
  /** The people the finding is about (e.g. new members over the age cap), by name. */
  people: string[]
  basis: LegalBasis[]
}

/** The statistics of one set of holdings (rule 18), all integers. */
export interface Figures {
  /** Holdings counted: "委员 N 人", the secretary included. */
  members: number
  women: number
  /** Holders of the head post (书记 / 主任). */
  heads: number
  womenHeads: number
  under35: number
  college: number
  partyMembers: number
  /** Sum of ages in full years; the average is ageSum / members. */
  ageSum: number
  ageBands: Record<AgeBand, number>
  educationLevels: Record<string, number>
}

export type AgeBand = 'under35' | '35to44' | '45to54' | '55to59' | '60plus'
