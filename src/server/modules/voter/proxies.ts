/**
 * 委托投票 (issue 7 §4; rules.md §2.5 rules 25–28 and "Decisions" rule 19): a registered voter who
 * will be away on election day gives a written proxy to a near relative registered in the same
 * unit; the election committee checks it and publishes the list of givers and holders.
 *
 * Rules: every proxy is checked by rules/voter.proxyProblems — the giver away (a ticked box and a
 * written reason), a near relative, the holder active on this unit's roll, at most 3 per holder, no
 * candidate as holder, applied for by E − 3 — and refused (422) with every problem named. Beyond the
 * engine, two facts the same rules imply are refused as well: a holder who has given a proxy
 * (being away, they cannot vote for anyone) and a giver who holds proxies (no sub-delegation,
 * 上海/浙江), and an application date after today (a typing slip). A giver has one active proxy
 * (409 for a second; withdraw first). A frozen roll refuses every change.
 *
 * Who counts as a candidate: a nominee (人选, modules/nominee) for the villagers' or residents'
 * committee (body `committee`) of this unit whom the joint review has cleared — qualified, in
 * notice or formal candidate, the states the statistics call the slate — put forward within the
 * campaign's window; and a candidate of this unit's villagers' or residents' committee election
 * held within the window (modules/election). People are matched by the ID number's keyed index
 * (a nominee is always a person of the registry; an election candidate when linked to one), and an
 * election candidate with no linked person by exact name within the unit.
 *
 * Withdrawal keeps the row (status withdrawn, reason, time): the audit log and any list already
 * published must still explain it, and the giver may then give a new proxy. Registration is the
 * approval: a proxy that passes every check is stored approved (`approved` true).
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, limitedToAssignedUnits } from '../../scope.ts'
import { buildSheet, type SheetColumn } from '../../files/xlsx.ts'
import { formPdf, type Block } from '../../files/form-doc.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { proxyDeadline, proxyProblems, relationLabels, relationOf, voterBasis, type Problem, type Relation } from '../../../rules/voter/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import { chineseDate } from '../notice/documents.ts'
import * as territoryRepo from '../territory/repo.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import { listPrefix, refusal, rollForWrite, visibleUnit, writableUnit } from './service.ts'
import type { ProxyStatus, VoterRollRow, VoterRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

const proxyMissing = '委托投票记录不存在，或不在您的管辖范围内'
/** Not in rules/voter: what its rules imply for a holder who is away and a giver who holds proxies. */
const noSubDelegation = `${voterBasis.proxyAway}；《上海市村民委员会选举办法》《浙江省村民委员会选举办法》（受委托人不得再委托他人）`

/** proxyProblems' fields as the form's fields. */
const formField: Record<string, string> = {
  giverIsHolder: 'holderVoterId',
  holderIsVoter: 'holderVoterId',
  holderSameUnit: 'holderVoterId',
  holderIsCandidate: 'holderVoterId',
  holderProxiesSoFar: 'holderVoterId',
  electionDay: 'appliedOn',
}

// ── candidates ──

export interface CandidateRow {
  unit_code: string
  /** The person's keyed ID-number index; null for an election candidate linked to no person. */
  id_number_index: string | null
  name: string
}

/**
 * The villagers' (residents') committee candidates of these units in the campaign, by the rule in
 * the header: cleared nominees put forward in the window, and the candidates of the committee
 * elections held in it.
 */
export async function committeeCandidates(db: Handle, countyCode: string, campaign: CampaignRow, unitCodes: string[]): Promise<CandidateRow[]> {
  if (unitCodes.length === 0) return []
  const ends = campaign.ends_on
  const { rows } = await sql<CandidateRow>`
    select n.unit_code, p.id_number_index, p.name
    from nominee n join person p on p.county_code = n.county_code and p.id = n.person_id
    where n.county_code = ${countyCode} and n.unit_code = any(${unitCodes}::bpchar[]) and n.body = 'committee'
      and n.state in ('qualified', 'in_notice', 'candidate')
      and (n.created_at at time zone 'Asia/Shanghai')::date >= ${campaign.starts_on}::date
      and (${ends}::date is null or (n.created_at at time zone 'Asia/Shanghai')::date <= ${ends}::date)
    union all
    select e.unit_code, p.id_number_index, c.name
    from election e join election_candidate c on c.county_code = e.county_code and c.election_id = e.id
    left join person p on p.county_code = c.county_code and p.id = c.person_id
    where e.county_code = ${countyCode} and e.unit_code = any(${unitCodes}::bpchar[]) and e.body in ('villager_committee', 'resident_committee')
      and e.held_on >= ${campaign.starts_on}::date and (${ends}::date is null or e.held_on <= ${ends}::date)`.execute(db)
  return rows
}

