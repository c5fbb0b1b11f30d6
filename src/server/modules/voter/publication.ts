/**
 * 选民名单的公布与冻结 (issue 7 §3, §5): a unit's roll goes draft → published → frozen.
 *
 * Publication: the township records the day the list was posted. It must be on or before E − 20
 * (rules/voter.publicationProblems: later is refused with the rule, earlier is fine), not after
 * today (a publication is recorded once it has happened, never planned ahead: a planned day would
 * open the objection window before anyone could see the list), and not before the campaign began.
 * An empty roll is not published, and a category-3 voter must have been agreed by the villagers'
 * meeting by that day. The term number (第×届) for the printed title is given with it.
 *
 * Freezing: by hand (the township, when the vote opens before its record is entered) or when the
 * committee election is created (election-feed.ts). Either way only a published roll freezes, and
 * not while voters may still object (up to publication + 5) or an objection still awaits a decision
 * within its 3 days: freezing then would take away a right the law gives. An objection left
 * undecided past its deadline no longer holds the roll; it stays flagged as overdue.
 *
 * The printed list (选民榜): one section per village group, each on a new page, with the title,
 * the publication and election days, 序号/姓名/性别/年龄/登记类别 in 姓氏笔画 order, the group's
 * counts by category, where and until when to object, and the election committee's seal line; the
 * whole roll ends with the counts by group and category. No ID numbers and no birth dates are
 * printed: the age on election day is what a neighbour needs to check a name, and a posted list
 * should carry no more personal data than that (个人信息保护法 第六条, minimum necessary).
 */
import ExcelJS from 'exceljs'
import type { Kysely, Transaction } from 'kysely'
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { cjkPdfmake, pt } from '../../files/form-doc.ts'
import { ageOn, isRealDate } from '../../../rules/age/index.ts'
import { compareByStrokes } from '../../../rules/strokes/index.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import {
  decisionDeadline,
  latestPublicationDay,
  objectionDeadline,
  OBJECTION_DAYS,
  DECISION_DAYS,
  publicationProblems,
  voterBasis,
  voterCategories,
  VOTER_LIST_DAYS_BEFORE,
  type Problem,
  type VoterCategory,
} from '../../../rules/voter/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import { frozen, refusal, rollRoles, toRoll, visibleUnit } from './service.ts'
import type { VoterRollRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export function assertRollKeeper(a: Actor): void {
  if (!(rollRoles as readonly string[]).includes(a.role)) throw forbidden('只有乡镇组织员或县级管理员可以公布、冻结选民名单')
}

export const rollKey = (r: Pick<VoterRollRow, 'campaign_id' | 'unit_code'>) => `${r.campaign_id}/${r.unit_code}`

export function noRoll(unitName: string) {
  return ruleViolation(`“${unitName}”在本届还没有选民名单：请先设置选举日并登记（或导入）选民`, [{ field: 'unitCode', message: '没有选民名单' }])
}

/** The roll, locked for a change of its stage: voter writes (which share the lock) wait, and it waits for them. */
export async function lockRoll(trx: Transaction<DB>, countyCode: string, campaignId: string, unitCode: string): Promise<VoterRollRow | undefined> {
  return trx.selectFrom('voter_roll').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).forUpdate().executeTakeFirst()
}

/** Objections to the roll not yet decided, oldest first. */
export async function undecidedObjections(db: Handle, r: VoterRollRow): Promise<{ id: string; subject_name: string; received_on: string }[]> {
  return db
    .selectFrom('voter_objection')
    .select(['id', 'subject_name', 'received_on'])
    .where('county_code', '=', r.county_code)
    .where('campaign_id', '=', r.campaign_id)
    .where('unit_code', '=', r.unit_code)
    .where('decided_on', 'is', null)
    .orderBy('received_on')
    .orderBy('id')
    .execute()
}

