/**
 * 选民名单申诉 (issue 7 §3): objections to a published roll — about a listed voter (should not be
 * on it, wrong category …) or about someone missing from it (subject name, no voter) — each with
 * its decision and the day the decision was published.
 *
 * Rules (rules/voter.objectionProblems): received within 5 days of the roll's publication and
 * decided within 3 days of receipt; the decision is published within those 3 days too (the law
 * says 三日内作出处理决定并公布). None of these days may lie after today: they record what
 * happened. A decision is final once recorded (it is the election committee's act; a mistaken one
 * is answered by a new objection while the window is open); its publication day may be corrected.
 * An undecided objection past its deadline is listed as overdue.
 *
 * What an upheld objection changes: the decision may take the voter off the roll in the same
 * transaction (`removeVoter`, reason "申诉成立 …", audited as a removal naming the objection);
 * anything else — a wrong category, a person to add — the township does through the voter routes,
 * which stay open on a published roll. A frozen roll takes no new objection and no decision.
 *
 * Scope as the rest of the module: writers in their territory, contact cadres for their assigned
 * units; anything outside answers 404.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, levelOfCode, limitedToAssignedUnits, prefixOf, scopePrefix } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { normalizeName } from '../../../rules/names/index.ts'
import { DECISION_DAYS, decisionDeadline, objectionProblems, voterBasis } from '../../../rules/voter/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import { auditShape, frozen, refusal, visibleUnit, writableUnit } from './service.ts'

type Handle = Kysely<DB> | Transaction<DB>

const missing = '申诉不存在，或不在您的管辖范围内'

/** An objection with its unit's name and, when it is about a listed voter, the voter's group and status. */
function objectionRows(db: Handle, countyCode: string) {
  return db
    .selectFrom('voter_objection as o')
    .innerJoin('territory as t', (j) => j.onRef('t.county_code', '=', 'o.county_code').onRef('t.code', '=', 'o.unit_code'))
    .leftJoin('voter as v', (j) => j.onRef('v.county_code', '=', 'o.county_code').onRef('v.id', '=', 'o.voter_id'))
    .selectAll('o')
    .select(['t.name as unit_name', 'v.village_group', 'v.status as voter_status'])
    .where('o.county_code', '=', countyCode)
}

type ObjectionListRow = Awaited<ReturnType<ReturnType<typeof objectionRows>['executeTakeFirstOrThrow']>>

export function toObjection(r: ObjectionListRow, today: string) {
  const due = decisionDeadline(r.received_on)
  return {
    id: r.id,
    campaignId: r.campaign_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    voterId: r.voter_id,
    subjectName: r.subject_name,
    villageGroup: r.village_group ?? null,
    voterStatus: r.voter_status ?? null,
    objectorName: r.objector_name,
    content: r.content,
    receivedOn: r.received_on,
    decisionDue: due,
    upheld: r.upheld,
    decision: r.decision,
    decidedOn: r.decided_on,
    decisionPublishedOn: r.decision_published_on,
    overdue: r.decided_on === null && today > due,
    version: r.version,
  }
}

export type Objection = ReturnType<typeof toObjection>

/** An objection the actor may see (also the routes' scope-first check). */
export async function loadObjection(db: Handle, a: Actor, id: string): Promise<{ row: ObjectionListRow; unit: TerritoryRow }> {
  const row = a.role === 'reviewer' ? undefined : await objectionRows(db, a.countyCode).where('o.id', '=', id).executeTakeFirst()
  if (!row || !canSeeTerritory(a, row.unit_code)) throw notFound(missing)
  return { row, unit: await visibleUnit(db, a, row.unit_code) }
}

async function reload(db: Handle, countyCode: string, id: string): Promise<ObjectionListRow> {
  return objectionRows(db, countyCode).where('o.id', '=', id).executeTakeFirstOrThrow()
}

/** What the audit log keeps of an objection. */
function shape(r: Pick<ObjectionListRow, 'unit_code' | 'voter_id' | 'subject_name' | 'objector_name' | 'content' | 'received_on' | 'upheld' | 'decision' | 'decided_on' | 'decision_published_on'>) {
  return {
    unit_code: r.unit_code,
    voter_id: r.voter_id,
    subject_name: r.subject_name,
    objector_name: r.objector_name,
    content: r.content,
    received_on: r.received_on,
    upheld: r.upheld,
    decision: r.decision,
    decided_on: r.decided_on,
    decision_published_on: r.decision_published_on,
  }
}

function notAfterToday(field: string, label: string, day: string, today: string): void {
  if (!isRealDate(day)) throw invalid(`${label}“${day}”不是有效日期`, [{ field, message: '无效日期' }])
  if (day > today) throw ruleViolation(`${label} ${day} 晚于今天（${today}）：请登记已经发生的日期`, [{ field, message: '不能晚于今天' }])
}

