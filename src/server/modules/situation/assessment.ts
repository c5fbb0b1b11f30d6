/**
 * 村情研判 and 风险隐患 (issue 6 §6): each unit's assessment for the campaign — development,
 * stability and the current team's credibility, rated 好/一般/差, giving a risk level by
 * rules/situation that the township may raise (never lower) with a reason — and the unit's risk
 * items, each with an owner, a deadline and, once settled, a resolution. One current assessment per
 * unit and campaign, edited with its version; every earlier state is in the audit log.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { compareLevels, effectiveLevel, isOverdue, riskLabels, riskOf, type Rating, type RiskCategory, type RiskLevel } from '../../../rules/situation/index.ts'
import { pickCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import { assertRole, assessorRoles, audit, campaignDay, listScope, required, unitFor } from './service.ts'
import type { RiskItemRow, UnitAssessmentRow } from './table.ts'

const assessorsOnly = '只有乡镇组织员或县级管理员可以研判村情、登记风险隐患'

export function toAssessment(r: UnitAssessmentRow, unitName: string) {
  return {
    id: r.id,
    unitCode: r.unit_code,
    unitName,
    development: r.development,
    developmentNote: r.development_note,
    stability: r.stability,
    stabilityNote: r.stability_note,
    credibility: r.credibility,
    credibilityNote: r.credibility_note,
    computedLevel: r.computed_level,
    reasons: riskOf(r).reasons,
    raisedLevel: r.raised_level,
    raiseReason: r.raise_reason,
    level: effectiveLevel(r.computed_level, r.raised_level),
    measures: r.measures,
    assessedOn: r.assessed_on,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  }
}

export async function listAssessments(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const s = await listScope(db, ctx, q)
  const rows = await repo.assessmentsOf(db, s.where)
  return { township: s.township, items: rows.filter((r) => s.names.has(r.unit_code)).map((r) => toAssessment(r, s.names.get(r.unit_code)!)) }
}

export interface AssessmentInput {
  campaign?: string
  development: Rating
  developmentNote: string
  stability: Rating
  stabilityNote: string
  credibility: Rating
  credibilityNote: string
  raisedLevel: RiskLevel | null
  raiseReason: string
  measures: string
  assessedOn?: string
  version: number
}

/** Creates (version 0) or updates the unit's assessment; the level is computed here, never taken from the client. */
export async function saveAssessment(db: Kysely<DB>, ctx: Ctx, unitCode: string, input: AssessmentInput) {
  const a = ctx.actor
  assertRole(a, assessorRoles, assessorsOnly)
  const unit = await unitFor(db, a, unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const assessedOn = campaignDay(campaign, input.assessedOn ?? todayInChina(), 'assessedOn', '研判日期')
  const computed = riskOf(input).level
  const raiseReason = input.raiseReason.trim()
  if (input.raisedLevel && compareLevels(input.raisedLevel, computed) <= 0) {
    throw ruleViolation(`按三项评价已研判为“${riskLabels[computed]}”，只能调高，不能调低或维持原等级；不调整请选择“不调整”`, [{ field: 'raisedLevel', message: '只能高于研判等级' }])
  }
  if (input.raisedLevel && !raiseReason) throw invalid('调高风险等级时请写明理由', [{ field: 'raiseReason', message: '不能为空' }])
  const values = {
    development: input.development,
    development_note: input.developmentNote.trim(),
    stability: input.stability,
    stability_note: input.stabilityNote.trim(),
    credibility: input.credibility,
    credibility_note: input.credibilityNote.trim(),
    computed_level: computed,
    raised_level: input.raisedLevel,
    raise_reason: input.raisedLevel ? raiseReason : '',
    measures: input.measures.trim(),
    assessed_on: assessedOn,
    updated_by: a.displayName,
  }
  const row = await db.transaction().execute(async (trx) => {
    const before = await repo.findAssessment(trx, a.countyCode, campaign.id, unit.code)
    const saved = input.version === 0 ? await repo.insertAssessment(trx, { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, ...values }) : before && (await repo.updateRow(trx, 'unit_assessment', a.countyCode, before.id, input.version, values))
    if (!saved) {
      if (!before && input.version > 0) throw notFound(`${unit.name}本届还没有村情研判，请新建`)
      throw versionConflict(`${unit.name}的村情研判已被${before?.updated_by ?? '他人'}修改，请刷新后重试`)
    }
    await audit(trx, ctx, { action: 'situation.assess', objectType: 'unit_assessment', objectId: saved.id, before: before ?? null, after: saved })
    return saved
  })
  return toAssessment(row, unit.name)
}

// ── risk items ──

export function toRisk(r: RiskItemRow, unitName: string, today: string) {
  return {
    id: r.id,
    unitCode: r.unit_code,
    unitName,
    category: r.category,
    description: r.description,
    owner: r.owner,
    deadline: r.deadline,
    status: r.status,
    resolution: r.resolution,
    resolvedOn: r.resolved_on,
    overdue: isOverdue(r, today),
    createdBy: r.created_by_name,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  }
}

export async function listRisks(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string; unit?: string; status?: 'open' | 'resolved'; overdue?: boolean }) {
  const s = await listScope(db, ctx, q)
  const today = todayInChina()
  const rows = await repo.riskItemsOf(db, s.where, { status: q.status, overdueOn: q.overdue ? today : undefined })
  return { township: s.township, items: rows.filter((r) => s.names.has(r.unit_code)).map((r) => toRisk(r, s.names.get(r.unit_code)!, today)) }
}

