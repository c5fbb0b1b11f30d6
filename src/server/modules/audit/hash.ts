import { hash } from 'node:crypto'
import type { AuditLogTable } from './table.ts'

export const GENESIS_HASH = '0'.repeat(64)

/** Every column of an audit row but its own hash. */
export type ChainFields = Omit<AuditLogTable, 'hash'>

/** JSON with object keys sorted at every level, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  // Keys in UTF-16 code unit order, as `<` compares strings; the few keys of a digest are sorted
  // in place (an import hashes a digest per row, and sort() allocates).
  if (keys.length > 16) keys.sort()
  else {
    for (let i = 1; i < keys.length; i++) {
      const k = keys[i]!
      let j = i - 1
      for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!
      keys[j + 1] = k
    }
  }
  let out = ''
  for (const k of keys) {
    const v = record[k]
    if (v !== undefined) out += `${out ? ',' : ''}${quotedKey(k)}:${canonicalJson(v)}`
  }
  return `{${out}}`
}

// Digests repeat the same few keys: each is quoted once.
const quotedKeys = new Map<string, string>()
function quotedKey(k: string): string {
  let q = quotedKeys.get(k)
  if (q === undefined) {
    q = JSON.stringify(k)
    if (quotedKeys.size < 1000) quotedKeys.set(k, q)
  }
  return q
}

/** The fields a run of rows written together shares (one actor, one request, one moment). */
export type SharedChainFields = Pick<ChainFields, 'county_code' | 'at' | 'actor_id' | 'actor_name' | 'role' | 'territory_code' | 'request_id' | 'ip'>

/** The canonical text around a row's own fields: the same for every row a run of rows shares. */
function frame(shared: SharedChainFields) {
  const c = canonicalJson
  return {
    head: `[${c(shared.county_code)},`,
    middle: `,${c(shared.at.toISOString())},${c(shared.actor_id)},${c(shared.actor_name)},${c(shared.role)},${c(shared.territory_code)},`,
    tail: `,${c(shared.request_id)},${c(shared.ip)}]`,
  }
}

/**
 * The one definition of the hash material: canonicalJson of the row's fields in a fixed order,
 * the previous hash included. The shared fields are made canonical once, so a batch (an import
 * of thousands of rows) pays per row only for what differs; `digestJson` is canonicalJson(digest).
 */
export function chainHasher(shared: SharedChainFields) {
  const { head, middle, tail } = frame(shared)
  // The other fields are strings, whose canonical JSON is JSON.stringify's.
  const s = JSON.stringify
  return (seq: string, prevHash: string, action: string, objectType: string, objectId: string, result: string, digestJson: string): string =>
    hash('sha256', `${head}${s(seq)},${s(prevHash)}${middle}${s(action)},${s(objectType)},${s(objectId)},${s(result)},${digestJson}${tail}`, 'hex')
}

/**
 * The hash material without its sequence number and previous hash, for the database to complete
 * when it moves the head (appendAudit's one statement): the material is
 * `pre + seq + '","' + prevHash + post`, which is chainHasher's text, since a sequence number
 * (digits) and a hash (hex) need no escaping in JSON.
 */
export function chainMaterialParts(shared: SharedChainFields, action: string, objectType: string, objectId: string, result: string, digestJson: string): { pre: string; post: string } {
  const { head, middle, tail } = frame(shared)
  const s = JSON.stringify
  return { pre: `${head}"`, post: `"${middle}${s(action)},${s(objectType)},${s(objectId)},${s(result)},${digestJson}${tail}` }
}

/** SHA-256 over the row's fields in a fixed order, the previous hash included. */
export function chainHash(f: ChainFields): string {
  return chainHasher(f)(String(f.seq), f.prev_hash, f.action, f.object_type, f.object_id, f.result, canonicalJson(f.digest))
}
