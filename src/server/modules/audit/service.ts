import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { BulkWriter } from '../../db/bulk.ts'
import type { Ctx, RequestInfo } from '../../http/context.ts'
import * as repo from './repo.ts'
import { canonicalJson, chainHash, chainHasher, chainMaterialParts, GENESIS_HASH } from './hash.ts'
import { auditDigest } from './digest.ts'
import type { AuditLogRow, AuditLogTable } from './table.ts'
import { scopePrefix } from '../../scope.ts'
import { forbidden } from '../../http/errors.ts'
import type { AuditAction } from '../../../shared/audit-actions.ts'

export interface AuditEntry {
  action: AuditAction
  objectType: string
  objectId: string
  before?: object | null
  after?: object | null
  extra?: object
  result?: 'success' | 'failure'
}

/** The actor fields of a row, for events with or without a signed-in user (e.g. a failed login). */
export interface AuditActor {
  countyCode: string
  actorId: string | null
  actorName: string
  role: string
  territoryCode: string
}

export function actorOf(ctx: Ctx): AuditActor {
  const a = ctx.actor
  return { countyCode: a.countyCode, actorId: a.userId, actorName: a.displayName, role: a.role, territoryCode: a.territoryCode }
}

/**
 * Appends one row to the county's chain inside the caller's transaction: if the business write
 * rolls back, so does its audit row, and if the audit write fails, the business write fails.
 */
/** Returns the new row's hash: the chain head after this entry. */
export async function appendAudit(trx: Transaction<DB>, who: AuditActor, req: RequestInfo, entry: AuditEntry): Promise<string> {
  const e = prepareAuditEntry(entry)
  const shared = {
    county_code: who.countyCode,
    at: new Date(),
    actor_id: who.actorId,
    actor_name: who.actorName,
    role: who.role,
    territory_code: who.territoryCode,
    request_id: req.requestId,
    ip: req.ip,
  }
  const { pre, post } = chainMaterialParts(shared, e.action, e.objectType, e.objectId, e.result, e.digest)
  const row = { ...shared, action: e.action, object_type: e.objectType, object_id: e.objectId, result: e.result, digest: e.digest }
  // The database fills in the sequence number and previous hash as it moves the head, so the
  // head's row lock is held from this one statement to COMMIT.
  const moved = await repo.appendMovingHead(trx, row, pre, post)
  if (moved) return moved
  await repo.lockHead(trx, who.countyCode) // the county's first entry: create its head
  return (await repo.appendMovingHead(trx, row, pre, post))!
}

/** An entry with its digest made (canonical JSON text): the part of a row the chain does not change. */
export interface PreparedAuditEntry {
  action: AuditAction
  objectType: string
  objectId: string
  result: 'success' | 'failure'
  digest: string
}

export function prepareAuditEntry(entry: AuditEntry): PreparedAuditEntry {
  // Canonical JSON is JSON: the same text is hashed and stored.
  const digest = canonicalJson(auditDigest(entry.before, entry.after, entry.extra))
  return { action: entry.action, objectType: entry.objectType, objectId: entry.objectId, result: entry.result ?? 'success', digest }
}

/**
 * Prepares many entries a slice at a time, letting the event loop run between slices: started
 * before a COPY, it uses the time Node would otherwise spend waiting for the server.
 */