// ── list ──

export async function listObjections(db: Kysely<DB>, ctx: Ctx, q: { campaign?: string; unitCode?: string; townshipCode?: string }) {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  let prefix = scopePrefix(a)
  if (q.unitCode) prefix = (await visibleUnit(db, a, q.unitCode)).code
  else if (q.townshipCode) {
    if (levelOfCode(q.townshipCode) !== 'township' || !covers(a, q.townshipCode) || !(await territoryRepo.findTerritory(db, a.countyCode, q.townshipCode))) throw notFound('乡镇不存在，或不在您的管辖范围内')
    prefix = prefixOf(q.townshipCode)
  }
  let query = objectionRows(db, a.countyCode).where('o.campaign_id', '=', campaign.id)
  query = prefix.length === 12 ? query.where('o.unit_code', '=', prefix) : query.where((eb) => eb.between('o.unit_code', prefix.padEnd(12, '0'), prefix.padEnd(12, '9')))
  if (limitedToAssignedUnits(a)) query = a.unitCodes.length ? query.where('o.unit_code', 'in', a.unitCodes) : query.where('o.unit_code', '=', '')
  const rows = await query.orderBy('o.unit_code').orderBy('o.received_on', 'desc').orderBy('o.id', 'desc').execute()
  const today = todayInChina()
  const items = rows.map((r) => toObjection(r, today))
  return { campaign: { id: campaign.id, name: campaign.name }, items, total: items.length, overdue: items.filter((o) => o.overdue).length }
}

// ── receiving ──

export interface ObjectionInput {
  unitCode: string
  campaign?: string
  voterId?: string
  subjectName?: string
  objectorName: string
  content: string
  receivedOn: string
}