interface RiskInput {
  category: RiskCategory
  description: string
  owner: string
  deadline: string
  status: 'open' | 'resolved'
  resolution: string
  resolvedOn: string | null
}

function checkedRisk(input: RiskInput, campaignStart: string) {
  if (!isRealDate(input.deadline)) throw invalid(`化解时限“${input.deadline}”不是有效日期`, [{ field: 'deadline', message: '无效日期' }])
  const resolution = input.resolution.trim()
  let resolvedOn: string | null = null
  if (input.status === 'resolved') {
    if (!resolution) throw invalid('已化解的风险隐患请写明化解情况', [{ field: 'resolution', message: '不能为空' }])
    if (!input.resolvedOn) throw invalid('请填写化解日期', [{ field: 'resolvedOn', message: '不能为空' }])
    if (!isRealDate(input.resolvedOn)) throw invalid(`化解日期“${input.resolvedOn}”不是有效日期`, [{ field: 'resolvedOn', message: '无效日期' }])
    const today = todayInChina()
    if (input.resolvedOn > today) throw invalid(`化解日期不能晚于今天（${today}）`, [{ field: 'resolvedOn', message: '晚于今天' }])
    if (input.resolvedOn < campaignStart) throw invalid(`化解日期不能早于本届换届开始（${campaignStart}）`, [{ field: 'resolvedOn', message: '早于换届开始' }])
    resolvedOn = input.resolvedOn
  }
  return {
    category: input.category,
    description: required(input.description, 'description', '风险隐患的具体情况'),
    owner: required(input.owner, 'owner', '责任人'),
    deadline: input.deadline,
    status: input.status,
    resolution,
    resolved_on: resolvedOn,
  }
}

export async function createRisk(db: Kysely<DB>, ctx: Ctx, input: RiskInput & { unitCode: string; campaign?: string }) {
  const a = ctx.actor
  assertRole(a, assessorRoles, assessorsOnly)
  const unit = await unitFor(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = checkedRisk(input, campaign.starts_on)
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.insertRow(trx, 'risk_item', { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, ...v, created_by_name: a.displayName, updated_by: a.displayName })
    await audit(trx, ctx, { action: 'situation.risk.create', objectType: 'risk_item', objectId: r.id, after: r })
    return r
  })
  return toRisk(row, unit.name, todayInChina())
}

/** Loads a risk item the actor may change (also the routes' scope-first check). */
export async function loadRisk(db: Kysely<DB>, ctx: Ctx, id: string) {
  const a = ctx.actor
  assertRole(a, assessorRoles, assessorsOnly)
  const missing = '风险隐患不存在，或不在您的管辖范围内'
  const r = await repo.findRow(db, 'risk_item', a.countyCode, id)
  if (!r) throw notFound(missing)
  return { r, unit: await unitFor(db, a, r.unit_code, missing) }
}

export async function updateRisk(db: Kysely<DB>, ctx: Ctx, id: string, input: RiskInput & { version: number }) {
  const { r: before, unit } = await loadRisk(db, ctx, id)
  const campaign = await pickCampaign(db, ctx.actor.countyCode, before.campaign_id)
  const v = checkedRisk(input, campaign.starts_on)
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.updateRow(trx, 'risk_item', ctx.actor.countyCode, id, input.version, { ...v, updated_by: ctx.actor.displayName })
    if (!r) throw versionConflict(`该风险隐患已被${before.updated_by}修改，请刷新后重试`)
    await audit(trx, ctx, { action: 'situation.risk.update', objectType: 'risk_item', objectId: id, before, after: r })
    return r
  })
  return toRisk(row, unit.name, todayInChina())
}

export async function deleteRisk(db: Kysely<DB>, ctx: Ctx, id: string) {
  const { r: before } = await loadRisk(db, ctx, id)
  await db.transaction().execute(async (trx) => {
    await repo.deleteRow(trx, 'risk_item', ctx.actor.countyCode, id)
    await audit(trx, ctx, { action: 'situation.risk.delete', objectType: 'risk_item', objectId: id, before })
  })
  return { ok: true }
}
