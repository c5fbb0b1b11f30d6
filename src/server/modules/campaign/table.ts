import type { ColumnType, Selectable } from 'kysely'

/** A 换届 round of the county (届次): its elections are those held between starts_on and ends_on. */
export interface CampaignTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  year: number
  name: string
  starts_on: string
  ends_on: string | null
  /** The day ages are counted on; null: each unit's election day. */
  reference_date: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  version: ColumnType<number, number | undefined, number>
}
export type CampaignRow = Selectable<CampaignTable>
