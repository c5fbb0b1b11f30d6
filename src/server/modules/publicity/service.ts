/**
 * 政策宣传到位 (issue 6 §5): each unit's publicity activities in a campaign, by channel — LED屏,
 * 横幅/标语, 村村响广播, 会议宣讲, 微信群/公众号, 其他 — with the day, theme, reach, place and photos,
 * filed from a phone by the unit's contact cadre (or by the township); and the coverage view that
 * shows the township which units used which channels and which have done nothing yet.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, levelOfCode } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import type { AuditAction } from '../../../shared/audit-actions.ts'
import { recordAudit, type AuditEntry } from '../audit/service.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as repo from './repo.ts'
import type { Channel, PublicityActivityRow } from './table.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser', 'contact_cadre'] as const
export const channelLabels: Record<Channel, string> = { led: 'LED屏', banner: '横幅/标语', broadcast: '村村响广播', meeting: '会议宣讲', wechat: '微信群/公众号', other: '其他' }
export const channelKeys = Object.keys(channelLabels) as Channel[]
export const MAX_PHOTOS = 6
export const PHOTO_BYTES = 8 * 1024 * 1024
const MAX_REACH = 1_000_000
const MAX_THEME = 500
const MAX_PLACE = 100
const MAX_OTHER = 40

export interface ActivityFields {
  channel: string
  channelOther?: string
  heldOn: string
  theme: string
  reach: number
  place?: string
}

/** recordAudit with this module's actions (named in shared/audit-actions.ts). */
function audit(trx: Transaction<DB>, ctx: Ctx, entry: AuditEntry & { action: Extract<AuditAction, `publicity.${string}`> }): Promise<string> {
  return recordAudit(trx, ctx, entry)
}

type Photo = { id: string; activity_id: string; file_name: string }

/** The filer's side may change a record: the township and the county, and a contact cadre for what they filed themselves. */
function mayEdit(a: Actor, r: PublicityActivityRow): boolean {
  if (!(writerRoles as readonly string[]).includes(a.role) || !canSeeTerritory(a, r.unit_code)) return false
  return a.role !== 'contact_cadre' || r.created_by === a.userId
}

function toActivity(a: Actor, r: PublicityActivityRow, photos: Photo[], unitName = '') {
  return {
    id: r.id,
    unitCode: r.unit_code,
    unitName,
    channel: r.channel,
    channelLabel: r.channel === 'other' ? `其他（${r.channel_other}）` : channelLabels[r.channel],
    channelOther: r.channel_other,
    heldOn: r.held_on,
    theme: r.theme,
    reach: r.reach,
    place: r.place,
    filedBy: r.created_by_name,
    filedAt: r.created_at.toISOString(),
    updatedBy: r.updated_by_name,
    version: r.version,
    canEdit: mayEdit(a, r),
    photos: photos.filter((p) => p.activity_id === r.id).map((p) => ({ id: p.id, name: p.file_name })),
  }
}
export type Activity = ReturnType<typeof toActivity>

/** A refused field: the message names it, and its detail says the same for a form to show beside it. */
const bad = (field: string, message: string) => invalid(message, [{ field, message }])

export function channelOf(value: string, field = 'channel'): Channel {
  if (!(channelKeys as string[]).includes(value)) throw bad(field, `宣传方式“${value}”不存在，应为：${channelKeys.map((k) => channelLabels[k]).join('、')}`)
  return value as Channel
}