export async function prepareAuditEntries(entries: Iterable<AuditEntry>): Promise<PreparedAuditEntry[]> {
  const out: PreparedAuditEntry[] = []
  for (const e of entries) {
    out.push(prepareAuditEntry(e))
    if (out.length % 250 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  return out
}

/**
 * Appends many rows under one lock of the chain head (an import of thousands of rows): the same
 * chain as one appendAudit per entry, with a fraction of the round trips. With `bulk` (from
 * bulkTransaction, on the same transaction) the rows go in by COPY.
 */
export async function appendAuditBatch(trx: Transaction<DB>, who: AuditActor, req: RequestInfo, entries: readonly AuditEntry[], bulk?: BulkWriter): Promise<void> {
  if (entries.length === 0) return
  const prepared = function* () {
    for (const e of entries) yield prepareAuditEntry(e)
  }
  await appendPreparedAudit(trx, who, req, prepared(), bulk)
}

/**
 * appendAuditBatch for prepared entries. The fields every row shares are made canonical once
 * (chainHasher), and rows are hashed as they are written, so with COPY the hashing overlaps the
 * server's work.
 */
export async function appendPreparedAudit(trx: Transaction<DB>, who: AuditActor, req: RequestInfo, entries: Iterable<PreparedAuditEntry>, bulk?: BulkWriter): Promise<void> {
  const head = await repo.lockHead(trx, who.countyCode)
  const shared = {
    county_code: who.countyCode,
    at: new Date(),
    actor_id: who.actorId,
    actor_name: who.actorName,
    role: who.role,
    territory_code: who.territoryCode,
    request_id: req.requestId,
    ip: req.ip,
  }
  const hashOf = chainHasher(shared)
  function* rows(): Generator<AuditLogTable> {
    let seq = BigInt(head.seq)
    let prev = head.hash
    for (const e of entries) {
      seq++
      const s = String(seq)
      const hash = hashOf(s, prev, e.action, e.objectType, e.objectId, e.result, e.digest)
      yield {
        county_code: shared.county_code,
        seq: s,
        prev_hash: prev,
        hash,
        at: shared.at,
        actor_id: shared.actor_id,
        actor_name: shared.actor_name,
        role: shared.role,
        territory_code: shared.territory_code,
        action: e.action,
        object_type: e.objectType,
        object_id: e.objectId,
        result: e.result,
        digest: e.digest,
        request_id: shared.request_id,
        ip: shared.ip,
      }
      prev = hash
    }
  }
  await repo.appendRows(trx, rows(), bulk)
}

export function recordAudit(trx: Transaction<DB>, ctx: Ctx, entry: AuditEntry): Promise<string> {
  return appendAudit(trx, actorOf(ctx), ctx, entry)
}

export interface ChainVerdict {
  countyCode: string
  ok: boolean
  rows: number
  headSeq: string
  headHash: string
  firstBadSeq: string | null
  problem: string | null
}

/** Recomputes the whole chain and names the first row that does not fit. */
export async function verifyChain(db: Kysely<DB>, countyCode: string): Promise<ChainVerdict> {
  const head = await repo.readHead(db, countyCode)
  let prevHash = GENESIS_HASH
  let expected = 1n
  let rows = 0
  const bad = (seq: string, problem: string): ChainVerdict => ({
    countyCode,
    ok: false,
    rows,
    headSeq: head?.seq ?? '0',
    headHash: head?.hash ?? GENESIS_HASH,
    firstBadSeq: seq,
    problem,
  })
  for await (const row of repo.chainRows(db, countyCode)) {
    rows++
    if (BigInt(row.seq) !== expected) return bad(String(expected), `第 ${expected} 条记录缺失（下一条是第 ${row.seq} 条）`)
    if (row.prev_hash !== prevHash) return bad(row.seq, `第 ${row.seq} 条记录与前一条的链接断开（记录被删除或顺序被改动）`)
    if (chainHash(row) !== row.hash) return bad(row.seq, `第 ${row.seq} 条记录的内容与其哈希不符（记录被改动）`)
    prevHash = row.hash
    expected++
  }
  const lastSeq = String(expected - 1n)
  if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
    return bad(String(expected), `日志末尾与链头不符：链头为第 ${head.seq} 条，实际只到第 ${lastSeq} 条（末尾记录被删除）`)
  }
  return { countyCode, ok: true, rows, headSeq: lastSeq, headHash: prevHash, firstBadSeq: null, problem: null }
}

export async function verifyAllChains(db: Kysely<DB>): Promise<ChainVerdict[]> {
  const out: ChainVerdict[] = []
  for (const c of await repo.chainCounties(db)) out.push(await verifyChain(db, c))
  return out
}

export interface AuditQuery {
  page: number
  pageSize: number
  action?: string
  actor?: string
  objectType?: string
  from?: string
  to?: string
}

export async function listAudit(db: Kysely<DB>, ctx: Ctx, q: AuditQuery): Promise<{ rows: AuditLogRow[]; total: number }> {
  if (ctx.actor.role !== 'auditor') throw forbidden('只有纪检审计人员可以查看审计日志')
  return repo.pageAudit(
    db,
    {
      countyCode: ctx.actor.countyCode,
      territoryPrefix: scopePrefix(ctx.actor),
      action: q.action,
      actor: q.actor,
      objectType: q.objectType,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    },
    q.page,
    q.pageSize,
  )
}
