import type { Static } from 'typebox'
import type {
  ElectionDetail as ElectionDetailSchema,
  ElectionPage as ElectionPageSchema,
  ElectionSummary as ElectionSummarySchema,
  ProgressReply,
  ResultReply,
  RuleOverrides,
  SheetSchema,
  TallyOutcome,
  TallyRulesReply,
} from '../../server/modules/election/schemas.ts'
import type { Ballot, TallyBody, TallyPost } from '../../rules/tally/types.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type PageParams } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type ElectionSummary = Static<typeof ElectionSummarySchema>
export type ElectionDetail = Static<typeof ElectionDetailSchema>
export type ElectionPage = Static<typeof ElectionPageSchema>
export type ElectionCandidate = ElectionDetail['candidates'][number]
export type ElectionStaff = ElectionDetail['staff'][number]
export type ElectionStation = ElectionDetail['stations'][number]
export type TallyResultDetail = Static<typeof ResultReply>
export type Outcome = Static<typeof TallyOutcome>
export type Sheet = Static<typeof SheetSchema>
export type Progress = Static<typeof ProgressReply>
export type TallyRulesInfo = Static<typeof TallyRulesReply>
export type RuleOverrideSet = Static<typeof RuleOverrides>
export type { Ballot, TallyBody, TallyPost }

export interface ElectionQuery extends PageParams {
  /** A unit's or a township's 12-digit code. */
  unitCode?: string
  body?: TallyBody
  status?: ElectionSummary['status']
}

export interface ElectionCreate {
  unitCode: string
  body: TallyBody
  heldOn: string
  place: string
  entitled: number
  present?: number
  posts: { post: TallyPost; seats: number }[]
  rules?: RuleOverrideSet
  decisionNote?: string
}

export interface ElectionPatch extends Partial<Omit<ElectionCreate, 'unitCode' | 'body' | 'present'>> {
  version: number
  present?: number | null
  approvalRef?: string | null
  approvedOn?: string | null
}

/** personId (from the registry) or name + gender (entered by hand); nomineeId when taken from 人选. */
export interface CandidateInput {
  post: TallyPost
  personId?: string
  nomineeId?: string
  name?: string
  gender?: 'male' | 'female'
}

const base = '/api/elections'
const path = (id: string) => `${base}/${encodeURIComponent(id)}`
const results = '/api/tally-results'
const rpath = (id: string) => `${results}/${encodeURIComponent(id)}`
const quiet = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'VERSION_CONFLICT'] }

