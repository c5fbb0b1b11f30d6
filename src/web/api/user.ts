import type { Static } from 'typebox'
import type { UserReply } from '../../server/modules/user/schemas.ts'
import type { RoleName } from '../../shared/roles.ts'
import { http, type Page, type PageParams } from './http.ts'

export type UserStatus = 'active' | 'disabled'

/** The server's reply shape, imported (type-only) so the two cannot drift apart. */
export type User = Static<typeof UserReply>

export interface UserQuery extends PageParams {
  keyword?: string
  role?: RoleName | ''
  status?: UserStatus | ''
  territoryCode?: string
}

export interface UserCreate {
  username: string
  displayName: string
  phone?: string | null
  role: RoleName
  territoryCode: string
  departmentId?: string | null
  unitCodes?: string[]
}

export interface UserPatch {
  version: number
  displayName?: string
  phone?: string | null
  role?: RoleName
  territoryCode?: string
  departmentId?: string | null
  unitCodes?: string[]
}

/** The generated password is shown once and never again. */
export interface UserWithPassword {
  user: User
  initialPassword: string
}

const base = '/api/users'
const path = (id: string) => `${base}/${encodeURIComponent(id)}`

export const UserAPI = {
  page: (q: UserQuery) => http.get<Page<User>>(base, { ...q }),
  get: (id: string) => http.get<User>(path(id)),
  create: (body: UserCreate) => http.post<UserWithPassword>(base, body),
  update: (id: string, body: UserPatch) => http.patch<User>(path(id), body),
  setStatus: (id: string, version: number, status: UserStatus) => http.post<User>(`${path(id)}/status`, { version, status }),
  resetPassword: (id: string, version: number) => http.post<UserWithPassword>(`${path(id)}/reset-password`, { version }),
  unlock: (id: string, version: number) => http.post<User>(`${path(id)}/unlock`, { version }),
}
