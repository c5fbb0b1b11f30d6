/**
 * 换届统计 and 结构指标 (issue 5): the county's composition rule set, statistics for any territory
 * and body at any moment, the three composition checks as a units × rules matrix, one unit's
 * detail, and the seed's paragraph. Reads only, apart from the rule set; scope as everywhere: a
 * region outside the actor's territory is a 404.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound } from '../../http/errors.ts'
import { covers, levelOfCode, prefixOf } from '../../scope.ts'
import {
  CompositionRulesError,
  defaultCompositionRules,
  mergeCompositionRules,
  parameterLabels,
  ruleBasis,
  ruleKeys,
  ruleLabels,
  type CompositionRules,
  type StatsBody,
} from '../../../rules/composition/index.ts'
import { ageOn } from '../../../rules/age/index.ts'
import { educationLevel } from '../../../rules/codes/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import type { TerritoryRow } from '../territory/table.ts'
import { checkLabels, checkUnits, paragraphOf, progressOf, rollup, statsBodies, unitStats, unitStatusLabels, withAverage, type Check, type UnitStat } from './compute.ts'
import * as repo from './repo.ts'
import { statsWorkbook, summaryDocx } from './files.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const

// ---------------------------------------------------------------- rule set

export async function countyRules(db: Kysely<DB>, countyCode: string): Promise<CompositionRules> {
  const row = await repo.getRuleSet(db, countyCode)
  try {
    return mergeCompositionRules(row?.params ?? {})
  } catch {
    // A stored set that no longer checks (a parameter renamed by an upgrade) falls back to the defaults.
    return { ...defaultCompositionRules }
  }
}

export async function getRules(db: Kysely<DB>, ctx: Ctx) {
  const row = await repo.getRuleSet(db, ctx.actor.countyCode)
  return {
    rules: await countyRules(db, ctx.actor.countyCode),
    defaults: { ...defaultCompositionRules },
    overrides: (row?.params ?? {}) as Record<string, number | boolean | null>,
    version: row?.version ?? 0,
    labels: parameterLabels,
    targets: ruleKeys.map((key) => ({ key, label: ruleLabels[key], basis: ruleBasis[key] })),
  }
}

export async function saveRules(db: Kysely<DB>, ctx: Ctx, overrides: Record<string, unknown>) {
  if (ctx.actor.role !== 'county_admin') throw forbidden('只有县级管理员可以调整结构指标')
  try {
    mergeCompositionRules(overrides)
  } catch (err) {
    if (err instanceof CompositionRulesError) throw invalid(`结构指标参数有误：${err.message}`, [{ field: err.field, message: err.message }])
    throw err
  }
  const c = ctx.actor.countyCode
  await db.transaction().execute(async (trx) => {
    const before = await repo.saveRuleSet(trx, c, overrides, ctx.actor.displayName)
    await recordAudit(trx, ctx, { action: 'composition.rules', objectType: 'composition_rule_set', objectId: c, before: before?.params ?? {}, after: overrides })
  })
  return getRules(db, ctx)
}

// ---------------------------------------------------------------- region and campaign

export interface Scope {
  node: TerritoryRow
  region: repo.Region
  campaign: CampaignRow
  rules: CompositionRules
}

/** The region asked for, or the actor's own node; a contact cadre's is one of their units. */
async function scopeOf(db: Kysely<DB>, a: Actor, q: { region?: string; campaign?: string }): Promise<Scope> {
  if (a.role === 'reviewer') throw forbidden('审查人员不能查看换届统计')
  const code = q.region ?? (a.role === 'contact_cadre' ? a.unitCodes[0] : a.territoryCode)
  const allowed = code && (a.role === 'contact_cadre' ? a.unitCodes.includes(code) : covers(a, code))
  const node = allowed ? await territoryRepo.findTerritory(db, a.countyCode, code) : undefined
  if (!node) throw notFound('该区划不存在，或不在您的管辖范围内')
  const [campaign, rules] = await Promise.all([pickCampaign(db, a.countyCode, q.campaign), countyRules(db, a.countyCode)])
  return { node, region: { countyCode: a.countyCode, prefix: prefixOf(node.code) }, campaign, rules }
}

const nodeOut = (t: TerritoryRow) => ({ code: t.code, name: t.name, level: t.level, kind: t.kind })

// ---------------------------------------------------------------- statistics

