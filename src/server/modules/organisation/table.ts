import type { ColumnType, Selectable } from 'kysely'

export type GroupKind = 'leading' | 'guidance'
/** 第一责任人, 组长, 副组长, 具体责任人, 成员. */
export type MemberRole = 'first_responsible' | 'head' | 'deputy' | 'responsible' | 'member'

export interface GroupMember {
  name: string
  /** 职务, e.g. 镇党委书记. */
  title: string
  role: MemberRole
  /** 成员单位 (the office or department the member represents), may be empty. */
  department: string
}

export interface WorkGroupTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  township_code: string
  kind: GroupKind
  name: string
  members: ColumnType<GroupMember[], string, string>
  unit_codes: ColumnType<string[], string[] | undefined, string[]>
  duties: ColumnType<string, string | undefined, string>
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type WorkGroupRow = Selectable<WorkGroupTable>
