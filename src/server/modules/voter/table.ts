import type { ColumnType, Insertable, Selectable } from 'kysely'
import type { VoterCategory } from '../../../rules/voter/index.ts'

type Created = ColumnType<Date, Date | undefined, never>
type Updated = ColumnType<Date, Date | undefined, Date>
type Versioned = ColumnType<number, number | undefined, number>
type Text = ColumnType<string, string | undefined, string>
type Flag = ColumnType<boolean, boolean | undefined, boolean>
type Identity = ColumnType<string, string | undefined, never>
export type ProxyStatus = 'active' | 'withdrawn'

export type RollStatus = 'draft' | 'published' | 'frozen'
export type VoterStatus = 'active' | 'removed'

/** A unit's voter roll in one campaign: its election day (ages are counted on it) and its stage. */
export interface VoterRollTable {
  county_code: string
  campaign_id: string
  unit_code: string
  status: ColumnType<RollStatus, RollStatus | undefined, RollStatus>
  election_day: string
  published_on: string | null
  frozen_at: Date | null
  /** 第×届: the term number printed on the published list (0018). */
  term_no: ColumnType<number | null, number | null | undefined, number | null>
  updated_by: string
  created_at: Created
  updated_at: Updated
  version: Versioned
}
export type VoterRollRow = Selectable<VoterRollTable>

/** One person on one unit's roll in one campaign. */
export interface VoterTable {
  county_code: string
  id: Identity
  campaign_id: string
  unit_code: string
  name: string
  name_initials: Text
  id_number_enc: string
  id_number_index: string
  id_number_masked: string
  gender: '1' | '2'
  birth_date: string
  village_group: Text
  category: VoterCategory
  living_since: string | null
  meeting_approved_on: string | null
  deprived: Flag
  note: Text
  status: ColumnType<VoterStatus, VoterStatus | undefined, VoterStatus>
  removed_reason: string | null
  created_by: string
  created_at: Created
  updated_at: Updated
  version: Versioned
}
export type VoterRow = Selectable<VoterTable>
export type NewVoter = Insertable<VoterTable>

/** An objection to a published roll (issue 7 §3): about a listed voter, or someone missing. */
export interface VoterObjectionTable {
  county_code: string
  id: Identity
  campaign_id: string
  unit_code: string
  voter_id: string | null
  subject_name: Text
  objector_name: string
  content: string
  received_on: string
  upheld: boolean | null
  decision: string | null
  decided_on: string | null
  decision_published_on: string | null
  created_by: string
  created_at: Created
  updated_at: Updated
  version: Versioned
}

/** 委托投票 (issue 7 §4): one proxy per giver, held by a near relative on the same roll. */
export interface VoterProxyTable {
  county_code: string
  id: Identity
  campaign_id: string
  unit_code: string
  giver_voter_id: string
  holder_voter_id: string
  relation: string
  reason: string
  applied_on: string
  approved: Flag
  /** A withdrawn proxy keeps its row (0019); only active ones count. */
  status: ColumnType<ProxyStatus, ProxyStatus | undefined, ProxyStatus>
  withdrawn_reason: string | null
  withdrawn_at: Date | null
  created_by: string
  created_at: Created
  updated_at: Updated
  version: Versioned
}

/** The central meeting place, a polling station or a mobile box (流动票箱) of a unit's election. */
export interface PollingStationTable {
  county_code: string
  id: Identity
  campaign_id: string
  unit_code: string
  kind: 'central' | 'station' | 'mobile'
  name: string
  monitors: ColumnType<number, number | undefined, number>
  note: Text
  created_at: Created
  updated_at: Updated
  version: Versioned
}

/** Which voters vote at which station or box (each voter at one). */
export interface PollingStationVoterTable {
  county_code: string
  station_id: string
  voter_id: string
}
