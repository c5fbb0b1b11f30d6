/**
 * 部署会议 (issue 6 §4): the county's and each township's meetings in a campaign — mobilisation,
 * training, the Party committee's progress reviews — with who attended, the minutes, and the
 * decisions (议定事项), each with an owner and a deadline; a decision past its deadline and not
 * done is overdue. The county admin writes anywhere in the county, an organiser in their township;
 * everyone else in scope reads.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { levelOfCode } from '../../scope.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import { audit, canRead, canWrite, day, isWriter, text, viewOf } from './shared.ts'
import type { MeetingDecisionRow, MeetingKind, MeetingRow } from './table.ts'

export const kindLabels: Record<MeetingKind, string> = { mobilisation: '动员部署会', training: '业务培训会', progress_review: '党委会专题研究/进度调度会', other: '其他会议' }
const WHAT = '部署会议'

export interface DecisionInput {
  id?: string
  content: string
  owner: string
  deadline?: string | null
  doneOn?: string | null
  doneNote?: string
}

export interface MeetingInput {
  kind: MeetingKind
  title: string
  heldOn: string
  place: string
  host: string
  attendees: string[]
  attendeeCount: number
  minutes: string
  decisions: DecisionInput[]
}

export type DecisionStatus = 'done' | 'overdue' | 'open'

/** Done once it has a done date; overdue when its deadline has passed without one. */
export function decisionStatus(d: { deadline: string | null; done_on: string | null }, today: string): DecisionStatus {
  if (d.done_on) return 'done'
  return d.deadline && d.deadline < today ? 'overdue' : 'open'
}

const toDecision = (d: MeetingDecisionRow, today: string) => ({
  id: d.id,
  seq: d.seq,
  content: d.content,
  owner: d.owner,
  deadline: d.deadline,
  doneOn: d.done_on,
  doneNote: d.done_note,
  status: decisionStatus(d, today),
})

function toMeeting(a: Actor, m: MeetingRow, decisions: MeetingDecisionRow[], territoryName: string, today: string) {
  return {
    id: m.id,
    territoryCode: m.territory_code,
    territoryName,
    level: levelOfCode(m.territory_code) === 'county' ? ('county' as const) : ('township' as const),
    kind: m.kind,
    kindLabel: kindLabels[m.kind],
    title: m.title,
    heldOn: m.held_on,
    place: m.place,
    host: m.host,
    attendees: m.attendees,
    attendeeCount: m.attendee_count,
    minutes: m.minutes,
    decisions: decisions.filter((d) => d.meeting_id === m.id).map((d) => toDecision(d, today)),
    canEdit: canWrite(a, m.territory_code),
    updatedBy: m.updated_by,
    updatedAt: m.updated_at.toISOString(),
    version: m.version,
  }
}
export type Meeting = ReturnType<typeof toMeeting>

/** The meetings of a county or township in a campaign, and the decisions still open across them. */
export async function listMeetings(db: Kysely<DB>, ctx: Ctx, q: { territory?: string; campaign?: string }) {
  const a = ctx.actor
  const view = await viewOf(db, a, q.territory, WHAT)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const today = todayInChina()
  const rows = await repo.meetingsOf(db, a.countyCode, campaign.id, view.code)
  const decisions = await repo.decisionsOf(db, a.countyCode, rows.map((m) => m.id))
  const meetings = rows.map((m) => toMeeting(a, m, decisions, view.name, today))
  const rank: Record<DecisionStatus, number> = { overdue: 0, open: 1, done: 2 }
  const openDecisions = meetings
    .flatMap((m) => m.decisions.filter((d) => d.status !== 'done').map((d) => ({ ...d, meetingId: m.id, meetingTitle: m.title, heldOn: m.heldOn, meetingVersion: m.version })))
    .sort((x, y) => rank[x.status] - rank[y.status] || (x.deadline ?? '9999').localeCompare(y.deadline ?? '9999') || x.heldOn.localeCompare(y.heldOn))
  return { campaign: toCampaign(campaign, today), territory: view, today, canEdit: canWrite(a, view.code), meetings, openDecisions, kindLabels }
}

async function loadMeeting(db: Kysely<DB>, a: Actor, id: string) {
  const m = await repo.findMeeting(db, a.countyCode, id)
  if (!m || !canRead(a, m.territory_code)) throw notFound('该会议不存在，或不在您的管辖范围内')
  return m
}

