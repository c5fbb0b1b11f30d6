import type { ColumnType, Generated, Selectable } from 'kysely'
import type { NomineeState } from '../../../rules/nominee/index.ts'
import type { Body } from '../../../rules/posts/index.ts'

export interface NomineeTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  person_id: string
  unit_code: string
  body: Body
  post: string
  put_forward: string
  note: Generated<string>
  state: NomineeState
  batch_id: string | null
  notice_id: string | null
  return_reason: string | null
  withdraw_reason: string | null
  decision: 'qualified' | 'disqualified' | null
  decision_reason: string | null
  decided_by: string | null
  decided_at: Date | null
  concluded_at: Date | null
  version: Generated<number>
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
export type NomineeRow = Selectable<NomineeTable>

export interface NomineeObjectionTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  nominee_id: string
  received_on: string
  content: string
  handling: string | null
  upheld: boolean | null
  handled_on: string | null
  version: Generated<number>
}
export type ObjectionRow = Selectable<NomineeObjectionTable>

export interface TalkRecordTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  nominee_id: string
  talked_on: string
  talkers: string
  content: string
  response: string
  recorded_by: string
  created_at: ColumnType<Date, Date | undefined, never>
}
export type TalkRow = Selectable<TalkRecordTable>