/** Whether a voter is one of the unit's candidates: by ID-number index, or by name where the candidate is linked to no person. */
export function isCandidate(candidates: readonly CandidateRow[], v: Pick<VoterRow, 'unit_code' | 'id_number_index' | 'name'>): 'index' | 'name' | null {
  for (const c of candidates) {
    if (c.unit_code !== v.unit_code) continue
    if (c.id_number_index !== null && c.id_number_index.trim() === v.id_number_index.trim()) return 'index'
  }
  return candidates.some((c) => c.unit_code === v.unit_code && c.id_number_index === null && c.name === v.name) ? 'name' : null
}

// ── replies ──

type ProxyRow = Selectable<DB['voter_proxy']>

interface ProxyPerson {
  voterId: string
  name: string
  idNumber: string
  villageGroup: string
  status: 'active' | 'removed'
}

export interface Proxy {
  id: string
  campaignId: string
  unitCode: string
  unitName: string
  giver: ProxyPerson
  holder: ProxyPerson
  relation: string
  relationLabel: string
  reason: string
  appliedOn: string
  approved: boolean
  status: ProxyStatus
  withdrawnReason: string | null
  withdrawnAt: string | null
  warnings: string[]
  version: number
}

const person = (v: Pick<VoterRow, 'id' | 'name' | 'id_number_masked' | 'village_group' | 'status'>): ProxyPerson => ({
  voterId: v.id,
  name: v.name,
  idNumber: v.id_number_masked,
  villageGroup: v.village_group,
  status: v.status,
})

const labelOf = (relation: string): string => relationLabels[relation as Relation] ?? relation

function toProxy(r: ProxyRow, unitName: string, giver: VoterRow, holder: VoterRow, warnings: string[] = []): Proxy {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    unitCode: r.unit_code,
    unitName,
    giver: person(giver),
    holder: person(holder),
    relation: r.relation,
    relationLabel: labelOf(r.relation),
    reason: r.reason,
    appliedOn: r.applied_on,
    approved: r.approved,
    status: r.status,
    withdrawnReason: r.withdrawn_reason,
    withdrawnAt: r.withdrawn_at ? r.withdrawn_at.toISOString() : null,
    warnings,
    version: r.version,
  }
}

/** What the audit log keeps of a proxy: the people by voter id and masked number. */
function auditShape(r: ProxyRow, giver: VoterRow, holder: VoterRow) {
  return {
    campaign_id: r.campaign_id,
    unit_code: r.unit_code,
    giver_voter_id: r.giver_voter_id,
    giver: `${giver.name} ${giver.id_number_masked}`,
    holder_voter_id: r.holder_voter_id,
    holder: `${holder.name} ${holder.id_number_masked}`,
    relation: r.relation,
    reason: r.reason,
    applied_on: r.applied_on,
    approved: r.approved,
    status: r.status,
    withdrawn_reason: r.withdrawn_reason,
  }
}

/** What has changed since a proxy was registered and makes it doubtful now. */
function warningsOf(giver: VoterRow, holder: VoterRow, candidate: 'index' | 'name' | null): string[] {
  const out: string[] = []
  if (giver.status !== 'active') out.push(`委托人已移出选民名单（${giver.removed_reason ?? ''}），该委托已无意义，请撤销`)
  if (holder.status !== 'active') out.push(`受委托人已移出选民名单（${holder.removed_reason ?? ''}），不能代为投票，请撤销后由委托人另行委托`)
  if (candidate) out.push(`受委托人现为本村（社区）村（居）民委员会候选人${candidate === 'name' ? '（按姓名核对）' : ''}，候选人不能接受委托，请撤销后由委托人另行委托`)
  return out
}

// ── repository (proxies only; voters through repo.ts) ──