/** Why a published roll cannot be frozen on `today`, or null when it can (see the header). */
export function freezeProblem(r: Pick<VoterRollRow, 'status' | 'published_on' | 'election_day'>, undecided: { subject_name: string; received_on: string }[], today: string): Problem | null {
  if (r.status === 'draft' || !r.published_on) {
    return {
      field: 'status',
      message: `选民名单尚未公布：名单应在选举日的${VOTER_LIST_DAYS_BEFORE}日前（最迟 ${latestPublicationDay(r.election_day)}）公布，公布并处理完申诉后才能冻结名单、开始选举`,
      basis: voterBasis.publication,
    }
  }
  const until = objectionDeadline(r.published_on)
  if (today <= until) {
    return {
      field: 'status',
      message: `选民名单于 ${r.published_on} 公布，申诉期至 ${until}（公布之日起${OBJECTION_DAYS}日内），申诉期内不能冻结名单；请在 ${addDays(until, 1)} 及以后再冻结名单或新建选举`,
      basis: voterBasis.objection,
    }
  }
  const open = undecided.filter((o) => decisionDeadline(o.received_on) >= today)
  if (open.length) {
    const due = open.map((o) => decisionDeadline(o.received_on)).sort()[0]!
    const names = open.slice(0, 3).map((o) => `“${o.subject_name}”`).join('、')
    return {
      field: 'status',
      message: `还有 ${open.length} 件申诉（涉及${names}${open.length > 3 ? '等' : ''}）尚未作出处理决定，最早一件须在 ${due} 前决定；请先作出处理决定，再冻结名单或新建选举`,
      basis: voterBasis.objection,
    }
  }
  return null
}

/** Freezes a roll the caller has locked and checked, audited; `extra` says who froze it (by hand, or which election). */
export async function freezeLocked(trx: Transaction<DB>, ctx: Ctx, r: VoterRollRow, extra: object): Promise<VoterRollRow> {
  const after = await trx
    .updateTable('voter_roll')
    .set({ status: 'frozen', frozen_at: new Date(), updated_by: ctx.actor.displayName, updated_at: new Date(), version: r.version + 1 })
    .where('county_code', '=', r.county_code)
    .where('campaign_id', '=', r.campaign_id)
    .where('unit_code', '=', r.unit_code)
    .where('version', '=', r.version)
    .returningAll()
    .executeTakeFirst()
  if (!after) throw versionConflict('选民名单已被他人修改，请刷新后重试')
  const voters = await repo.countActive(trx, after)
  await recordAudit(trx, ctx, {
    action: 'voter.roll.freeze',
    objectType: 'voter_roll',
    objectId: rollKey(r),
    before: { status: r.status, published_on: r.published_on },
    after: { status: after.status, frozen_at: after.frozen_at?.toISOString() ?? null },
    extra: { voters, ...extra },
  })
  return after
}

// ── state ──

async function stateOf(db: Handle, unit: TerritoryRow, r: VoterRollRow, today: string) {
  const [voters, undecided] = await Promise.all([repo.countActive(db, r), undecidedObjections(db, r)])
  return {
    ...toRoll(r, unit.name, voters),
    term: r.term_no,
    latestPublication: latestPublicationDay(r.election_day),
    objectionsUntil: r.published_on ? objectionDeadline(r.published_on) : null,
    undecidedObjections: undecided.length,
    overdueObjections: undecided.filter((o) => today > decisionDeadline(o.received_on)).length,
    freezeBlocked: r.status === 'frozen' ? null : (freezeProblem(r, undecided, today)?.message ?? null),
  }
}

export async function rollState(db: Kysely<DB>, ctx: Ctx, unitCode: string, campaignId?: string) {
  const a = ctx.actor
  const unit = await visibleUnit(db, a, unitCode)
  const campaign = await pickCampaign(db, a.countyCode, campaignId)
  const r = await repo.findRoll(db, a.countyCode, campaign.id, unit.code)
  if (!r) throw notFound(`“${unit.name}”在${campaign.name}还没有选民名单：请先设置选举日并登记（或导入）选民`)
  return stateOf(db, unit, r, todayInChina())
}

