import type { ColumnType, Generated, Selectable } from 'kysely'

export interface SessionTable {
  county_code: string
  token_hash: string
  user_id: string
  created_at: Date
  last_seen_at: Date
  expires_at: Date
  ip: string
  user_agent: string
}
export type SessionRow = Selectable<SessionTable>

export interface LoginLogTable {
  county_code: string
  id: ColumnType<string, never, never>
  username: string
  user_id: string | null
  ip: string
  user_agent: string
  success: boolean
  message: string
  at: Generated<Date>
}
export type LoginLogRow = Selectable<LoginLogTable>
