import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, limitedToAssignedUnits, prefixOf, scopePrefix } from '../../scope.ts'
import { allowedPosts, bodyLabels, isPartyBody, mergeRules, partyCandidatesNeeded, postLabels, postOrder, TallyInputError } from '../../../rules/tally/index.ts'
import type { TallyBody, TallyPost, TallyRules } from '../../../rules/tally/types.ts'
import { compareByStrokes } from '../../../rules/strokes/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as personRepo from '../person/repo.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as nomineeRepo from '../nominee/repo.ts'
import * as repo from './repo.ts'
import type { ElectionListRow, ResultRow } from './repo.ts'
import type { StaffRole, StationKind } from './table.ts'
import { toResult } from './results.ts'
import { defaultCampaign, inCampaign } from '../campaign/service.ts'
import { assertRollFieldsKept, feedElection, withRollCount } from '../voter/election-feed.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser', 'contact_cadre'] as const
export const announcerRoles = ['county_admin', 'township_organiser'] as const

export const roundLabels = { first: '第一轮', supplementary: '另行选举', revote: '重新投票' } as const
export const statusLabels = { preparing: '筹备中', entering: '录入中', entered: '已录入待核对', confirmed: '已核对待公布', announced: '已公布' } as const
export type ElectionStatus = keyof typeof statusLabels
const staffLabels: Record<StaffRole, string> = { chief_monitor: '总监票人', monitor: '监票人', counter: '计票人', caller: '唱票人' }
const stationLabels: Record<StationKind, string> = { main: '中心会场', sub: '投票站', mobile: '流动票箱' }

export function visibleElection(actor: Actor, row: ElectionListRow | undefined): ElectionListRow {
  if (!row || actor.role === 'reviewer' || !canSeeTerritory(actor, row.unit_code)) throw notFound('选举不存在，或不在您的管辖范围内')
  return row
}

export function assertWriter(actor: Actor, unitCode: string, announcing = false): void {
  const roles: readonly string[] = announcing ? announcerRoles : writerRoles
  if (!roles.includes(actor.role)) throw forbidden(announcing ? '只有乡镇组织员或县级管理员可以公布、更正选举结果或发起下一轮' : '您的角色不能录入选举')
  const ok = actor.role === 'contact_cadre' ? actor.unitCodes.includes(unitCode) : covers(actor, unitCode)
  if (!ok) throw notFound('选举不存在，或不在您的管辖范围内')
}

export async function loadElection(db: Kysely<DB> | Transaction<DB>, actor: Actor, id: string): Promise<ElectionListRow> {
  return visibleElection(actor, await repo.findElection(db, actor.countyCode, id))
}

/** The county's rule set with the election's own overrides on top. */
export async function effectiveRules(db: Kysely<DB> | Transaction<DB>, countyCode: string, overrides: Record<string, unknown>): Promise<TallyRules> {
  const county = (await repo.getRuleSet(db, countyCode))?.rules ?? {}
  try {
    return mergeRules({ ...county, ...overrides })
  } catch (err) {
    if (err instanceof TallyInputError) throw invalid(`计票规则参数有误：${err.message}`)
    throw err
  }
}

function statusOf(results: ResultRow[]): ElectionStatus {
  const last = results.at(-1)
  if (!last) return 'preparing'
  return last.state === 'draft' ? 'entering' : last.state
}

/** What the latest announced count calls for (revote, supplementary, rerun, none). */
export function nextOf(results: ResultRow[]) {
  const announced = results.filter((r) => r.state === 'announced').at(-1)
  return announced ? ((announced.outcome as { next: 'none' | 'revote' | 'supplementary' | 'rerun' } | null)?.next ?? null) : null
}