// ── publication ──

export interface PublishInput {
  campaign?: string
  publishedOn: string
  term?: number | null
  version: number
}

export async function publishRoll(db: Kysely<DB>, ctx: Ctx, unitCode: string, input: PublishInput) {
  const a = ctx.actor
  const unit = await visibleUnit(db, a, unitCode)
  assertRollKeeper(a)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const day = input.publishedOn
  if (!isRealDate(day)) throw invalid(`公布日期“${day}”不是有效日期`, [{ field: 'publishedOn', message: '无效日期' }])
  const today = todayInChina()
  if (day > today) throw ruleViolation(`公布日期 ${day} 晚于今天（${today}）：请在名单张贴公布之后登记公布日期，不能预先登记`, [{ field: 'publishedOn', message: '不能晚于今天' }])
  if (day < campaign.starts_on) throw ruleViolation(`公布日期 ${day} 早于${campaign.name}的开始日期 ${campaign.starts_on}，请核对`, [{ field: 'publishedOn', message: '早于届次开始日期' }])
  return inTransaction(db, async (trx) => {
    const before = await lockRoll(trx, a.countyCode, campaign.id, unit.code)
    if (!before) throw noRoll(unit.name)
    if (before.version !== input.version) throw versionConflict(`“${unit.name}”的选民名单已被他人修改，请刷新后重试`)
    if (before.status === 'frozen') throw frozen(unit.name, before)
    if (before.status === 'published') throw conflict(`“${unit.name}”的选民名单已于 ${before.published_on} 公布，不能重复公布`)
    const late = publicationProblems(day, before.election_day)
    if (late.length) throw refusal(late)
    const counts = await countsByCategory(trx, before)
    const total = counts.resident + counts.away_opt_in + counts.non_hukou
    if (total === 0) throw ruleViolation(`“${unit.name}”的选民名单中还没有选民，请先登记或导入选民再公布`, [{ field: 'unitCode', message: '名单为空' }])
    const unagreed = await trx
      .selectFrom('voter')
      .select(['name', 'meeting_approved_on'])
      .where('county_code', '=', before.county_code)
      .where('campaign_id', '=', before.campaign_id)
      .where('unit_code', '=', before.unit_code)
      .where('status', '=', 'active')
      .where('category', '=', 'non_hukou')
      .where('meeting_approved_on', '>', day)
      .orderBy('meeting_approved_on')
      .execute()
    if (unagreed.length) {
      const names = unagreed.slice(0, 5).map((v) => `${v.name}（${v.meeting_approved_on}）`).join('、')
      throw ruleViolation(
        `${unagreed.length} 名户籍不在本村的选民经村民会议（村民代表会议）同意的日期晚于公布日期 ${day}：${names}${unagreed.length > 5 ? ' 等' : ''}；须在名单公布前经会议同意，请核对会议日期或公布日期。依据：${voterBasis.nonHukou}`,
        [{ field: 'publishedOn', message: '早于村民会议同意日期' }],
      )
    }
    const after = await trx
      .updateTable('voter_roll')
      .set({ status: 'published', published_on: day, term_no: input.term ?? before.term_no, updated_by: a.displayName, updated_at: new Date(), version: before.version + 1 })
      .where('county_code', '=', before.county_code)
      .where('campaign_id', '=', before.campaign_id)
      .where('unit_code', '=', before.unit_code)
      .where('version', '=', before.version)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, ctx, {
      action: 'voter.roll.publish',
      objectType: 'voter_roll',
      objectId: rollKey(after),
      before: { status: before.status, published_on: before.published_on, term_no: before.term_no },
      after: { status: after.status, published_on: after.published_on, term_no: after.term_no, election_day: after.election_day },
      extra: { voters: total, by_category: counts },
    })
    return stateOf(trx, unit, after, today)
  })
}

