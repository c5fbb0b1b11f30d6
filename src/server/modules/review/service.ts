import { createHash } from 'node:crypto'
import { checkUpload, cleanFileName } from '../../files/uploads.ts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, ruleViolation, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import { covers, prefixOf, scopePrefix } from '../../scope.ts'
import { reviewOutcome, stateLabels, transition } from '../../../rules/nominee/index.ts'
import { bodyLabel, postLabel, type Post } from '../../../rules/posts/index.ts'
import { addWorkdays } from '../../../rules/workdays/index.ts'
import { ageOn } from '../../../rules/age/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as nomineeRepo from '../nominee/repo.ts'
import { auditShape as nomineeAudit, toNominee } from '../nominee/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import type { ReviewBatchRow } from './table.ts'

export const DEFAULT_DEADLINE_WORKDAYS = 5

function isCounty(a: Actor) {
  return a.role === 'county_admin'
}

function batchShape(b: ReviewBatchRow) {
  return { township_code: b.township_code, title: b.title, status: b.status, deadline: b.deadline }
}

function toBatch(b: ReviewBatchRow & { township_name?: string; nominee_count?: string | number | null; pending_count?: string | number | null }) {
  return {
    id: b.id,
    townshipCode: b.township_code,
    townshipName: b.township_name ?? '',
    title: b.title,
    status: b.status,
    submittedBy: b.submitted_by,
    submittedAt: b.submitted_at.toISOString(),
    openedAt: b.opened_at?.toISOString() ?? null,
    deadline: b.deadline,
    closedAt: b.closed_at?.toISOString() ?? null,
    nomineeCount: Number(b.nominee_count ?? 0),
    pendingCount: Number(b.pending_count ?? 0),
    version: b.version,
  }
}

async function loadBatch(db: Kysely<DB> | Transaction<DB>, actor: Actor, id: string) {
  const b = actor.role === 'reviewer' ? undefined : await repo.findBatch(db, actor.countyCode, id)
  // A batch belongs to a township: county-wide and township users see it, unit-level users do not.
  if (!b || !b.township_code.startsWith(scopePrefix(actor))) throw notFound('联审批次不存在，或不在您的管辖范围内')
  return b
}

export async function listBatches(db: Kysely<DB>, ctx: Ctx, q: { status?: 'submitted' | 'in_review' | 'closed' }) {
  const a = ctx.actor
  if (a.role === 'reviewer') throw forbidden('联审部门审查员请在“审查任务”中查看送审给本部门的人选')
  const rows = await repo.listBatches(db, { countyCode: a.countyCode, prefix: scopePrefix(a), status: q.status })
  return rows.map(toBatch)
}

/**
 * The township submits (报送) a batch of draft nominees from its own units to the county for the
 * joint review. All or nothing: one nominee that cannot be submitted stops the batch.
 */
