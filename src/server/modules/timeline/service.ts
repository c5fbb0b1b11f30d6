/**
 * 换届时间表 (issue 6 §1): a township's phase dates, each unit's election days, and its milestones
 * planned from them by rules/timeline, marked done with a date and evidence. A date that breaks a
 * legal offset is refused with the rule and its basis; a practice lead time only warns.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, levelOfCode } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import {
  addDays,
  checkElectionDays,
  checkMilestoneDate,
  defaultTemplate,
  phaseLabels,
  phaseOrder,
  planMilestones,
  type DateVerdict,
  type ElectionDays,
  type PhaseKey,
} from '../../../rules/timeline/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as repo from './repo.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser', 'contact_cadre'] as const

export type MilestoneStatus = 'done' | 'overdue' | 'due' | 'planned' | 'unscheduled'
export const statusLabels: Record<MilestoneStatus, string> = { done: '已完成', overdue: '已逾期', due: '即将到期', planned: '未到期', unscheduled: '待定选举日' }
/** A milestone is "due" this many days before its planned day. */
const DUE_WITHIN = 3

function assertWriter(a: Actor, unitCode: string): void {
  if (!(writerRoles as readonly string[]).includes(a.role)) throw forbidden('您的角色只能查看时间表')
  if (!canSeeTerritory(a, unitCode)) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
}

/** The township asked for, or the actor's own; county users must name one. */
async function townshipOf(db: Kysely<DB>, a: Actor, code?: string) {
  if (a.role === 'reviewer') throw forbidden('审查人员不能查看换届时间表')
  const wanted = code ?? (a.territoryLevel === 'township' ? a.territoryCode : undefined)
  if (!wanted) {
    const first = (await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'township', status: 'active' }))[0]
    if (!first) throw notFound('本县还没有乡镇')
    return first
  }
  const t = levelOfCode(wanted) === 'township' && covers(a, wanted) ? await territoryRepo.findTerritory(db, a.countyCode, wanted) : undefined
  if (!t || t.level !== 'township') throw notFound('乡镇不存在，或不在您的管辖范围内')
  return t
}

/** A unit's election days: the plan first; without one, the day of the round's first election already entered. */
function daysOf(unitCode: string, s: { party_on: string | null; committee_on: string | null } | undefined, held: { unit_code: string; body: string; held_on: string }[]): ElectionDays {
  const fromElections = (bodies: string[]) => held.find((h) => h.unit_code === unitCode && bodies.includes(h.body))?.held_on ?? null
  return {
    party: s?.party_on ?? fromElections(['party_committee']),
    committee: s?.committee_on ?? fromElections(['villager_committee', 'resident_committee']),
  }
}

/** Whether `doneOn` is allowed for the unit's milestone under its election days (the unit is in scope: the caller checked). */
export async function doneVerdict(db: Kysely<DB> | Transaction<DB>, countyCode: string, campaign: CampaignRow, unitCode: string, key: string, doneOn: string): Promise<DateVerdict> {
  if (!defaultTemplate.some((m) => m.key === key)) throw notFound(`没有“${key}”这个节点`)
  const [s, held] = await Promise.all([repo.findSchedule(db, countyCode, campaign.id, unitCode), repo.electionDays(db, countyCode, unitCode, campaign.starts_on, campaign.ends_on)])
  return checkMilestoneDate(key, doneOn, daysOf(unitCode, s, held))
}

/** A refused date as the 422 the user reads: the rule, the dates, and the basis. */
export function refusal(v: DateVerdict) {
  return ruleViolation(`${v.message}。依据：${v.basis.map((b) => `《${b.law}》${b.article}`).join('；')}`, [{ field: 'doneOn', message: v.message }])
}

function statusOf(done: boolean, plannedOn: string | null, deadline: string | null, today: string): MilestoneStatus {
  if (done) return 'done'
  const due = deadline ?? plannedOn
  if (!due) return 'unscheduled'
  if (due < today) return 'overdue'
  return due <= addDays(today, DUE_WITHIN) ? 'due' : 'planned'
}

