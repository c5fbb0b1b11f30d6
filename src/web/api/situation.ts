import type { Static } from 'typebox'
import type {
  AssessmentBody,
  AssessmentList,
  AssessmentReply,
  CoverageReply,
  RiskBody,
  RiskList,
  RiskPatchBody,
  RiskReply,
  TalkBody,
  TalkList,
  TalkPatchBody,
  TalkReply,
  UnitsReply,
  VisitBody,
  VisitPage,
  VisitPatchBody,
  VisitReply,
} from '../../server/modules/situation/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, type Ok } from './http.ts'

/** The server's request and reply shapes, imported (type-only) so the two cannot drift apart. */
export type Coverage = Static<typeof CoverageReply>
export type CoverageUnit = Coverage['units'][number]
export type FileableUnits = Static<typeof UnitsReply>
export type Assessment = Static<typeof AssessmentReply>
export type AssessmentInput = Static<typeof AssessmentBody>
export type RiskItem = Static<typeof RiskReply>
export type RiskInput = Static<typeof RiskBody>
export type RiskPatch = Static<typeof RiskPatchBody>
export type Visit = Static<typeof VisitReply>
export type VisitInput = Static<typeof VisitBody>
export type VisitPatch = Static<typeof VisitPatchBody>
export type VisitList = Static<typeof VisitPage>
export type Talk = Static<typeof TalkReply>
export type TalkInput = Static<typeof TalkBody>
export type TalkPatch = Static<typeof TalkPatchBody>

export interface SituationQuery {
  township?: string
  campaign?: string
}
export interface VisitFilter extends SituationQuery {
  unit?: string
  category?: string
  followUp?: 'open' | 'done'
  page: number
  pageSize: number
}
export interface TalkFilter extends SituationQuery {
  unit?: string
  intention?: string
}
export interface RiskFilter extends SituationQuery {
  unit?: string
  status?: 'open' | 'resolved'
  overdue?: boolean
}

const base = '/api/situation'
/** Dialogs and the phone form show these in place (they stay open), so the client must not toast them too. */
const quiet = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'VERSION_CONFLICT', 'NOT_FOUND'] }
/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const SituationAPI = {
  units: (q: SituationQuery = {}) => http.get<FileableUnits>(`${base}/units`, { ...q }, reading),
  coverage: (q: SituationQuery) => http.get<Coverage>(`${base}/coverage`, { ...q }, reading),
  coverageXlsx: (q: SituationQuery) => downloadFile(`${base}/coverage.xlsx`, { ...q }, '三情研判及走访覆盖情况表.xlsx'),

  assessments: (q: SituationQuery) => http.get<Static<typeof AssessmentList>>(`${base}/assessments`, { ...q }, reading),
  /** version 0 creates the unit's assessment. */
  saveAssessment: (unitCode: string, body: AssessmentInput) => http.put<Assessment>(`${base}/assessments/${unitCode}`, body, quiet),

  risks: (q: RiskFilter) => http.get<Static<typeof RiskList>>(`${base}/risk-items`, { ...q }, reading),
  createRisk: (body: RiskInput) => http.post<RiskItem>(`${base}/risk-items`, body, quiet),
  updateRisk: (id: string, body: RiskPatch) => http.put<RiskItem>(`${base}/risk-items/${id}`, body, quiet),
  removeRisk: (id: string) => http.delete<Ok>(`${base}/risk-items/${id}`),

  visits: (q: VisitFilter) => http.get<VisitList>(`${base}/visits`, { ...q }, reading),
  visit: (id: string) => http.get<Visit>(`${base}/visits/${id}`),
  /** The same key on a retry makes the server answer with the first visit instead of recording two. */
  fileVisit: (body: VisitInput, idempotencyKey: string) => http.post<Visit>(`${base}/visits`, body, { ...quiet, headers: { 'Idempotency-Key': idempotencyKey } }),
  updateVisit: (id: string, body: VisitPatch) => http.put<Visit>(`${base}/visits/${id}`, body, quiet),
  removeVisit: (id: string) => http.delete<Ok>(`${base}/visits/${id}`),

  talks: (q: TalkFilter) => http.get<Static<typeof TalkList>>(`${base}/talks`, { ...q }, reading),
  fileTalk: (body: TalkInput, idempotencyKey: string) => http.post<Talk>(`${base}/talks`, body, { ...quiet, headers: { 'Idempotency-Key': idempotencyKey } }),
  updateTalk: (id: string, body: TalkPatch) => http.put<Talk>(`${base}/talks/${id}`, body, quiet),
  removeTalk: (id: string) => http.delete<Ok>(`${base}/talks/${id}`),
}