async function findProxy(db: Handle, countyCode: string, id: string) {
  return db.selectFrom('voter_proxy').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

async function votersByIds(db: Handle, countyCode: string, ids: string[]): Promise<Map<string, VoterRow>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('voter').selectAll().where('county_code', '=', countyCode).where(sql<boolean>`id = any(${ids}::bigint[])`).execute()
  return new Map(rows.map((r) => [r.id, r]))
}

/** Both voters locked in id order (no deadlock between two requests naming them in turn): counts of a holder's proxies and a giver's one proxy are read under the lock. */
async function lockVoters(trx: Transaction<DB>, countyCode: string, ids: string[]): Promise<Map<string, VoterRow>> {
  const rows = await trx.selectFrom('voter').selectAll().where('county_code', '=', countyCode).where('id', 'in', ids).orderBy('id').forUpdate().execute()
  return new Map(rows.map((r) => [r.id, r]))
}

async function activeProxiesOf(db: Handle, countyCode: string, column: 'giver_voter_id' | 'holder_voter_id', voterId: string) {
  return db.selectFrom('voter_proxy').selectAll().where('county_code', '=', countyCode).where(column, '=', voterId).where('status', '=', 'active').orderBy('id').execute()
}

// ── scope ──

export async function loadProxy(db: Kysely<DB>, a: Actor, id: string): Promise<{ row: ProxyRow; unit: TerritoryRow }> {
  const row = a.role === 'reviewer' ? undefined : await findProxy(db, a.countyCode, id)
  if (!row || !canSeeTerritory(a, row.unit_code)) throw notFound(proxyMissing)
  return { row, unit: await visibleUnit(db, a, row.unit_code) }
}

// ── writes ──

export interface ProxyInput {
  unitCode: string
  campaign?: string
  giverVoterId: string
  holderVoterId: string
  relation: string
  reason: string
  appliedOn: string
  giverAway: boolean
}

