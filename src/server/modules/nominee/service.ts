import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, limitedToAssignedUnits, prefixOf, scopePrefix } from '../../scope.ts'
import { reviewOutcome, stateLabels, transition, type NomineeAction, type NomineeState, type ReviewOutcome } from '../../../rules/nominee/index.ts'
import { bodyLabel, postLabel, postProblem, putForwardLabels, type Body, type Post, type PutForward } from '../../../rules/posts/index.ts'
import { isPartyMember } from '../../../rules/codes/index.ts'
import { ageOn, isRealDate } from '../../../rules/age/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as personRepo from '../person/repo.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as reviewRepo from '../review/repo.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import type { NomineeListRow } from './repo.ts'
import type { NomineeRow } from './table.ts'

export interface Nominee {
  id: string
  personId: string
  name: string
  idNumber: string
  gender: '1' | '2'
  age: number
  education: string
  politicalStatus: string
  unitCode: string
  unitName: string
  townshipCode: string
  townshipName: string
  body: Body
  bodyLabel: string
  post: string
  postLabel: string
  putForward: string
  putForwardLabel: string
  note: string
  state: NomineeState
  stateLabel: string
  batchId: string | null
  noticeId: string | null
  returnReason: string | null
  withdrawReason: string | null
  decision: 'qualified' | 'disqualified' | null
  decisionReason: string | null
  version: number
}

export function toNominee(r: NomineeListRow, today = todayInChina()): Nominee {
  return {
    id: r.id,
    personId: r.person_id,
    name: r.name,
    idNumber: r.id_number_masked,
    gender: r.gender,
    age: ageOn(r.birth_date, today),
    education: r.education,
    politicalStatus: r.political_status,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    townshipCode: r.township_code,
    townshipName: r.township_name,
    body: r.body,
    bodyLabel: bodyLabel(r.body, r.unit_kind),
    post: r.post,
    postLabel: postLabel(r.body, r.post as Post),
    putForward: r.put_forward,
    putForwardLabel: (putForwardLabels as Record<string, string>)[r.put_forward] ?? r.put_forward,
    note: r.note,
    state: r.state,
    stateLabel: stateLabels[r.state],
    batchId: r.batch_id,
    noticeId: r.notice_id,
    returnReason: r.return_reason,
    withdrawReason: r.withdraw_reason,
    decision: r.decision,
    decisionReason: r.decision_reason,
    version: r.version,
  }
}

/** What the audit log keeps of a nominee. */
export function auditShape(r: NomineeRow) {
  return { person_id: r.person_id, unit_code: r.unit_code, body: r.body, post: r.post, put_forward: r.put_forward, state: r.state, batch_id: r.batch_id, notice_id: r.notice_id }
}

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser'] as const

export function visibleFilter(a: Actor) {
  if (a.role === 'reviewer') throw forbidden('联审部门审查员只能查看送审给本部门的人选')
  return { countyCode: a.countyCode, unitPrefix: scopePrefix(a), onlyUnits: limitedToAssignedUnits(a) ? a.unitCodes : undefined }
}

export interface NomineeQuery {
  page: number
  pageSize: number
  unitCode?: string
  state?: NomineeState
  batchId?: string
  keyword?: string
  awaiting?: 'talk' | 'decision'
}

export async function listNominees(db: Kysely<DB>, ctx: Ctx, q: NomineeQuery) {
  const f: repo.NomineeFilter = { ...visibleFilter(ctx.actor), states: q.state ? [q.state] : undefined, batchId: q.batchId, keyword: q.keyword?.trim() || undefined, awaiting: q.awaiting }
  if (q.unitCode) {
    const p = prefixOf(q.unitCode)
    if (!p.startsWith(f.unitPrefix) && !(p.length === 12 && canSeeTerritory(ctx.actor, q.unitCode))) return { items: [], total: 0 }
    f.unitPrefix = prefixOf(q.unitCode)
  }
  const [rows, total] = await Promise.all([repo.listNominees(db, f, q), repo.countNominees(db, f)])
  const today = todayInChina()
  return { items: rows.map((r) => toNominee(r, today)), total }
}

/** The counts a work bench needs: nominees per state, and the two worklists. */
export async function nomineeSummary(db: Kysely<DB>, ctx: Ctx) {
  const f = visibleFilter(ctx.actor)
  const [states, decision, talk] = await Promise.all([
    repo.countByState(db, f),
    repo.countNominees(db, { ...f, awaiting: 'decision' }),
    repo.countNominees(db, { ...f, awaiting: 'talk' }),
  ])
  const byState = Object.fromEntries(Object.keys(stateLabels).map((k) => [k, 0])) as Record<NomineeState, number>
  for (const r of states) byState[r.state] = Number(r.n)
  return { byState, awaitingDecision: decision, awaitingTalk: talk }
}