export async function submitBatch(db: Kysely<DB>, ctx: Ctx, input: { nomineeIds: string[]; title?: string }) {
  const a = ctx.actor
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('只有乡镇组织员或县级管理员可以报送联审')
  const ids = [...new Set(input.nomineeIds)]
  return db.transaction().execute(async (trx) => {
    const rows = await nomineeRepo.lockNominees(trx, a.countyCode, ids)
    const problems: ErrorDetail[] = []
    const found = new Map(rows.map((r) => [r.id, r]))
    for (const id of ids) {
      const r = found.get(id)
      if (!r || !covers(a, r.unit_code)) problems.push({ field: id, message: `人选 ${id} 不存在，或不在您的管辖范围内` })
    }
    if (problems.length) throw notFound(problems[0]!.message)
    const named = await nomineeRepo.listNominees(trx, { countyCode: a.countyCode, unitPrefix: a.countyCode, ids })
    for (const n of named) {
      const t = transition(n.state, { type: 'submit' })
      if (!t.ok) problems.push({ field: n.name, message: `${n.name}（${n.unit_name}）：${t.message}` })
    }
    if (problems.length) throw conflict(problems.map((p) => p.message).join('；'))
    const townships = new Set(named.map((n) => n.township_code))
    if (townships.size !== 1) throw invalid('一个联审批次只能包含同一乡镇（苏木、街道）的人选，请按乡镇分别报送')
    const townshipCode = [...townships][0]!
    const township = await territoryRepo.findTerritory(trx, a.countyCode, townshipCode)
    const title = input.title?.trim() || `${township?.name ?? ''}${todayInChina()}报送人选联审（${named.length}人）`
    const batch = await repo.insertBatch(trx, { county_code: a.countyCode, township_code: townshipCode, title, status: 'submitted', submitted_by: a.displayName })
    for (const n of named) {
      const after = await nomineeRepo.updateNominee(trx, a.countyCode, n.id, { state: 'submitted', batch_id: batch.id, return_reason: null })
      await recordAudit(trx, ctx, { action: 'nominee.update', objectType: 'nominee', objectId: n.id, before: nomineeAudit(n), after: nomineeAudit(after), extra: { batch_id: batch.id } })
    }
    await recordAudit(trx, ctx, { action: 'review.batch.submit', objectType: 'review_batch', objectId: batch.id, after: { ...batchShape(batch), nominee_ids: ids } })
    return toBatch({ ...batch, township_name: township?.name, nominee_count: named.length, pending_count: 0 })
  })
}

/**
 * The county opens the joint review of a submitted batch: one request per nominee per department
 * that checks any active circumstance, each listing the circumstances that department checks,
 * due a number of working days from today.
 */
export async function openBatch(db: Kysely<DB>, ctx: Ctx, id: string, input: { version: number; deadlineWorkdays?: number }) {
  const a = ctx.actor
  if (!isCounty(a)) throw forbidden('只有县级管理员可以发起联审')
  const duties = await repo.responsibilities(db, a.countyCode)
  if (!duties.length) throw ruleViolation('负面清单中还没有指定任何审查部门，请先在“负面清单”中为各情形指定审查部门')
  const deadline = addWorkdays(todayInChina(), input.deadlineWorkdays ?? DEFAULT_DEADLINE_WORKDAYS)
  return db.transaction().execute(async (trx) => {
    const batch = await repo.lockBatch(trx, a.countyCode, id)
    if (!batch) throw notFound('联审批次不存在')
    if (batch.version !== input.version) throw versionConflict('该批次已被他人处理，请刷新后重试')
    if (batch.status !== 'submitted') throw conflict('该批次已发起联审，不能重复发起')
    const nominees = (await nomineeRepo.listNominees(trx, { countyCode: a.countyCode, unitPrefix: a.countyCode, batchId: id })).filter((n) => n.state === 'submitted')
    if (!nominees.length) throw conflict('该批次中没有待审查的人选（可能都已被退回或退出）')
    const departments = [...new Map(duties.map((d) => [d.department_id, d])).keys()]
    const requests = await repo.insertRequests(
      trx,
      nominees.flatMap((n) => departments.map((department_id) => ({ county_code: a.countyCode, batch_id: id, nominee_id: n.id, department_id, deadline }))),
    )
    await repo.insertFindings(
      trx,
      requests.flatMap((r) =>
        duties.filter((d) => d.department_id === r.department_id).map((d) => ({ county_code: a.countyCode, request_id: r.id, circumstance_id: d.circumstance_id, severity: d.severity })),
      ),
    )
    for (const n of nominees) {
      const after = await nomineeRepo.updateNominee(trx, a.countyCode, n.id, { state: 'under_review' })
      await recordAudit(trx, ctx, { action: 'nominee.update', objectType: 'nominee', objectId: n.id, before: nomineeAudit(n), after: nomineeAudit(after), extra: { batch_id: id } })
    }
    const opened = await repo.updateBatch(trx, a.countyCode, id, { status: 'in_review', opened_at: new Date(), deadline })
    await recordAudit(trx, ctx, {
      action: 'review.batch.open',
      objectType: 'review_batch',
      objectId: id,
      before: batchShape(batch),
      after: batchShape(opened),
      extra: { requests: requests.length, departments: departments.length },
    })
    return toBatch({ ...opened, nominee_count: nominees.length, pending_count: requests.length })
  })
}

