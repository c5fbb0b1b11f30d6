/**
 * 深入摸清“三情” (issue 6 §6): who may read and write what, shared by the assessment, record and
 * coverage services of this module.
 *
 * Reading: everyone but the department reviewer, within their territory; a contact cadre only the
 * assigned units. Writing: the township organiser and the county admin assess units and keep the
 * risk items; they and the contact cadres (for assigned units) file visits and talks; only the
 * township organiser edits or removes a visit or talk, because only township users read them whole.
 *
 * Privacy: a visit or talk holds a person's own words. The opinions, follow-up texts and phone are
 * read only by the township's own users — its organiser, and a leader whose territory is the
 * township — and by the auditor. The county admin, a county-level leader and the contact cadres
 * get them as null (and a 信访户's name as 王**, petition matters being sensitive). Lists never
 * carry a phone number at all. Whoever files a record gets it back whole in the answer to that
 * filing (it is what they just typed), and never afterwards unless the rule above lets them.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound } from '../../http/errors.ts'
import { canSeeTerritory, covers, levelOfCode, limitedToAssignedUnits } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { recordAudit, type AuditEntry } from '../audit/service.ts'
import type { AuditAction } from '../../../shared/audit-actions.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import type { TerritoryRow } from '../territory/table.ts'
import type { Where } from './repo.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const assessorRoles = ['county_admin', 'township_organiser'] as const
export const filerRoles = ['county_admin', 'township_organiser', 'contact_cadre'] as const
export const editorRoles = ['township_organiser'] as const

type SituationAction = Extract<AuditAction, `situation.${string}`>

/** recordAudit with this module's actions (named in shared/audit-actions.ts). */
export function audit(trx: Transaction<DB>, ctx: Ctx, entry: Omit<AuditEntry, 'action'> & { action: SituationAction }): Promise<string> {
  return recordAudit(trx, ctx, { ...entry, action: entry.action })
}

/** Whether the actor reads the personal parts of a visit or talk in this unit (see the header). */
export function readsPersonal(a: Actor, unitCode: string): boolean {
  if (a.role === 'auditor') return a.countyCode === unitCode.slice(0, 6)
  if (a.role !== 'township_organiser' && a.role !== 'leader') return false
  return a.territoryLevel === 'township' && covers(a, unitCode)
}

export function assertRole(a: Actor, roles: readonly string[], message: string): void {
  if (!roles.includes(a.role)) throw forbidden(message)
}

/** A unit the actor may work on: outside their territory (or a cadre's assigned units) it does not exist for them. */
export async function unitFor(db: Kysely<DB>, a: Actor, unitCode: string, missing = '该村（社区）不存在，或不在您的管辖范围内'): Promise<TerritoryRow> {
  const unit = canSeeTerritory(a, unitCode) ? await territoryRepo.findTerritory(db, a.countyCode, unitCode) : undefined
  if (!unit || unit.level !== 'unit') throw notFound(missing)
  return unit
}

/** The township asked for, or the actor's own; county users default to the first one. */
export async function townshipOf(db: Kysely<DB>, a: Actor, code?: string): Promise<TerritoryRow> {
  if (a.role === 'reviewer') throw forbidden('审查人员不能查看三情研判')
  const wanted = code ?? (a.territoryLevel === 'township' ? a.territoryCode : (await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'township', status: 'active' }))[0]?.code)
  const t = wanted && levelOfCode(wanted) === 'township' && covers(a, wanted) ? await territoryRepo.findTerritory(db, a.countyCode, wanted) : undefined
  if (!t) throw notFound('乡镇不存在，或不在您的管辖范围内')
  return t
}

/** The township, campaign and row filter of a list the actor asked for. */
export async function listScope(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string; unit?: string }) {
  const a = ctx.actor
  const township = await townshipOf(db, a, q.township)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = township.code.slice(0, 9)
  if (q.unit && (!q.unit.startsWith(prefix) || !canSeeTerritory(a, q.unit))) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  const where: Where = { countyCode: a.countyCode, campaignId: campaign.id, prefix, units: limitedToAssignedUnits(a) ? a.unitCodes : null, unit: q.unit }
  const units = await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'unit', status: 'active', onlyCodes: where.units ?? undefined })
  return { township: { code: township.code, name: township.name }, campaign, where, units, names: new Map(units.map((u) => [u.code, u.name])) }
}

/** A day of the campaign's work: a real date, in the campaign's window, and not after today. */
export function campaignDay(campaign: CampaignRow, day: string, field: string, label: string): string {
  if (!isRealDate(day)) throw invalid(`${label}“${day}”不是有效日期`, [{ field, message: '无效日期' }])
  const today = todayInChina()
  if (day > today) throw invalid(`${label}不能晚于今天（${today}）`, [{ field, message: '晚于今天' }])
  if (day < campaign.starts_on || (campaign.ends_on && day > campaign.ends_on)) {
    throw invalid(`${label}应在“${campaign.name}”期间（${campaign.starts_on}${campaign.ends_on ? `至${campaign.ends_on}` : '以后'}）`, [{ field, message: '不在本届换届期间' }])
  }
  return day
}

/** Trimmed text that must not be empty. */
export function required(value: string, field: string, label: string): string {
  const v = value.trim()
  if (!v) throw invalid(`请填写${label}`, [{ field, message: '不能为空' }])
  return v
}

/** The units the actor may file visits and talks for, for the phone form. */
export async function fileableUnits(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = q.township ? (await townshipOf(db, a, q.township)).code.slice(0, 9) : a.territoryCode.slice(0, a.territoryLevel === 'county' ? 6 : 9)
  const [units, townships] = await Promise.all([
    territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'unit', status: 'active', onlyCodes: limitedToAssignedUnits(a) ? a.unitCodes : undefined }),
    territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: prefix.slice(0, 6), level: 'township' }),
  ])
  const townshipName = new Map(townships.map((t) => [t.code.slice(0, 9), t.name]))
  const today = todayInChina()
  return {
    campaign: toCampaign(campaign, today),
    today,
    units: units.map((u) => ({ code: u.code, name: u.name, townshipName: townshipName.get(u.code.slice(0, 9)) ?? '' })),
  }
}
