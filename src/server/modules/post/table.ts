import type { ColumnType, Selectable } from 'kysely'
import type { Body } from '../../../rules/posts/index.ts'

export interface PostHoldingTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  unit_code: string
  person_id: string
  body: Body
  post: string
  since: string | null
  /** The day a newly elected team replaced this one; null while the post is held. */
  ended_on: ColumnType<string | null, string | null | undefined, string | null>
  /** The announced count this holding came from (null: entered or imported by hand). */
  result_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: ColumnType<Date, Date | undefined, never>
}
export type PostHoldingRow = Selectable<PostHoldingTable>