async function summaries(db: Kysely<DB>, countyCode: string, rows: ElectionListRow[]) {
  const ids = rows.map((r) => r.id)
  const [posts, candidates, results] = await Promise.all([repo.postsOf(db, countyCode, ids), repo.candidatesOf(db, countyCode, ids), repo.resultsOf(db, countyCode, ids)])
  return rows.map((e) => {
    const rs = results.filter((r) => r.election_id === e.id)
    return {
      summary: summaryOf(
        e,
        posts.filter((p) => p.election_id === e.id),
        candidates.filter((c) => c.election_id === e.id).length,
        rs,
      ),
      results: rs,
    }
  })
}

function summaryOf(e: ElectionListRow, posts: { post: TallyPost; seats: number }[], candidateCount: number, results: ResultRow[]) {
  const status = statusOf(results)
  return {
    id: e.id,
    unitCode: e.unit_code,
    unitName: e.unit_name,
    townshipName: e.township_name,
    body: e.body,
    bodyLabel: bodyLabels[e.body],
    round: e.round,
    roundLabel: roundLabels[e.round],
    parentId: e.parent_id,
    heldOn: e.held_on,
    place: e.place,
    entitled: e.entitled,
    present: e.present,
    posts: [...posts].sort((a, b) => postOrder.indexOf(a.post) - postOrder.indexOf(b.post)).map((p) => ({ post: p.post, postLabel: postLabels[p.post], seats: p.seats })),
    candidateCount,
    status,
    statusLabel: statusLabels[status],
    next: nextOf(results),
    version: e.version,
  }
}

function filterOf(a: Actor) {
  if (a.role === 'reviewer') throw forbidden('联审部门审查员不查看选举')
  return { countyCode: a.countyCode, unitPrefix: scopePrefix(a), onlyUnits: limitedToAssignedUnits(a) ? a.unitCodes : undefined }
}

export async function listElections(db: Kysely<DB>, ctx: Ctx, q: { page: number; pageSize: number; unitCode?: string; body?: TallyBody; status?: ElectionStatus }) {
  const f: repo.ElectionFilter = { ...filterOf(ctx.actor), body: q.body }
  if (q.unitCode) {
    const p = prefixOf(q.unitCode)
    if (!p.startsWith(f.unitPrefix) && !(p.length === 12 && canSeeTerritory(ctx.actor, q.unitCode))) return { items: [], total: 0 }
    f.unitPrefix = p
  }
  // A township holds a few hundred rounds at most: filter by the derived status in memory.
  const all = (await summaries(db, ctx.actor.countyCode, await repo.listElections(db, f))).map((s) => s.summary)
  const items = q.status ? all.filter((s) => s.status === q.status) : all
  return { items: items.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: items.length }
}

function warningsOf(e: ElectionListRow, rules: TallyRules, posts: { post: TallyPost; seats: number }[], cands: { post: TallyPost; name: string; gender: string }[], staff: { role: StaffRole; name: string }[], stations: { kind: StationKind }[]) {
  const w: string[] = []
  if (e.round !== 'revote' && e.body !== 'party_secretary') {
    for (const { post, seats } of posts) {
      const n = cands.filter((c) => c.post === post).length
      if (e.body === 'party_committee') {
        const need = partyCandidatesNeeded(seats, rules.partySurplusRatio)
        if (n < need) w.push(`差额不足：委员应选 ${seats} 名，候选人 ${n} 名，至少需要 ${need} 名（差额不少于应选人数的${Math.round(rules.partySurplusRatio * 100)}%，进一取整），否则选举无效`)
      } else if (n <= seats) w.push(`差额不足：${postLabels[post]}应选 ${seats} 名，候选人 ${n} 名，候选人须多于应选名额，否则选举无效`)
    }
  }
  if (isPartyBody(e.body) && e.present !== null) {
    const ok = rules.quorumComparison === '>' ? e.present * 5 > e.entitled * 4 : e.present * 5 >= e.entitled * 4
    if (!ok) w.push(`到会人数不足：实到会 ${e.present} 人，应到会 ${e.entitled} 人，${rules.quorumComparison === '>' ? '须超过' : '须达到'}应到会人数的五分之四，否则选举无效`)
  }
  if ((e.body === 'villager_committee' || e.body === 'resident_committee') && e.round === 'first' && !posts.some((p) => p.post === 'woman_member') && !cands.some((c) => c.gender === 'female')) {
    w.push('候选人中没有女性：村（居）民委员会成员中应当有妇女成员，请考虑设妇女委员职务（专职专选）')
  }
  const names = new Set(cands.map((c) => c.name))
  for (const s of staff) if (names.has(s.name)) w.push(`${staffLabels[s.role]}“${s.name}”是本次选举的候选人，候选人不得担任监票人、计票人`)
  const monitors = staff.filter((s) => s.role === 'monitor' || s.role === 'chief_monitor').length
  const mobile = stations.filter((s) => s.kind === 'mobile').length
  if (mobile && monitors < 3) w.push(`设有 ${mobile} 个流动票箱，监票人仅 ${monitors} 名：每个流动票箱应有至少 3 名监票人随箱`)
  if (e.body === 'party_secretary' && !e.approval_ref) w.push('书记、副书记的选举结果须报上级党组织审批，批复后请在“基本信息”中填写批复文号')
  return w
}

