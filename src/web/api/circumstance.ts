import { http } from './http.ts'

/** bar 不能确定为候选人（硬性）；discourage 不宜确定为候选人（由县里研究决定）. */
export type Severity = 'bar' | 'discourage'
export type CircumstanceStatus = 'active' | 'retired'

/** One 负面清单 item; matches the server's reply (its schema is not exported). */
export interface Circumstance {
  id: string
  sort: number
  text: string
  severity: Severity
  lookbackYears: number
  source: string
  status: CircumstanceStatus
  departments: { id: string; name: string }[]
  version: number
}

export interface CircumstanceCreate {
  text: string
  severity: Severity
  lookbackYears?: number
  source?: string
  sort?: number
  departmentIds: string[]
}

export interface CircumstancePatch extends Partial<CircumstanceCreate> {
  version: number
  status?: CircumstanceStatus
}

export const severityLabels: Record<Severity, string> = {
  bar: '不能确定为候选人（硬性）',
  discourage: '不宜确定为候选人（由县里研究决定）',
}

const base = '/api/circumstances'

export const CircumstanceAPI = {
  list: () => http.get<Circumstance[]>(base),
  create: (body: CircumstanceCreate) => http.post<Circumstance>(base, body),
  update: (id: string, body: CircumstancePatch) => http.patch<Circumstance>(`${base}/${encodeURIComponent(id)}`, body),
  loadDefaults: () => http.post<Circumstance[]>(`${base}/load-defaults`),
}
