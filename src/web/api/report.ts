import type { Static } from 'typebox'
import type { ReportBody, ReportReply, SummaryReply } from '../../server/modules/report/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Report = Static<typeof ReportReply>
export type ReportInput = Static<typeof ReportBody>
export type ReportSummary = Static<typeof SummaryReply>
export type SummaryUnit = ReportSummary['units'][number]
export interface SummaryParams {
  township?: string
  campaign?: string
  from?: string
  to?: string
}

/** The form shows these itself, above the submit button; a 409 is a repeat still being processed. */
const filing = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'NOT_FOUND'] }
/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const ReportAPI = {
  summary: (q: SummaryParams) => http.get<ReportSummary>('/api/reports/summary', { ...q }, reading),
  get: (id: string) => http.get<Report>(`/api/reports/${id}`),
  /** The same key on a retry makes the server answer with the first report instead of filing twice. */
  file: (body: ReportInput, idempotencyKey: string) => http.post<Report>('/api/reports', body, { ...filing, headers: { 'Idempotency-Key': idempotencyKey } }),
  addPhoto: (id: string, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<Report>(`/api/reports/${id}/photos`, { method: 'POST', body: form, quietCodes: filing.quietCodes })
  },
  summaryXlsx: (q: SummaryParams) => downloadFile('/api/reports/summary.xlsx', { ...q }, '日报汇总表.xlsx'),
  summaryDocx: (q: SummaryParams) => downloadFile('/api/reports/summary.docx', { ...q }, '日报汇总.docx'),
  photoUrl: (id: string, photoId: string) => `/api/reports/${id}/photos/${photoId}`,
}
