import { maskIdNumber, maskPhone, maskText } from '../../../shared/mask.ts'

type Plain = Record<string, unknown>

// Never copied into the audit log, not even masked.
const secretKeys = new Set(['password', 'password_hash', 'passwordHash', 'password_history', 'token', 'token_hash', 'newPassword', 'oldPassword', 'id_number_enc', 'id_number_index'])
const phoneKeys = new Set(['phone', 'mobile'])
const idKeys = new Set(['id_number', 'idNumber'])

function maskValue(key: string, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string') {
    if (phoneKeys.has(key)) return maskPhone(value)
    if (idKeys.has(key)) return maskIdNumber(value)
    // Free text may hold numbers too; long strings are cut so one row cannot flood the log.
    const masked = maskText(value)
    return masked.length > 500 ? `${masked.slice(0, 500)}…(截断)` : masked
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(key, v))
  if (value && typeof value === 'object') return maskRecord(value as Plain)
  return value ?? null
}

function maskRecord(rec: Plain): Plain {
  const out: Plain = {}
  for (const [k, v] of Object.entries(rec)) {
    if (secretKeys.has(k)) continue
    out[k] = maskValue(k, v)
  }
  return out
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(maskValue('', a)) === JSON.stringify(maskValue('', b))
}

/**
 * What changed, masked: for a creation every field of the new value, for a removal every field
 * of the old one, for an update only the fields that differ.
 */
export function auditDigest(beforeIn: object | null | undefined, afterIn: object | null | undefined, extra?: object): Plain {
  const before = beforeIn as Plain | null | undefined
  const after = afterIn as Plain | null | undefined
  const digest: Plain = {}
  if (before && after) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => !secretKeys.has(k) && k !== 'version' && k !== 'updated_at' && !same(before[k], after[k]),
    )
    digest.before = maskRecord(Object.fromEntries(keys.map((k) => [k, before[k]])))
    digest.after = maskRecord(Object.fromEntries(keys.map((k) => [k, after[k]])))
  } else if (after) {
    digest.after = maskRecord(after)
  } else if (before) {
    digest.before = maskRecord(before)
  }
  if (extra) digest.extra = maskRecord(extra as Plain)
  return digest
}
