import type { Static } from 'typebox'
import type { LoginLogReply, MeReply, SessionReply } from '../../server/modules/auth/schemas.ts'
import { http, type Ok, type Page, type PageParams } from './http.ts'

export type TerritoryLevel = 'county' | 'township' | 'unit'

/** The signed-in user, as GET /api/auth/me answers. Kept only in memory (Pinia). */
export type Me = Static<typeof MeReply>
export type Session = Static<typeof SessionReply>
export type LoginLogRow = Static<typeof LoginLogReply>

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
