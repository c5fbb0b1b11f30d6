/**
 * 换届届次: a county's round of re-elections. Its window decides which elections (and hand-entered
 * teams) belong to it, and its reference date is the day ages are counted on for the targets and
 * the statistics (rules.md rule 17; none set: each unit's election day). Windows never overlap, so
 * every election belongs to at most one campaign.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { recordAudit } from '../audit/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import type { CampaignRow } from './table.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const

export interface Campaign {
  id: string
  year: number
  name: string
  startsOn: string
  endsOn: string | null
  referenceDate: string | null
  /** Whether today falls in its window. */
  current: boolean
  version: number
}

export function toCampaign(r: CampaignRow, today = todayInChina()): Campaign {
  return {
    id: r.id,
    year: r.year,
    name: r.name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    referenceDate: r.reference_date,
    current: r.starts_on <= today && (r.ends_on === null || r.ends_on >= today),
    version: r.version,
  }
}

export interface CampaignInput {
  year: number
  name: string
  startsOn: string
  endsOn?: string | null
  referenceDate?: string | null
}

function checked(input: CampaignInput): repo.CampaignValues {
  const name = input.name.trim()
  if (!name) throw invalid('请填写届次名称，如“2026年村（社区）“两委”换届”', [{ field: 'name', message: '不能为空' }])
  for (const [field, label, v] of [['startsOn', '开始日期', input.startsOn], ['endsOn', '结束日期', input.endsOn], ['referenceDate', '年龄计算基准日', input.referenceDate]] as const) {
    if (v && !isRealDate(v)) throw invalid(`${label}“${v}”不是有效日期`, [{ field, message: '应为有效日期' }])
  }
  const endsOn = input.endsOn || null
  if (endsOn && endsOn < input.startsOn) throw invalid('结束日期不能早于开始日期', [{ field: 'endsOn', message: '不能早于开始日期' }])
  return { year: input.year, name, starts_on: input.startsOn, ends_on: endsOn, reference_date: input.referenceDate || null }
}

function assertAdmin(ctx: Ctx): void {
  if (ctx.actor.role !== 'county_admin') throw forbidden('只有县级管理员可以设置换届届次')
}

async function assertNoOverlap(db: Kysely<DB>, countyCode: string, v: repo.CampaignValues, exceptId?: string): Promise<void> {
  const other = await repo.overlapping(db, countyCode, v.starts_on, v.ends_on, exceptId)
  if (other.length) {
    const o = other[0]!
    throw ruleViolation(`时间段与“${o.name}”（${o.starts_on}至${o.ends_on ?? '未结束'}）重叠：每次选举只能属于一个届次，请调整日期`, [{ field: 'startsOn', message: '与其他届次重叠' }])
  }
}

export async function listCampaigns(db: Kysely<DB>, ctx: Ctx): Promise<Campaign[]> {
  const today = todayInChina()
  return (await repo.listCampaigns(db, ctx.actor.countyCode)).map((r) => toCampaign(r, today))
}

export async function createCampaign(db: Kysely<DB>, ctx: Ctx, input: CampaignInput): Promise<Campaign> {
  assertAdmin(ctx)
  const v = checked(input)
  await assertNoOverlap(db, ctx.actor.countyCode, v)
  const row = await db.transaction().execute(async (trx) => {
    if ((await repo.listCampaigns(trx, ctx.actor.countyCode)).some((c) => c.year === v.year)) throw conflict(`${v.year}年的换届届次已经存在`)
    const r = await repo.insertCampaign(trx, ctx.actor.countyCode, v)
    await recordAudit(trx, ctx, { action: 'campaign.create', objectType: 'campaign', objectId: r.id, after: v })
    return r
  })
  return toCampaign(row)
}

export async function updateCampaign(db: Kysely<DB>, ctx: Ctx, id: string, input: CampaignInput & { version: number }): Promise<Campaign> {
  assertAdmin(ctx)
  const before = await repo.findCampaign(db, ctx.actor.countyCode, id)
  if (!before) throw notFound('换届届次不存在')
  const v = checked(input)
  await assertNoOverlap(db, ctx.actor.countyCode, v, id)
  const row = await db.transaction().execute(async (trx) => {
    if ((await repo.listCampaigns(trx, ctx.actor.countyCode)).some((c) => c.year === v.year && c.id !== id)) throw conflict(`${v.year}年的换届届次已经存在`)
    const r = await repo.updateCampaign(trx, ctx.actor.countyCode, id, input.version, v)
    if (!r) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'campaign.update', objectType: 'campaign', objectId: id, before, after: v })
    return r
  })
  return toCampaign(row)
}

/** Today's campaign, else the latest that has begun, else the latest (campaigns sorted newest first). */
function defaultOf(all: CampaignRow[], today = todayInChina()): CampaignRow | undefined {
  return all.find((c) => c.starts_on <= today && (c.ends_on === null || c.ends_on >= today)) ?? all.find((c) => c.starts_on <= today) ?? all[0]
}

/** The campaign pages show by default, or none when the county has not set one up. */
export async function defaultCampaign(db: Kysely<DB>, countyCode: string): Promise<CampaignRow | undefined> {
  return defaultOf(await repo.listCampaigns(db, countyCode))
}

/** Whether an election day falls in the campaign's window. */
export function inCampaign(c: CampaignRow, day: string): boolean {
  return day >= c.starts_on && (c.ends_on === null || day <= c.ends_on)
}

/**
 * The campaign a statistic is about: the one asked for, else the one today falls in, else the
 * latest that has begun, else the latest. A county without campaigns gets a message saying what to set up.
 */
export async function pickCampaign(db: Kysely<DB>, countyCode: string, id?: string): Promise<CampaignRow> {
  const all = await repo.listCampaigns(db, countyCode)
  if (id) {
    const c = all.find((x) => x.id === id)
    if (!c) throw notFound('换届届次不存在')
    return c
  }
  const pick = defaultOf(all)
  if (!pick) throw ruleViolation('本县尚未设置换届届次：请县级管理员在“结构指标”页面新建届次（如2026年换届），统计按届次的时间段归集选举')
  return pick
}