function assertWriter(a: Actor, territoryCode: string): void {
  if (!isWriter(a)) throw forbidden('您的角色只能查看部署会议')
  if (!canWrite(a, territoryCode)) throw forbidden('乡镇组织员只能登记和修改本乡镇的会议，县级会议由县级管理员登记')
}

async function reply(db: Kysely<DB>, a: Actor, m: MeetingRow) {
  const [decisions, names] = await Promise.all([repo.decisionsOf(db, a.countyCode, [m.id]), repo.namesOf(db, a.countyCode, [m.territory_code])])
  return toMeeting(a, m, decisions, names.get(m.territory_code) ?? '', todayInChina())
}

/** Scope before anything else of a write: another township's meeting is 404, the county's 403 to an organiser. */
export async function checkWriteTarget(db: Kysely<DB>, ctx: Ctx, id: string): Promise<void> {
  assertWriter(ctx.actor, (await loadMeeting(db, ctx.actor, id)).territory_code)
}

export async function getMeeting(db: Kysely<DB>, ctx: Ctx, id: string) {
  return reply(db, ctx.actor, await loadMeeting(db, ctx.actor, id))
}

/** Checks a meeting and its decisions; every message names the field (and the decision's number). */
function checked(input: MeetingInput, today: string) {
  const title = text(input.title, '会议名称', 'title', 100, true)
  const heldOn = day(input.heldOn, '会议日期', 'heldOn')
  const attendees = input.attendees.map((x) => text(x, '参会人员', 'attendees', 60)).filter(Boolean)
  if (input.attendeeCount < 1) throw invalid('请填写参会人数', [{ field: 'attendeeCount', message: '至少 1 人' }])
  if (input.attendeeCount < attendees.length) throw invalid(`参会人数（${input.attendeeCount}）少于列出的参会人员（${attendees.length}项）`, [{ field: 'attendeeCount', message: '少于列出的参会人员' }])
  const decisions = input.decisions.map((d, i) => {
    const n = `第${i + 1}项议定事项`
    const content = text(d.content, `${n}的内容`, `decisions.${i}.content`, 500, true)
    const owner = text(d.owner, `${n}的责任人`, `decisions.${i}.owner`, 40, true)
    const deadline = d.deadline ? day(d.deadline, `${n}的完成时限`, `decisions.${i}.deadline`) : null
    if (deadline && deadline < heldOn) throw invalid(`${n}的完成时限不能早于会议日期`, [{ field: `decisions.${i}.deadline`, message: '早于会议日期' }])
    const doneOn = d.doneOn ? day(d.doneOn, `${n}的完成日期`, `decisions.${i}.doneOn`) : null
    if (doneOn && doneOn < heldOn) throw invalid(`${n}的完成日期不能早于会议日期`, [{ field: `decisions.${i}.doneOn`, message: '早于会议日期' }])
    if (doneOn && doneOn > today) throw invalid(`${n}的完成日期不能晚于今天`, [{ field: `decisions.${i}.doneOn`, message: '晚于今天' }])
    const doneNote = text(d.doneNote, `${n}的完成情况`, `decisions.${i}.doneNote`, 500)
    return { id: d.id, seq: i + 1, content, owner, deadline, done_on: doneOn, done_note: doneOn ? doneNote : '' }
  })
  const values = {
    kind: input.kind,
    title,
    held_on: heldOn,
    place: text(input.place, '会议地点', 'place', 100),
    host: text(input.host, '主持人', 'host', 40),
    attendees: JSON.stringify(attendees),
    attendee_count: input.attendeeCount,
    minutes: text(input.minutes, '会议纪要', 'minutes', 20_000),
  }
  return { values, decisions }
}

export async function createMeeting(db: Kysely<DB>, ctx: Ctx, input: MeetingInput & { territory?: string; campaign?: string }) {
  const a = ctx.actor
  if (!isWriter(a)) throw forbidden('您的角色只能查看部署会议')
  const view = await viewOf(db, a, input.territory, WHAT)
  assertWriter(a, view.code)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = checked(input, todayInChina())
  if (v.decisions.some((d) => d.id)) throw invalid('新会议的议定事项不能带编号', [{ field: 'decisions', message: '不能带编号' }])
  const row = await inTransaction(db, async (trx) => {
    const m = await repo.insertMeeting(trx, { county_code: a.countyCode, campaign_id: campaign.id, territory_code: view.code, ...v.values, updated_by: a.displayName })
    await repo.insertDecisions(trx, v.decisions.map(({ id: _id, ...d }) => ({ ...d, county_code: a.countyCode, meeting_id: m.id })))
    await audit(trx, ctx, { action: 'meeting.create', objectType: 'meeting', objectId: m.id, after: { ...m, decisions: v.decisions } })
    return m
  })
  return reply(db, a, row)
}