async function countsByCategory(db: Handle, r: VoterRollRow): Promise<Record<VoterCategory, number>> {
  const counts: Record<VoterCategory, number> = { resident: 0, away_opt_in: 0, non_hukou: 0 }
  for (const c of await repo.countsByGroup(db, r.county_code, r.campaign_id, [r.unit_code])) counts[c.category] += c.n
  return counts
}

// ── freezing by hand ──

export async function freezeRoll(db: Kysely<DB>, ctx: Ctx, unitCode: string, input: { campaign?: string; version: number }) {
  const a = ctx.actor
  const unit = await visibleUnit(db, a, unitCode)
  assertRollKeeper(a)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const today = todayInChina()
  return inTransaction(db, async (trx) => {
    const before = await lockRoll(trx, a.countyCode, campaign.id, unit.code)
    if (!before) throw noRoll(unit.name)
    if (before.version !== input.version) throw versionConflict(`“${unit.name}”的选民名单已被他人修改，请刷新后重试`)
    if (before.status === 'frozen') throw frozen(unit.name, before)
    const problem = freezeProblem(before, await undecidedObjections(trx, before), today)
    if (problem) throw refusal([problem])
    const after = await freezeLocked(trx, ctx, before, { by: 'hand' })
    return stateOf(trx, unit, after, today)
  })
}

// ── the printed list ──

const genderLabels = { '1': '男', '2': '女' } as const
/** Short category names for the table's narrow column; the counts below it use the full ones. */
const categoryShort: Record<VoterCategory, string> = { resident: '户籍在本村并居住', away_opt_in: '户籍在本村、不在本村居住', non_hukou: '户籍不在本村、居住一年以上' }
const NO_GROUP = '未分组'

function cnDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

const digits = '零一二三四五六七八九'
/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九: the 届 numbers on a title. */
export function chineseNumber(n: number): string {
  if (n < 10) return digits[n]!
  const tens = Math.floor(n / 10)
  const ones = n % 10
  return `${tens === 1 ? '' : digits[tens]}十${ones ? digits[ones] : ''}`
}

/** The number in a group name (第3组, 第十二组, 三组), for ordering 第二组 before 第十组; null when it has none. */
function groupNumber(name: string): number | null {
  const arabic = /\d+/.exec(name)
  if (arabic) return Number(arabic[0])
  const cn = /[一二三四五六七八九十]+/.exec(name)?.[0]
  if (!cn) return null
  const value = (c: string) => digits.indexOf(c)
  const ten = cn.indexOf('十')
  if (ten < 0) return cn.length === 1 ? value(cn) : null
  return (ten === 0 ? 1 : value(cn[0]!)) * 10 + (cn.length > ten + 1 ? value(cn[ten + 1]!) : 0)
}

function compareGroups(a: string, b: string): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0
  const x = groupNumber(a)
  const y = groupNumber(b)
  if (x !== null && y !== null && x !== y) return x - y
  if ((x === null) !== (y === null)) return x === null ? 1 : -1
  return a.localeCompare(b, 'zh-CN')
}

interface ListRow {
  no: number
  name: string
  gender: string
  age: number
  category: string
}

interface ListGroup {
  label: string
  rows: ListRow[]
  counts: Record<VoterCategory, number>
}

interface ListContent {
  title: string
  unitName: string
  /** 村民小组 or 居民小组. */
  groupWord: string
  committee: string
  publishedOn: string | null
  electionDay: string
  groups: ListGroup[]
  /** The whole roll (ends with the counts by group), not one group. */
  whole: boolean
  fileName: string
}

const total = (c: Record<VoterCategory, number>) => c.resident + c.away_opt_in + c.non_hukou

