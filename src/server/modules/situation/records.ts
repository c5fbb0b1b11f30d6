/**
 * 民情 (issue 6 §6): the 四必访 visits — old Party members, villagers' representatives, families in
 * difficulty, petitioners — with what the person said and any follow-up, and the heart-to-heart
 * talks (谈心谈话) with the unit's current cadres about the election. Both hold personal opinions;
 * service.ts says who reads them. Filed from a phone by contact cadres for their units, or by the
 * township; only the township organiser corrects or removes one.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { invalid, notFound, versionConflict } from '../../http/errors.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { nameProblem, normalizeName } from '../../../rules/names/index.ts'
import type { TalkIntention, VisitCategory } from '../../../rules/situation/index.ts'
import { pickCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import * as personRepo from '../person/repo.ts'
import * as repo from './repo.ts'
import { assertRole, audit, campaignDay, editorRoles, filerRoles, listScope, readsPersonal, required, unitFor } from './service.ts'
import type { CadreTalkRow, VisitRow } from './table.ts'

const filersOnly = '您的角色只能查看走访和谈心谈话记录'
const editorsOnly = '走访和谈话记录含个人意见，只有乡镇组织员可以修改或删除'
const visitMissing = '走访记录不存在，或不在您的管辖范围内'
const talkMissing = '谈话记录不存在，或不在您的管辖范围内'

/** 王** : a petitioner's name for those who may not read the record whole. */
const maskName = (name: string) => `${[...name][0] ?? ''}**`

function personName(raw: string, field: string): string {
  const name = normalizeName(raw)
  const problem = nameProblem(name)
  if (problem) throw invalid(problem, [{ field, message: problem }])
  return name
}

// ── visits ──

export function toVisit(r: repo.VisitListRow, unitName: string, personal: boolean) {
  return {
    id: r.id,
    unitCode: r.unit_code,
    unitName,
    category: r.category,
    visitee: personal || r.category !== 'petitioner' ? r.visitee : maskName(r.visitee),
    visitedOn: r.visited_on,
    opinions: personal ? r.opinions : null,
    followUpNeeded: r.follow_up_needed,
    followUp: personal ? r.follow_up : null,
    followUpDoneOn: r.follow_up_done_on,
    followUpResult: personal ? r.follow_up_result : null,
    hidden: !personal,
    filedBy: r.created_by_name,
    filedAt: r.created_at.toISOString(),
    version: r.version,
  }
}

const toVisitWhole = (r: VisitRow, unitName: string, personal: boolean) => ({ ...toVisit(r, unitName, personal), phone: personal ? r.phone : null })

export async function listVisits(
  db: Kysely<DB>,
  ctx: Ctx,
  q: { township?: string; campaign?: string; unit?: string; category?: VisitCategory; followUp?: 'open' | 'done'; page: number; pageSize: number },
) {
  const s = await listScope(db, ctx, q)
  const { rows, total } = await repo.visitsPage(db, s.where, { category: q.category, followUp: q.followUp }, q.page, q.pageSize)
  return {
    township: s.township,
    opinionsVisible: readsPersonal(ctx.actor, s.township.code),
    items: rows.map((r) => toVisit(r, s.names.get(r.unit_code) ?? '', readsPersonal(ctx.actor, r.unit_code))),
    total,
  }
}

/** A visit in the actor's scope (also the routes' scope-first check). */
export async function loadVisit(db: Kysely<DB>, a: Actor, id: string) {
  const r = await repo.findRow(db, 'visit', a.countyCode, id)
  if (!r) throw notFound(visitMissing)
  return { r, unit: await unitFor(db, a, r.unit_code, visitMissing) }
}

export async function getVisit(db: Kysely<DB>, ctx: Ctx, id: string) {
  const { r, unit } = await loadVisit(db, ctx.actor, id)
  return toVisitWhole(r, unit.name, readsPersonal(ctx.actor, r.unit_code))
}

interface VisitInput {
  category: VisitCategory
  visitee: string
  phone?: string | null
  visitedOn: string
  opinions: string
  followUpNeeded: boolean
  followUp: string
}

