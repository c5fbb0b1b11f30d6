import type { Static } from 'typebox'
import type { ImportReply, LookupBody, LookupReply, RollBody, RollReply, SummaryReply, VoterBody, VoterPage, VoterPatch, VoterReply } from '../../server/modules/voter/schemas.ts'
import { downloadFile } from '../utils/download.ts'
import { http, request } from './http.ts'

/** The server's request and reply shapes, imported (type-only) so the two cannot drift apart. */
export type Voter = Static<typeof VoterReply>
export type VoterList = Static<typeof VoterPage>
export type Roll = Static<typeof RollReply>
export type VoterSummary = Static<typeof SummaryReply>
export type SummaryUnit = VoterSummary['units'][number]
export type VoterInput = Static<typeof VoterBody>
export type VoterChange = Static<typeof VoterPatch>
export type RollInput = Static<typeof RollBody>
export type LookupInput = Static<typeof LookupBody>
export type LookupAnswer = Static<typeof LookupReply>
export type ImportResult = Static<typeof ImportReply>
export type VoterCategory = Voter['category']

export interface VoterFilter {
  campaign?: string
  /** One unit's roll; without it the township's (or everything the user may see). */
  unitCode?: string
  townshipCode?: string
  group?: string
  /** The start of a name, or pinyin initials (zs finds 张三). */
  q?: string
  category?: VoterCategory
  status?: 'active' | 'removed'
  page: number
  pageSize: number
}

export interface SummaryFilter {
  campaign?: string
  unitCode?: string
  townshipCode?: string
}

const base = '/api/voters'
/** Dialogs show these refusals in place (they stay open), so the client must not toast them too. */
const quiet = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'VERSION_CONFLICT'] }
/** A county without a campaign answers 422 RULE: the page shows that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const VoterAPI = {
  list: (q: VoterFilter) => http.get<VoterList>(base, { ...q }, reading),
  summary: (q: SummaryFilter) => http.get<VoterSummary>(`${base}/summary`, { ...q }, reading),
  get: (id: string) => http.get<Voter>(`${base}/${id}`),
  /** The same key on a retry (a lost answer) makes the server return the first registration instead of a duplicate refusal. */
  create: (body: VoterInput, idempotencyKey: string) => http.post<Voter>(base, body, { ...quiet, headers: { 'Idempotency-Key': idempotencyKey } }),
  update: (id: string, body: VoterChange) => http.put<Voter>(`${base}/${id}`, body, quiet),
  /** Takes the voter off the roll; the row stays with the reason. */
  remove: (id: string, version: number, reason: string) => request<Voter>(`${base}/${id}`, { method: 'DELETE', body: { version, reason }, ...quiet }),
  /** The unit's roll in the campaign (status, election day, count); 404 when it has none — the caller decides what that means. */
  rollState: (unitCode: string, campaign?: string) => http.get<Roll>(`${base}/rolls/${unitCode}`, { campaign }, { silent: true }),
  /** version 0 creates the unit's roll with this election day. */
  setElectionDay: (unitCode: string, body: RollInput) => http.put<Roll>(`${base}/rolls/${unitCode}`, body, quiet),
  /** The full ID number goes in the body, never in a URL (URLs reach logs and history). */
  lookup: (body: LookupInput) => http.post<LookupAnswer>(`${base}/lookup`, body, { quietCodes: ['VALIDATION', 'RULE'] }),
  template: () => downloadFile(`${base}/import/template`, undefined, '选民名单导入模板.xlsx'),
  /** The print-ready list (选民榜): every village group from a new page, or one group; no ID numbers. */
  listPdf: (unitCode: string, campaign: string, group?: string) => downloadFile(`${base}/rolls/${unitCode}/list.pdf`, { campaign, group }, '选民名单.pdf'),
  /** The same list as a workbook, a sheet per group, for printing from Excel. */
  listXlsx: (unitCode: string, campaign: string) => downloadFile(`${base}/rolls/${unitCode}/list.xlsx`, { campaign }, '选民名单.xlsx'),
  /**
   * One unit's voters from an .xlsx or CSV file, all or nothing: a 400 IMPORT_INVALID lists every
   * problem as { row, column, message } and nothing is saved. The unit and campaign go before the
   * file (the server reads the fields that precede it). The dialog shows every refusal itself.
   */
  importFile: (file: File, unitCode: string, campaign?: string) => {
    const form = new FormData()
    form.append('unitCode', unitCode)
    if (campaign) form.append('campaign', campaign)
    form.append('file', file, file.name)
    return request<ImportResult>(`${base}/import`, { method: 'POST', body: form, silent: true })
  },
}
