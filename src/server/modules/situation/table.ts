import type { ColumnType, Insertable, Selectable } from 'kysely'
import type { Rating, RiskCategory, RiskLevel, TalkIntention, VisitCategory } from '../../../rules/situation/index.ts'

type Created = ColumnType<Date, Date | undefined, never>
type Updated = ColumnType<Date, Date | undefined, Date>
type Versioned = ColumnType<number, number | undefined, number>
type Text = ColumnType<string, string | undefined, string>

/** 村情研判: one current assessment per unit and campaign; earlier states live in the audit log. */
export interface UnitAssessmentTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  unit_code: string
  development: Rating
  development_note: Text
  stability: Rating
  stability_note: Text
  credibility: Rating
  credibility_note: Text
  computed_level: RiskLevel
  raised_level: RiskLevel | null
  raise_reason: Text
  measures: Text
  assessed_on: string
  updated_by: string
  updated_at: Updated
  version: Versioned
}
export type UnitAssessmentRow = Selectable<UnitAssessmentTable>

/** 风险隐患 of a unit, with its owner (责任人), deadline and resolution. */
export interface RiskItemTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  unit_code: string
  category: RiskCategory
  description: string
  owner: string
  deadline: string
  status: ColumnType<'open' | 'resolved', 'open' | 'resolved' | undefined, 'open' | 'resolved'>
  resolution: Text
  resolved_on: string | null
  created_by_name: string
  created_at: Created
  updated_by: string
  updated_at: Updated
  version: Versioned
}
export type RiskItemRow = Selectable<RiskItemTable>
export type NewRiskItem = Insertable<RiskItemTable>

/** 谈心谈话 with a unit's current cadre during the campaign (not the nominee talks of the review). */
export interface CadreTalkTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  unit_code: string
  talked_on: string
  cadre_name: string
  cadre_post: Text
  person_id: string | null
  talker: string
  intention: TalkIntention
  /** Personal: township users and the auditor only. */
  opinions: Text
  follow_up: Text
  created_by: string
  created_by_name: string
  created_at: Created
  updated_at: Updated
  version: Versioned
}
export type CadreTalkRow = Selectable<CadreTalkTable>
export type NewCadreTalk = Insertable<CadreTalkTable>

/** 四必访 visit; opinions, follow-up texts and the phone are personal. */
export interface VisitTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  unit_code: string
  category: VisitCategory
  visitee: string
  phone: string | null
  visited_on: string
  opinions: Text
  follow_up_needed: ColumnType<boolean, boolean | undefined, boolean>
  follow_up: Text
  follow_up_done_on: string | null
  follow_up_result: Text
  created_by: string
  created_by_name: string
  created_at: Created
  updated_at: Updated
  version: Versioned
}
export type VisitRow = Selectable<VisitTable>
export type NewVisit = Insertable<VisitTable>
