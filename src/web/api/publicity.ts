import type { Static } from 'typebox'
import type { ActivityBody, ActivityPage, ActivityPatch, ActivityReply, CoverageReply, FormReply } from '../../server/modules/publicity/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type Ok } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Activity = Static<typeof ActivityReply>
export type ActivityInput = Static<typeof ActivityBody>
export type ActivityChange = Static<typeof ActivityPatch>
export type ActivityList = Static<typeof ActivityPage>
export type Coverage = Static<typeof CoverageReply>
export type CoverageUnit = Coverage['units'][number]
export type PublicityForm = Static<typeof FormReply>

export interface TownshipParams {
  township?: string
  campaign?: string
}
export interface ListParams extends TownshipParams {
  unit?: string
  channel?: string
  page: number
  pageSize: number
}

/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const PublicityAPI = {
  coverage: (q: TownshipParams) => http.get<Coverage>('/api/publicity/coverage', { ...q }, reading),
  list: (q: ListParams) => http.get<ActivityList>('/api/publicity', { ...q }, reading),
  form: () => http.get<PublicityForm>('/api/publicity/form', undefined, reading),
  /**
   * The same key on a retry makes the server answer with the first activity instead of filing it
   * twice. Silent: the phone form shows every refusal (and a lost connection) itself.
   */
  file: (body: ActivityInput, idempotencyKey: string) => http.post<Activity>('/api/publicity', body, { silent: true, headers: { 'Idempotency-Key': idempotencyKey } }),
  /** Refusals come back to the edit dialog, which lists them; a version conflict reloads the page. */
  update: (id: string, body: ActivityChange) => http.put<Activity>(`/api/publicity/${id}`, body, { quietCodes: ['VALIDATION', 'VERSION_CONFLICT'] }),
  remove: (id: string, version: number) => request<Ok>(`/api/publicity/${id}`, { method: 'DELETE', query: { version } }),
  addPhoto: (id: string, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<Activity>(`/api/publicity/${id}/photos`, { method: 'POST', body: form, silent: true })
  },
  removePhoto: (id: string, photoId: string) => http.delete<Activity>(`/api/publicity/${id}/photos/${photoId}`),
  photoUrl: (id: string, photoId: string) => `/api/publicity/${id}/photos/${photoId}`,
  coverageXlsx: (q: TownshipParams) => downloadFile('/api/publicity/coverage.xlsx', { ...q }, '政策宣传覆盖情况.xlsx'),
}