export async function updateMeeting(db: Kysely<DB>, ctx: Ctx, id: string, input: MeetingInput & { version: number }) {
  const a = ctx.actor
  const before = await loadMeeting(db, a, id)
  assertWriter(a, before.territory_code)
  const v = checked(input, todayInChina())
  const old = await repo.decisionsOf(db, a.countyCode, [id])
  const stray = v.decisions.find((d) => d.id && !old.some((o) => o.id === d.id))
  if (stray) throw invalid(`第${stray.seq}项议定事项不属于本会议，请刷新后重试`, [{ field: `decisions.${stray.seq - 1}.id`, message: '不属于本会议' }])
  const row = await db.transaction().execute(async (trx) => {
    const m = await repo.updateMeeting(trx, a.countyCode, id, input.version, { ...v.values, updated_by: a.displayName })
    if (!m) throw versionConflict(`“${before.title}”已被他人修改，请刷新后重试`)
    // Decisions keep their ids, so a link to one (from the open list) survives an edit of the meeting.
    await repo.deleteDecisions(trx, a.countyCode, id, old.filter((o) => !v.decisions.some((d) => d.id === o.id)).map((o) => o.id))
    for (const { id: did, ...d } of v.decisions) if (did) await repo.updateDecision(trx, a.countyCode, id, did, d)
    await repo.insertDecisions(trx, v.decisions.filter((d) => !d.id).map(({ id: _id, ...d }) => ({ ...d, county_code: a.countyCode, meeting_id: id })))
    await audit(trx, ctx, { action: 'meeting.update', objectType: 'meeting', objectId: id, before: { ...before, decisions: old }, after: { ...m, decisions: v.decisions } })
    return m
  })
  return reply(db, a, row)
}

export async function deleteMeeting(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const a = ctx.actor
  const before = await loadMeeting(db, a, id)
  assertWriter(a, before.territory_code)
  const decisions = await repo.decisionsOf(db, a.countyCode, [id])
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deleteVersioned(trx, 'meeting', a.countyCode, id, version))) throw versionConflict(`“${before.title}”已被他人修改，请刷新后再删除`)
    await audit(trx, ctx, { action: 'meeting.delete', objectType: 'meeting', objectId: id, before: { ...before, decisions } })
  })
  return { ok: true }
}

/** Marks one decision done (or, with no date, not done), bumping the meeting's version. */
export async function setDecisionDone(db: Kysely<DB>, ctx: Ctx, id: string, decisionId: string, input: { version: number; doneOn: string | null; doneNote: string }) {
  const a = ctx.actor
  const before = await loadMeeting(db, a, id)
  assertWriter(a, before.territory_code)
  const d = (await repo.decisionsOf(db, a.countyCode, [id])).find((x) => x.id === decisionId)
  if (!d) throw notFound('该议定事项不存在，或已从会议中删除')
  const today = todayInChina()
  const doneOn = input.doneOn ? day(input.doneOn, '完成日期', 'doneOn') : null
  if (doneOn && doneOn < before.held_on) throw invalid('完成日期不能早于会议日期', [{ field: 'doneOn', message: '早于会议日期' }])
  if (doneOn && doneOn > today) throw invalid('完成日期不能晚于今天', [{ field: 'doneOn', message: '晚于今天' }])
  const doneNote = doneOn ? text(input.doneNote, '完成情况', 'doneNote', 500) : ''
  const row = await db.transaction().execute(async (trx) => {
    const m = await repo.updateMeeting(trx, a.countyCode, id, input.version, { updated_by: a.displayName })
    if (!m) throw versionConflict(`“${before.title}”已被他人修改，请刷新后重试`)
    await repo.updateDecision(trx, a.countyCode, id, decisionId, { done_on: doneOn, done_note: doneNote })
    await audit(trx, ctx, { action: 'meeting.decision', objectType: 'meeting_decision', objectId: decisionId, before: d, after: { ...d, done_on: doneOn, done_note: doneNote }, extra: { meeting: id } })
    return m
  })
  return reply(db, a, row)
}

