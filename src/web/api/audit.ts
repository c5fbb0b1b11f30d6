import { http, type Page, type PageParams } from './http.ts'

export interface AuditRow {
  seq: string
  at: string
  actorId: string | null
  actorName: string
  role: string
  territoryCode: string
  action: string
  objectType: string
  objectId: string
  result: 'success' | 'failure'
  /** before/after/extra, as stored. */
  digest: unknown
  requestId: string
  ip: string
  hash: string
}

export interface AuditQuery extends PageParams {
  action?: string
  actor?: string
  objectType?: string
  /** ISO date-time with offset. */
  from?: string
  to?: string
}

export interface ChainVerdict {
  countyCode: string
  ok: boolean
  rows: number
  headSeq: string
  headHash: string
  firstBadSeq: string | null
  problem: string | null
  checkedAt: string
}

export const AuditAPI = {
  page: (q: AuditQuery) => http.get<Page<AuditRow>>('/api/audit', { ...q }),
  verify: () => http.get<ChainVerdict>('/api/audit/verify'),
}