/** The stored values of a filled form, or a 400 naming the field; the day must lie in the round and not after today. */
function checked(input: ActivityFields, campaign: CampaignRow, today: string): repo.ActivityValues {
  const channel = channelOf(input.channel)
  const other = (input.channelOther ?? '').trim()
  if (channel === 'other' && !other) throw bad('channelOther', '宣传方式选“其他”时，请说明是哪种方式（如入户发放明白纸）')
  if (other.length > MAX_OTHER) throw bad('channelOther', `“其他”宣传方式的说明不能超过${MAX_OTHER}个字`)
  const day = input.heldOn.trim()
  if (!isRealDate(day)) throw bad('heldOn', `宣传日期“${day}”不是有效日期（应为 YYYY-MM-DD）`)
  if (day > today) throw bad('heldOn', `宣传日期不能晚于今天（${today}）`)
  if (day < campaign.starts_on) throw bad('heldOn', `宣传日期不能早于${campaign.name}的开始日期（${campaign.starts_on}）`)
  if (campaign.ends_on && day > campaign.ends_on) throw bad('heldOn', `宣传日期不能晚于${campaign.name}的结束日期（${campaign.ends_on}）`)
  const theme = input.theme.trim()
  if (!theme) throw bad('theme', '请填写宣传内容（主题）')
  if (theme.length > MAX_THEME) throw bad('theme', `宣传内容不能超过${MAX_THEME}个字`)
  if (input.reach < 0) throw bad('reach', '覆盖人数不能小于0')
  if (input.reach > MAX_REACH) throw bad('reach', `覆盖人数不能超过${MAX_REACH}，请核实`)
  const place = (input.place ?? '').trim()
  if (place.length > MAX_PLACE) throw bad('place', `地点不能超过${MAX_PLACE}个字`)
  return { channel, channel_other: channel === 'other' ? other : '', held_on: day, theme, reach: input.reach, place }
}

function assertWriterFor(a: Actor, unitCode: string): void {
  if (!(writerRoles as readonly string[]).includes(a.role)) throw forbidden('您的角色只能查看宣传活动')
  if (!canSeeTerritory(a, unitCode)) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
}

function assertEditor(a: Actor, r: PublicityActivityRow): void {
  if (!(writerRoles as readonly string[]).includes(a.role)) throw forbidden('您的角色只能查看宣传活动')
  if (!mayEdit(a, r)) throw forbidden(`这项宣传活动由${r.created_by_name}登记，只能由登记人或乡镇组织员修改`)
}

/** The township asked for, or the actor's own; county users default to the first. */
async function townshipOf(db: Kysely<DB>, a: Actor, code?: string) {
  if (a.role === 'reviewer') throw forbidden('审查人员不能查看政策宣传')
  const wanted = code ?? (a.territoryLevel === 'township' ? a.territoryCode : (await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'township', status: 'active' }))[0]?.code)
  const t = wanted && levelOfCode(wanted) === 'township' && covers(a, wanted) ? await territoryRepo.findTerritory(db, a.countyCode, wanted) : undefined
  if (!t || t.level !== 'township') throw notFound('乡镇不存在，或不在您的管辖范围内')
  return t
}

/** A township's round as the actor may see it: its units (a contact cadre's own only) and the filter for their activities. */
async function townshipScope(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const a = ctx.actor
  // Scope first: another township's is a 404 whether or not the county has a campaign.
  const township = await townshipOf(db, a, q.township)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = township.code.slice(0, 9)
  const onlyCodes = a.role === 'contact_cadre' ? a.unitCodes : undefined
  const units = await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'unit', status: 'active', onlyCodes })
  const filter: repo.ActivityFilter = { countyCode: a.countyCode, campaignId: campaign.id, prefix, onlyCodes }
  return { township: { code: township.code, name: township.name }, campaign, units, filter }
}

/** The round, today and the units the user may file for (a contact cadre's own; the township's; the county's), for the phone form. */
export async function formOptions(db: Kysely<DB>, ctx: Ctx) {
  const a = ctx.actor
  if (!(writerRoles as readonly string[]).includes(a.role)) throw forbidden('您的角色只能查看宣传活动')
  const campaign = await pickCampaign(db, a.countyCode)
  const prefix = a.territoryCode.slice(0, a.territoryLevel === 'county' ? 6 : 9)
  const [units, townships] = await Promise.all([
    territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'unit', status: 'active', onlyCodes: a.role === 'contact_cadre' ? a.unitCodes : undefined }),
    territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'township' }),
  ])
  const today = todayInChina()
  return {
    campaign: toCampaign(campaign, today),
    today,
    channels: channelKeys.map((key) => ({ key, label: channelLabels[key] })),
    units: units.map((u) => ({ code: u.code, name: u.name, townshipName: townships.find((t) => t.code === u.parent_code)?.name ?? '' })),
  }
}

export async function createActivity(db: Kysely<DB>, ctx: Ctx, input: ActivityFields & { unitCode: string; campaign?: string }) {
  const a = ctx.actor
  assertWriterFor(a, input.unitCode)
  const unit = await territoryRepo.findTerritory(db, a.countyCode, input.unitCode)
  if (!unit || unit.level !== 'unit' || unit.status !== 'active') throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = checked(input, campaign, todayInChina())
  const row = await inTransaction(db, async (trx) => {
    const r = await repo.insertActivity(trx, { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, ...v, created_by: a.userId, created_by_name: a.displayName, updated_by_name: a.displayName })
    await audit(trx, ctx, { action: 'publicity.create', objectType: 'publicity_activity', objectId: r.id, after: r })
    return r
  })
  return toActivity(a, row, [], unit.name)
}