export async function getElection(db: Kysely<DB>, ctx: Ctx, id: string) {
  const e = await loadElection(db, ctx.actor, id)
  const c = ctx.actor.countyCode
  const [[s], cands, staff, stations, rules] = await Promise.all([
    summaries(db, c, [e]),
    repo.candidatesOf(db, c, [id]),
    repo.staffOf(db, c, id),
    repo.stationsOf(db, c, id),
    effectiveRules(db, c, e.rules),
  ])
  const posts = s!.summary.posts
  return {
    ...s!.summary,
    unitKind: e.unit_kind,
    rules,
    ruleOverrides: e.rules,
    decisionNote: e.decision_note,
    approvalRef: e.approval_ref,
    approvedOn: e.approved_on,
    revoteOf: e.revote_of,
    candidates: [...cands]
      .sort((a, b) => postOrder.indexOf(a.post) - postOrder.indexOf(b.post) || a.position - b.position)
      .map((x) => ({ id: x.id, post: x.post, postLabel: postLabels[x.post], personId: x.person_id, nomineeId: x.nominee_id, name: x.name, gender: x.gender, position: x.position })),
    staff: staff.map((x) => ({ id: x.id, role: x.role, roleLabel: staffLabels[x.role], name: x.name })),
    stations: stations.map((x) => ({ id: x.id, kind: x.kind, kindLabel: stationLabels[x.kind], name: x.name })),
    results: s!.results.map((r) => toResult(r, ctx.actor)),
    warnings: warningsOf(e, rules, posts, cands, staff, stations),
    editable: s!.results.every((r) => r.state === 'draft'),
  }
}

export interface ElectionInput {
  unitCode: string
  body: TallyBody
  heldOn: string
  place: string
  entitled: number
  present?: number
  posts: { post: TallyPost; seats: number }[]
  rules?: Record<string, unknown>
  decisionNote?: string
}

function checkPosts(body: TallyBody, posts: { post: TallyPost; seats: number }[]) {
  const seen = new Set<string>()
  for (const p of posts) {
    if (!allowedPosts[body].includes(p.post)) throw invalid(`${bodyLabels[body]}没有“${postLabels[p.post]}”职务`, [{ field: '职务', message: `可选职务：${allowedPosts[body].map((x) => postLabels[x]).join('、')}` }])
    if (seen.has(p.post)) throw invalid(`职务“${postLabels[p.post]}”重复`)
    seen.add(p.post)
  }
}

function checkCounts(body: TallyBody, entitled: number, present: number | null | undefined) {
  if (isPartyBody(body)) {
    if (present === undefined || present === null) throw invalid('党组织选举须填写实到会人数', [{ field: '实到会人数', message: '请填写实到会有选举权的党员人数' }])
    if (present > entitled) throw invalid(`实到会人数 ${present} 不能大于应到会人数 ${entitled}`, [{ field: '实到会人数', message: `不能大于应到会人数 ${entitled}` }])
  } else if (present !== undefined && present !== null) throw invalid('村（居）民委员会选举不填实到会人数，请填写登记选民数')
}

