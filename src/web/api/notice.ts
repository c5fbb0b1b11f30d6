import type { Static } from 'typebox'
import type { NoticeDetail as NoticeDetailReply, NoticeReply } from '../../server/modules/notice/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http } from './http.ts'

export type NoticeStatus = 'open' | 'closed'
/** The server's reply shapes, imported type-only so the two cannot drift apart. */
export type Notice = Static<typeof NoticeReply>
export type NoticeDetail = Static<typeof NoticeDetailReply>
export type NoticeNominee = NoticeDetail['nominees'][number]

/** What closing a notice decided: formal candidates, and those an upheld objection disqualified. */
export interface NoticeClosed extends Notice {
  candidates: number
  disqualified: number
}

export interface NoticeCreate {
  unitCode: string
  nomineeIds: string[]
  issuer: string
  startOn: string
  endOn: string
  contact: string
}

export type NoticeFormat = 'docx' | 'pdf'

export const noticeStatusLabels: Record<NoticeStatus, string> = {
  open: '公示中',
  closed: '已结束',
}

const base = '/api/notices'
const path = (id: string) => `${base}/${encodeURIComponent(id)}`

export const NoticeAPI = {
  list: () => http.get<Notice[]>(base),
  get: (id: string) => http.get<NoticeDetail>(path(id)),
  /** Only 'qualified' nominees of that unit; they all move to 公示中. */
  create: (body: NoticeCreate) => http.post<Notice>(base, body),
  /** After the end date, with every objection handled (else 422 RULE with the reason). */
  close: (id: string, version: number) => http.post<NoticeClosed>(`${path(id)}/close`, { version }),
  /** The notice as Word (editable, official fonts by name) or PDF (embedded free fonts). */
  document: (n: Pick<Notice, 'id' | 'unitName'>, format: NoticeFormat) =>
    downloadFile(`${path(n.id)}/document`, { format }, `${n.unitName}人选公示.${format}`),
}
