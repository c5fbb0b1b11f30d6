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
  created_at: ColumnType<Date, Date | undefined, never>
}
export type PostHoldingRow = Selectable<PostHoldingTable>