async function checkUnit(db: Kysely<DB> | Transaction<DB>, actor: Actor, unitCode: string, body: TallyBody) {
  assertWriter(actor, unitCode)
  const unit = await territoryRepo.findTerritory(db, actor.countyCode, unitCode)
  if (!unit || unit.level !== 'unit') throw invalid('请选择一个村（社区）', [{ field: '村（社区）', message: '请选择一个村（社区）' }])
  if (unit.status !== 'active') throw invalid(`“${unit.name}”已停用`)
  if (body === 'resident_committee' && unit.kind !== 'community') throw invalid(`“${unit.name}”是村，应选举村民委员会`)
  if (body === 'villager_committee' && unit.kind === 'community') throw invalid(`“${unit.name}”是社区，应选举居民委员会`)
  return unit
}

/** The party committee's announced members, who alone may stand for secretary and deputy (rule 8). */
export async function committeeMembers(db: Kysely<DB> | Transaction<DB>, countyCode: string, unitCode: string) {
  // The committee of the latest round only: its first round and the revotes and supplementary rounds after it.
  const all = await repo.listElections(db, { countyCode, unitPrefix: unitCode, body: 'party_committee' })
  const latestFirst = all.find((e) => e.round === 'first')
  const elections = latestFirst ? all.filter((e) => e.held_on > latestFirst.held_on || (e.held_on === latestFirst.held_on && Number(e.id) >= Number(latestFirst.id))) : all
  const results = await repo.resultsOf(db, countyCode, elections.map((e) => e.id))
  const cands = await repo.candidatesOf(db, countyCode, elections.map((e) => e.id))
  const current = currentAnnounced(results)
  const members: { name: string; personId: string | null; gender: 'male' | 'female' }[] = []
  for (const r of current) {
    for (const el of (r.outcome as { elected: { candidateId: string | null; name: string }[] }).elected) {
      const c = cands.find((x) => x.id === el.candidateId)
      if (!members.some((m) => m.name === el.name)) members.push({ name: el.name, personId: c?.person_id ?? null, gender: c?.gender ?? 'male' })
    }
  }
  return members
}

/** Announced results that no later announced correction replaced. */
export function currentAnnounced(results: ResultRow[]): ResultRow[] {
  const announced = results.filter((r) => r.state === 'announced')
  const replaced = new Set(announced.map((r) => r.corrects_id).filter(Boolean))
  return announced.filter((r) => !replaced.has(r.id))
}

export async function createElection(db: Kysely<DB>, ctx: Ctx, request: Omit<ElectionInput, 'entitled'> & { entitled?: number }) {
  const a = ctx.actor
  await checkUnit(db, a, request.unitCode, request.body)
  // A committee election's registered-voter count comes from the unit's roll (voter/election-feed.ts).
  const input = await withRollCount(db, a, request)
  checkPosts(input.body, input.posts)
  checkCounts(input.body, input.entitled, input.present)
  await effectiveRules(db, a.countyCode, input.rules ?? {})
  if (input.body === 'party_secretary' && (await committeeMembers(db, a.countyCode, input.unitCode)).length === 0) {
    throw ruleViolation('书记、副书记由新一届党组织委员会第一次全体会议选举：请先公布本村（社区）党组织委员会委员的选举结果')
  }
  const id = await db.transaction().execute(async (trx) => {
    const { id } = await repo.insertElection(trx, {
      county_code: a.countyCode,
      unit_code: input.unitCode,
      body: input.body,
      round: 'first',
      revote_of: null,
      parent_id: null,
      parent_result_id: null,
      held_on: input.heldOn,
      place: input.place.trim(),
      entitled: input.entitled,
      present: input.present ?? null,
      rules: JSON.stringify(input.rules ?? {}),
      decision_note: input.decisionNote?.trim() ?? '',
      approval_ref: null,
      approved_on: null,
      created_by: a.displayName,
    })
    await repo.replacePosts(trx, a.countyCode, id, input.posts)
    // Freezes the roll and copies its polling places, under the roll's lock.
    await feedElection(trx, ctx, id, input)
    if (input.body === 'party_secretary') {
      // The committee's members are the only possible candidates; pre-fill them for both posts' choice.
      const members = await committeeMembers(trx, a.countyCode, input.unitCode)
      const first = input.posts[0]!.post
      await repo.replaceCandidates(trx, a.countyCode, id, members.map((m, i) => ({ post: first, person_id: m.personId, nominee_id: null, name: m.name, gender: m.gender, position: i + 1 })))
    }
    await recordAudit(trx, ctx, { action: 'election.create', objectType: 'election', objectId: id, after: { unit_code: input.unitCode, body: input.body, held_on: input.heldOn, entitled: input.entitled, present: input.present ?? null, posts: input.posts, rules: input.rules ?? {} } })
    return id
  })
  return getElection(db, ctx, id)
}

