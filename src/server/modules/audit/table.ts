import type { Selectable } from 'kysely'

export interface AuditLogTable {
  county_code: string
  seq: string
  prev_hash: string
  hash: string
  at: Date
  actor_id: string | null
  actor_name: string
  role: string
  territory_code: string
  action: string
  object_type: string
  object_id: string
  result: string
  digest: unknown
  request_id: string
  ip: string
}
export type AuditLogRow = Selectable<AuditLogTable>

export interface AuditHeadTable {
  county_code: string
  seq: string
  hash: string
  /** The hash before the last single-row move (appendAudit reads it back); batches leave it as is. */
  prev_hash: string | null
}
