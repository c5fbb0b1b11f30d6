import type { Static } from 'typebox'
import type { GroupBody, GroupPatchBody, GroupReply, OrganisationReply } from '../../server/modules/organisation/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, type Ok } from './http.ts'

/** The server's request and reply shapes, imported (type-only) so the two cannot drift apart. */
export type Organisation = Static<typeof OrganisationReply>
export type Group = Static<typeof GroupReply>
export type GroupMember = Group['members'][number]
export type MemberRole = GroupMember['role']
export type GroupKind = Group['kind']
export type OrganisationUnit = Organisation['units'][number]
export type GroupInput = Static<typeof GroupBody>
export type GroupPatch = Static<typeof GroupPatchBody>

export interface OrganisationQuery {
  township?: string
  campaign?: string
}

/** The group dialog shows these in place (it stays open), so the http client must not toast them too. */
const quiet = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'VERSION_CONFLICT'] }
/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const OrganisationAPI = {
  get: (q: OrganisationQuery) => http.get<Organisation>('/api/organisation', { ...q }, reading),
  createGroup: (body: GroupInput) => http.post<Group>('/api/organisation/groups', body, quiet),
  updateGroup: (id: string, body: GroupPatch) => http.put<Group>(`/api/organisation/groups/${id}`, body, quiet),
  removeGroup: (id: string) => http.delete<Ok>(`/api/organisation/groups/${id}`),
  noticeDocx: (q: OrganisationQuery) => downloadFile('/api/organisation/notice.docx', { ...q }, '成立换届工作领导小组的通知.docx'),
}