/** What still keeps a batch from being closed, in words the county can act on. */
async function closeBlockers(db: Kysely<DB> | Transaction<DB>, countyCode: string, batchId: string): Promise<ErrorDetail[]> {
  const nominees = await nomineeRepo.listNominees(db, { countyCode, unitPrefix: countyCode, batchId })
  const talks = await nomineeRepo.talksOf(
    db,
    countyCode,
    nominees.filter((n) => n.state === 'disqualified').map((n) => n.id),
  )
  const talked = new Set(talks.map((t) => t.nominee_id))
  const out: ErrorDetail[] = []
  for (const n of nominees) {
    if (n.state === 'under_review' || n.state === 'submitted') out.push({ field: n.name, message: `${n.name}（${n.unit_name}）尚未得出审查结论` })
    else if (n.state === 'disqualified' && !talked.has(n.id)) out.push({ field: n.name, message: `${n.name}（${n.unit_name}）审查未通过，还没有谈话记录` })
  }
  return out
}

export async function getBatch(db: Kysely<DB>, ctx: Ctx, id: string) {
  const b = await loadBatch(db, ctx.actor, id)
  const [township, nominees, requests, blockers] = await Promise.all([
    territoryRepo.findTerritory(db, b.county_code, b.township_code),
    nomineeRepo.listNominees(db, { countyCode: b.county_code, unitPrefix: b.county_code, batchId: id }),
    repo.listRequests(db, { countyCode: b.county_code, batchId: id }),
    closeBlockers(db, b.county_code, id),
  ])
  const today = todayInChina()
  const answered = await repo.findingsOf(
    db,
    b.county_code,
    requests.filter((r) => r.status === 'answered').map((r) => r.id),
  )
  return {
    ...toBatch({ ...b, township_name: township?.name, nominee_count: nominees.length, pending_count: requests.filter((r) => r.status === 'pending').length }),
    nominees: nominees.map((n) => toNominee(n, today)),
    requests: requests.map((r) => toRequest(r, today)),
    findings: answered.map((f) => ({ requestId: f.request_id, circumstanceId: f.circumstance_id, text: f.text, severity: f.severity, found: f.found, note: f.note })),
    blockers: b.status === 'in_review' ? blockers.map((x) => x.message) : [],
  }
}

/** Closes a batch once every nominee has a verdict and every disqualified one has been talked to. */
export async function closeBatch(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const a = ctx.actor
  if (!isCounty(a)) throw forbidden('只有县级管理员可以办结联审批次')
  return db.transaction().execute(async (trx) => {
    const batch = await repo.lockBatch(trx, a.countyCode, id)
    if (!batch) throw notFound('联审批次不存在')
    if (batch.version !== version) throw versionConflict('该批次已被他人处理，请刷新后重试')
    if (batch.status !== 'in_review') throw conflict(batch.status === 'closed' ? '该批次已办结' : '该批次还没有发起联审')
    const blockers = await closeBlockers(trx, a.countyCode, id)
    if (blockers.length) throw ruleViolation(`还有 ${blockers.length} 项未完成，不能办结：${blockers[0]!.message}`, blockers)
    const cancelled = await repo.cancelPending(trx, a.countyCode, id)
    const closed = await repo.updateBatch(trx, a.countyCode, id, { status: 'closed', closed_at: new Date() })
    await recordAudit(trx, ctx, { action: 'review.batch.close', objectType: 'review_batch', objectId: id, before: batchShape(batch), after: batchShape(closed), extra: { cancelled_requests: cancelled } })
    return toBatch(closed)
  })
}

// ---- requests