async function editable(db: Kysely<DB> | Transaction<DB>, countyCode: string, id: string) {
  const results = await repo.resultsOf(db, countyCode, [id])
  return results.every((r) => r.state === 'draft')
}

export interface ElectionPatch {
  version: number
  heldOn?: string
  place?: string
  entitled?: number
  present?: number | null
  posts?: { post: TallyPost; seats: number }[]
  rules?: Record<string, unknown>
  decisionNote?: string
  approvalRef?: string | null
  approvedOn?: string | null
}

export async function updateElection(db: Kysely<DB>, ctx: Ctx, id: string, p: ElectionPatch) {
  const e = await loadElection(db, ctx.actor, id)
  assertWriter(ctx.actor, e.unit_code)
  await assertRollFieldsKept(db, ctx.actor, e, p)
  const countsChange = p.entitled !== undefined || p.present !== undefined || p.posts !== undefined || p.rules !== undefined || p.heldOn !== undefined
  if (countsChange && !(await editable(db, ctx.actor.countyCode, id))) throw conflict('计票结果已提交，选举日期、人数、职务和计票规则不能再修改；如有错误请退回计票或办理更正')
  if (p.posts) checkPosts(e.body, p.posts)
  checkCounts(e.body, p.entitled ?? e.entitled, p.present === undefined ? e.present : p.present)
  if (p.rules) await effectiveRules(db, ctx.actor.countyCode, p.rules)
  await db.transaction().execute(async (trx) => {
    const patch = {
      ...(p.heldOn !== undefined ? { held_on: p.heldOn } : {}),
      ...(p.place !== undefined ? { place: p.place.trim() } : {}),
      ...(p.entitled !== undefined ? { entitled: p.entitled } : {}),
      ...(p.present !== undefined ? { present: p.present } : {}),
      ...(p.rules !== undefined ? { rules: JSON.stringify(p.rules) } : {}),
      ...(p.decisionNote !== undefined ? { decision_note: p.decisionNote.trim() } : {}),
      ...(p.approvalRef !== undefined ? { approval_ref: p.approvalRef?.trim() || null } : {}),
      ...(p.approvedOn !== undefined ? { approved_on: p.approvedOn } : {}),
    }
    if (!(await repo.updateElection(trx, ctx.actor.countyCode, id, p.version, patch))) throw versionConflict()
    if (p.posts) await repo.replacePosts(trx, ctx.actor.countyCode, id, p.posts)
    await recordAudit(trx, ctx, { action: 'election.update', objectType: 'election', objectId: id, before: { held_on: e.held_on, entitled: e.entitled, present: e.present, rules: e.rules, approval_ref: e.approval_ref }, after: { ...patch, posts: p.posts } })
  })
  return getElection(db, ctx, id)
}

