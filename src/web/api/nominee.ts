import type { Static } from 'typebox'
import type { FindingReply, NomineeDetail as NomineeDetailSchema, NomineePage as NomineePageSchema, NomineeReply, NomineeSummary as NomineeSummaryReply, ObjectionReply, TalkReply } from '../../server/modules/nominee/schemas.ts'
import type { BatchReply } from '../../server/modules/review/schemas.ts'
import type { Body, Post, PutForward } from '../../rules/posts/index.ts'
import type { NomineeState } from '../../rules/nominee/index.ts'
import { http, type PageParams } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Nominee = Static<typeof NomineeReply>
export type NomineeDetail = Static<typeof NomineeDetailSchema>
export type NomineePage = Static<typeof NomineePageSchema>
export type NomineeObjection = Static<typeof ObjectionReply>
export type NomineeTalk = Static<typeof TalkReply>
export type NomineeFinding = Static<typeof FindingReply>
export type NomineeReviewResult = NomineeDetail['reviews'][number]
export type ReviewOutcome = NonNullable<NomineeDetail['outcome']>
export type SubmittedBatch = Static<typeof BatchReply>
export type { NomineeState }

export interface NomineeQuery extends PageParams {
  /** 12-digit code of a village (community) or of a township. */
  unitCode?: string
  state?: NomineeState
  batchId?: string
  keyword?: string
  /** Worklists: talk = disqualified without a talk record; decision = waiting for the county. */
  awaiting?: 'talk' | 'decision'
}

export type NomineeSummary = Static<typeof NomineeSummaryReply>

export interface NomineeCreate {
  personId: string
  unitCode: string
  body: Body
  post: Post
  putForward: PutForward
  note?: string
}

/** Drafts only; the unit and the person cannot change (withdraw and nominate again). */
export interface NomineePatch {
  version: number
  body?: Body
  post?: Post
  putForward?: PutForward
  note?: string
}

export type Verdict = 'qualified' | 'disqualified'

export interface ObjectionCreate {
  receivedOn: string
  content: string
}

export interface ObjectionHandle {
  version: number
  handling: string
  upheld: boolean
  handledOn: string
}

export interface TalkCreate {
  talkedOn: string
  talkers: string
  content: string
  response: string
}

const base = '/api/nominees'
const path = (id: string) => `${base}/${encodeURIComponent(id)}`

export const NomineeAPI = {
  /** Per-state counts and the two worklists, for the work bench. */
  summary: () => http.get<NomineeSummary>(`${base}/summary`),
  page: (q: NomineeQuery) => http.get<NomineePage>(base, { ...q }),
  get: (id: string) => http.get<NomineeDetail>(path(id)),
  /** A new nominee is a draft; VALIDATION and CONFLICT (already nominated) are shown by the dialog. */
  create: (body: NomineeCreate) => http.post<Nominee>(base, body, { quietCodes: ['VALIDATION', 'CONFLICT'] }),
  update: (id: string, body: NomineePatch) => http.patch<Nominee>(path(id), body, { quietCodes: ['VALIDATION', 'CONFLICT'] }),
  withdraw: (id: string, version: number, reason: string) => http.post<Nominee>(`${path(id)}/withdraw`, { version, reason }),
  /** County admin: a submitted nominee goes back to the township as a draft. */
  sendBack: (id: string, version: number, reason: string) => http.post<Nominee>(`${path(id)}/return`, { version, reason }),
  /** County admin, only when the detail says needsDecision. */
  decide: (id: string, version: number, verdict: Verdict, reason: string) => http.post<Nominee>(`${path(id)}/decision`, { version, verdict, reason }),
  addObjection: (id: string, body: ObjectionCreate) => http.post<NomineeObjection>(`${path(id)}/objections`, body),
  handleObjection: (id: string, objectionId: string, body: ObjectionHandle) =>
    http.patch<NomineeObjection>(`${path(id)}/objections/${encodeURIComponent(objectionId)}`, body),
  /** Only for a disqualified nominee. */
  addTalk: (id: string, body: TalkCreate) => http.post<NomineeTalk>(`${path(id)}/talks`, body),
  /** 报送联审: drafts of one township become one batch (all or nothing). */
  submit: (nomineeIds: string[], title?: string) => http.post<SubmittedBatch>('/api/review-batches', title ? { nomineeIds, title } : { nomineeIds }),
}
