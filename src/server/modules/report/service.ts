/**
 * 日报告、周报告 (issue 6 §2): a contact cadre (or the township) files the day's report for a unit
 * from a phone — what happened, problems, next steps, a few figures, the milestones done today,
 * photos — or says explicitly that nothing happened (零报告). The township's daily and weekly
 * summaries are generated from these reports and the timeline's milestones; nobody types them.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound } from '../../http/errors.ts'
import { canSeeTerritory } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { addDays, defaultTemplate } from '../../../rules/timeline/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as timelineRepo from '../timeline/repo.ts'
import { doneVerdict, refusal, timeline } from '../timeline/service.ts'
import * as repo from './repo.ts'
import type { ProgressReportRow, ReportFigures } from './table.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser', 'contact_cadre'] as const
/** A report may be filed for today or, late, for up to this many days back. */
export const LATE_DAYS = 3
const figureKeys: (keyof ReportFigures)[] = ['meetings', 'visits', 'publicity', 'talks']
export const figureLabels: Record<keyof ReportFigures, string> = { meetings: '召开会议', visits: '走访户数', publicity: '宣传活动', talks: '谈心谈话' }

export interface ReportInput {
  unitCode: string
  campaign?: string
  reportDate?: string
  nothingNew: boolean
  progress: string
  problems: string
  nextSteps: string
  figures: ReportFigures
  milestones: string[]
}

function toReport(r: ProgressReportRow, photos: { id: string; report_id: string; file_name: string }[], unitName = '') {
  return {
    id: r.id,
    unitCode: r.unit_code,
    unitName,
    reportDate: r.report_date,
    nothingNew: r.nothing_new,
    progress: r.progress,
    problems: r.problems,
    nextSteps: r.next_steps,
    figures: r.figures as Record<string, number>,
    milestones: r.milestones,
    filedBy: r.created_by_name,
    filedAt: r.updated_at.toISOString(),
    version: r.version,
    photos: photos.filter((p) => p.report_id === r.id).map((p) => ({ id: p.id, name: p.file_name })),
  }
}
export type Report = ReturnType<typeof toReport>

function assertWriter(a: Actor, unitCode: string): void {
  if (!(writerRoles as readonly string[]).includes(a.role)) throw forbidden('您的角色只能查看日报告')
  if (!canSeeTerritory(a, unitCode)) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
}

/** Files (or, the same day, replaces) a unit's report; the milestones ticked are marked done on the report's day, in the same transaction. */
export async function fileReport(db: Kysely<DB>, ctx: Ctx, input: ReportInput) {
  const a = ctx.actor
  assertWriter(a, input.unitCode)
  const unit = await territoryRepo.findTerritory(db, a.countyCode, input.unitCode)
  if (!unit || unit.level !== 'unit') throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  const today = todayInChina()
  const day = input.reportDate ?? today
  if (!isRealDate(day)) throw invalid(`报告日期“${day}”不是有效日期`, [{ field: 'reportDate', message: '无效日期' }])
  if (day > today) throw invalid('不能报送以后日期的日报告', [{ field: 'reportDate', message: '晚于今天' }])
  if (day < addDays(today, -LATE_DAYS)) throw invalid(`只能补报${LATE_DAYS}日内的日报告（最早 ${addDays(today, -LATE_DAYS)}）`, [{ field: 'reportDate', message: '超过补报期限' }])
  const progress = input.progress.trim()
  if (!input.nothingNew && !progress && !input.milestones.length) throw invalid('请填写今日进展，或选择“今日无新进展”', [{ field: 'progress', message: '不能为空' }])
  for (const k of Object.keys(input.figures)) if (!figureKeys.includes(k as keyof ReportFigures)) throw invalid(`没有“${k}”这项数字`, [{ field: k, message: '未知项目' }])
  const milestones = [...new Set(input.milestones)]
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  // Every ticked milestone must be lawful on the report's day, or nothing is saved.
  for (const key of milestones) {
    const v = await doneVerdict(db, a.countyCode, campaign, input.unitCode, key, day)
    if (v.level === 'refuse') throw refusal(v)
  }
  const row = await inTransaction(db, async (trx) => {
    const r = await repo.upsertReport(
      trx,
      { countyCode: a.countyCode, campaignId: campaign.id, unitCode: input.unitCode, reportDate: day },
      { nothing_new: input.nothingNew, progress, problems: input.problems.trim(), next_steps: input.nextSteps.trim(), figures: input.figures, milestones },
      { id: a.userId, name: a.displayName },
    )
    for (const key of milestones) {
      const m = await timelineRepo.saveMilestone(trx, { county_code: a.countyCode, campaign_id: campaign.id, unit_code: input.unitCode, key, done_on: day, evidence: `见${day}日报告`, done_by: a.displayName })
      await recordAudit(trx, ctx, { action: 'milestone.done', objectType: 'milestone', objectId: `${campaign.id}:${input.unitCode}:${key}`, after: m, extra: { report: r.id } })
    }
    await recordAudit(trx, ctx, { action: 'report.file', objectType: 'progress_report', objectId: r.id, after: { ...r, figures: input.figures } })
    return r
  })
  // A report filed just now has no photos yet (they are added after it); a replaced one keeps its own.
  return toReport(row, row.version === 1 ? [] : await repo.photosOf(db, a.countyCode, [row.id]), unit.name)
}