export async function deleteElection(db: Kysely<DB>, ctx: Ctx, id: string) {
  const e = await loadElection(db, ctx.actor, id)
  assertWriter(ctx.actor, e.unit_code)
  if ((await repo.resultsOf(db, ctx.actor.countyCode, [id])).length) throw conflict('已开始计票的选举不能删除')
  if ((await repo.listElections(db, { countyCode: ctx.actor.countyCode, unitPrefix: e.unit_code })).some((x) => x.parent_id === id)) throw conflict('此轮之后还有重新投票或另行选举，不能删除')
  await db.transaction().execute(async (trx) => {
    await repo.deleteElection(trx, ctx.actor.countyCode, id)
    await recordAudit(trx, ctx, { action: 'election.delete', objectType: 'election', objectId: id, before: { unit_code: e.unit_code, body: e.body, round: e.round, held_on: e.held_on } })
  })
  return { ok: true }
}

export interface CandidateInput {
  post: TallyPost
  personId?: string
  nomineeId?: string
  name?: string
  gender?: 'male' | 'female'
}

/**
 * Replaces the candidate list. Party committee members stand in surname-stroke order (rule 16);
 * secretary and deputy candidates, and villager ballots, keep the order given.
 */
export async function setCandidates(db: Kysely<DB>, ctx: Ctx, id: string, version: number, list: CandidateInput[]) {
  const e = await loadElection(db, ctx.actor, id)
  assertWriter(ctx.actor, e.unit_code)
  if (!(await editable(db, ctx.actor.countyCode, id))) throw conflict('计票结果已提交，候选人名单不能再修改')
  const posts = (await repo.postsOf(db, ctx.actor.countyCode, [id])).map((p) => p.post)
  const rows: { post: TallyPost; person_id: string | null; nominee_id: string | null; name: string; gender: 'male' | 'female' }[] = []
  const members = e.body === 'party_secretary' ? await committeeMembers(db, ctx.actor.countyCode, e.unit_code) : null
  for (const [i, c] of list.entries()) {
    const where = `第 ${i + 1} 名候选人`
    if (!posts.includes(c.post)) throw invalid(`${where}的职务“${postLabels[c.post]}”不在本次选举的职务中`)
    let name = c.name?.trim() ?? ''
    let gender = c.gender
    if (c.personId) {
      const p = await personRepo.findPerson(db, ctx.actor.countyCode, c.personId)
      if (!p || !canSeeTerritory(ctx.actor, p.unit_code)) throw invalid(`${where}：人员不存在或不在您的管辖范围内`)
      name = p.name
      gender = p.gender === '2' ? 'female' : 'male'
    }
    if (!name || !gender) throw invalid(`${where}：请从人员库选择，或填写姓名和性别`)
    if (c.post === 'woman_member' && gender !== 'female') throw invalid(`${where}“${name}”：妇女委员职务只能由女性候选`)
    if (members && !members.some((m) => m.name === name)) throw ruleViolation(`${where}“${name}”不是新一届党组织委员会委员，书记、副书记只能从委员中选举`)
    if (rows.some((r) => r.post === c.post && r.name === name)) throw invalid(`${where}“${name}”在同一职务中重复`)
    rows.push({ post: c.post, person_id: c.personId ?? null, nominee_id: c.nomineeId ?? null, name, gender })
  }
  const ordered = e.body === 'party_committee' ? [...rows].sort((a, b) => compareByStrokes(a.name, b.name)) : rows
  const positions = new Map<string, number>()
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateElection(trx, ctx.actor.countyCode, id, version, {}))) throw versionConflict()
    await repo.replaceCandidates(
      trx,
      ctx.actor.countyCode,
      id,
      ordered.map((r) => {
        const n = (positions.get(r.post) ?? 0) + 1
        positions.set(r.post, n)
        return { ...r, position: n }
      }),
    )
    await recordAudit(trx, ctx, { action: 'election.candidates', objectType: 'election', objectId: id, after: { candidates: ordered.map((r) => ({ post: r.post, name: r.name, person_id: r.person_id })) } })
  })
  return getElection(db, ctx, id)
}

