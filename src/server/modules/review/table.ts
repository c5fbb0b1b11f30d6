import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Severity } from '../../../rules/nominee/index.ts'

export type BatchStatus = 'submitted' | 'in_review' | 'closed'

export interface ReviewBatchTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  township_code: string
  title: string
  status: BatchStatus
  submitted_by: string
  submitted_at: ColumnType<Date, Date | undefined, never>
  opened_at: Date | null
  deadline: string | null
  closed_at: Date | null
  version: Generated<number>
}
export type ReviewBatchRow = Selectable<ReviewBatchTable>

export type RequestStatus = 'pending' | 'answered' | 'cancelled'

export interface ReviewRequestTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  batch_id: string
  nominee_id: string
  department_id: string
  deadline: string
  status: Generated<RequestStatus>
  answered_by: string | null
  answered_at: Date | null
  version: Generated<number>
}
export type ReviewRequestRow = Selectable<ReviewRequestTable>

export interface ReviewFindingTable {
  county_code: string
  request_id: string
  circumstance_id: string
  severity: Severity
  found: boolean | null
  note: Generated<string>
}
export type ReviewFindingRow = Selectable<ReviewFindingTable>

export interface ReviewEvidenceTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  request_id: string
  file_name: string
  content_type: string
  size: number
  sha256: string
  content: Buffer
  uploaded_by: string
  uploaded_at: ColumnType<Date, Date | undefined, never>
}
export type ReviewEvidenceRow = Selectable<ReviewEvidenceTable>
