import type { Static } from 'typebox'
import type { FindingReply, NomineeDetail, NomineeReply } from '../../server/modules/nominee/schemas.ts'
import type { BatchDetail, BatchReply, EvidenceDetail, RequestDetail, RequestPage, RequestReply, SummaryReply } from '../../server/modules/review/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type Ok, type PageParams } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type ReviewBatch = Static<typeof BatchReply>
export type ReviewBatchDetail = Static<typeof BatchDetail>
export type BatchNominee = Static<typeof NomineeReply>
export type ReviewRequest = Static<typeof RequestReply>
export type ReviewRequestDetail = Static<typeof RequestDetail>
export type ReviewRequestPage = Static<typeof RequestPage>
export type ReviewFinding = Static<typeof FindingReply>
export type ReviewEvidence = Static<typeof EvidenceDetail>
export type DepartmentSummary = Static<typeof SummaryReply>[number]
/** One department's answer about one nominee, with its findings (from the nominee's detail). */
export type NomineeReview = Static<typeof NomineeDetail>['reviews'][number]

export type BatchStatus = ReviewBatch['status']
export type RequestStatus = ReviewRequest['status']
export type Severity = ReviewFinding['severity']

export const batchStatusLabels: Record<BatchStatus, string> = {
  submitted: '待发起',
  in_review: '联审中',
  closed: '已办结',
}

export const requestStatusLabels: Record<RequestStatus, string> = {
  pending: '待反馈',
  answered: '已反馈',
  cancelled: '已撤回',
}

/** bar: a found circumstance rules the person out; discourage: the county decides. */
export const severityLabels: Record<Severity, string> = {
  bar: '不得确定为候选人',
  discourage: '不宜确定为候选人',
}

export interface RequestQuery extends PageParams {
  status?: RequestStatus
  /** true: only requests still pending after their deadline. */
  overdue?: boolean
  batchId?: string
  /** Ignored by the server for a reviewer (always their own department). */
  departmentId?: string
  townshipCode?: string
  keyword?: string
}

export interface AnswerBody {
  version: number
  /** Every circumstance of the request; found=true needs a note. */
  findings: { circumstanceId: string; found: boolean; note?: string }[]
  /** County admin entering a department's paper reply (代录): which letter, of when. */
  paperReply?: string
}

/** What the server accepts as evidence (checked again there, by content). */
export const EVIDENCE_ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx'
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

const batches = '/api/review-batches'
const requests = '/api/review-requests'
const batchPath = (id: string) => `${batches}/${encodeURIComponent(id)}`
const requestPath = (id: string) => `${requests}/${encodeURIComponent(id)}`
const evidencePath = (id: string, evidenceId: string) => `${requestPath(id)}/evidence/${encodeURIComponent(evidenceId)}`

export const ReviewAPI = {
  // ---- batches (county, townships, leaders, auditors)
  batches: (status?: BatchStatus) => http.get<ReviewBatch[]>(batches, { status }),
  batch: (id: string) => http.get<ReviewBatchDetail>(batchPath(id)),
  /** County admin: sends one request per nominee per department, due in `deadlineWorkdays` working days. */
  openBatch: (id: string, version: number, deadlineWorkdays: number) => http.post<ReviewBatch>(`${batchPath(id)}/open`, { version, deadlineWorkdays }),
  /** A refusal (422 RULE) lists what still blocks the batch in `details`; the caller shows it. */
  closeBatch: (id: string, version: number) => http.post<ReviewBatch>(`${batchPath(id)}/close`, { version }, { quietCodes: ['RULE'] }),
  /** 联审台账 of one batch, or of every batch the user can see. */
  ledger: (batchId?: string) => downloadFile(`${batches}/ledger`, { batchId }, '联审台账.xlsx'),

  // ---- requests (a reviewer sees only their department's)
  requests: (q: RequestQuery) => http.get<ReviewRequestPage>(requests, { ...q }),
  summary: () => http.get<DepartmentSummary[]>(`${requests}/summary`),
  request: (id: string) => http.get<ReviewRequestDetail>(requestPath(id)),
  /** Final: an answered request cannot change. VALIDATION details are shown by the form. */
  answer: (id: string, body: AnswerBody) => http.post<ReviewRequestDetail>(`${requestPath(id)}/answer`, body, { quietCodes: ['VALIDATION'] }),
  uploadEvidence: (id: string, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<ReviewEvidence>(`${requestPath(id)}/evidence`, { method: 'POST', body: form })
  },
  /** Every download is an audit event on the server. */
  downloadEvidence: (id: string, evidence: { id: string; fileName: string }) => downloadFile(evidencePath(id, evidence.id), undefined, evidence.fileName),
  deleteEvidence: (id: string, evidenceId: string) => request<Ok>(evidencePath(id, evidenceId), { method: 'DELETE' }),
}

/** Today's date in China (YYYY-MM-DD), whatever the browser's zone: deadlines are China's dates. */
export function todayInChina(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

/** Calendar days from a deadline to today (0 when not past). */
export function daysOverdue(deadline: string, today = todayInChina()): number {
  const ms = Date.parse(`${today}T00:00:00Z`) - Date.parse(`${deadline}T00:00:00Z`)
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / 86_400_000) : 0
}

export function fileSizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