export const ElectionAPI = {
  page: (q: ElectionQuery) => http.get<ElectionPage>(base, { ...q }),
  /** Live progress of every unit's elections in a township (or the whole scope). */
  progress: (townshipCode?: string) => http.get<Progress>(`${base}/progress`, { townshipCode }),
  get: (id: string) => http.get<ElectionDetail>(path(id)),
  create: (body: ElectionCreate) => http.post<ElectionDetail>(base, body, quiet),
  update: (id: string, body: ElectionPatch) => http.patch<ElectionDetail>(path(id), body, quiet),
  remove: (id: string) => http.delete<{ ok: boolean }>(path(id)),
  setCandidates: (id: string, version: number, candidates: CandidateInput[]) => http.put<ElectionDetail>(`${path(id)}/candidates`, { version, candidates }, quiet),
  /** The unit's formal candidates (人选 in state 正式候选人) for this body. */
  candidatesFromNominees: (id: string, version: number) => http.post<ElectionDetail>(`${path(id)}/candidates/from-nominees`, { version }, quiet),
  setStaff: (id: string, version: number, staff: { role: ElectionStaff['role']; name: string }[]) => http.put<ElectionDetail>(`${path(id)}/staff`, { version, staff }, quiet),
  setStations: (id: string, version: number, stations: { kind: ElectionStation['kind']; name: string }[]) =>
    http.put<ElectionDetail>(`${path(id)}/stations`, { version, stations }, quiet),
  /** Starts a count (draft) entered ballot by ballot (唱票) or as the count sheet's totals. */
  startCount: (id: string, mode: 'ballots' | 'totals') => http.post<TallyResultDetail>(`${path(id)}/results`, { mode }, quiet),
  ballotPaper: (id: string, copies: number) => downloadFile(`${path(id)}/ballot-paper.pdf`, { copies }, '选票.pdf'),
  blankCountSheet: (id: string, format: 'docx' | 'pdf') => downloadFile(`${path(id)}/count-sheet.${format}`, undefined, `计票单.${format}`),

  result: (id: string, reveal = false) => http.get<TallyResultDetail>(rpath(id), reveal ? { reveal: true } : undefined),
  /** Draft only, by the person entering: returns the reconciliation problems and a preview outcome. */
  saveSheet: (id: string, version: number, sheet: Sheet) => http.put<TallyResultDetail>(`${rpath(id)}/sheet`, { version, sheet }, quiet),
  ballots: (id: string) => http.get<{ items: { seq: number; ballot: Ballot }[] }>(`${rpath(id)}/ballots`),
  addBallots: (id: string, ballots: Ballot[]) => http.post<{ count: number }>(`${rpath(id)}/ballots`, { ballots }, quiet),
  undoBallot: (id: string) => request<{ count: number }>(`${rpath(id)}/ballots/last`, { method: 'DELETE' }),
  /** RULE (422) details list every failed reconciliation check; R6 alone can pass with a discrepancy note. */
  submit: (id: string, version: number, discrepancyNote?: string) => http.post<TallyResultDetail>(`${rpath(id)}/submit`, discrepancyNote ? { version, discrepancyNote } : { version }, quiet),
  sendBack: (id: string, version: number, reason: string) => http.post<TallyResultDetail>(`${rpath(id)}/return`, { version, reason }),
  uploadScan: (id: string, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<TallyResultDetail>(`${rpath(id)}/scan`, { method: 'POST', body: form })
  },
  downloadScan: (id: string, name: string) => downloadFile(`${rpath(id)}/scan`, undefined, name),
  /** A second person: checked against the scan, or by typing the sheet blind (RULE details = mismatched cells). */
  confirmByScan: (id: string, version: number) => http.post<TallyResultDetail>(`${rpath(id)}/confirm`, { version, mode: 'scan' }, quiet),
  confirmByDoubleEntry: (id: string, version: number, sheet: Sheet) => http.post<TallyResultDetail>(`${rpath(id)}/confirm`, { version, mode: 'double', sheet }, quiet),
  announce: (id: string, version: number, links?: { name: string; post: TallyPost; personId: string }[]) =>
    http.post<TallyResultDetail>(`${rpath(id)}/announce`, links?.length ? { version, links } : { version }, quiet),
  /** A correction of an announced count: a new draft naming the old one. */
  correct: (id: string, reason: string, basis: string) => http.post<TallyResultDetail>(`${rpath(id)}/correct`, { reason, basis }, quiet),
  /** Creates the revote or supplementary round the announced result calls for, candidates pre-filled. */
  nextRound: (id: string, heldOn?: string, kind?: 'revote' | 'supplementary') =>
    http.post<ElectionDetail>(`${rpath(id)}/next-round`, { ...(heldOn ? { heldOn } : {}), ...(kind ? { kind } : {}) }, quiet),
  document: (id: string, kind: 'announcement' | 'report' | 'count-sheet', format: 'docx' | 'pdf') =>
    downloadFile(`${rpath(id)}/${kind}.${format}`, undefined, `${{ announcement: '选举结果公告', report: '选举结果报告单', 'count-sheet': '计票单' }[kind]}.${format}`),

  /** The count as `huanjie tally` input (JSON), for an independent recount. */
  tallyInput: (id: string) => downloadFile(`${rpath(id)}/tally-input`, undefined, '计票输入.json'),

  rules: () => http.get<TallyRulesInfo>('/api/tally-rules'),
  saveRules: (overrides: RuleOverrideSet) => http.put<TallyRulesInfo>('/api/tally-rules', { overrides }, quiet),
}
