import type { Static } from 'typebox'
import type { HoldingReply } from '../../server/modules/post/schemas.ts'
import type { Body, Post } from '../../rules/posts/index.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request, type Ok } from './http.ts'

export type { Body, Post }

/**
 * One post (任职) in a village's or community's two committees; idNumber is masked. `endedOn`: the
 * day a newly elected team took over (null while held); `resultId`: the announced count it came from.
 */
export type Holding = Static<typeof HoldingReply>

export interface HoldingCreate {
  unitCode: string
  personId: string
  body: Body
  post: Post
  since?: string | null
}

export interface PostImportResult {
  created: number
}

const base = '/api/posts'

export const PostAPI = {
  /**
   * `unitCode`: a village (community) or a township; absent is everything the user may see.
   * `history`: also the holdings a newly elected team ended (endedOn set), listed after the current ones.
   */
  list: (unitCode?: string, history = false) => http.get<Holding[]>(base, { unitCode, history: history || undefined }),
  /** Refusals (not a Party member, already in that body) are shown inside the dialog. */
  create: (body: HoldingCreate) => http.post<Holding>(base, body, { quietCodes: ['VALIDATION', 'CONFLICT'] }),
  remove: (id: string) => http.delete<Ok>(`${base}/${encodeURIComponent(id)}`),
  template: () => downloadFile(`${base}/template`, undefined, '现任班子导入模板.xlsx'),
  /** The filtered unit or township, or everything the user may see. */
  exportFile: (unitCode?: string) => downloadFile(`${base}/export`, { unitCode }, '现任班子.xlsx'),
  /**
   * All or nothing: a 400 IMPORT_INVALID lists every problem as { row, column, message } and
   * nothing is saved. The import dialog shows that list, and a refused file, itself.
   */
  importFile: (file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<PostImportResult>(`${base}/import`, { method: 'POST', body: form, quietCodes: ['IMPORT_INVALID', 'VALIDATION', 'BAD_REQUEST'] })
  },
}