export function toRequest(r: repo.RequestListRow, today = todayInChina()) {
  return {
    id: r.id,
    batchId: r.batch_id,
    nomineeId: r.nominee_id,
    name: r.name,
    idNumber: r.id_number_masked,
    gender: r.gender,
    age: ageOn(r.birth_date, today),
    politicalStatus: r.political_status,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    townshipName: r.township_name,
    bodyLabel: bodyLabel(r.body, r.unit_kind),
    postLabel: postLabel(r.body, r.post as Post),
    nomineeState: r.nominee_state,
    nomineeStateLabel: stateLabels[r.nominee_state],
    departmentId: r.department_id,
    departmentName: r.department_name,
    deadline: r.deadline,
    overdue: r.status === 'pending' && r.deadline < today,
    status: r.status,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at?.toISOString() ?? null,
    version: r.version,
  }
}

/** A reviewer sees only their department's requests; others see the requests of nominees in their territory. */
function requestScope(a: Actor): Pick<repo.RequestFilter, 'countyCode' | 'departmentId' | 'unitPrefix'> {
  if (a.role === 'reviewer') {
    if (!a.departmentId) throw forbidden('您的账号没有所属联审部门，请联系县级管理员')
    return { countyCode: a.countyCode, departmentId: a.departmentId }
  }
  if (a.role === 'contact_cadre') throw forbidden('包村干部不查看联审函')
  return { countyCode: a.countyCode, unitPrefix: scopePrefix(a) }
}

export interface RequestQuery {
  page: number
  pageSize: number
  status?: 'pending' | 'answered' | 'cancelled'
  overdue?: boolean
  batchId?: string
  departmentId?: string
  townshipCode?: string
  keyword?: string
}

export async function listRequests(db: Kysely<DB>, ctx: Ctx, q: RequestQuery) {
  const scope = requestScope(ctx.actor)
  const today = todayInChina()
  const f: repo.RequestFilter = { ...scope, status: q.status, batchId: q.batchId, keyword: q.keyword?.trim() || undefined, overdueOn: q.overdue ? today : undefined }
  if (q.departmentId && ctx.actor.role !== 'reviewer') f.departmentId = q.departmentId
  if (q.townshipCode) {
    const p = prefixOf(q.townshipCode)
    if (f.unitPrefix && !p.startsWith(f.unitPrefix) && !f.unitPrefix.startsWith(p)) return { items: [], total: 0 }
    if (!f.unitPrefix || p.length > f.unitPrefix.length) f.unitPrefix = p
  }
  const [rows, total] = await Promise.all([repo.listRequests(db, f, q), repo.countRequests(db, f)])
  return { items: rows.map((r) => toRequest(r, today)), total }
}

/** Per department: how many requests wait, how many of those are overdue, how many are answered. */
export async function requestSummary(db: Kysely<DB>, ctx: Ctx) {
  const rows = await repo.requestCounts(db, requestScope(ctx.actor), todayInChina())
  return rows.map((r) => ({ departmentId: r.department_id, departmentName: r.department_name, pending: Number(r.pending), overdue: Number(r.overdue), answered: Number(r.answered) }))
}

async function loadRequest(db: Kysely<DB> | Transaction<DB>, a: Actor, id: string) {
  const [r] = await repo.listRequests(db, { ...requestScope(a), ids: [id] })
  if (!r) throw notFound('联审函不存在，或不是送给您所在部门的')
  return r
}

export async function getRequest(db: Kysely<DB>, ctx: Ctx, id: string) {
  const r = await loadRequest(db, ctx.actor, id)
  const [findings, evidence] = await Promise.all([repo.findingsOf(db, r.county_code, [id]), repo.evidenceOf(db, r.county_code, [id])])
  return {
    ...toRequest(r),
    findings: findings.map((f) => ({ circumstanceId: f.circumstance_id, text: f.text, severity: f.severity, found: f.found, note: f.note })),
    evidence: evidence.map((e) => ({ id: e.id, fileName: e.file_name, size: e.size, contentType: e.content_type, uploadedBy: e.uploaded_by, uploadedAt: e.uploaded_at.toISOString() })),
  }
}

/**
 * Who may answer for a department: its own reviewers, or the county admin entering the
 * department's reply on paper (函复) — many departments answer by letter.
 */