const nomineePost: Record<string, Record<string, TallyPost>> = {
  party_committee: { secretary: 'member', deputy_secretary: 'member', member: 'member' },
  villager_committee: { chair: 'director', vice_chair: 'deputy_director', member: 'member' },
  resident_committee: { chair: 'director', vice_chair: 'deputy_director', member: 'member' },
}

/** The unit's formal candidates (人选 that passed the review and the notice) for this body. */
export async function candidatesFromNominees(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const e = await loadElection(db, ctx.actor, id)
  if (e.body === 'party_secretary' || e.round !== 'first') throw conflict('只有第一轮的党组织委员会、村（居）民委员会选举从正式候选人导入')
  const body = e.body === 'party_committee' ? 'party' : 'committee'
  const nominees = (await nomineeRepo.listNominees(db, { countyCode: ctx.actor.countyCode, unitPrefix: e.unit_code, states: ['candidate'] }, { page: 1, pageSize: 500 })).filter((n) => n.body === body)
  if (!nominees.length) throw conflict('本村（社区）还没有该班子的正式候选人（须经资格联审和公示）')
  const posts = (await repo.postsOf(db, ctx.actor.countyCode, [id])).map((p) => p.post)
  const list: CandidateInput[] = nominees.map((n) => {
    let post = nomineePost[e.body]![n.post] ?? 'member'
    if (!posts.includes(post)) post = posts.includes('member') ? 'member' : posts[0]!
    return { post, personId: n.person_id, nomineeId: n.id }
  })
  return setCandidates(db, ctx, id, version, list)
}

export async function setStaff(db: Kysely<DB>, ctx: Ctx, id: string, version: number, staff: { role: StaffRole; name: string }[]) {
  const e = await loadElection(db, ctx.actor, id)
  assertWriter(ctx.actor, e.unit_code)
  if (!(await editable(db, ctx.actor.countyCode, id))) throw conflict('计票结果已提交，监票、计票人员不能再修改')
  const names = new Set((await repo.candidatesOf(db, ctx.actor.countyCode, [id])).map((c) => c.name))
  const clash = staff.filter((s) => names.has(s.name.trim()))
  if (clash.length) throw ruleViolation(`候选人不得担任监票人、计票人：${clash.map((s) => `${s.name}（${staffLabels[s.role]}）`).join('、')}`, clash.map((s) => ({ field: staffLabels[s.role], message: `“${s.name}”是本次选举的候选人` })))
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateElection(trx, ctx.actor.countyCode, id, version, {}))) throw versionConflict()
    await repo.replaceStaff(trx, ctx.actor.countyCode, id, staff.map((s) => ({ role: s.role, name: s.name.trim() })))
    await recordAudit(trx, ctx, { action: 'election.staff', objectType: 'election', objectId: id, after: { staff } })
  })
  return getElection(db, ctx, id)
}

export async function setStations(db: Kysely<DB>, ctx: Ctx, id: string, version: number, stations: { kind: StationKind; name: string }[]) {
  const e = await loadElection(db, ctx.actor, id)
  assertWriter(ctx.actor, e.unit_code)
  if (!(await editable(db, ctx.actor.countyCode, id))) throw conflict('计票结果已提交，投票点不能再修改')
  if (stations.filter((s) => s.kind === 'main').length > 1) throw invalid('中心会场只能有一个')
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateElection(trx, ctx.actor.countyCode, id, version, {}))) throw versionConflict()
    await repo.replaceStations(trx, ctx.actor.countyCode, id, stations.map((s) => ({ kind: s.kind, name: s.name.trim() })))
    await recordAudit(trx, ctx, { action: 'election.stations', objectType: 'election', objectId: id, after: { stations } })
  })
  return getElection(db, ctx, id)
}

