import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { canonicalJson, chainHash, chainHasher, chainMaterialParts, type ChainFields } from './hash.ts'

/** canonicalJson as first written. */
function referenceJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(referenceJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceJson(v)}`).join(',')}}`
}

/** The material as first defined: canonical JSON of the fields' array, hashed with SHA-256. */
function reference(f: ChainFields): string {
  const material = referenceJson([f.county_code, String(f.seq), f.prev_hash, f.at.toISOString(), f.actor_id, f.actor_name, f.role, f.territory_code, f.action, f.object_type, f.object_id, f.result, f.digest, f.request_id, f.ip])
  return createHash('sha256').update(material, 'utf8').digest('hex')
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 })
const row = fc.record({
  county_code: fc.stringMatching(/^\d{6}$/),
  seq: fc.bigInt({ min: 1n, max: 10n ** 12n }).map(String),
  prev_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
  at: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
  actor_id: fc.option(fc.bigInt({ min: 1n, max: 10n ** 9n }).map(String), { nil: null }),
  actor_name: text,
  role: text,
  territory_code: text,
  action: text,
  object_type: text,
  object_id: text,
  result: fc.constantFrom('success', 'failure'),
  digest: fc.jsonValue(),
  request_id: text,
  ip: text,
})

describe('audit chain hash', () => {
  it('writes canonical JSON as it always has: keys sorted at every level, undefined left out', () => {
    const withUndefined = fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined)))
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), withUndefined, fc.array(withUndefined)), (v) => {
        expect(canonicalJson(v)).toBe(referenceJson(v))
      }),
      { numRuns: 500 },
    )
  })

  it('is canonicalJson of the fields in their fixed order, however it is computed', () => {
    fc.assert(
      fc.property(row, (f) => {
        const expected = reference(f)
        expect(chainHash(f)).toBe(expected)
        expect(chainHasher(f)(f.seq, f.prev_hash, f.action, f.object_type, f.object_id, f.result, canonicalJson(f.digest))).toBe(expected)
        // As the database completes it in appendAudit's one statement.
        const { pre, post } = chainMaterialParts(f, f.action, f.object_type, f.object_id, f.result, canonicalJson(f.digest))
        expect(createHash('sha256').update(`${pre}${f.seq}","${f.prev_hash}${post}`, 'utf8').digest('hex')).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })
})