export interface StatsQuery {
  region?: string
  body?: StatsBody
  campaign?: string
}

/** Rows under the region one level down: townships of a county, units of a township, the unit itself. */
function childrenOf(node: TerritoryRow, units: UnitStat[], townships: TerritoryRow[]) {
  if (node.level !== 'county') return units.map((u) => ({ code: u.code, name: u.name, level: 'unit' as const, kind: u.kind, status: u.status, units: progressOf([u]), ...figuresOf(units.filter((x) => x === u)) }))
  return townships.map((t) => {
    const mine = units.filter((u) => u.townshipCode === t.code)
    return { code: t.code, name: t.name, level: 'township' as const, kind: t.kind, status: null, units: progressOf(mine), ...figuresOf(mine) }
  })
}

function figuresOf(units: UnitStat[]) {
  const r = rollup(units)
  return { elected: withAverage(r.elected), incumbent: withAverage(r.incumbent), cross: r.cross, incumbentCross: r.incumbentCross, reserveCadres: r.reserveCadres }
}

export async function statistics(db: Kysely<DB>, ctx: Ctx, q: StatsQuery) {
  const s = await scopeOf(db, ctx.actor, q)
  const body = q.body ?? 'party_committee'
  const units = await unitStats(db, s.region, s.campaign.year, body, s.rules.youthAge)
  const townships = s.node.level === 'county' ? await territoryRepo.allTerritories(db, { countyCode: ctx.actor.countyCode, prefix: s.region.prefix, level: 'township', status: 'active' }) : []
  const r = rollup(units)
  return {
    campaign: toCampaign(s.campaign),
    region: nodeOut(s.node),
    body,
    bodyLabel: statsBodies[body].label,
    youthAge: s.rules.youthAge,
    asOf: todayInChina(),
    progress: progressOf(units),
    ...figuresOf(units),
    finished: withAverage(r.finishedElected),
    finishedWithHead: r.finishedWithHead,
    electedFrom: r.from,
    electedTo: r.to,
    children: childrenOf(s.node, units, townships),
    statusLabels: unitStatusLabels,
  }
}

/** The seed's paragraph for the region and body, with its targets against the elected teams. */
export async function paragraph(db: Kysely<DB>, ctx: Ctx, q: StatsQuery) {
  const s = await scopeOf(db, ctx.actor, q)
  const body = q.body ?? 'party_committee'
  const today = todayInChina()
  const [units, checks] = await Promise.all([unitStats(db, s.region, s.campaign.year, body, s.rules.youthAge), checkUnits(db, s.region, s.campaign, 'elected', s.rules, today)])
  const { text, targets } = paragraphOf(s.node, body, units, checks, s.rules.youthAge, today)
  return { text, targets: targets.map((t) => ({ ...t, label: ruleLabels[t.rule] })), campaign: toCampaign(s.campaign), region: nodeOut(s.node), body }
}

// ---------------------------------------------------------------- composition checks

export async function matrix(db: Kysely<DB>, ctx: Ctx, q: { region?: string; campaign?: string; check?: Check }) {
  const s = await scopeOf(db, ctx.actor, q)
  const check = q.check ?? 'elected'
  const units = await checkUnits(db, s.region, s.campaign, check, s.rules, todayInChina())
  const townships = new Map((await territoryRepo.allTerritories(db, { countyCode: ctx.actor.countyCode, prefix: ctx.actor.countyCode, level: 'township' })).map((t) => [t.code, t.name]))
  return {
    check,
    checkLabel: checkLabels[check],
    campaign: toCampaign(s.campaign),
    region: nodeOut(s.node),
    rules: ruleKeys.map((key) => ({ key, label: ruleLabels[key] })),
    units: units.map((u) => ({
      code: u.code,
      name: u.name,
      kind: u.kind,
      townshipName: townships.get(u.townshipCode) ?? '',
      referenceDate: u.referenceDate,
      failures: u.findings.filter((f) => f.level === 'fail').length,
      cells: u.findings.map((f) => ({ rule: f.rule, level: f.level, message: f.message })),
    })),
    summary: ruleKeys.map((key) => {
      const cells = units.map((u) => u.findings.find((f) => f.rule === key)!)
      return { rule: key, ok: cells.filter((c) => c.level === 'ok').length, warn: cells.filter((c) => c.level === 'warn').length, fail: cells.filter((c) => c.level === 'fail').length, na: cells.filter((c) => c.level === 'na').length }
    }),
  }
}