export async function loadVisible(db: Kysely<DB> | Transaction<DB>, actor: Actor, id: string): Promise<NomineeListRow> {
  const row = actor.role === 'reviewer' ? undefined : await repo.findNominee(db, actor.countyCode, id)
  if (!row || !canSeeTerritory(actor, row.unit_code)) throw notFound('人选不存在，或不在您的管辖范围内')
  return row
}

export function assertCanWrite(actor: Actor, unitCode: string): void {
  if (actor.role !== 'county_admin' && actor.role !== 'township_organiser') throw forbidden('您的角色不能维护人选')
  if (!covers(actor, unitCode)) throw notFound('人选不存在，或不在您的管辖范围内')
}

/** The verdict so far from the departments' findings in the nominee's current batch. */
export async function outcomeOf(db: Kysely<DB> | Transaction<DB>, r: NomineeRow): Promise<ReviewOutcome | null> {
  if (!r.batch_id || r.state === 'draft' || r.state === 'submitted') return null
  return reviewOutcome(await reviewRepo.nomineeFindings(db, r.county_code, r.id, r.batch_id))
}

export async function getNominee(db: Kysely<DB>, ctx: Ctx, id: string) {
  const row = await loadVisible(db, ctx.actor, id)
  const c = ctx.actor.countyCode
  const requests = row.batch_id ? await reviewRepo.listRequests(db, { countyCode: c, nomineeIds: [id], batchId: row.batch_id }) : []
  const ids = requests.map((r) => r.id)
  const [findings, evidence, objections, talks, outcome] = await Promise.all([
    reviewRepo.findingsOf(db, c, ids),
    reviewRepo.evidenceOf(db, c, ids),
    repo.objectionsOf(db, c, [id]),
    repo.talksOf(db, c, [id]),
    outcomeOf(db, row),
  ])
  return {
    ...toNominee(row),
    outcome,
    needsDecision: row.state === 'under_review' && outcome === 'county_decision',
    needsTalk: row.state === 'disqualified' && talks.length === 0,
    reviews: requests.map((r) => ({
      id: r.id,
      departmentId: r.department_id,
      departmentName: r.department_name,
      deadline: r.deadline,
      status: r.status,
      answeredBy: r.answered_by,
      answeredAt: r.answered_at?.toISOString() ?? null,
      findings: findings
        .filter((f) => f.request_id === r.id)
        .map((f) => ({ circumstanceId: f.circumstance_id, text: f.text, severity: f.severity, found: f.found, note: f.note })),
      evidence: evidence.filter((e) => e.request_id === r.id).map((e) => ({ id: e.id, fileName: e.file_name, size: e.size })),
    })),
    objections: objections.map(toObjection),
    talks: talks.map((t) => ({ id: t.id, talkedOn: t.talked_on, talkers: t.talkers, content: t.content, response: t.response, recordedBy: t.recorded_by })),
  }
}

function toObjection(o: Awaited<ReturnType<typeof repo.objectionsOf>>[number]) {
  return { id: o.id, receivedOn: o.received_on, content: o.content, handling: o.handling, upheld: o.upheld, handledOn: o.handled_on, version: o.version }
}

export interface NomineeInput {
  personId: string
  unitCode: string
  body: Body
  post: string
  putForward: PutForward
  note?: string
}

async function checkNomination(db: Kysely<DB> | Transaction<DB>, actor: Actor, input: Omit<NomineeInput, 'note'>, exceptId?: string) {
  assertCanWrite(actor, input.unitCode)
  const unit = await territoryRepo.findTerritory(db, actor.countyCode, input.unitCode)
  if (!unit || unit.level !== 'unit') throw invalid('请选择一个村（社区）', [{ field: '村（社区）', message: '请选择一个村（社区）' }])
  if (unit.status !== 'active') throw invalid(`“${unit.name}”已停用`)
  const person = await personRepo.findPerson(db, actor.countyCode, input.personId)
  if (!person || !canSeeTerritory(actor, person.unit_code)) throw invalid('人员不存在，或不在您的管辖范围内', [{ field: '人员', message: '请从人员库中选择' }])
  const problem = postProblem(input.body, input.post, isPartyMember(person.political_status))
  if (problem) throw invalid(problem, [{ field: '职务', message: problem }])
  const twin = await repo.findLiveTwin(db, actor.countyCode, input.personId, input.unitCode, input.body, exceptId)
  if (twin) throw conflict(`${person.name}已是“${unit.name}${bodyLabel(input.body, unit.kind)}”的人选（${stateLabels[twin.state]}），不能重复提名`)
  return person
}

