import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, limitedToAssignedUnits, scopePrefix } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { transition } from '../../../rules/nominee/index.ts'
import { educations, labelOf, politicalStatuses } from '../../../rules/codes/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as nomineeRepo from '../nominee/repo.ts'
import { auditShape as nomineeAudit, toNominee } from '../nominee/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { todayInChina } from '../person/service.ts'
import { chineseDate, noticeDocx, noticePdf, type NoticeContent } from './documents.ts'
import * as repo from './repo.ts'
import type { NoticeRow } from './table.ts'

function toNotice(n: NoticeRow & { unit_name?: string; nominee_count?: string | number | null }) {
  return {
    id: n.id,
    unitCode: n.unit_code,
    unitName: n.unit_name ?? '',
    issuer: n.issuer,
    startOn: n.start_on,
    endOn: n.end_on,
    contact: n.contact,
    status: n.status,
    nomineeCount: Number(n.nominee_count ?? 0),
    version: n.version,
  }
}

function noticeShape(n: NoticeRow) {
  return { unit_code: n.unit_code, issuer: n.issuer, start_on: n.start_on, end_on: n.end_on, contact: n.contact, status: n.status }
}

export async function listNotices(db: Kysely<DB>, ctx: Ctx) {
  const a = ctx.actor
  if (a.role === 'reviewer') throw forbidden('联审部门审查员不查看公示')
  const rows = await repo.listNotices(db, a.countyCode, scopePrefix(a), limitedToAssignedUnits(a) ? a.unitCodes : undefined)
  return rows.map(toNotice)
}

async function loadNotice(db: Kysely<DB>, ctx: Ctx, id: string) {
  const a = ctx.actor
  const n = a.role === 'reviewer' ? undefined : await repo.findNotice(db, a.countyCode, id)
  if (!n || !canSeeTerritory(a, n.unit_code)) throw notFound('公示不存在，或不在您的管辖范围内')
  return n
}

export async function getNotice(db: Kysely<DB>, ctx: Ctx, id: string) {
  const n = await loadNotice(db, ctx, id)
  const [unit, nominees] = await Promise.all([
    territoryRepo.findTerritory(db, n.county_code, n.unit_code),
    nomineeRepo.listNominees(db, { countyCode: n.county_code, unitPrefix: n.county_code, noticeId: id }),
  ])
  const objections = await nomineeRepo.objectionsOf(
    db,
    n.county_code,
    nominees.map((x) => x.id),
  )
  return {
    ...toNotice({ ...n, unit_name: unit?.name, nominee_count: nominees.length }),
    nominees: nominees.map((x) => ({ ...toNominee(x), objections: objections.filter((o) => o.nominee_id === x.id).length, openObjections: objections.filter((o) => o.nominee_id === x.id && o.upheld === null).length })),
  }
}

export interface NoticeInput {
  unitCode: string
  nomineeIds: string[]
  issuer: string
  startOn: string
  endOn: string
  contact: string
}

/** Publishes (公示) a unit's qualified nominees: they move to "in notice" together. */
export async function createNotice(db: Kysely<DB>, ctx: Ctx, input: NoticeInput) {
  const a = ctx.actor
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('您的角色不能发布公示')
  if (!covers(a, input.unitCode)) throw notFound('村（社区）不存在，或不在您的管辖范围内')
  if (!isRealDate(input.startOn)) throw invalid('公示开始日期不是有效日期', [{ field: '开始日期', message: '请选择日期' }])
  if (!isRealDate(input.endOn) || input.endOn < input.startOn) throw invalid('公示结束日期应不早于开始日期', [{ field: '结束日期', message: '应不早于开始日期' }])
  const ids = [...new Set(input.nomineeIds)]
  return db.transaction().execute(async (trx) => {
    const locked = await nomineeRepo.lockNominees(trx, a.countyCode, ids)
    if (locked.length !== ids.length || locked.some((n) => n.unit_code !== input.unitCode)) throw invalid('所选人选不全属于该村（社区），请刷新后重选')
    const named = await nomineeRepo.listNominees(trx, { countyCode: a.countyCode, unitPrefix: input.unitCode, ids })
    const refused = named.map((n) => ({ n, t: transition(n.state, { type: 'start_notice' }) })).filter((x) => !x.t.ok)
    if (refused.length) throw conflict(refused.map(({ n, t }) => `${n.name}：${t.ok ? '' : t.message}`).join('；'))
    const notice = await repo.insertNotice(trx, {
      county_code: a.countyCode,
      unit_code: input.unitCode,
      issuer: input.issuer.trim(),
      start_on: input.startOn,
      end_on: input.endOn,
      contact: input.contact.trim(),
    })
    for (const n of named) {
      const after = await nomineeRepo.updateNominee(trx, a.countyCode, n.id, { state: 'in_notice', notice_id: notice.id })
      await recordAudit(trx, ctx, { action: 'nominee.update', objectType: 'nominee', objectId: n.id, before: nomineeAudit(n), after: nomineeAudit(after), extra: { notice_id: notice.id } })
    }
    await recordAudit(trx, ctx, { action: 'notice.create', objectType: 'notice', objectId: notice.id, after: { ...noticeShape(notice), nominee_ids: ids } })
    return toNotice({ ...notice, unit_name: named[0]?.unit_name, nominee_count: named.length })
  })
}