async function listContent(db: Kysely<DB>, ctx: Ctx, unitCode: string, q: { campaign?: string; group?: string }): Promise<ListContent> {
  const a = ctx.actor
  const unit = await visibleUnit(db, a, unitCode)
  const campaign: CampaignRow = await pickCampaign(db, a.countyCode, q.campaign)
  const r = await repo.findRoll(db, a.countyCode, campaign.id, unit.code)
  if (!r) throw noRoll(unit.name)
  const community = unit.kind === 'community'
  const groupWord = community ? '居民小组' : '村民小组'
  const wanted = q.group === undefined ? undefined : q.group.trim() === NO_GROUP ? '' : q.group.trim()
  let query = db
    .selectFrom('voter')
    .select(['id', 'name', 'gender', 'birth_date', 'village_group', 'category'])
    .where('county_code', '=', a.countyCode)
    .where('campaign_id', '=', campaign.id)
    .where('unit_code', '=', unit.code)
    .where('status', '=', 'active')
  if (wanted !== undefined) query = query.where('village_group', '=', wanted)
  const voters = await query.execute()
  if (wanted !== undefined && voters.length === 0) throw notFound(`“${unit.name}”没有${wanted ? `“${wanted}”这个${groupWord}` : `未填${groupWord}`}的在册选民，请核对${groupWord}名称`)
  const byGroup = new Map<string, typeof voters>()
  for (const v of voters) byGroup.set(v.village_group, [...(byGroup.get(v.village_group) ?? []), v])
  const groups = [...byGroup.keys()].sort(compareGroups).map((g): ListGroup => {
    const members = byGroup.get(g)!.sort((x, y) => compareByStrokes(x.name, y.name) || Number(x.id) - Number(y.id))
    const counts: Record<VoterCategory, number> = { resident: 0, away_opt_in: 0, non_hukou: 0 }
    for (const v of members) counts[v.category] += 1
    return {
      label: g || NO_GROUP,
      counts,
      rows: members.map((v, i) => ({ no: i + 1, name: v.name, gender: genderLabels[v.gender], age: ageOn(v.birth_date, r.election_day), category: categoryShort[v.category] })),
    }
  })
  const term = r.term_no ? `第${chineseNumber(r.term_no)}届` : `${campaign.year}年`
  const title = `${unit.name}${term}${community ? '居民委员会' : '村民委员会'}选举选民名单`
  return {
    title,
    unitName: unit.name,
    groupWord,
    committee: `${unit.name}${community ? '居民选举委员会' : '村民选举委员会'}`,
    publishedOn: r.published_on,
    electionDay: r.election_day,
    groups,
    whole: wanted === undefined,
    fileName: `${unit.name}选民名单${wanted === undefined ? '' : `_${wanted || NO_GROUP}`}`,
  }
}

const countsSentence = (c: Record<VoterCategory, number>) => voterCategories.map((k) => `${k.label}的 ${c[k.key]} 人`).join('；')

function objectionNote(l: ListContent): string {
  const until = l.publishedOn ? `（至 ${cnDate(objectionDeadline(l.publishedOn))}）` : ''
  return `对选民名单有不同意见的，可自名单公布之日起${chineseNumber(OBJECTION_DAYS)}日内${until}向${l.committee}提出申诉；${l.committee}自收到申诉之日起${chineseNumber(DECISION_DAYS)}日内作出处理决定，并公布处理结果。`
}

const BLANK_DATE = '　　　　年　　月　　日'
const dateLine = (l: ListContent) => `公布日期：${l.publishedOn ? cnDate(l.publishedOn) : BLANK_DATE}`
const draftNote = '（本名单尚未在系统中登记公布，为核对稿）'

function summaryRows(l: ListContent): (string | number)[][] {
  const sum: Record<VoterCategory, number> = { resident: 0, away_opt_in: 0, non_hukou: 0 }
  const rows = l.groups.map((g) => {
    for (const k of voterCategories) sum[k.key] += g.counts[k.key]
    return [g.label, total(g.counts), ...voterCategories.map((k) => g.counts[k.key])]
  })
  return [...rows, ['合计', total(sum), ...voterCategories.map((k) => sum[k.key])]]
}

