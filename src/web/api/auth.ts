import type { RoleName } from '../../shared/roles.ts'
import { http, type Ok, type Page, type PageParams } from './http.ts'

export type TerritoryLevel = 'county' | 'township' | 'unit'

/** The signed-in user, as GET /api/auth/me answers. Kept only in memory (Pinia). */
export interface Me {
  userId: string
  username: string
  displayName: string
  role: RoleName
  roleLabel: string
  countyCode: string
  territoryCode: string
  territoryName: string
  territoryLevel: TerritoryLevel
  departmentName: string | null
  unitCodes: string[]
  mustChangePassword: boolean
}

export interface Session {
  id: string
  userId: string
  username: string
  displayName: string
  role: RoleName
  territoryCode: string
  ip: string
  userAgent: string
  createdAt: string
  lastSeenAt: string
  current: boolean
}

export interface LoginLogRow {
  id: string
  username: string
  displayName: string | null
  ip: string
  userAgent: string
  success: boolean
  message: string
  at: string
}

export interface LoginLogQuery extends PageParams {
  username?: string
  success?: boolean
}

export const AuthAPI = {
  /** Errors are shown by the login form itself. */
  login: (username: string, password: string) =>
    http.post<Me>('/api/auth/login', { username, password }, { silent: true, noAuthRedirect: true }),
  /** A 401 here only means "not signed in": the router guard goes to /login without a message. */
  me: () => http.get<Me>('/api/auth/me', undefined, { silent: true, noAuthRedirect: true }),
  logout: () => http.post<Ok>('/api/auth/logout', undefined, { silent: true, noAuthRedirect: true }),
  changePassword: (oldPassword: string, newPassword: string) => http.post<Ok>('/api/auth/password', { oldPassword, newPassword }),
  sessions: () => http.get<Session[]>('/api/auth/sessions'),
  forceLogout: (id: string) => http.delete<Ok>(`/api/auth/sessions/${encodeURIComponent(id)}`),
  loginLog: (q: LoginLogQuery) => http.get<Page<LoginLogRow>>('/api/auth/login-log', { ...q }),
}
