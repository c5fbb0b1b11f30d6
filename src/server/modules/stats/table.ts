import type { ColumnType, Selectable } from 'kysely'

/** The county's composition targets: overrides of rules/composition's defaults. */
export interface CompositionRuleSetTable {
  county_code: string
  params: ColumnType<Record<string, unknown>, string | undefined, string>
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type CompositionRuleSetRow = Selectable<CompositionRuleSetTable>
