import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export type TerritoryLevel = 'county' | 'township' | 'unit'
export type TerritoryStatus = 'active' | 'retired'

export interface TerritoryTable {
  county_code: string
  code: string
  parent_code: string | null
  level: TerritoryLevel
  kind: string
  name: string
  name_initials: Generated<string>
  sort: Generated<number>
  status: Generated<TerritoryStatus>
  retired_at: Date | null
  /** The smaller ethnic group's code (GB 3304) where the unit is multi-ethnic; null otherwise. */
  minority_ethnicity: ColumnType<string | null, string | null | undefined, string | null>
  version: Generated<number>
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
export type TerritoryRow = Selectable<TerritoryTable>
export type NewTerritory = Insertable<TerritoryTable>
export type TerritoryPatch = Updateable<TerritoryTable>

export interface DepartmentTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  name: string
  sort: Generated<number>
  status: Generated<TerritoryStatus>
  version: Generated<number>
  created_at: ColumnType<Date, Date | undefined, never>
}
export type DepartmentRow = Selectable<DepartmentTable>