const summaryHeader = (l: ListContent) => [l.groupWord, '合计', ...voterCategories.map((k) => categoryShort[k.key])]

function sealBlock(l: ListContent): Content {
  return { stack: [`${l.committee}（盖章）`, l.publishedOn ? cnDate(l.publishedOn) : BLANK_DATE], alignment: 'right', margin: [0, 18, 0, 0], unbreakable: true }
}

function headerTable(l: ListContent): Content {
  return {
    columns: [
      { text: dateLine(l), alignment: 'left' },
      { text: `选举日：${cnDate(l.electionDay)}`, alignment: 'right' },
    ],
    margin: [0, 0, 0, 6],
  }
}

// Cells are plain strings centred by the table's style: pdfmake lays out a 5,000-row roll about a
// third faster than with a style object per cell (and one-line rows need no dontBreakRows).
const headCell = (text: string) => ({ text, font: 'NotoSans', bold: true })

function pdfGroup(l: ListContent, g: ListGroup, first: boolean): Content[] {
  return [
    { text: l.title, fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 4], pageBreak: first ? undefined : 'before' },
    { text: `${l.groupWord}：${g.label}`, font: 'NotoSans', fontSize: 13, alignment: 'center', margin: [0, 0, 0, 8] },
    headerTable(l),
    {
      alignment: 'center',
      // A tighter line than the body's: a 5,000-voter village fits about 36 names a page, not 26.
      lineHeight: 1,
      table: {
        headerRows: 1,
        widths: [36, '*', 36, 36, 150],
        body: [['序号', '姓名', '性别', '年龄', '登记类别'].map(headCell), ...g.rows.map((v) => [String(v.no), v.name, v.gender, String(v.age), v.category])],
      },
    },
    { text: `本组选民共 ${total(g.counts)} 人。其中：${countsSentence(g.counts)}。`, margin: [0, 8, 0, 0] },
    { text: objectionNote(l), margin: [0, 4, 0, 0] },
    sealBlock(l),
  ]
}

function pdfSummary(l: ListContent): Content[] {
  return [
    { text: l.title, fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 4], pageBreak: 'before' },
    { text: '选民人数汇总', font: 'NotoSans', fontSize: 13, alignment: 'center', margin: [0, 0, 0, 8] },
    headerTable(l),
    { alignment: 'center', table: { headerRows: 1, dontBreakRows: true, widths: ['*', 44, 90, 90, 90], body: [summaryHeader(l).map(headCell), ...summaryRows(l).map((r) => r.map(String))] } },
    sealBlock(l),
  ]
}

/** The list as an A4 PDF with Noto CJK embedded (files/form-doc.ts's pdfmake setup). */
export async function rollListPdf(db: Kysely<DB>, ctx: Ctx, unitCode: string, q: { campaign?: string; group?: string }): Promise<{ data: Buffer; name: string }> {
  const l = await listContent(db, ctx, unitCode, q)
  const footer = `${l.title}${l.publishedOn ? '' : draftNote}`
  const definition: TDocumentDefinitions = {
    info: { title: l.title, creator: 'huanjie' },
    pageSize: 'A4',
    pageMargins: [pt(20), pt(18), pt(20), pt(20)],
    defaultStyle: { font: 'NotoSerif', fontSize: 11, lineHeight: 1.15 },
    footer: (page, pages) => ({ text: `${footer}　第 ${page} 页 共 ${pages} 页`, font: 'NotoSans', fontSize: 8, alignment: 'center', margin: [pt(20), pt(6), pt(20), 0] }),
    content: [...l.groups.flatMap((g, i) => pdfGroup(l, g, i === 0)), ...(l.whole ? pdfSummary(l) : [])],
  }
  const data = await cjkPdfmake().createPdf(definition).getBuffer()
  return { data, name: `${l.fileName}.pdf` }
}

