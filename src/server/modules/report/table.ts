import type { ColumnType, Selectable } from 'kysely'

/** The figures a daily report counts (its structured part). */
export interface ReportFigures {
  meetings?: number
  visits?: number
  publicity?: number
  talks?: number
}

export interface ProgressReportTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  unit_code: string
  report_date: string
  nothing_new: ColumnType<boolean, boolean | undefined, boolean>
  progress: ColumnType<string, string | undefined, string>
  problems: ColumnType<string, string | undefined, string>
  next_steps: ColumnType<string, string | undefined, string>
  figures: ColumnType<ReportFigures, string | undefined, string>
  milestones: ColumnType<string[], string[] | undefined, string[]>
  created_by: string
  created_by_name: string
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type ProgressReportRow = Selectable<ProgressReportTable>

export interface ReportPhotoTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  report_id: string
  file_name: string
  content_type: string
  data: Buffer
  created_at: ColumnType<Date, Date | undefined, never>
}

export interface IdempotencyKeyTable {
  county_code: string
  user_id: string
  key: string
  route: string
  status: number | null
  response: ColumnType<unknown, string | null | undefined, string | null>
  created_at: ColumnType<Date, Date | undefined, never>
}
