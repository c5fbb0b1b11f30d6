import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Role = 'county_admin' | 'township_organiser' | 'leader' | 'contact_cadre' | 'reviewer' | 'auditor'
export type UserStatus = 'active' | 'disabled'

export interface AppUserTable {
  county_code: string
  // bigint comes back from pg as a string
  id: ColumnType<string, string | undefined, never>
  username: string
  display_name: string
  phone: string | null
  role: Role
  territory_code: string
  department_id: string | null
  password_hash: string
  password_history: ColumnType<string[], string | undefined, string>
  must_change_password: Generated<boolean>
  password_changed_at: ColumnType<Date, Date | undefined, Date>
  failed_attempts: Generated<number>
  locked_until: Date | null
  status: Generated<UserStatus>
  last_login_at: Date | null
  version: Generated<number>
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
export type AppUserRow = Selectable<AppUserTable>
export type NewAppUser = Insertable<AppUserTable>
export type AppUserPatch = Updateable<AppUserTable>

export interface LoginNameTable {
  username: string
  county_code: string
  user_id: string
}

export interface UserUnitTable {
  county_code: string
  user_id: string
  unit_code: string
}
