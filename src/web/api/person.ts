import type { Static } from 'typebox'
import type { PersonPage, PersonReply, RevealReply, SearchReply } from '../../server/modules/person/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type PageParams } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Person = Static<typeof PersonReply>
export type PersonPageReply = Static<typeof PersonPage>
export type PersonSearchReply = Static<typeof SearchReply>
export type PersonRevealReply = Static<typeof RevealReply>

export interface PersonQuery extends PageParams {
  /** 12-digit code of a village (community), or of a township: everyone under it. */
  unitCode?: string
  keyword?: string
  reserveCadre?: boolean
}

/** Birth date and gender are not sent: the server reads them from the ID number. */
export interface PersonCreate {
  name: string
  idNumber: string
  ethnicity: string
  education: string
  politicalStatus: string
  partyJoinedOn?: string | null
  phone?: string | null
  unitCode: string
  reserveCadre?: boolean
}

export interface PersonImportResult {
  created: number
}

/** The ID number cannot be changed. */
export interface PersonPatch {
  version: number
  name?: string
  ethnicity?: string
  education?: string
  politicalStatus?: string
  partyJoinedOn?: string | null
  phone?: string | null
  unitCode?: string
  reserveCadre?: boolean
}

const base = '/api/people'
const path = (id: string) => `${base}/${encodeURIComponent(id)}`

export const PersonAPI = {
  page: (q: PersonQuery) => http.get<PersonPageReply>(base, { ...q }),
  /** The full ID number goes in the body, never in a URL (URLs reach logs and history). */
  search: (idNumber: string) => http.post<PersonSearchReply>(`${base}/search`, { idNumber }),
  get: (id: string) => http.get<Person>(path(id)),
  create: (body: PersonCreate) => http.post<Person>(base, body),
  update: (id: string, body: PersonPatch) => http.patch<Person>(path(id), body),
  remove: (id: string, version: number) => request<{ ok: boolean }>(path(id), { method: 'DELETE', query: { version } }),
  /** Every call is an audit event on the server; the caller must not keep the answer. */
  revealIdNumber: (id: string) => http.post<PersonRevealReply>(`${path(id)}/reveal-id-number`),
  template: () => downloadFile(`${base}/template`, undefined, '人员导入模板.xlsx'),
  /**
   * All or nothing: a 400 IMPORT_INVALID lists every problem as { row, column, message } and
   * nothing is saved. The import dialog shows that list, and a refused file (bad header, not
   * readable, too large), itself, so the http client stays quiet about those codes.
   */
  importFile: (file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<PersonImportResult>(`${base}/import`, { method: 'POST', body: form, quietCodes: ['IMPORT_INVALID', 'VALIDATION', 'BAD_REQUEST'] })
  },
}
