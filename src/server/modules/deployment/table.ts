import type { ColumnType, Selectable } from 'kysely'

/** 动员部署会, 业务培训会, 党委会专题研究/进度调度会, 其他. */
export type MeetingKind = 'mobilisation' | 'training' | 'progress_review' | 'other'
/** 工作方案, 通知, 工作手册, 其他. */
export type DocumentKind = 'plan' | 'notice' | 'handbook' | 'other'

/** A meeting of the county (territory = the county's code) or of a township, in a campaign. */
export interface MeetingTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  territory_code: string
  kind: MeetingKind
  title: string
  held_on: string
  place: ColumnType<string, string | undefined, string>
  host: ColumnType<string, string | undefined, string>
  /** Names or titles of those who attended (各村党组织书记, 王建国 …). */
  attendees: ColumnType<string[], string, string>
  attendee_count: number
  minutes: ColumnType<string, string | undefined, string>
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type MeetingRow = Selectable<MeetingTable>

/** 议定事项: what a meeting decided, who answers for it, by when, and when it was done. */
export interface MeetingDecisionTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  meeting_id: string
  seq: number
  content: string
  owner: string
  deadline: string | null
  done_on: string | null
  done_note: ColumnType<string, string | undefined, string>
}
export type MeetingDecisionRow = Selectable<MeetingDecisionTable>

/**
 * A document issued by the county or a township and distributed to units. `unit_codes` is the
 * distribution as it was fixed when issued (all the issuer's units, or the chosen ones).
 */
export interface LibraryDocumentTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  issuer_code: string
  kind: DocumentKind
  title: string
  doc_number: ColumnType<string, string | undefined, string>
  issued_on: string
  summary: ColumnType<string, string | undefined, string>
  to_all: boolean
  unit_codes: ColumnType<string[], string[], string[]>
  file_name: string
  content_type: string
  file_size: number
  data: Buffer
  created_by: string
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type LibraryDocumentRow = Selectable<LibraryDocumentTable>
/** A document without its file's bytes, as lists read it. */
export type DocumentInfo = Omit<LibraryDocumentRow, 'data'>

/** 签收: one unit has received the document, signed by its contact cadre or by the township on its behalf. */
export interface DocumentReceiptTable {
  county_code: string
  document_id: string
  unit_code: string
  signed_by: string
  signed_by_name: string
  signed_role: string
  signed_at: ColumnType<Date, Date | undefined, never>
}
export type DocumentReceiptRow = Selectable<DocumentReceiptTable>

/** One question of the county's 百问百答, with the pinyin initials of the question for searching. */
export interface QaItemTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  category: string
  question: string
  answer: string
  basis: ColumnType<string, string | undefined, string>
  initials: string
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type QaItemRow = Selectable<QaItemTable>
