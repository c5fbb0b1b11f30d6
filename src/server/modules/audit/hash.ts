import { createHash } from 'node:crypto'
import type { AuditLogTable } from './table.ts'

export const GENESIS_HASH = '0'.repeat(64)

/** Every column of an audit row but its own hash. */
export type ChainFields = Omit<AuditLogTable, 'hash'>

/** JSON with object keys sorted at every level, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** SHA-256 over the row's fields in a fixed order, the previous hash included. */
export function chainHash(f: ChainFields): string {
  const material = canonicalJson([
    f.county_code,
    String(f.seq),
    f.prev_hash,
    f.at.toISOString(),
    f.actor_id,
    f.actor_name,
    f.role,
    f.territory_code,
    f.action,
    f.object_type,
    f.object_id,
    f.result,
    f.digest,
    f.request_id,
    f.ip,
  ])
  return createHash('sha256').update(material, 'utf8').digest('hex')
}