export async function timeline(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const a = ctx.actor
  // Scope first: another township's is a 404 whether or not the county has a campaign.
  const township = await townshipOf(db, a, q.township)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = township.code.slice(0, 9)
  const today = todayInChina()
  const [units, phases, schedules, done, heldRows] = await Promise.all([
    territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'unit', status: 'active', onlyCodes: a.role === 'contact_cadre' ? a.unitCodes : undefined }),
    repo.phasesOf(db, a.countyCode, campaign.id, township.code),
    repo.schedulesOf(db, a.countyCode, campaign.id, prefix),
    repo.milestonesOf(db, a.countyCode, campaign.id, prefix),
    repo.electionDays(db, a.countyCode, prefix, campaign.starts_on, campaign.ends_on),
  ])
  const windows = Object.fromEntries(phases.map((p) => [p.phase, { startsOn: p.starts_on, endsOn: p.ends_on }])) as Partial<Record<PhaseKey, { startsOn: string; endsOn: string }>>
  return {
    campaign: toCampaign(campaign, today),
    township: { code: township.code, name: township.name },
    today,
    canEdit: (writerRoles as readonly string[]).includes(a.role),
    canEditPhases: a.role === 'county_admin' || a.role === 'township_organiser',
    phases: phaseOrder.map((phase) => ({ phase, label: phaseLabels[phase], startsOn: windows[phase]?.startsOn ?? null, endsOn: windows[phase]?.endsOn ?? null })),
    template: defaultTemplate.map((m) => ({ key: m.key, name: m.name, phase: m.phase, strict: m.strict, basis: m.basis })),
    units: units.map((u) => {
      const s = schedules.find((x) => x.unit_code === u.code)
      const days = daysOf(u.code, s, heldRows)
      const mine = done.filter((m) => m.unit_code === u.code)
      // An election counted and announced in the system is done on its day without anyone ticking it.
      const held = (bodies: string[]) => heldRows.find((h) => h.unit_code === u.code && bodies.includes(h.body) && h.announced_on)?.announced_on ?? null
      const auto: Record<string, string | null> = { party_election: held(['party_committee']), committee_election: held(['villager_committee', 'resident_committee']) }
      return {
        code: u.code,
        name: u.name,
        kind: u.kind,
        partyOn: days.party,
        committeeOn: days.committee,
        scheduled: !!s,
        version: s?.version ?? 0,
        warnings: checkElectionDays(days, windows).map((w) => w.message),
        milestones: planMilestones(days).map((m) => {
          const d = mine.find((x) => x.key === m.key) ?? (auto[m.key] ? { done_on: auto[m.key]!, evidence: '选举结果已在系统中公布', done_by: '系统（选举计票）' } : undefined)
          const verdict = d ? checkMilestoneDate(m.key, d.done_on, days) : null
          return {
            ...m,
            doneOn: d?.done_on ?? null,
            evidence: d?.evidence ?? '',
            doneBy: d?.done_by ?? null,
            status: statusOf(!!d, m.plannedOn, m.deadline, today),
            late: verdict && verdict.level !== 'ok' ? verdict.message : null,
          }
        }),
      }
    }),
  }
}

function checkDate(field: string, label: string, v: string | null | undefined): void {
  if (v && !isRealDate(v)) throw invalid(`${label}“${v}”不是有效日期`, [{ field, message: '应为有效日期' }])
}

export async function savePhases(db: Kysely<DB>, ctx: Ctx, input: { township: string; campaign?: string; phases: { phase: PhaseKey; startsOn: string; endsOn: string }[] }) {
  const a = ctx.actor
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('只有乡镇组织员或县级管理员可以安排阶段时间')
  const township = await townshipOf(db, a, input.township)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const seen = new Set<string>()
  for (const p of input.phases) {
    if (seen.has(p.phase)) throw invalid(`“${phaseLabels[p.phase]}”填了两次`, [{ field: p.phase, message: '重复' }])
    seen.add(p.phase)
    checkDate(p.phase, phaseLabels[p.phase], p.startsOn)
    checkDate(p.phase, phaseLabels[p.phase], p.endsOn)
    if (p.endsOn < p.startsOn) throw invalid(`“${phaseLabels[p.phase]}”的结束日期早于开始日期`, [{ field: p.phase, message: '结束日期早于开始日期' }])
    if (p.startsOn < campaign.starts_on || (campaign.ends_on && p.endsOn > campaign.ends_on)) {
      throw ruleViolation(`“${phaseLabels[p.phase]}”（${p.startsOn}至${p.endsOn}）超出了${campaign.name}的时间段（${campaign.starts_on}至${campaign.ends_on ?? '未结束'}）`, [{ field: p.phase, message: '超出届次时间段' }])
    }
  }
  const before = await repo.phasesOf(db, a.countyCode, campaign.id, township.code)
  await db.transaction().execute(async (trx) => {
    await repo.replacePhases(trx, a.countyCode, campaign.id, township.code, input.phases)
    await recordAudit(trx, ctx, { action: 'timeline.phases', objectType: 'campaign_phase', objectId: `${campaign.id}:${township.code}`, before, after: input.phases })
  })
  return timeline(db, ctx, { township: township.code, campaign: campaign.id })
}

