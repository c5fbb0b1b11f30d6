import type { ColumnType, Generated, Selectable } from 'kysely'
import type { TallyBody, TallyPost, TallyRound } from '../../../rules/tally/types.ts'
import type { Sheet } from '../../../rules/tally/reconcile.ts'

type Json<T> = ColumnType<T, string, string>

export interface TallyRuleSetTable {
  county_code: string
  rules: Json<Record<string, unknown>>
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: Generated<number>
}

export interface ElectionTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  unit_code: string
  body: TallyBody
  round: TallyRound
  revote_of: 'first' | 'supplementary' | null
  parent_id: string | null
  parent_result_id: string | null
  held_on: string
  place: string
  entitled: number
  present: number | null
  rules: Json<Record<string, unknown>>
  decision_note: string
  approval_ref: string | null
  approved_on: string | null
  created_by: string
  created_at: ColumnType<Date, Date | undefined, never>
  version: Generated<number>
}
export type ElectionRow = Selectable<ElectionTable>

export interface ElectionPostTable {
  county_code: string
  election_id: string
  post: TallyPost
  seats: number
}

export interface ElectionCandidateTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  election_id: string
  post: TallyPost
  person_id: string | null
  nominee_id: string | null
  name: string
  gender: 'male' | 'female'
  position: number
}
export type CandidateRow = Selectable<ElectionCandidateTable>

export type StaffRole = 'chief_monitor' | 'monitor' | 'counter' | 'caller'
export interface ElectionStaffTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  election_id: string
  role: StaffRole
  name: string
}

export type StationKind = 'main' | 'sub' | 'mobile'
export interface ElectionStationTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  election_id: string
  kind: StationKind
  name: string
  position: number
}

export type ResultState = 'draft' | 'entered' | 'confirmed' | 'announced'
export interface TallyResultTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  election_id: string
  corrects_id: string | null
  correction_reason: string | null
  correction_basis: string | null
  mode: 'ballots' | 'totals'
  state: ResultState
  sheet: Json<Sheet>
  outcome: Json<unknown> | null
  discrepancy_note: string | null
  return_note: ColumnType<string | null, string | null | undefined, string | null>
  entered_by: string
  entered_by_name: string
  entered_at: Date | null
  seen_by: ColumnType<string[], string[] | undefined, string[]>
  scan: Buffer | null
  scan_name: string | null
  scan_type: string | null
  scan_sha256: string | null
  confirm_mode: 'scan' | 'double' | null
  confirmed_by: string | null
  confirmed_by_name: string | null
  confirmed_at: Date | null
  announced_by: string | null
  announced_at: Date | null
  fingerprint: string | null
  chain_head: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  version: Generated<number>
}
export type TallyResultRow = Selectable<TallyResultTable>

export interface TallyBallotTable {
  county_code: string
  result_id: string
  seq: number
  ballot: Json<unknown>
}
