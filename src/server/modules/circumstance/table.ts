import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Severity } from '../../../rules/nominee/index.ts'

export interface CircumstanceTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  sort: number
  text: string
  severity: Severity
  lookback_years: Generated<number>
  source: Generated<string>
  status: Generated<'active' | 'retired'>
  version: Generated<number>
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
export type CircumstanceRow = Selectable<CircumstanceTable>

export interface CircumstanceDepartmentTable {
  county_code: string
  circumstance_id: string
  department_id: string
}