function assertOwnDepartment(a: Actor, r: { department_id: string }) {
  if (a.role === 'county_admin') return
  if (a.role !== 'reviewer' || a.departmentId !== r.department_id) throw forbidden('只有该部门的审查员（或代录纸质函复的县级管理员）可以填写审查结果')
}

export interface AnswerInput {
  version: number
  findings: { circumstanceId: string; found: boolean; note?: string }[]
  /** Required when the county admin enters a department's paper reply: which letter, of when. */
  paperReply?: string
}

/**
 * A department's answer: every circumstance it checks, clear or found (a finding needs a note).
 * The nominee's verdict follows at once when it can: a bar found disqualifies; all departments
 * clear qualifies; a "discourage" found waits for the county's decision.
 */
export async function answerRequest(db: Kysely<DB>, ctx: Ctx, id: string, input: AnswerInput) {
  const a = ctx.actor
  const r = await loadRequest(db, a, id)
  assertOwnDepartment(a, r)
  const onBehalf = a.role === 'county_admin'
  const paperReply = input.paperReply?.trim() ?? ''
  if (onBehalf && !paperReply) throw invalid('代录纸质函复时，请写明函复文号或日期', [{ field: '函复依据', message: '如：旗公安局 2026年12月1日函复（青公函〔2026〕12号）' }])
  const expected = await repo.findingsOf(db, a.countyCode, [id])
  const given = new Map(input.findings.map((f) => [f.circumstanceId, f]))
  const problems: ErrorDetail[] = []
  for (const e of expected) {
    const g = given.get(e.circumstance_id)
    if (!g) problems.push({ field: e.text, message: `请对“${e.text}”作出“无此情形”或“有此情形”的结论` })
    else if (g.found && !g.note?.trim()) problems.push({ field: e.text, message: `“${e.text}”查实有此情形，请写明具体情况` })
  }
  for (const k of given.keys()) if (!expected.some((e) => e.circumstance_id === k)) problems.push({ field: k, message: '提交的情形不在本部门的审查范围内' })
  if (problems.length) throw invalid(problems[0]!.message, problems)
  return db.transaction().execute(async (trx) => {
    const locked = await repo.lockRequest(trx, a.countyCode, id)
    if (!locked || locked.version !== input.version) throw versionConflict('该联审函已被他人处理，请刷新后重试')
    if (locked.status !== 'pending') throw conflict(locked.status === 'answered' ? '该联审函已反馈，不能重复提交' : '该联审函所在批次已办结')
    for (const e of expected) {
      const g = given.get(e.circumstance_id)!
      await repo.setFinding(trx, a.countyCode, id, e.circumstance_id, g.found, g.note?.trim() ?? '')
    }
    await repo.markAnswered(trx, a.countyCode, id, onBehalf ? `${a.displayName}（代录${r.department_name}函复：${paperReply}）`.slice(0, 300) : a.displayName)
    await recordAudit(trx, ctx, {
      action: 'review.answer',
      objectType: 'review_request',
      objectId: id,
      after: { nominee_id: r.nominee_id, department_id: r.department_id, found: expected.filter((e) => given.get(e.circumstance_id)!.found).map((e) => e.circumstance_id) },
      extra: onBehalf ? { on_behalf: true, paper_reply: paperReply } : undefined,
    })
    await concludeIfDecided(trx, ctx, r.nominee_id, locked.batch_id)
    return getRequestIn(trx, a, id)
  })
}

async function getRequestIn(trx: Transaction<DB>, a: Actor, id: string) {
  const r = await loadRequest(trx, a, id)
  const findings = await repo.findingsOf(trx, a.countyCode, [id])
  const evidence = await repo.evidenceOf(trx, a.countyCode, [id])
  return {
    ...toRequest(r),
    findings: findings.map((f) => ({ circumstanceId: f.circumstance_id, text: f.text, severity: f.severity, found: f.found, note: f.note })),
    evidence: evidence.map((e) => ({ id: e.id, fileName: e.file_name, size: e.size, contentType: e.content_type, uploadedBy: e.uploaded_by, uploadedAt: e.uploaded_at.toISOString() })),
  }
}