/** An activity in the actor's scope (also the routes' scope-first check). */
export async function loadActivity(db: Kysely<DB>, a: Actor, id: string) {
  const r = await repo.findActivity(db, a.countyCode, id)
  if (!r || a.role === 'reviewer' || !canSeeTerritory(a, r.unit_code)) throw notFound('宣传活动不存在，或不在您的管辖范围内')
  return r
}

export async function getActivity(db: Kysely<DB>, ctx: Ctx, id: string) {
  const r = await loadActivity(db, ctx.actor, id)
  const [unit, photos] = await Promise.all([territoryRepo.findTerritory(db, ctx.actor.countyCode, r.unit_code), repo.photosOf(db, ctx.actor.countyCode, [r.id])])
  return toActivity(ctx.actor, r, photos, unit?.name)
}

export async function listActivities(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string; unit?: string; channel?: string; page: number; pageSize: number }) {
  const s = await townshipScope(db, ctx, q)
  if (q.unit && !s.units.some((u) => u.code === q.unit)) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  const channel = q.channel ? channelOf(q.channel) : undefined
  const { rows, total } = await repo.pageActivities(db, { ...s.filter, unit: q.unit, channel }, q.page, q.pageSize)
  const photos = await repo.photosOf(db, ctx.actor.countyCode, rows.map((r) => r.id))
  const names = new Map(s.units.map((u) => [u.code, u.name]))
  return { campaign: toCampaign(s.campaign), township: s.township, items: rows.map((r) => toActivity(ctx.actor, r, photos, names.get(r.unit_code))), total }
}

export async function updateActivity(db: Kysely<DB>, ctx: Ctx, id: string, input: ActivityFields & { version: number }) {
  const a = ctx.actor
  const before = await loadActivity(db, a, id)
  assertEditor(a, before)
  const v = checked(input, await pickCampaign(db, a.countyCode, before.campaign_id), todayInChina())
  await db.transaction().execute(async (trx) => {
    const r = await repo.updateActivity(trx, a.countyCode, id, input.version, { ...v, updated_by_name: a.displayName })
    if (!r) throw versionConflict('这项宣传活动已被他人修改或删除，请刷新后重试')
    await audit(trx, ctx, { action: 'publicity.update', objectType: 'publicity_activity', objectId: id, before, after: r })
  })
  return getActivity(db, ctx, id)
}

export async function deleteActivity(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const a = ctx.actor
  const before = await loadActivity(db, a, id)
  assertEditor(a, before)
  const photos = await repo.photosOf(db, a.countyCode, [id])
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deleteActivity(trx, a.countyCode, id, version))) throw versionConflict('这项宣传活动已被他人修改或删除，请刷新后重试')
    await audit(trx, ctx, { action: 'publicity.delete', objectType: 'publicity_activity', objectId: id, before, extra: { photos: photos.map((p) => p.file_name) } })
  })
  return { ok: true }
}

/** Scope, role and room before an upload is read: nothing is read from an upload to someone else's record. */
export async function checkPhotoTarget(db: Kysely<DB>, ctx: Ctx, id: string) {
  const r = await loadActivity(db, ctx.actor, id)
  assertEditor(ctx.actor, r)
  if ((await repo.photosOf(db, ctx.actor.countyCode, [id])).length >= MAX_PHOTOS) throw invalid(`每项宣传活动最多 ${MAX_PHOTOS} 张照片`)
  return r
}

