import type { Kind, Level } from '../../rules/division/index.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type Ok, type Page, type PageParams } from './http.ts'

export type TerritoryStatus = 'active' | 'retired'

export interface Territory {
  code: string
  parentCode: string | null
  level: Level
  kind: Kind
  kindLabel: string
  name: string
  initials: string
  sort: number
  status: TerritoryStatus
  retiredAt: string | null
  /** A multi-ethnic unit's smaller ethnic group (GB 3304 code), checked by the composition targets; null otherwise. */
  minorityEthnicity: string | null
  version: number
  updatedAt: string
}

export interface TerritoryQuery extends PageParams {
  parentCode?: string
  level?: Level | ''
  status?: TerritoryStatus | ''
  keyword?: string
}

export interface TerritoryCreate {
  code: string
  name: string
  kind: Kind
  sort?: number
}

export interface TerritoryPatch {
  version: number
  name?: string
  kind?: Kind
  sort?: number
  /** Units only: the smaller ethnic group's code, or null for "not multi-ethnic". */
  minorityEthnicity?: string | null
}

export interface ImportResult {
  created: number
  updated: number
  unchanged: number
}

const base = '/api/territories'
const path = (code: string) => `${base}/${encodeURIComponent(code)}`

export const TerritoryAPI = {
  page: (q: TerritoryQuery) => http.get<Page<Territory>>(base, { ...q }),
  tree: (includeRetired = false) => http.get<Territory[]>(`${base}/tree`, { includeRetired }),
  get: (code: string) => http.get<Territory>(path(code)),
  create: (body: TerritoryCreate) => http.post<Territory>(base, body),
  update: (code: string, body: TerritoryPatch) => http.patch<Territory>(path(code), body),
  setStatus: (code: string, version: number, status: TerritoryStatus) => http.post<Territory>(`${path(code)}/status`, { version, status }),
  remove: (code: string) => http.delete<Ok>(path(code)),
  template: () => downloadFile(`${base}/template`, undefined, '区划导入模板.xlsx'),
  exportFile: () => downloadFile(`${base}/export`, undefined, '区划.xlsx'),
  /** The field goes before the file: the server reads fields that precede the file part. */
  importFile: (file: File, updateExisting: boolean) => {
    const form = new FormData()
    form.append('updateExisting', updateExisting ? 'true' : 'false')
    form.append('file', file, file.name)
    return request<ImportResult>(`${base}/import`, { method: 'POST', body: form, quietCodes: ['IMPORT_INVALID'] })
  },
}