/** One unit: the three checks with their findings, its teams person by person, its reserve cadres. */
export async function unitDetail(db: Kysely<DB>, ctx: Ctx, code: string, q: { campaign?: string }) {
  const a = ctx.actor
  const ok = a.role === 'contact_cadre' ? a.unitCodes.includes(code) : covers(a, code)
  if (!ok || levelOfCode(code) !== 'unit') throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  const s = await scopeOf(db, a, { region: code, campaign: q.campaign })
  const today = todayInChina()
  const [incumbent, slate, elected, current, team, reserve] = await Promise.all([
    checkUnits(db, s.region, s.campaign, 'incumbent', s.rules, today),
    checkUnits(db, s.region, s.campaign, 'slate', s.rules, today),
    checkUnits(db, s.region, s.campaign, 'elected', s.rules, today),
    repo.windows(db, s.region, s.campaign.year).then((ws) => repo.members(db, s.region, ws, 'current')),
    repo.windows(db, s.region, s.campaign.year).then((ws) => repo.members(db, s.region, ws, 'team')),
    repo.reserveCadresOf(db, a.countyCode, code),
  ])
  const ref = incumbent[0]?.referenceDate ?? today
  const person = (m: repo.MemberRow) => ({
    personId: m.person_id,
    name: m.name,
    body: m.body,
    post: m.post,
    gender: m.gender,
    age: ageOn(m.birth_date, m.ref ?? ref),
    education: educationLevel(m.education),
    partyMember: m.political_status === '01' || m.political_status === '02',
    incumbent: m.incumbent,
  })
  return {
    unit: nodeOut(s.node),
    campaign: toCampaign(s.campaign),
    referenceDate: ref,
    checks: { incumbent: incumbent[0]?.findings ?? [], slate: slate[0]?.findings ?? [], elected: elected[0]?.findings ?? [] },
    current: current.map(person),
    team: team.map(person),
    reserveCadres: reserve.map((p) => ({ personId: p.id, name: p.name, gender: p.gender, age: ageOn(p.birth_date, ref), education: educationLevel(p.education), partyMember: p.political_status === '01' || p.political_status === '02' })),
  }
}

// ---------------------------------------------------------------- files

const stamp = (a: Actor) => `${a.displayName}（${a.username}）导出于 ${new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16)}，数据来自换届工作系统`

/** 换届统计表: every unit of the region, one row each, and a totals row. */
export async function statsXlsx(db: Kysely<DB>, ctx: Ctx, q: StatsQuery) {
  const s = await scopeOf(db, ctx.actor, q)
  const body = q.body ?? 'party_committee'
  const units = await unitStats(db, s.region, s.campaign.year, body, s.rules.youthAge)
  const townships = new Map((await territoryRepo.allTerritories(db, { countyCode: ctx.actor.countyCode, prefix: ctx.actor.countyCode, level: 'township' })).map((t) => [t.code, t.name]))
  const title = `${s.node.name}${statsBodies[body].label}换届统计表（${s.campaign.name}）`
  return { data: await statsWorkbook(title, units, townships, stamp(ctx.actor)), name: `${s.node.name}${statsBodies[body].label}换届统计表` }
}

/** The summary as Word: the paragraph, then each unit's targets missed. */
export async function summaryWord(db: Kysely<DB>, ctx: Ctx, q: StatsQuery) {
  const s = await scopeOf(db, ctx.actor, q)
  const body = q.body ?? 'party_committee'
  const [p, units, checks] = await Promise.all([
    paragraph(db, ctx, q),
    unitStats(db, s.region, s.campaign.year, body, s.rules.youthAge),
    checkUnits(db, s.region, s.campaign, 'elected', s.rules, todayInChina()),
  ])
  const rows = units.map((u) => ({
    name: u.name,
    status: unitStatusLabels[u.status],
    members: u.elected.members,
    missed: (checks.find((c) => c.code === u.code)?.findings ?? []).filter((f) => f.level === 'fail').map((f) => ruleLabels[f.rule]),
  }))
  const title = `${s.node.name}${statsBodies[body].label}换届工作情况`
  return { data: await summaryDocx(title, p.text, rows, stamp(ctx.actor)), name: `${title}.docx` }
}

export { statsBodies }