export async function saveSchedule(db: Kysely<DB>, ctx: Ctx, unitCode: string, input: { campaign?: string; partyOn: string | null; committeeOn: string | null; version: number }) {
  const a = ctx.actor
  assertWriter(a, unitCode)
  const unit = await territoryRepo.findTerritory(db, a.countyCode, unitCode)
  if (!unit || unit.level !== 'unit') throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  checkDate('partyOn', '党组织选举日', input.partyOn)
  checkDate('committeeOn', '村（居）委会选举日', input.committeeOn)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  for (const [field, day] of [['partyOn', input.partyOn], ['committeeOn', input.committeeOn]] as const) {
    if (day && (day < campaign.starts_on || (campaign.ends_on && day > campaign.ends_on))) {
      throw ruleViolation(`选举日 ${day} 不在${campaign.name}的时间段（${campaign.starts_on}至${campaign.ends_on ?? '未结束'}）内`, [{ field, message: '超出届次时间段' }])
    }
  }
  // A milestone already marked done must still be lawful under the new days.
  const days: ElectionDays = { party: input.partyOn, committee: input.committeeOn }
  const done = (await repo.milestonesOf(db, a.countyCode, campaign.id, unitCode)).filter((m) => m.unit_code === unitCode)
  const broken = done.map((m) => checkMilestoneDate(m.key, m.done_on, days)).filter((v) => v.level === 'refuse')
  if (broken.length) throw ruleViolation(`按新的选举日，已完成的节点将违反法定期限：${broken.map((v) => v.message).join('；')}`, broken.map((v) => ({ field: 'committeeOn', message: v.message })))
  const before = await repo.findSchedule(db, a.countyCode, campaign.id, unitCode)
  if ((before?.version ?? 0) !== input.version) throw versionConflict(`“${unit.name}”的选举日已被他人修改，请刷新后重试`)
  await db.transaction().execute(async (trx) => {
    const after = await repo.upsertSchedule(trx, a.countyCode, campaign.id, unitCode, { party_on: input.partyOn, committee_on: input.committeeOn }, a.displayName)
    await recordAudit(trx, ctx, { action: 'timeline.schedule', objectType: 'unit_schedule', objectId: `${campaign.id}:${unitCode}`, before, after })
  })
  return timeline(db, ctx, { township: `${unitCode.slice(0, 9)}000`, campaign: campaign.id })
}

/** Marks a milestone done; a date past a legal limit is refused (422 with the rule), a practice one is kept with a warning. */
export async function markDone(db: Kysely<DB>, ctx: Ctx, unitCode: string, key: string, input: { campaign?: string; doneOn: string; evidence: string }) {
  const a = ctx.actor
  assertWriter(a, unitCode)
  if (!defaultTemplate.some((m) => m.key === key)) throw notFound('没有这个节点')
  checkDate('doneOn', '完成日期', input.doneOn)
  if (input.doneOn > todayInChina()) throw invalid('完成日期不能晚于今天', [{ field: 'doneOn', message: '晚于今天' }])
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const verdict = await doneVerdict(db, a.countyCode, campaign, unitCode, key, input.doneOn)
  if (verdict.level === 'refuse') throw refusal(verdict)
  await inTransaction(db, async (trx) => {
    const row = await repo.saveMilestone(trx, { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unitCode, key, done_on: input.doneOn, evidence: input.evidence.trim(), done_by: a.displayName })
    await recordAudit(trx, ctx, { action: 'milestone.done', objectType: 'milestone', objectId: `${campaign.id}:${unitCode}:${key}`, after: row, extra: verdict.level === 'warn' ? { warning: verdict.message } : undefined })
  })
  return { warning: verdict.level === 'warn' ? verdict.message : null, timeline: await timeline(db, ctx, { township: `${unitCode.slice(0, 9)}000`, campaign: campaign.id }) }
}

export async function undoDone(db: Kysely<DB>, ctx: Ctx, unitCode: string, key: string, q: { campaign?: string }) {
  const a = ctx.actor
  assertWriter(a, unitCode)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  await db.transaction().execute(async (trx) => {
    const before = await repo.deleteMilestone(trx, a.countyCode, campaign.id, unitCode, key)
    if (!before) throw notFound('该节点尚未标记完成')
    await recordAudit(trx, ctx, { action: 'milestone.undo', objectType: 'milestone', objectId: `${campaign.id}:${unitCode}:${key}`, before })
  })
  return timeline(db, ctx, { township: `${unitCode.slice(0, 9)}000`, campaign: campaign.id })
}
