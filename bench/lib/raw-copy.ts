import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { auditDigest } from '../../src/server/modules/audit/digest.ts'
import { canonicalJson } from '../../src/server/modules/audit/hash.ts'
import { auditShape } from '../../src/server/modules/person/service.ts'
import type { PlannedPerson } from '../../src/server/modules/person/import.ts'
import type { BenchDb } from './engines.ts'

/**
 * The baselines: COPY as performance.md's scripts do it (text format, lines built while the data
 * is sent, autocommit, no application code), into the application's own tables.
 */

const personColumns = 'county_code, id, name, id_number_enc, id_number_index, id_number_masked, birth_date, gender, ethnicity, education, political_status, party_joined_on, phone, unit_code, reserve_cadre'
const auditColumns = 'county_code, seq, prev_hash, hash, at, actor_id, actor_name, role, territory_code, action, object_type, object_id, result, digest, request_id, ip'
const CHUNK = 10_000

const esc = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s)

function* personLines(rows: readonly PlannedPerson[]): Generator<string> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    let chunk = ''
    for (let k = i; k < Math.min(rows.length, i + CHUNK); k++) {
      const p = rows[k]!
      chunk += `${p.county_code}\t${k + 1}\t${esc(p.name)}\t${p.id_number_enc}\t${p.id_number_index}\t${p.id_number_masked}\t${p.birth_date}\t${p.gender}\t${p.ethnicity}\t${p.education}\t${p.political_status}\t${p.party_joined_on ?? '\\N'}\t${p.phone ?? '\\N'}\t${p.unit_code}\t${p.reserve_cadre ? 't' : 'f'}\n`
    }
    yield chunk
  }
}

/** The audit rows an import of these people writes, their content made beforehand (as the people's encryption is). */
export interface RawAuditRow {
  seq: number
  prev: string
  hash: string
  objectId: number
  digest: string
}

export function rawAuditRows(rows: readonly PlannedPerson[]): RawAuditRow[] {
  const hashes = randomBytes(32 * (rows.length + 1)).toString('hex')
  return rows.map((p, i) => ({
    seq: 10_000_000 + i,
    prev: hashes.slice(i * 64, i * 64 + 64),
    hash: hashes.slice(i * 64 + 64, i * 64 + 128),
    objectId: i + 1,
    digest: canonicalJson(auditDigest(undefined, auditShape(p))),
  }))
}

function* auditLines(countyCode: string, rows: readonly RawAuditRow[]): Generator<string> {
  const at = new Date().toISOString()
  for (let i = 0; i < rows.length; i += CHUNK) {
    let chunk = ''
    for (const r of rows.slice(i, i + CHUNK)) {
      chunk += `${countyCode}\t${r.seq}\t${r.prev}\t${r.hash}\t${at}\t1\t王建国\tcounty_admin\t${countyCode}000000\tperson.import.create\tperson\t${r.objectId}\tsuccess\t${esc(r.digest)}\tbench\t127.0.0.1\n`
    }
    yield chunk
  }
}

async function copy(b: BenchDb, statement: string, lines: Iterable<string>): Promise<void> {
  if (b.pglite) {
    await b.pglite.query(`${statement} from '/dev/blob'`, [], { blob: new Blob([...lines]) })
    return
  }
  const client = new pg.Client({ connectionString: b.url })
  await client.connect()
  try {
    const stream = client.query(copyFrom(`${statement} from stdin`))
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve)
      stream.on('error', reject)
    })
    for (const chunk of lines) {
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve))
    }
    stream.end()
    await done
  } finally {
    await client.end()
  }
}

/** COPY of the planned people (ids 1…n) into person. */
export function rawCopyPeople(b: BenchDb, rows: readonly PlannedPerson[]): Promise<void> {
  return copy(b, `copy person (${personColumns})`, personLines(rows))
}

/** COPY of one audit row per person into audit_log (its own sequence range, no chain). */
export function rawCopyAudit(b: BenchDb, countyCode: string, rows: readonly RawAuditRow[]): Promise<void> {
  return copy(b, `copy audit_log (${auditColumns})`, auditLines(countyCode, rows))
}