export async function createNominee(db: Kysely<DB>, ctx: Ctx, input: NomineeInput): Promise<Nominee> {
  await checkNomination(db, ctx.actor, input)
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertNominee(trx, {
      county_code: ctx.actor.countyCode,
      person_id: input.personId,
      unit_code: input.unitCode,
      body: input.body,
      post: input.post,
      put_forward: input.putForward,
      note: input.note?.trim() ?? '',
      state: 'draft',
    })
    await recordAudit(trx, ctx, { action: 'nominee.create', objectType: 'nominee', objectId: row.id, after: auditShape(row) })
    return toNominee((await repo.findNominee(trx, row.county_code, row.id))!)
  })
}

export interface NomineePatch {
  version: number
  body?: Body
  post?: string
  putForward?: PutForward
  note?: string
}

/** Only a draft may be edited; once submitted, the review works on what was sent. */
export async function updateNominee(db: Kysely<DB>, ctx: Ctx, id: string, p: NomineePatch): Promise<Nominee> {
  const before = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, before.unit_code)
  if (before.state !== 'draft') throw conflict(`人选当前为“${stateLabels[before.state]}”，只有草稿可以修改`)
  const body = p.body ?? before.body
  const post = p.post ?? before.post
  await checkNomination(db, ctx.actor, { personId: before.person_id, unitCode: before.unit_code, body, post, putForward: (p.putForward ?? before.put_forward) as PutForward }, id)
  return db.transaction().execute(async (trx) => {
    const after = await repo.updateNomineeVersioned(trx, ctx.actor.countyCode, id, p.version, {
      body,
      post,
      put_forward: p.putForward ?? before.put_forward,
      note: p.note !== undefined ? p.note.trim() : before.note,
    })
    if (!after) throw versionConflict(`人选“${before.name}”已被他人修改，请刷新后重试`)
    await recordAudit(trx, ctx, { action: 'nominee.update', objectType: 'nominee', objectId: id, before: auditShape(before), after: auditShape(after) })
    return toNominee((await repo.findNominee(trx, after.county_code, id))!)
  })
}

/** Applies one step of the life cycle under the optimistic lock; an illegal step is a 409 and changes nothing. */
async function step(
  db: Kysely<DB>,
  ctx: Ctx,
  id: string,
  version: number,
  action: NomineeAction,
  extra: repo.NomineeChange,
  audit: 'nominee.withdraw' | 'nominee.return' | 'nominee.decide',
  auditExtra: object,
  alsoInTrx?: (trx: Transaction<DB>, before: NomineeRow) => Promise<void>,
): Promise<Nominee> {
  const before = await loadVisible(db, ctx.actor, id)
  const t = transition(before.state, action)
  if (!t.ok) throw conflict(t.message)
  return db.transaction().execute(async (trx) => {
    const after = await repo.updateNomineeVersioned(trx, ctx.actor.countyCode, id, version, { ...extra, state: t.state })
    if (!after) throw versionConflict(`人选“${before.name}”已被他人修改，请刷新后重试`)
    await alsoInTrx?.(trx, before)
    await recordAudit(trx, ctx, { action: audit, objectType: 'nominee', objectId: id, before: auditShape(before), after: auditShape(after), extra: auditExtra })
    return toNominee((await repo.findNominee(trx, after.county_code, id))!)
  })
}

export async function withdrawNominee(db: Kysely<DB>, ctx: Ctx, id: string, version: number, reason: string): Promise<Nominee> {
  const row = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, row.unit_code)
  // A nominee who leaves during the review takes their requests off the departments' queues.
  return step(db, ctx, id, version, { type: 'withdraw', reason }, { withdraw_reason: reason.trim() }, 'nominee.withdraw', { reason: reason.trim() }, async (trx, before) => {
    if (before.batch_id) await reviewRepo.cancelPendingOf(trx, before.county_code, before.batch_id, id)
  })
}

/** The county sends a submitted nominee back to the township (wrong post, missing papers…). */
export async function returnNominee(db: Kysely<DB>, ctx: Ctx, id: string, version: number, reason: string): Promise<Nominee> {
  if (ctx.actor.role !== 'county_admin') throw forbidden('只有县级管理员可以退回报送的人选')
  return step(db, ctx, id, version, { type: 'return', reason }, { return_reason: reason.trim(), batch_id: null }, 'nominee.return', { reason: reason.trim() })
}