/**
 * Ends a notice once its period is over and every objection has been handled: a nominee with an
 * upheld objection is disqualified, the others become formal candidates.
 */
export async function closeNotice(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const a = ctx.actor
  const n = await loadNotice(db, ctx, id)
  if ((a.role !== 'county_admin' && a.role !== 'township_organiser') || !covers(a, n.unit_code)) throw forbidden('您的角色不能结束公示')
  const today = todayInChina()
  if (today <= n.end_on) throw ruleViolation(`公示期到 ${chineseDate(n.end_on)} 结束，期满后（${chineseDate(n.end_on)}之后）才能确定正式候选人`)
  return db.transaction().execute(async (trx) => {
    const locked = await repo.lockNotice(trx, a.countyCode, id)
    if (!locked || locked.version !== version) throw versionConflict('该公示已被他人处理，请刷新后重试')
    if (locked.status === 'closed') throw conflict('该公示已结束')
    const nominees = (await nomineeRepo.listNominees(trx, { countyCode: a.countyCode, unitPrefix: n.unit_code, noticeId: id })).filter((x) => x.state === 'in_notice')
    await nomineeRepo.lockNominees(
      trx,
      a.countyCode,
      nominees.map((x) => x.id),
    )
    const objections = await nomineeRepo.objectionsOf(
      trx,
      a.countyCode,
      nominees.map((x) => x.id),
    )
    const open = objections.filter((o) => o.upheld === null)
    if (open.length) {
      const names = nominees.filter((x) => open.some((o) => o.nominee_id === x.id)).map((x) => x.name)
      throw ruleViolation(`还有 ${open.length} 件异议没有处理完（${names.join('、')}），请先记录核查处理结果`)
    }
    const result = { candidates: 0, disqualified: 0 }
    for (const x of nominees) {
      const upheld = objections.some((o) => o.nominee_id === x.id && o.upheld)
      const t = transition(x.state, { type: 'close_notice', objectionUpheld: upheld })
      if (!t.ok) throw conflict(t.message)
      const after = await nomineeRepo.updateNominee(trx, a.countyCode, x.id, { state: t.state, concluded_at: upheld ? new Date() : x.concluded_at })
      await recordAudit(trx, ctx, { action: 'nominee.notice.close', objectType: 'nominee', objectId: x.id, before: nomineeAudit(x), after: nomineeAudit(after), extra: { objection_upheld: upheld } })
      if (upheld) result.disqualified++
      else result.candidates++
    }
    const closed = await repo.closeNotice(trx, a.countyCode, id)
    await recordAudit(trx, ctx, { action: 'notice.close', objectType: 'notice', objectId: id, before: noticeShape(locked), after: noticeShape(closed), extra: result })
    return { ...toNotice({ ...closed, unit_name: nominees[0]?.unit_name, nominee_count: nominees.length }), ...result }
  })
}

/** The notice's words, from the stored notice and its nominees. */
async function content(db: Kysely<DB>, n: NoticeRow): Promise<NoticeContent> {
  const unit = await territoryRepo.findTerritory(db, n.county_code, n.unit_code)
  const township = unit?.parent_code ? await territoryRepo.findTerritory(db, n.county_code, unit.parent_code) : undefined
  const nominees = (await nomineeRepo.listNominees(db, { countyCode: n.county_code, unitPrefix: n.unit_code, noticeId: n.id })).map((x) => toNominee(x))
  const isCommunity = unit?.kind === 'community'
  const place = `${township?.name ?? ''}${unit?.name ?? ''}`
  return {
    title: `关于${place}“两委”换届候选人人选资格审查结果的公示`,
    intro: `根据${isCommunity ? '社区' : '村'}“两委”换届工作有关规定，经${isCommunity ? '社区' : '村'}党组织和${township?.name ?? '乡镇'}党委初审、县级有关部门联合审查，以下同志资格审查合格，现予以公示（按职务排列）：`,
    columns: ['姓名', '性别', '年龄', '学历', '政治面貌', '拟任职务'],
    rows: nominees.map((x) => [
      x.name,
      x.gender === '1' ? '男' : '女',
      String(x.age),
      labelOf(educations, x.education) ?? '',
      labelOf(politicalStatuses, x.politicalStatus) ?? '',
      `${x.bodyLabel}${x.postLabel.replace(/^党组织/, '')}`,
    ]),
    period: `公示时间：${chineseDate(n.start_on)}至${chineseDate(n.end_on)}。`,
    objection: `公示期间，对公示对象有异议的，可通过来电、来信、来访等方式向${n.issuer}反映。反映问题应实事求是，提倡署真实姓名；以真实姓名反映的，将优先核查并予以保密。`,
    contact: `联系人及电话：${n.contact}`,
    issuer: n.issuer,
    date: chineseDate(n.start_on),
  }
}

export async function noticeDocument(db: Kysely<DB>, ctx: Ctx, id: string, format: 'docx' | 'pdf') {
  const n = await loadNotice(db, ctx, id)
  const c = await content(db, n)
  if (!c.rows.length) throw conflict('该公示没有人选')
  const buffer = format === 'docx' ? await noticeDocx(c) : await noticePdf(c)
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'notice.document', objectType: 'notice', objectId: id, extra: { format } }))
  return { buffer, fileName: `${c.title}.${format}` }
}