export async function addPhoto(db: Kysely<DB>, ctx: Ctx, id: string, file: { name: string; type: string; data: Buffer }) {
  const a = ctx.actor
  await db.transaction().execute(async (trx) => {
    // Locked and counted again: two uploads at once cannot make a seventh photo.
    const r = await repo.lockActivity(trx, a.countyCode, id)
    if (!r || !canSeeTerritory(a, r.unit_code)) throw notFound('宣传活动不存在，或不在您的管辖范围内')
    assertEditor(a, r)
    if ((await repo.photosOf(trx, a.countyCode, [id])).length >= MAX_PHOTOS) throw invalid(`每项宣传活动最多 ${MAX_PHOTOS} 张照片`)
    const p = await repo.insertPhoto(trx, { county_code: a.countyCode, activity_id: id, file_name: file.name, content_type: file.type, data: file.data })
    await audit(trx, ctx, { action: 'publicity.photo', objectType: 'publicity_photo', objectId: p.id, extra: { activity: id, name: file.name, bytes: file.data.length } })
  })
  return getActivity(db, ctx, id)
}

export async function photo(db: Kysely<DB>, ctx: Ctx, id: string, photoId: string) {
  const r = await loadActivity(db, ctx.actor, id)
  const p = await repo.findPhoto(db, ctx.actor.countyCode, r.id, photoId)
  if (!p) throw notFound('照片不存在')
  return { name: p.file_name, type: p.content_type, data: p.data }
}

export async function removePhoto(db: Kysely<DB>, ctx: Ctx, id: string, photoId: string) {
  const a = ctx.actor
  const r = await loadActivity(db, a, id)
  assertEditor(a, r)
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deletePhoto(trx, a.countyCode, id, photoId))) throw notFound('照片不存在')
    await audit(trx, ctx, { action: 'publicity.photo.delete', objectType: 'publicity_photo', objectId: photoId, extra: { activity: id } })
  })
  return getActivity(db, ctx, id)
}

/**
 * 宣传覆盖: for a township and round, a row per unit (a contact cadre's own only) with its number of
 * activities on each channel and the people reached; the units with none at all; and per channel how
 * many units used it. Every number is a count of the activity rows behind it.
 */
export async function coverage(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const a = ctx.actor
  const s = await townshipScope(db, ctx, q)
  const cells = (await repo.coverageCounts(db, s.filter)).filter((c) => s.units.some((u) => u.code === c.unit))
  const units = s.units.map((u) => {
    const mine = cells.filter((c) => c.unit === u.code)
    const activities = mine.reduce((n, c) => n + c.n, 0)
    return {
      code: u.code,
      name: u.name,
      counts: Object.fromEntries(channelKeys.map((k) => [k, mine.find((c) => c.channel === k)?.n ?? 0])) as Record<Channel, number>,
      activities,
      reach: mine.reduce((n, c) => n + c.reach, 0),
      gap: activities === 0,
    }
  })
  const channels = channelKeys.map((key) => ({
    key,
    label: channelLabels[key],
    units: units.filter((u) => u.counts[key] > 0).length,
    activities: units.reduce((n, u) => n + u.counts[key], 0),
  }))
  const totals = {
    units: units.length,
    covered: units.filter((u) => !u.gap).length,
    gaps: units.filter((u) => u.gap).map((u) => u.name),
    activities: units.reduce((n, u) => n + u.activities, 0),
    reach: units.reduce((n, u) => n + u.reach, 0),
  }
  const today = todayInChina()
  const result = {
    campaign: toCampaign(s.campaign, today),
    township: s.township,
    today,
    canWrite: (writerRoles as readonly string[]).includes(a.role),
    channels,
    units,
    totals,
  }
  return { ...result, text: coverageSentence(a.role === 'contact_cadre' ? '您联系的' : s.township.name, totals, channels) }
}

/** A few units by name; a long list as its first names and the count (the matrix marks every one). */
const gapNames = (names: string[]) => (names.length <= 6 ? names.join('、') : `${names.slice(0, 3).join('、')}等${names.length}个村（社区）`)

/** The sentence a township puts at the head of its publicity summary, from the numbers. */
export function coverageSentence(where: string, t: { units: number; covered: number; gaps: string[]; activities: number; reach: number }, channels: { label: string; units: number }[]): string {
  if (!t.units) return `${where}没有村（社区）。`
  const used = channels.filter((c) => c.units > 0).map((c) => `${c.label}${c.units}个`)
  return [
    `${where}${t.units}个村（社区）中${t.covered}个已开展政策宣传，共开展宣传活动${t.activities}次，覆盖${t.reach}人次。`,
    used.length ? `按宣传方式，使用${used.join('、')}村（社区）。` : '',
    t.gaps.length ? `${gapNames(t.gaps)}尚未开展宣传，请抓紧安排。` : '所有村（社区）均已开展宣传。',
  ].join('')
}