export async function createObjection(db: Kysely<DB>, ctx: Ctx, input: ObjectionInput): Promise<Objection> {
  const a = ctx.actor
  const unit = await writableUnit(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const today = todayInChina()
  notAfterToday('receivedOn', '收到申诉日期', input.receivedOn, today)
  const objector = normalizeName(input.objectorName)
  if (!objector) throw invalid('请填写申诉人姓名', [{ field: 'objectorName', message: '不能为空' }])
  const content = input.content.trim()
  if (!content) throw invalid('请填写申诉内容（申诉的事实和理由）', [{ field: 'content', message: '不能为空' }])
  return inTransaction(db, async (trx) => {
    // Shares the lock that publishing and freezing take exclusively: no objection slips past a freeze.
    const roll = await repo.shareRoll(trx, a.countyCode, campaign.id, unit.code)
    if (!roll || roll.status === 'draft' || !roll.published_on) {
      throw ruleViolation(`“${unit.name}”的选民名单尚未公布：名单公布后才能受理申诉。依据：${voterBasis.objection}`, [{ field: 'receivedOn', message: '名单尚未公布' }])
    }
    if (roll.status === 'frozen') throw frozen(unit.name, roll)
    const late = objectionProblems({ publishedOn: roll.published_on, receivedOn: input.receivedOn })
    if (late.length) throw refusal(late)
    let voterId: string | null = null
    let subject = normalizeName(input.subjectName ?? '')
    if (input.voterId) {
      const v = await repo.findVoter(trx, a.countyCode, input.voterId)
      if (!v || v.campaign_id !== campaign.id || v.unit_code !== unit.code) {
        throw invalid(`申诉涉及的选民不在“${unit.name}”本届的选民名单中；请从名单中选择，名单遗漏的人请填写姓名`, [{ field: 'voterId', message: '不在本村（社区）名单中' }])
      }
      voterId = v.id
      subject = v.name
    } else if (!subject) {
      throw invalid('请选择申诉涉及的选民，或填写名单遗漏的人员姓名', [{ field: 'subjectName', message: '不能为空' }])
    }
    const { id } = await trx
      .insertInto('voter_objection')
      .values({
        county_code: a.countyCode,
        campaign_id: campaign.id,
        unit_code: unit.code,
        voter_id: voterId,
        subject_name: subject,
        objector_name: objector,
        content,
        received_on: input.receivedOn,
        created_by: a.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const row = await reload(trx, a.countyCode, id)
    await recordAudit(trx, ctx, { action: 'voter.objection.create', objectType: 'voter_objection', objectId: id, after: shape(row), extra: { published_on: roll.published_on } })
    return toObjection(row, today)
  })
}

// ── deciding ──

export interface DecisionInput {
  upheld: boolean
  decision: string
  decidedOn: string
  removeVoter?: boolean
  version: number
}

export async function decideObjection(db: Kysely<DB>, ctx: Ctx, id: string, input: DecisionInput): Promise<Objection> {
  const a = ctx.actor
  const { row: before, unit } = await loadObjection(db, a, id)
  await writableUnit(db, a, before.unit_code)
  const today = todayInChina()
  notAfterToday('decidedOn', '处理决定日期', input.decidedOn, today)
  const decision = input.decision.trim()
  if (!decision) throw invalid('请填写处理决定（如：申诉成立，将某某移出选民名单）', [{ field: 'decision', message: '不能为空' }])
  if (input.removeVoter && !input.upheld) throw invalid('申诉不成立时不能移出选民；如需移出，请将“申诉是否成立”选为成立', [{ field: 'removeVoter', message: '申诉不成立' }])
  if (input.removeVoter && !before.voter_id) {
    throw invalid(`这件申诉涉及的“${before.subject_name}”不在名单中，无可移出；如申诉成立，请在选民登记中登记此人`, [{ field: 'removeVoter', message: '申诉涉及的人不在名单中' }])
  }
  if (before.decided_on) throw conflict(`这件申诉已于 ${before.decided_on} 作出处理决定，处理决定不能更改；如有新的异议，可在申诉期内另行提出申诉`)
  return inTransaction(db, async (trx) => {
    const roll = (await repo.shareRoll(trx, a.countyCode, before.campaign_id, before.unit_code))!
    if (roll.status === 'frozen') throw frozen(unit.name, roll)
    const late = objectionProblems({ publishedOn: roll.published_on!, receivedOn: before.received_on, decidedOn: input.decidedOn }).filter((p) => p.field === 'decidedOn')
    if (late.length) throw refusal(late)
    const updated = await trx
      .updateTable('voter_objection')
      .set({ upheld: input.upheld, decision, decided_on: input.decidedOn, updated_at: new Date(), version: input.version + 1 })
      .where('county_code', '=', a.countyCode)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .where('decided_on', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!updated) throw versionConflict('这件申诉已被他人修改，请刷新后重试')
    let removed: string | undefined
    if (input.removeVoter) {
      const v = (await repo.findVoter(trx, a.countyCode, before.voter_id!))!
      if (v.status !== 'active') throw conflict(`“${v.name}”已不在选民名单中（已移出），请不要勾选“同时移出选民”`)
      const reason = `申诉成立（${before.received_on} 收到，${input.decidedOn} 决定）：${decision}`
      const out = await repo.updateVoterVersioned(trx, a.countyCode, v.id, v.version, { status: 'removed', removed_reason: reason })
      if (!out) throw versionConflict(`“${v.name}”的登记信息刚刚被他人修改，请刷新后重试`)
      await recordAudit(trx, ctx, {
        action: 'voter.remove',
        objectType: 'voter',
        objectId: v.id,
        before: auditShape(v),
        after: auditShape(out),
        extra: { roll_status: roll.status, published_on: roll.published_on, objection_id: id },
      })
      removed = v.id
    }
    const after = await reload(trx, a.countyCode, id)
    await recordAudit(trx, ctx, {
      action: 'voter.objection.decide',
      objectType: 'voter_objection',
      objectId: id,
      before: shape(before),
      after: shape(after),
      extra: removed ? { removed_voter_id: removed } : undefined,
    })
    return toObjection(after, today)
  })
}

// ── publishing the decision ──

export async function publishDecision(db: Kysely<DB>, ctx: Ctx, id: string, input: { decisionPublishedOn: string; version: number }): Promise<Objection> {
  const a = ctx.actor
  const { row: before } = await loadObjection(db, a, id)
  await writableUnit(db, a, before.unit_code)
  const today = todayInChina()
  const day = input.decisionPublishedOn
  notAfterToday('decisionPublishedOn', '处理结果公布日期', day, today)
  if (!before.decided_on) throw conflict('这件申诉还没有作出处理决定：请先作出处理决定，再登记处理结果的公布日期')
  if (day < before.decided_on) {
    throw ruleViolation(`处理结果公布日期 ${day} 早于处理决定日期 ${before.decided_on}，请核对日期`, [{ field: 'decisionPublishedOn', message: '早于处理决定日期' }])
  }
  const due = decisionDeadline(before.received_on)
  if (day > due) {
    throw ruleViolation(`申诉的处理结果应自收到申诉之日起${DECISION_DAYS}日内公布（收到 ${before.received_on}，最迟 ${due}），所填 ${day} 已超过期限；请核对日期。依据：${voterBasis.objection}`, [
      { field: 'decisionPublishedOn', message: `最迟 ${due}` },
    ])
  }
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('voter_objection')
      .set({ decision_published_on: day, updated_at: new Date(), version: input.version + 1 })
      .where('county_code', '=', a.countyCode)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst()
    if (!updated) throw versionConflict('这件申诉已被他人修改，请刷新后重试')
    const after = await reload(trx, a.countyCode, id)
    await recordAudit(trx, ctx, { action: 'voter.objection.publish', objectType: 'voter_objection', objectId: id, before: shape(before), after: shape(after) })
    return toObjection(after, today)
  })
}