function checkedVisit(campaign: CampaignRow, input: VisitInput) {
  return {
    category: input.category,
    visitee: personName(input.visitee, 'visitee'),
    phone: input.phone || null,
    visited_on: campaignDay(campaign, input.visitedOn, 'visitedOn', '走访日期'),
    opinions: required(input.opinions, 'opinions', '走访对象的意见建议（没有意见可写“无”）'),
    follow_up_needed: input.followUpNeeded,
    follow_up: input.followUpNeeded ? required(input.followUp, 'followUp', '需要跟进的事项') : '',
  }
}

/** Files a visit; the filer gets it back whole (what they just typed), whoever they are. */
export async function createVisit(db: Kysely<DB>, ctx: Ctx, input: VisitInput & { unitCode: string; campaign?: string }) {
  const a = ctx.actor
  assertRole(a, filerRoles, filersOnly)
  const unit = await unitFor(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = checkedVisit(campaign, input)
  const row = await inTransaction(db, async (trx) => {
    const r = await repo.insertRow(trx, 'visit', { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, ...v, created_by: a.userId, created_by_name: a.displayName })
    await audit(trx, ctx, { action: 'situation.visit.create', objectType: 'visit', objectId: r.id, after: r })
    return r
  })
  return toVisitWhole(row, unit.name, true)
}

export async function updateVisit(db: Kysely<DB>, ctx: Ctx, id: string, input: VisitInput & { followUpDoneOn: string | null; followUpResult: string; version: number }) {
  const a = ctx.actor
  assertRole(a, editorRoles, editorsOnly)
  const { r: before, unit } = await loadVisit(db, a, id)
  const v = checkedVisit(await pickCampaign(db, a.countyCode, before.campaign_id), input)
  const done = input.followUpDoneOn
  if (done !== null) {
    if (!input.followUpNeeded) throw invalid('这次走访不需要跟进，不能填写办结日期', [{ field: 'followUpDoneOn', message: '不需要跟进' }])
    if (!isRealDate(done)) throw invalid(`办结日期“${done}”不是有效日期`, [{ field: 'followUpDoneOn', message: '无效日期' }])
    if (done < v.visited_on || done > todayInChina()) throw invalid('办结日期应在走访日期和今天之间', [{ field: 'followUpDoneOn', message: '日期不在范围内' }])
  }
  const result = done === null ? input.followUpResult.trim() : required(input.followUpResult, 'followUpResult', '跟进结果')
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.updateRow(trx, 'visit', a.countyCode, id, input.version, { ...v, follow_up_done_on: done, follow_up_result: input.followUpNeeded ? result : '' })
    if (!r) throw versionConflict('这条走访记录已被他人修改，请刷新后重试')
    await audit(trx, ctx, { action: 'situation.visit.update', objectType: 'visit', objectId: id, before, after: r })
    return r
  })
  return toVisitWhole(row, unit.name, readsPersonal(a, unit.code))
}

export async function deleteVisit(db: Kysely<DB>, ctx: Ctx, id: string) {
  assertRole(ctx.actor, editorRoles, editorsOnly)
  const { r: before } = await loadVisit(db, ctx.actor, id)
  await db.transaction().execute(async (trx) => {
    await repo.deleteRow(trx, 'visit', ctx.actor.countyCode, id)
    await audit(trx, ctx, { action: 'situation.visit.delete', objectType: 'visit', objectId: id, before })
  })
  return { ok: true }
}

// ── talks ──

export function toTalk(r: CadreTalkRow, unitName: string, personal: boolean) {
  return {
    id: r.id,
    unitCode: r.unit_code,
    unitName,
    talkedOn: r.talked_on,
    cadreName: r.cadre_name,
    cadrePost: r.cadre_post,
    personId: r.person_id,
    talker: r.talker,
    intention: r.intention,
    opinions: personal ? r.opinions : null,
    followUp: personal ? r.follow_up : null,
    hidden: !personal,
    filedBy: r.created_by_name,
    filedAt: r.created_at.toISOString(),
    version: r.version,
  }
}

