import type { ColumnType, Generated, Selectable } from 'kysely'

export interface NoticeTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  unit_code: string
  issuer: string
  start_on: string
  end_on: string
  contact: string
  status: Generated<'open' | 'closed'>
  created_at: ColumnType<Date, Date | undefined, never>
  version: Generated<number>
}
export type NoticeRow = Selectable<NoticeTable>