export async function createProxy(db: Kysely<DB>, ctx: Ctx, input: ProxyInput): Promise<Proxy> {
  const a = ctx.actor
  const unit = await writableUnit(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const reason = input.reason.trim()
  if (!reason) throw invalid('请填写委托原因，写明委托人选举期间外出、不能参加投票的情况（如“在外务工，选举日不能回村”）', [{ field: 'reason', message: '不能为空' }])
  if (!isRealDate(input.appliedOn)) throw invalid(`申请日期“${input.appliedOn}”不是有效日期`, [{ field: 'appliedOn', message: '无效日期' }])
  const today = todayInChina()
  try {
    return await inTransaction(db, async (trx) => {
      const roll = await rollForWrite(trx, a, campaign, unit)
      const voters = await lockVoters(trx, a.countyCode, [...new Set([input.giverVoterId, input.holderVoterId])])
      const giver = voters.get(input.giverVoterId)
      const onRoll = (v: VoterRow | undefined): v is VoterRow => !!v && v.campaign_id === campaign.id && v.unit_code === unit.code
      if (!onRoll(giver)) throw invalid(`委托人不在“${unit.name}”${campaign.name}的选民名单中；请从本村（社区）的选民中选择`, [{ field: 'giverVoterId', message: '不在本村（社区）的选民名单中' }])
      if (giver.status !== 'active') throw ruleViolation(`委托人“${giver.name}”已移出选民名单（${giver.removed_reason ?? ''}），不能委托投票`, [{ field: 'giverVoterId', message: '已移出选民名单' }])
      const [given] = await activeProxiesOf(trx, a.countyCode, 'giver_voter_id', giver.id)
      if (given) {
        const h = (await votersByIds(trx, a.countyCode, [given.holder_voter_id])).get(given.holder_voter_id)
        throw conflict(`“${giver.name}”已于 ${given.applied_on} 委托“${h?.name ?? ''}”代为投票；一名选民只能委托一次，如需改托他人，请先撤销原委托`)
      }
      const holder = voters.get(input.holderVoterId)
      const holderHere = onRoll(holder)
      const candidate = holderHere ? isCandidate(await committeeCandidates(trx, a.countyCode, campaign, [unit.code]), holder) : null
      const held = holderHere ? await activeProxiesOf(trx, a.countyCode, 'holder_voter_id', holder.id) : []
      const problems: Problem[] = proxyProblems({
        giverAway: input.giverAway,
        relation: input.relation,
        holderSameUnit: holderHere,
        holderIsVoter: holderHere && holder.status === 'active' && !holder.deprived,
        holderIsCandidate: candidate !== null,
        holderProxiesSoFar: held.length,
        appliedOn: input.appliedOn,
        electionDay: roll.election_day,
        giverIsHolder: input.giverVoterId === input.holderVoterId,
      }).map((p) => ({ ...p, field: formField[p.field] ?? p.field }))
      if (input.appliedOn > today) problems.push({ field: 'appliedOn', message: `申请日期 ${input.appliedOn} 晚于今天（${today}），请按书面申请上的日期填写`, basis: voterBasis.proxyDeadline })
      if (holderHere && holder.id !== giver.id && (await activeProxiesOf(trx, a.countyCode, 'giver_voter_id', holder.id)).length) {
        problems.push({ field: 'holderVoterId', message: `受委托人“${holder.name}”本人已委托他人投票（选举期间外出），不能再接受委托；请选择其他近亲属`, basis: noSubDelegation })
      }
      const holding = await activeProxiesOf(trx, a.countyCode, 'holder_voter_id', giver.id)
      if (holding.length) {
        problems.push({ field: 'giverVoterId', message: `“${giver.name}”已接受 ${holding.length} 人委托；受委托人不得转委托，请先撤销这些委托，由原委托人另行委托`, basis: noSubDelegation })
      }
      if (problems.length || !holderHere) throw refusal(problems)
      const row = await trx
        .insertInto('voter_proxy')
        .values({
          county_code: a.countyCode,
          campaign_id: campaign.id,
          unit_code: unit.code,
          giver_voter_id: giver.id,
          holder_voter_id: holder.id,
          relation: relationOf(input.relation)!,
          reason,
          applied_on: input.appliedOn,
          approved: true,
          created_by: a.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await recordAudit(trx, ctx, { action: 'voter.proxy.create', objectType: 'voter_proxy', objectId: row.id, after: auditShape(row, giver, holder), extra: rollMark(roll) })
      return toProxy(row, unit.name, giver, holder)
    })
  } catch (err) {
    // Two requests for one giver at once: the partial unique index refuses the second.
    const e = err as { code?: string; constraint?: string }
    if (e.code === '23505' && (e.constraint === undefined || e.constraint === 'voter_proxy_giver_uq')) throw conflict('该选民刚刚已办理委托投票，一名选民只能委托一次；请刷新后查看')
    throw err
  }
}

function rollMark(roll: VoterRollRow): object | undefined {
  return roll.status === 'published' ? { roll_status: 'published', published_on: roll.published_on } : undefined
}

/** Withdraws a proxy (the giver came home, or it was registered in error); the row stays with the reason. */
export async function withdrawProxy(db: Kysely<DB>, ctx: Ctx, id: string, input: { version: number; reason: string }): Promise<Proxy> {
  const a = ctx.actor
  const { row: before, unit } = await loadProxy(db, a, id)
  await writableUnit(db, a, before.unit_code)
  const reason = input.reason.trim()
  if (!reason) throw invalid('请填写撤销委托的原因（如委托人已返村、登记有误）', [{ field: 'reason', message: '不能为空' }])
  if (before.status === 'withdrawn') throw conflict('该委托已撤销')
  const campaign = await pickCampaign(db, a.countyCode, before.campaign_id)
  return inTransaction(db, async (trx) => {
    const roll = await rollForWrite(trx, a, campaign, unit)
    const after = await trx
      .updateTable('voter_proxy')
      .set({ status: 'withdrawn', withdrawn_reason: reason, withdrawn_at: new Date(), updated_at: new Date(), version: input.version + 1 })
      .where('county_code', '=', a.countyCode)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst()
    if (!after) throw versionConflict('该委托投票记录已被他人修改，请刷新后重试')
    const people = await votersByIds(trx, a.countyCode, [before.giver_voter_id, before.holder_voter_id])
    const giver = people.get(before.giver_voter_id)!
    const holder = people.get(before.holder_voter_id)!
    await recordAudit(trx, ctx, { action: 'voter.proxy.withdraw', objectType: 'voter_proxy', objectId: id, before: auditShape(before, giver, holder), after: auditShape(after, giver, holder), extra: rollMark(roll) })
    return toProxy(after, unit.name, giver, holder)
  })
}

// ── reads ──

export interface ProxyQuery {
  campaign?: string
  unitCode?: string
  townshipCode?: string
  status?: ProxyStatus
  page: number
  pageSize: number
}

/** Proxies of the units under a prefix (a contact cadre: the assigned ones), in the order of the giver's group and name. */
function proxiesUnder(db: Handle, a: Actor, campaignId: string, prefix: string, status: ProxyStatus) {
  let q = db
    .selectFrom('voter_proxy as p')
    .innerJoin('voter as g', (j) => j.onRef('g.county_code', '=', 'p.county_code').onRef('g.id', '=', 'p.giver_voter_id'))
    .where('p.county_code', '=', a.countyCode)
    .where('p.campaign_id', '=', campaignId)
    .where('p.status', '=', status)
  q = prefix.length === 12 ? q.where('p.unit_code', '=', prefix) : q.where((eb) => eb.between('p.unit_code', prefix.padEnd(12, '0'), prefix.padEnd(12, '9')))
  if (limitedToAssignedUnits(a)) q = a.unitCodes.length ? q.where('p.unit_code', 'in', a.unitCodes) : q.where(sql<boolean>`false`)
  return q
}

async function withPeople(db: Handle, a: Actor, campaign: CampaignRow, rows: ProxyRow[]): Promise<Proxy[]> {
  const people = await votersByIds(db, a.countyCode, [...new Set(rows.flatMap((r) => [r.giver_voter_id, r.holder_voter_id]))])
  const units = [...new Set(rows.map((r) => r.unit_code))]
  const names = new Map((await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'unit', onlyCodes: units })).map((u) => [u.code, u.name]))
  const candidates = await committeeCandidates(db, a.countyCode, campaign, units)
  return rows.map((r) => {
    const giver = people.get(r.giver_voter_id)!
    const holder = people.get(r.holder_voter_id)!
    const warnings = r.status === 'active' ? warningsOf(giver, holder, isCandidate(candidates, holder)) : []
    return toProxy(r, names.get(r.unit_code) ?? r.unit_code, giver, holder, warnings)
  })
}

export async function listProxies(db: Kysely<DB>, ctx: Ctx, q: ProxyQuery) {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = await listPrefix(db, a, q.unitCode, q.townshipCode)
  const status = q.status ?? 'active'
  const rows = await proxiesUnder(db, a, campaign.id, prefix, status)
    .selectAll('p')
    .orderBy('p.unit_code')
    .orderBy('g.village_group')
    .orderBy('g.name_initials')
    .orderBy('p.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()
  const { n } = await proxiesUnder(db, a, campaign.id, prefix, status).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  let roll = null
  if (q.unitCode) {
    const r = await repo.findRoll(db, a.countyCode, campaign.id, q.unitCode)
    const unit = await visibleUnit(db, a, q.unitCode)
    if (r) roll = { unitCode: unit.code, unitName: unit.name, status: r.status, electionDay: r.election_day, deadline: proxyDeadline(r.election_day) }
  }
  return { campaign: { id: campaign.id, name: campaign.name }, roll, items: await withPeople(db, a, campaign, rows), total: Number(n) }
}

// ── the published list ──

/** A unit's active proxies with its roll, for the notice and the spreadsheet. */
async function publishedList(db: Kysely<DB>, ctx: Ctx, q: { campaign?: string; unitCode: string }) {
  const a = ctx.actor
  const unit = await visibleUnit(db, a, q.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const roll = await repo.findRoll(db, a.countyCode, campaign.id, unit.code)
  if (!roll) throw ruleViolation(`“${unit.name}”${campaign.name}还没有选民名单，没有可公告的委托投票`)
  const rows = await proxiesUnder(db, a, campaign.id, unit.code, 'active').selectAll('p').orderBy('g.village_group').orderBy('g.name_initials').orderBy('p.id').execute()
  return { unit, campaign, roll, items: await withPeople(db, a, campaign, rows) }
}

const committeeOf = (unit: TerritoryRow) => (unit.kind === 'community' ? { place: '社区', people: '居民' } : { place: '村', people: '村民' })

export async function proxyListPdf(db: Kysely<DB>, ctx: Ctx, q: { campaign?: string; unitCode: string }): Promise<{ data: Buffer; name: string }> {
  const { unit, campaign, roll, items } = await publishedList(db, ctx, q)
  const w = committeeOf(unit)
  const basis = unit.kind === 'community' ? '根据有关法律法规的规定' : '根据《中华人民共和国村民委员会组织法》第十五条的规定'
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      indent: true,
      text: `${basis}，选举期间外出不能参加投票的选民，可以书面委托本${w.place}有选举权的近亲属代为投票，每位受委托人接受委托不超过三人。${
        items.length ? `经审核，本${w.place}共有 ${items.length} 名选民办理了委托投票，现公告如下：` : `经审核，本${w.place}没有办理委托投票的选民，特此公告。`
      }`,
    },
  ]
  if (items.length) {
    blocks.push({
      kind: 'table',
      columns: ['序号', '委托人', `${w.people}小组`, '受委托人', '与委托人关系'],
      widths: [1, 2, 2, 2, 2],
      rows: items.map((p, i) => [String(i + 1), p.giver.name, p.giver.villageGroup, p.holder.name, p.relationLabel]),
    })
    blocks.push({ kind: 'paragraph', indent: true, text: '受委托人凭书面委托书代为投票，不得再委托他人。对名单有异议的，请在选举日前向选举委员会反映。' })
  }
  blocks.push({ kind: 'spacer' }, { kind: 'paragraph', align: 'right', text: `${unit.name}${w.people}选举委员会` }, { kind: 'paragraph', align: 'right', text: chineseDate(todayInChina()) })
  const data = await formPdf({ title: '委托投票公告', subtitle: `${unit.name}（选举日：${chineseDate(roll.election_day)}）`, blocks })
  await db.transaction().execute((trx) =>
    recordAudit(trx, ctx, { action: 'voter.proxy.export', objectType: 'voter_roll', objectId: `${campaign.id}/${unit.code}`, extra: { format: 'pdf', proxies: items.length } }),
  )
  return { data, name: `${unit.name}委托投票公告.pdf` }
}

const sheetColumns: SheetColumn[] = [
  { header: '序号', key: 'no', width: 6 },
  { header: '委托人', key: 'giver', width: 12 },
  { header: '委托人身份证号', key: 'giverId', width: 22, text: true },
  { header: '委托人村民小组', key: 'giverGroup', width: 14, text: true },
  { header: '受委托人', key: 'holder', width: 12 },
  { header: '受委托人身份证号', key: 'holderId', width: 22, text: true },
  { header: '受委托人村民小组', key: 'holderGroup', width: 14, text: true },
  { header: '与委托人关系', key: 'relation', width: 16 },
  { header: '委托原因', key: 'reason', width: 30 },
  { header: '申请日期', key: 'appliedOn', width: 12, text: true },
  { header: '提示', key: 'warnings', width: 40 },
]

export async function proxyListXlsx(db: Kysely<DB>, ctx: Ctx, q: { campaign?: string; unitCode: string }): Promise<{ data: Buffer; name: string }> {
  const { unit, campaign, items } = await publishedList(db, ctx, q)
  const a = ctx.actor
  const rows = items.map((p, i) => ({
    no: i + 1,
    giver: p.giver.name,
    giverId: p.giver.idNumber,
    giverGroup: p.giver.villageGroup,
    holder: p.holder.name,
    holderId: p.holder.idNumber,
    holderGroup: p.holder.villageGroup,
    relation: p.relationLabel,
    reason: p.reason,
    appliedOn: p.appliedOn,
    warnings: p.warnings.join('；'),
  }))
  const stamp = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })
  const data = await buildSheet('委托投票', sheetColumns, rows, `导出人：${a.displayName}（${a.username}） 导出时间：${stamp} 身份证号已脱敏`)
  await db.transaction().execute((trx) =>
    recordAudit(trx, ctx, { action: 'voter.proxy.export', objectType: 'voter_roll', objectId: `${campaign.id}/${unit.code}`, extra: { format: 'xlsx', proxies: items.length } }),
  )
  return { data, name: `${unit.name}委托投票名单` }
}