export async function listTalks(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string; unit?: string; intention?: TalkIntention }) {
  const s = await listScope(db, ctx, q)
  const rows = await repo.talksOf(db, s.where, q.intention)
  return {
    township: s.township,
    opinionsVisible: readsPersonal(ctx.actor, s.township.code),
    items: rows.map((r) => toTalk(r, s.names.get(r.unit_code) ?? '', readsPersonal(ctx.actor, r.unit_code))),
  }
}

interface TalkInput {
  talkedOn: string
  cadreName: string
  cadrePost: string
  personId?: string | null
  talker: string
  intention: TalkIntention
  opinions: string
  followUp: string
}

async function checkedTalk(db: Kysely<DB>, a: Actor, campaign: CampaignRow, unitCode: string, input: TalkInput) {
  const personId = input.personId ?? null
  if (personId) {
    const p = await personRepo.findPerson(db, a.countyCode, personId)
    if (!p || p.unit_code !== unitCode) throw invalid('所选人员不是本村（社区）人员库中的人员，请重新选择或直接填写姓名', [{ field: 'personId', message: '不是本村（社区）的人员' }])
  }
  return {
    talked_on: campaignDay(campaign, input.talkedOn, 'talkedOn', '谈话日期'),
    cadre_name: personName(input.cadreName, 'cadreName'),
    cadre_post: input.cadrePost.trim(),
    person_id: personId,
    talker: required(input.talker, 'talker', '谈话人'),
    intention: input.intention,
    opinions: input.opinions.trim(),
    follow_up: input.followUp.trim(),
  }
}

export async function createTalk(db: Kysely<DB>, ctx: Ctx, input: TalkInput & { unitCode: string; campaign?: string }) {
  const a = ctx.actor
  assertRole(a, filerRoles, filersOnly)
  const unit = await unitFor(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = await checkedTalk(db, a, campaign, unit.code, input)
  const row = await inTransaction(db, async (trx) => {
    const r = await repo.insertRow(trx, 'cadre_talk', { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, ...v, created_by: a.userId, created_by_name: a.displayName })
    await audit(trx, ctx, { action: 'situation.talk.create', objectType: 'cadre_talk', objectId: r.id, after: r })
    return r
  })
  return toTalk(row, unit.name, true)
}

/** A talk in the actor's scope (also the routes' scope-first check). */
export async function loadTalk(db: Kysely<DB>, a: Actor, id: string) {
  const r = await repo.findRow(db, 'cadre_talk', a.countyCode, id)
  if (!r) throw notFound(talkMissing)
  return { r, unit: await unitFor(db, a, r.unit_code, talkMissing) }
}

export async function updateTalk(db: Kysely<DB>, ctx: Ctx, id: string, input: TalkInput & { version: number }) {
  const a = ctx.actor
  assertRole(a, editorRoles, editorsOnly)
  const { r: before, unit } = await loadTalk(db, a, id)
  const v = await checkedTalk(db, a, await pickCampaign(db, a.countyCode, before.campaign_id), before.unit_code, input)
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.updateRow(trx, 'cadre_talk', a.countyCode, id, input.version, v)
    if (!r) throw versionConflict('这条谈话记录已被他人修改，请刷新后重试')
    await audit(trx, ctx, { action: 'situation.talk.update', objectType: 'cadre_talk', objectId: id, before, after: r })
    return r
  })
  return toTalk(row, unit.name, readsPersonal(a, unit.code))
}

export async function deleteTalk(db: Kysely<DB>, ctx: Ctx, id: string) {
  assertRole(ctx.actor, editorRoles, editorsOnly)
  const { r: before } = await loadTalk(db, ctx.actor, id)
  await db.transaction().execute(async (trx) => {
    await repo.deleteRow(trx, 'cadre_talk', ctx.actor.countyCode, id)
    await audit(trx, ctx, { action: 'situation.talk.delete', objectType: 'cadre_talk', objectId: id, before })
  })
  return { ok: true }
}