/** The county's decision on a nominee a department found in a "discourage" circumstance. */
export async function decideNominee(db: Kysely<DB>, ctx: Ctx, id: string, version: number, verdict: 'qualified' | 'disqualified', reason: string): Promise<Nominee> {
  if (ctx.actor.role !== 'county_admin') throw forbidden('只有县级管理员可以作出决定')
  const row = await loadVisible(db, ctx.actor, id)
  if ((await outcomeOf(db, row)) !== 'county_decision') throw conflict(`人选“${row.name}”不需要县级决定：只有审查发现“不宜”情形、且各部门均已反馈的人选由县里决定`)
  if (!reason.trim()) throw invalid('请写明决定理由', [{ field: '决定理由', message: '请写明决定理由' }])
  return step(
    db,
    ctx,
    id,
    version,
    { type: 'conclude', verdict },
    { decision: verdict, decision_reason: reason.trim(), decided_by: ctx.actor.displayName, decided_at: new Date(), concluded_at: new Date() },
    'nominee.decide',
    { verdict, reason: reason.trim() },
  )
}

export async function addObjection(db: Kysely<DB>, ctx: Ctx, id: string, input: { receivedOn: string; content: string }) {
  const row = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, row.unit_code)
  if (row.state !== 'in_notice') throw conflict(`人选当前为“${stateLabels[row.state]}”，只能在公示期间登记异议`)
  if (!isRealDate(input.receivedOn) || input.receivedOn > todayInChina()) throw invalid('收到日期不是有效日期', [{ field: '收到日期', message: '请填写不晚于今天的日期' }])
  return db.transaction().execute(async (trx) => {
    const o = await repo.insertObjection(trx, { county_code: row.county_code, nominee_id: id, received_on: input.receivedOn, content: input.content.trim() })
    await recordAudit(trx, ctx, { action: 'nominee.objection.create', objectType: 'nominee', objectId: id, after: { objection_id: o.id, received_on: o.received_on } })
    return toObjection(o)
  })
}

export async function handleObjection(db: Kysely<DB>, ctx: Ctx, id: string, objectionId: string, input: { version: number; handling: string; upheld: boolean; handledOn: string }) {
  const row = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, row.unit_code)
  if (row.state !== 'in_notice') throw conflict(`人选当前为“${stateLabels[row.state]}”，公示已结束，异议处理不能再改`)
  if (!isRealDate(input.handledOn) || input.handledOn > todayInChina()) throw invalid('处理日期不是有效日期', [{ field: '处理日期', message: '请填写不晚于今天的日期' }])
  return db.transaction().execute(async (trx) => {
    const o = await repo.handleObjectionVersioned(trx, row.county_code, objectionId, input.version, { handling: input.handling.trim(), upheld: input.upheld, handled_on: input.handledOn })
    if (!o || o.nominee_id !== id) throw versionConflict('该异议已被他人处理，请刷新后重试')
    await recordAudit(trx, ctx, { action: 'nominee.objection.handle', objectType: 'nominee', objectId: id, after: { objection_id: o.id, upheld: o.upheld, handled_on: o.handled_on } })
    return toObjection(o)
  })
}

export async function addTalk(db: Kysely<DB>, ctx: Ctx, id: string, input: { talkedOn: string; talkers: string; content: string; response: string }) {
  const row = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, row.unit_code)
  if (row.state !== 'disqualified') throw conflict(`人选当前为“${stateLabels[row.state]}”，谈话记录只针对审查未通过的人选`)
  if (!isRealDate(input.talkedOn) || input.talkedOn > todayInChina()) throw invalid('谈话日期不是有效日期', [{ field: '谈话日期', message: '请填写不晚于今天的日期' }])
  return db.transaction().execute(async (trx) => {
    const t = await repo.insertTalk(trx, {
      county_code: row.county_code,
      nominee_id: id,
      talked_on: input.talkedOn,
      talkers: input.talkers.trim(),
      content: input.content.trim(),
      response: input.response.trim(),
      recorded_by: ctx.actor.displayName,
    })
    await recordAudit(trx, ctx, { action: 'nominee.talk', objectType: 'nominee', objectId: id, after: { talk_id: t.id, talked_on: t.talked_on } })
    return { id: t.id, talkedOn: t.talked_on, talkers: t.talkers, content: t.content, response: t.response, recordedBy: t.recorded_by }
  })
}
