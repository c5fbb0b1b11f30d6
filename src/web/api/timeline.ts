import type { Static } from 'typebox'
import type { DoneReply, TimelineReply } from '../../server/modules/timeline/schemas.ts'
import { http } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Timeline = Static<typeof TimelineReply>
export type TimelineUnit = Timeline['units'][number]
export type TimelineMilestone = TimelineUnit['milestones'][number]
export type PhaseKey = Timeline['phases'][number]['phase']
export type DoneResult = Static<typeof DoneReply>

const quiet = { quietCodes: ['VALIDATION', 'RULE', 'VERSION_CONFLICT'] }
/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const TimelineAPI = {
  get: (q: { township?: string; campaign?: string }) => http.get<Timeline>('/api/timeline', { ...q }, reading),
  savePhases: (body: { township: string; campaign?: string; phases: { phase: PhaseKey; startsOn: string; endsOn: string }[] }) => http.put<Timeline>('/api/timeline/phases', body, quiet),
  saveSchedule: (code: string, body: { campaign?: string; partyOn: string | null; committeeOn: string | null; version: number }) => http.put<Timeline>(`/api/timeline/units/${code}/schedule`, body, quiet),
  /** The same Idempotency-Key on a retry (a phone that lost its signal) records the milestone once. */
  markDone: (code: string, key: string, body: { campaign?: string; doneOn: string; evidence: string }, idempotencyKey: string) =>
    http.put<DoneResult>(`/api/timeline/units/${code}/milestones/${key}`, body, { ...quiet, headers: { 'Idempotency-Key': idempotencyKey } }),
  undo: (code: string, key: string, campaign?: string) => http.delete<Timeline>(`/api/timeline/units/${code}/milestones/${key}${campaign ? `?campaign=${campaign}` : ''}`),
}
