import type { ColumnType, Selectable } from 'kysely'
import type { PhaseKey } from '../../../rules/timeline/index.ts'

/** A township's dates for one phase of the campaign. */
export interface CampaignPhaseTable {
  county_code: string
  campaign_id: string
  township_code: string
  phase: PhaseKey
  starts_on: string
  ends_on: string
}

/** A unit's election days in the campaign (the plan; the elections themselves carry the real day). */
export interface UnitScheduleTable {
  county_code: string
  campaign_id: string
  unit_code: string
  party_on: string | null
  committee_on: string | null
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}

/** A milestone of a unit marked done. */
export interface MilestoneTable {
  county_code: string
  campaign_id: string
  unit_code: string
  key: string
  done_on: string
  evidence: ColumnType<string, string | undefined, string>
  done_by: string
  done_at: ColumnType<Date, Date | undefined, Date>
}
export type UnitScheduleRow = Selectable<UnitScheduleTable>
export type MilestoneRow = Selectable<MilestoneTable>
export type CampaignPhaseRow = Selectable<CampaignPhaseTable>