/** Excel forbids []:*?/\ in a sheet name and allows 31 characters; names must differ. */
function sheetName(label: string, used: Set<string>): string {
  const base = label.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || NO_GROUP
  let name = base
  for (let i = 2; used.has(name); i++) name = `${base}(${i})`
  used.add(name)
  return name
}

const thin = { style: 'thin' as const }
const boxed = { top: thin, left: thin, bottom: thin, right: thin }

function xlsxSheet(wb: ExcelJS.Workbook, name: string, l: ListContent, subtitle: string, header: string[], rows: (string | number)[][], widths: number[], after: string[]) {
  const ws = wb.addWorksheet(name)
  const last = header.length
  ws.columns = widths.map((width) => ({ width }))
  const line = (text: string, opts: { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; height?: number } = {}) => {
    const row = ws.addRow([text])
    ws.mergeCells(row.number, 1, row.number, last)
    const c = row.getCell(1)
    c.font = { size: opts.size ?? 11, bold: opts.bold ?? false }
    c.alignment = { horizontal: opts.align ?? 'left', vertical: 'middle', wrapText: true }
    if (opts.height) row.height = opts.height
    return row
  }
  line(l.title, { size: 16, bold: true, align: 'center', height: 28 })
  line(subtitle, { size: 12, align: 'center' })
  const dates = ws.addRow([dateLine(l)])
  const split = Math.ceil(last / 2)
  ws.mergeCells(dates.number, 1, dates.number, split)
  ws.mergeCells(dates.number, split + 1, dates.number, last)
  dates.getCell(split + 1).value = `选举日：${cnDate(l.electionDay)}`
  dates.getCell(split + 1).alignment = { horizontal: 'right' }
  const head = ws.addRow(header)
  head.eachCell((c) => {
    c.font = { bold: true }
    c.border = boxed
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  })
  for (const r of rows) {
    const row = ws.addRow(r)
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = boxed
      c.alignment = { horizontal: 'center', vertical: 'middle' }
    })
  }
  ws.addRow([])
  for (const text of after) line(text, { height: 32 })
  line(`${l.committee}（盖章）`, { align: 'right' })
  line(l.publishedOn ? cnDate(l.publishedOn) : BLANK_DATE, { align: 'right' })
  // Printed on A4, one page wide, the column heads repeated on every page.
  ws.pageSetup = {
    paperSize: 9,
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${head.number}:${head.number}`,
    horizontalCentered: true,
    margins: { left: 0.6, right: 0.6, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
  }
  ws.headerFooter.oddFooter = `&C${l.publishedOn ? '' : draftNote}第 &P 页 共 &N 页`
}

/** The same list as an .xlsx: one sheet per group, then 汇总, each set up to print on A4. */
export async function rollListXlsx(db: Kysely<DB>, ctx: Ctx, unitCode: string, q: { campaign?: string; group?: string }): Promise<{ data: Buffer; name: string }> {
  const l = await listContent(db, ctx, unitCode, q)
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  wb.description = `${l.title}；生成人：${ctx.actor.displayName}；生成时间：${new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`
  const used = new Set<string>(['汇总'])
  for (const g of l.groups) {
    const rows = g.rows.map((v) => [v.no, v.name, v.gender, v.age, v.category])
    xlsxSheet(wb, sheetName(g.label, used), l, `${l.groupWord}：${g.label}`, ['序号', '姓名', '性别', '年龄', '登记类别'], rows, [8, 16, 8, 8, 30], [`本组选民共 ${total(g.counts)} 人。其中：${countsSentence(g.counts)}。`, objectionNote(l)])
  }
  if (l.whole) xlsxSheet(wb, '汇总', l, '选民人数汇总', summaryHeader(l), summaryRows(l), [16, 10, 20, 24, 26], [])
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), name: l.fileName }
}