async function loadReport(db: Kysely<DB>, a: Actor, id: string) {
  const r = await repo.findReport(db, a.countyCode, id)
  if (!r || a.role === 'reviewer' || !canSeeTerritory(a, r.unit_code)) throw notFound('日报告不存在，或不在您的管辖范围内')
  return r
}

export async function getReport(db: Kysely<DB>, ctx: Ctx, id: string) {
  const r = await loadReport(db, ctx.actor, id)
  const unit = await territoryRepo.findTerritory(db, ctx.actor.countyCode, r.unit_code)
  return toReport(r, await repo.photosOf(db, ctx.actor.countyCode, [r.id]), unit?.name)
}

export const MAX_PHOTOS = 6

export async function checkPhotoTarget(db: Kysely<DB>, ctx: Ctx, id: string) {
  const r = await loadReport(db, ctx.actor, id)
  assertWriter(ctx.actor, r.unit_code)
  if ((await repo.photosOf(db, ctx.actor.countyCode, [id])).length >= MAX_PHOTOS) throw invalid(`每份日报告最多 ${MAX_PHOTOS} 张照片`)
  return r
}

export async function addPhoto(db: Kysely<DB>, ctx: Ctx, id: string, file: { name: string; type: string; data: Buffer }) {
  const r = await checkPhotoTarget(db, ctx, id)
  await db.transaction().execute(async (trx) => {
    const p = await repo.insertPhoto(trx, { county_code: ctx.actor.countyCode, report_id: r.id, file_name: file.name, content_type: file.type, data: file.data })
    await recordAudit(trx, ctx, { action: 'report.photo', objectType: 'report_photo', objectId: p.id, extra: { report: r.id, name: file.name, bytes: file.data.length } })
  })
  return getReport(db, ctx, id)
}

export async function photo(db: Kysely<DB>, ctx: Ctx, id: string, photoId: string) {
  const r = await loadReport(db, ctx.actor, id)
  const p = await repo.findPhoto(db, ctx.actor.countyCode, r.id, photoId)
  if (!p) throw notFound('照片不存在')
  return { name: p.file_name, type: p.content_type, data: p.data }
}

/**
 * The township's summary for one day (日报汇总) or a span of days (周报): per unit, the reports
 * filed, the milestones done in the span and those overdue at its end; who has not reported.
 */