async function concludeIfDecided(trx: Transaction<DB>, ctx: Ctx, nomineeId: string, batchId: string) {
  const [n] = await nomineeRepo.lockNominees(trx, ctx.actor.countyCode, [nomineeId])
  if (!n || n.state !== 'under_review' || n.batch_id !== batchId) return
  const outcome = reviewOutcome(await repo.nomineeFindings(trx, n.county_code, n.id, batchId))
  if (outcome !== 'qualified' && outcome !== 'disqualified') return
  const t = transition(n.state, { type: 'conclude', verdict: outcome })
  if (!t.ok) return
  const after = await nomineeRepo.updateNominee(trx, n.county_code, n.id, { state: t.state, concluded_at: new Date() })
  await recordAudit(trx, ctx, { action: 'nominee.conclude', objectType: 'nominee', objectId: n.id, before: nomineeAudit(n), after: nomineeAudit(after), extra: { outcome } })
}

// ---- evidence

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

export async function uploadEvidence(db: Kysely<DB>, ctx: Ctx, id: string, file: { buffer: Buffer; fileName: string }) {
  const a = ctx.actor
  const r = await loadRequest(db, a, id)
  assertOwnDepartment(a, r)
  if (r.status !== 'pending') throw conflict('该联审函已反馈，不能再上传材料')
  const kind = checkUpload(file.fileName, file.buffer, ['pdf', 'jpg', 'png', 'docx'], MAX_EVIDENCE_BYTES)
  return db.transaction().execute(async (trx) => {
    const e = await repo.insertEvidence(trx, {
      county_code: a.countyCode,
      request_id: id,
      file_name: cleanFileName(file.fileName, '佐证材料'),
      content_type: kind.type,
      size: file.buffer.length,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      content: file.buffer,
      uploaded_by: a.displayName,
    })
    await recordAudit(trx, ctx, { action: 'review.evidence.upload', objectType: 'review_request', objectId: id, after: { evidence_id: e.id, file_name: e.file_name, size: e.size, sha256: e.sha256 } })
    return { id: e.id, fileName: e.file_name, size: e.size, contentType: e.content_type, uploadedBy: e.uploaded_by, uploadedAt: e.uploaded_at.toISOString() }
  })
}

/** Evidence may hold criminal or disciplinary records: only the department, the county and auditors read it. */
export async function downloadEvidence(db: Kysely<DB>, ctx: Ctx, id: string, evidenceId: string) {
  const a = ctx.actor
  if (a.role !== 'reviewer' && a.role !== 'county_admin' && a.role !== 'auditor') throw forbidden('佐证材料只有审查部门、县级管理员和纪检审计员可以查看')
  await loadRequest(db, a, id)
  const e = await repo.findEvidence(db, a.countyCode, id, evidenceId)
  if (!e) throw notFound('佐证材料不存在')
  await db.transaction().execute((trx) =>
    recordAudit(trx, ctx, { action: 'review.evidence.download', objectType: 'review_request', objectId: id, extra: { evidence_id: e.id, file_name: e.file_name } }),
  )
  return e
}

export async function deleteEvidence(db: Kysely<DB>, ctx: Ctx, id: string, evidenceId: string) {
  const a = ctx.actor
  const r = await loadRequest(db, a, id)
  assertOwnDepartment(a, r)
  if (r.status !== 'pending') throw conflict('该联审函已反馈，材料不能再删除')
  const e = await repo.findEvidence(db, a.countyCode, id, evidenceId)
  if (!e) throw notFound('佐证材料不存在')
  await db.transaction().execute(async (trx) => {
    await repo.deleteEvidence(trx, a.countyCode, evidenceId)
    await recordAudit(trx, ctx, { action: 'review.evidence.delete', objectType: 'review_request', objectId: id, before: { evidence_id: e.id, file_name: e.file_name, sha256: e.sha256 } })
  })
}