/** Live progress for leaders: each unit's bodies, the latest round and where it stands. */
export async function progress(db: Kysely<DB>, ctx: Ctx, townshipCode?: string) {
  const f = filterOf(ctx.actor)
  if (townshipCode) {
    const p = prefixOf(townshipCode)
    if (!p.startsWith(f.unitPrefix)) throw notFound('乡镇不存在，或不在您的管辖范围内')
    f.unitPrefix = p
  }
  const units = await territoryRepo.allTerritories(db, { countyCode: f.countyCode, prefix: f.unitPrefix, level: 'unit', status: 'active', onlyCodes: f.onlyUnits })
  // Only this round's elections: a unit whose last election was five years ago has not started.
  const campaign = await defaultCampaign(db, f.countyCode)
  const rows = (await repo.listElections(db, f)).filter((e) => !campaign || inCampaign(campaign, e.held_on))
  const all = await summaries(db, f.countyCode, rows)
  const out = units.map((u) => {
    const bodies: TallyBody[] = ['party_committee', 'party_secretary', u.kind === 'community' ? 'resident_committee' : 'villager_committee']
    return {
      unitCode: u.code,
      unitName: u.name,
      unitKind: u.kind,
      bodies: bodies.map((body) => {
        const rounds = all.filter((s) => s.summary.unitCode === u.code && s.summary.body === body)
        // listElections is newest first; the latest round tells where the body stands.
        const latest = rounds[0]?.summary
        const firstRound = rounds.filter((r) => r.summary.round === 'first')[0]?.summary
        const elected = rounds.flatMap((r) => currentAnnounced(r.results)).reduce((n, r) => n + ((r.outcome as { elected: unknown[] } | null)?.elected.length ?? 0), 0)
        return {
          body,
          bodyLabel: bodyLabels[body],
          electionId: latest?.id ?? null,
          round: latest?.round ?? null,
          heldOn: latest?.heldOn ?? null,
          status: latest?.status ?? null,
          statusLabel: latest ? `${latest.round === 'first' ? '' : latest.roundLabel}${latest.statusLabel}` : '未开始',
          seats: (firstRound ?? latest)?.posts.reduce((n, p) => n + p.seats, 0) ?? 0,
          elected,
          next: latest?.next ?? null,
        }
      }),
    }
  })
  const done = (u: (typeof out)[number]) => u.bodies.every((b) => b.status === 'announced' && (b.next === 'none' || b.next === null))
  const started = (u: (typeof out)[number]) => u.bodies.some((b) => b.status !== null)
  return {
    units: out,
    totals: { units: out.length, announced: out.filter(done).length, inProgress: out.filter((u) => started(u) && !done(u)).length, notStarted: out.filter((u) => !started(u)).length },
  }
}

export async function getRules(db: Kysely<DB>, ctx: Ctx) {
  filterOf(ctx.actor)
  const row = await repo.getRuleSet(db, ctx.actor.countyCode)
  return { rules: await effectiveRules(db, ctx.actor.countyCode, {}), defaults: mergeRules(undefined), overrides: row?.rules ?? {}, version: row?.version ?? 0 }
}

export async function saveRules(db: Kysely<DB>, ctx: Ctx, overrides: Record<string, unknown>) {
  if (ctx.actor.role !== 'county_admin') throw forbidden('只有县级管理员可以调整计票规则')
  try {
    mergeRules(overrides)
  } catch (err) {
    if (err instanceof TallyInputError) throw invalid(`计票规则参数有误：${err.message}`)
    throw err
  }
  const before = await repo.getRuleSet(db, ctx.actor.countyCode)
  await db.transaction().execute(async (trx) => {
    await repo.saveRuleSet(trx, ctx.actor.countyCode, overrides, ctx.actor.displayName)
    await recordAudit(trx, ctx, { action: 'election.rules', objectType: 'tally_rule_set', objectId: ctx.actor.countyCode, before: before?.rules ?? {}, after: overrides })
  })
  return getRules(db, ctx)
}