export async function summary(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string; from?: string; to?: string }) {
  const today = todayInChina()
  const to = q.to ?? today
  const from = q.from ?? to
  for (const [f, d] of [['from', from], ['to', to]] as const) if (!isRealDate(d)) throw invalid(`日期“${d}”无效`, [{ field: f, message: '无效日期' }])
  if (from > to) throw invalid('开始日期不能晚于结束日期', [{ field: 'from', message: '晚于结束日期' }])
  if (to > today) throw invalid('不能汇总以后的日期', [{ field: 'to', message: '晚于今天' }])
  // The timeline fixes the township (scope-checked there) and the units the actor may see.
  const tl = await timeline(db, ctx, { township: q.township, campaign: q.campaign })
  const campaign = await pickCampaign(db, ctx.actor.countyCode, tl.campaign.id)
  const prefix = tl.township.code.slice(0, 9)
  const reports = (await repo.reportsBetween(db, ctx.actor.countyCode, campaign.id, prefix, from, to)).filter((r) => tl.units.some((u) => u.code === r.unit_code))
  const photos = await repo.photosOf(db, ctx.actor.countyCode, reports.map((r) => r.id))
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1
  const names = Object.fromEntries(defaultTemplate.map((m) => [m.key, m.name]))
  const units = tl.units.map((u) => {
    const mine = reports.filter((r) => r.unit_code === u.code)
    return {
      code: u.code,
      name: u.name,
      reports: mine.map((r) => toReport(r, photos, u.name)),
      reportedDays: mine.length,
      missingDays: days - mine.length,
      milestonesDone: u.milestones.filter((m) => m.doneOn && m.doneOn >= from && m.doneOn <= to).map((m) => names[m.key] ?? m.key),
      overdue: u.milestones.filter((m) => !m.doneOn && (m.deadline ?? m.plannedOn) && (m.deadline ?? m.plannedOn)! < to).map((m) => names[m.key] ?? m.key),
    }
  })
  const figures = Object.fromEntries(figureKeys.map((k) => [k, reports.reduce((n, r) => n + (r.figures[k] ?? 0), 0)])) as Required<ReportFigures>
  const result = {
    campaign: toCampaign(campaign, today),
    township: tl.township,
    from,
    to,
    days,
    units,
    totals: {
      units: units.length,
      reported: units.filter((u) => u.reportedDays === days).length,
      reports: reports.length,
      missing: units.filter((u) => u.missingDays > 0).map((u) => u.name),
      milestonesDone: units.reduce((n, u) => n + u.milestonesDone.length, 0),
      overdue: units.reduce((n, u) => n + u.overdue.length, 0),
      problems: reports.filter((r) => r.problems).length,
      figures,
    },
  }
  return { ...result, text: summarySentence(result) }
}

interface SentenceInput {
  from: string
  to: string
  days: number
  township: { name: string }
  totals: { units: number; reported: number; missing: string[]; milestonesDone: number; overdue: number; problems: number; figures: Required<ReportFigures> }
}

/** The sentence a township writes at the top of its daily report, from the numbers. */
export function summarySentence(s: SentenceInput): string {
  const t = s.totals
  const span = s.from === s.to ? `${s.to}` : `${s.from}至${s.to}`
  const phrase: Record<keyof ReportFigures, [string, string]> = { meetings: ['召开会议', '次'], visits: ['走访', '户'], publicity: ['开展宣传活动', '次'], talks: ['谈心谈话', '人次'] }
  const figures = figureKeys.filter((k) => t.figures[k]).map((k) => `${phrase[k][0]}${t.figures[k]}${phrase[k][1]}`)
  return [
    `${span}，${s.township.name}${t.units}个村（社区）中${s.days === 1 ? `${t.reported}个报送了日报告` : `${t.reported}个每天按时报送`}${t.missing.length ? `，${t.missing.join('、')}未${s.days === 1 ? '报送' : '全部报送'}` : '，全部按时报送'}。`,
    `完成工作节点${t.milestonesDone}个${t.overdue ? `，逾期未完成节点${t.overdue}个，请相关村（社区）抓紧推进` : '，没有逾期节点'}。`,
    figures.length ? `期间${figures.join('，')}。` : '',
    t.problems ? `${t.problems}份报告反映了问题，详见下表。` : '',
  ].join('')
}

