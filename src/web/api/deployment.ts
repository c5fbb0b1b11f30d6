import type { Static } from 'typebox'
import type {
  DocumentDetailReply,
  DocumentListReply,
  DocumentMeta,
  DocumentPatchBody,
  MeetingBody,
  MeetingListReply,
  MeetingPatchBody,
  MeetingReply,
  QaBody,
  QaPage,
  QaReply,
  ReceiptReply,
} from '../../server/modules/deployment/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type Ok } from './http.ts'

/** The server's request and reply shapes, imported (type-only) so the two cannot drift apart. */
export type MeetingList = Static<typeof MeetingListReply>
export type Meeting = Static<typeof MeetingReply>
export type Decision = Meeting['decisions'][number]
export type OpenDecision = MeetingList['openDecisions'][number]
export type MeetingKind = Meeting['kind']
export type MeetingInput = Static<typeof MeetingBody>
export type MeetingPatch = Static<typeof MeetingPatchBody>
export type DecisionInput = MeetingInput['decisions'][number]

export type DocumentList = Static<typeof DocumentListReply>
export type LibraryDocument = DocumentList['documents'][number]
export type PendingReceipt = DocumentList['pending'][number]
export type DocumentDetail = Static<typeof DocumentDetailReply>
export type Receipt = Static<typeof ReceiptReply>
export type DocumentKind = LibraryDocument['kind']
export type DocumentMetaInput = Static<typeof DocumentMeta>
export type DocumentPatch = Static<typeof DocumentPatchBody>

export type QaItem = Static<typeof QaReply>
export type QaList = Static<typeof QaPage>
export type QaInput = Static<typeof QaBody>

/** Which county or township a page shows (its code), and which campaign. */
export interface ViewParams {
  territory?: string
  campaign?: string
}
export interface QaQuery {
  q?: string
  category?: string
  page: number
  pageSize: number
}

/** Dialogs show these in place (they stay open), so the http client must not toast them too. */
const quiet = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'VERSION_CONFLICT', 'BAD_REQUEST'] }
/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const MeetingAPI = {
  list: (q: ViewParams) => http.get<MeetingList>('/api/deployment/meetings', { ...q }, reading),
  get: (id: string) => http.get<Meeting>(`/api/deployment/meetings/${id}`),
  /** The same key on a retry makes the server answer with the first meeting instead of recording two. */
  create: (body: MeetingInput, idempotencyKey: string) => http.post<Meeting>('/api/deployment/meetings', body, { ...quiet, headers: { 'Idempotency-Key': idempotencyKey } }),
  update: (id: string, body: MeetingPatch) => http.put<Meeting>(`/api/deployment/meetings/${id}`, body, quiet),
  remove: (id: string, version: number) => request<Ok>(`/api/deployment/meetings/${id}`, { method: 'DELETE', query: { version } }),
  setDone: (id: string, decisionId: string, body: { version: number; doneOn: string | null; doneNote: string }) => http.put<Meeting>(`/api/deployment/meetings/${id}/decisions/${decisionId}`, body, quiet),
  recordDocx: (id: string) => downloadFile(`/api/deployment/meetings/${id}/record.docx`, undefined, '会议记录.docx'),
}

export const DocumentAPI = {
  list: (q: ViewParams) => http.get<DocumentList>('/api/deployment/documents', { ...q }, reading),
  get: (id: string, territory?: string) => http.get<DocumentDetail>(`/api/deployment/documents/${id}`, { territory }),
  /** The fields go first (the server checks them before reading the file), then the file. */
  create: (meta: DocumentMetaInput, file: File, idempotencyKey: string) => {
    const form = new FormData()
    form.append('meta', JSON.stringify(meta))
    form.append('file', file, file.name)
    return request<DocumentDetail>('/api/deployment/documents', { method: 'POST', body: form, ...quiet, headers: { 'Idempotency-Key': idempotencyKey } })
  },
  update: (id: string, body: DocumentPatch) => http.put<DocumentDetail>(`/api/deployment/documents/${id}`, body, quiet),
  remove: (id: string, version: number) => request<Ok>(`/api/deployment/documents/${id}`, { method: 'DELETE', query: { version } }),
  sign: (id: string, unitCode: string) => http.post<Receipt>(`/api/deployment/documents/${id}/receipts`, { unitCode }),
  undo: (id: string, unitCode: string) => http.delete<Receipt>(`/api/deployment/documents/${id}/receipts/${unitCode}`),
  download: (id: string, name: string) => downloadFile(`/api/deployment/documents/${id}/file`, undefined, name),
  /** A PDF opens in the browser's viewer (same origin, session cookie). */
  fileUrl: (id: string) => `/api/deployment/documents/${id}/file`,
}

export const QaAPI = {
  list: (q: QaQuery) => http.get<QaList>('/api/deployment/qa', { ...q }),
  create: (body: QaInput) => http.post<QaItem>('/api/deployment/qa', body, quiet),
  update: (id: string, body: QaInput & { version: number }) => http.put<QaItem>(`/api/deployment/qa/${id}`, body, quiet),
  remove: (id: string, version: number) => request<Ok>(`/api/deployment/qa/${id}`, { method: 'DELETE', query: { version } }),
  template: () => downloadFile('/api/deployment/qa/template', undefined, '百问百答导入模板.xlsx'),
  importFile: (file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<{ created: number }>('/api/deployment/qa/import', { method: 'POST', body: form, quietCodes: ['IMPORT_INVALID', 'VALIDATION', 'BAD_REQUEST'] })
  },
}
