/**
 * 组织引导到位 (issue 6 §3): the township's leading group (第一责任人 the Party secretary, 具体责任人
 * the other leaders, member departments) and its guidance groups with the units each covers, beside
 * the 包村 leader and cadre of every unit (the users' assigned units); and the notice that sets
 * them up, as Word.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { covers, levelOfCode } from '../../scope.ts'
import { formDocx } from '../../files/form-doc.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import { chineseDate } from '../notice/documents.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as repo from './repo.ts'
import type { GroupKind, GroupMember, MemberRole, WorkGroupRow } from './table.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const roleLabels: Record<MemberRole, string> = { first_responsible: '第一责任人', head: '组长', deputy: '副组长', responsible: '具体责任人', member: '成员' }
const roleOrder: MemberRole[] = ['first_responsible', 'head', 'deputy', 'responsible', 'member']

const toGroup = (g: WorkGroupRow) => ({ id: g.id, kind: g.kind, name: g.name, members: g.members, unitCodes: g.unit_codes, duties: g.duties, updatedBy: g.updated_by, version: g.version })

/** The township asked for, or the actor's own; county users default to the first. */
async function townshipOf(db: Kysely<DB>, a: Actor, code?: string) {
  if (a.role === 'reviewer') throw forbidden('审查人员不能查看换届组织领导')
  const wanted = code ?? (a.territoryLevel === 'township' ? a.territoryCode : (await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'township', status: 'active' }))[0]?.code)
  const t = wanted && levelOfCode(wanted) === 'township' && covers(a, wanted) ? await territoryRepo.findTerritory(db, a.countyCode, wanted) : undefined
  if (!t) throw notFound('乡镇不存在，或不在您的管辖范围内')
  return t
}

function assertWriter(a: Actor): void {
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('只有乡镇组织员或县级管理员可以调整领导小组和指导组')
}

export async function organisation(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const a = ctx.actor
  const township = await townshipOf(db, a, q.township)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const [groups, units, assigned] = await Promise.all([
    repo.groupsOf(db, a.countyCode, campaign.id, township.code),
    territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: township.code.slice(0, 9), level: 'unit', status: 'active' }),
    repo.assignments(db, a.countyCode, township.code.slice(0, 9)),
  ])
  const guidance = groups.filter((g) => g.kind === 'guidance')
  return {
    campaign: toCampaign(campaign),
    township: { code: township.code, name: township.name },
    canEdit: a.role === 'county_admin' || a.role === 'township_organiser',
    leading: groups.find((g) => g.kind === 'leading') ? toGroup(groups.find((g) => g.kind === 'leading')!) : null,
    guidance: guidance.map(toGroup),
    units: units.map((u) => ({
      code: u.code,
      name: u.name,
      leaders: assigned.filter((x) => x.unit_code === u.code && x.role === 'leader').map((x) => x.display_name),
      cadres: assigned.filter((x) => x.unit_code === u.code && x.role === 'contact_cadre').map((x) => x.display_name),
      guidance: guidance.find((g) => g.unit_codes.includes(u.code))?.name ?? null,
    })),
    roleLabels,
  }
}

interface GroupInput {
  name: string
  members: GroupMember[]
  unitCodes: string[]
  duties: string
}

/** Checks a group against its kind and its township: roles, one first responsible person, units of the township not in another guidance group. */
async function checked(db: Kysely<DB>, countyCode: string, campaignId: string, townshipCode: string, kind: GroupKind, input: GroupInput, exceptId?: string) {
  const name = input.name.trim()
  if (!name) throw invalid('请填写名称', [{ field: 'name', message: '不能为空' }])
  const members = input.members.map((m) => ({ name: m.name.trim(), title: m.title.trim(), role: m.role, department: m.department.trim() }))
  members.forEach((m, i) => {
    if (!m.name) throw invalid(`第${i + 1}位成员没有填写姓名`, [{ field: `members.${i}.name`, message: '不能为空' }])
    if (kind === 'guidance' && m.role !== 'head' && m.role !== 'member') throw invalid(`指导组成员的身份只能是组长或成员（第${i + 1}位：${roleLabels[m.role]}）`, [{ field: `members.${i}.role`, message: '指导组不设此身份' }])
  })
  if (kind === 'leading' && members.filter((m) => m.role === 'first_responsible').length !== 1) {
    throw invalid('领导小组应明确一名第一责任人（一般为乡镇党委书记）', [{ field: 'members', message: '第一责任人应为一人' }])
  }
  const units = [...new Set(input.unitCodes)]
  if (kind === 'leading' && units.length) throw invalid('领导小组不分村（社区），联系村请在指导组中设置', [{ field: 'unitCodes', message: '领导小组不设联系村' }])
  const prefix = townshipCode.slice(0, 9)
  const bad = units.filter((u) => !u.startsWith(prefix) || levelOfCode(u) !== 'unit')
  if (bad.length) throw invalid(`以下区划不是本乡镇的村（社区）：${bad.join('、')}`, [{ field: 'unitCodes', message: '不属于本乡镇' }])
  const others = (await repo.groupsOf(db, countyCode, campaignId, townshipCode)).filter((g) => g.kind === 'guidance' && g.id !== exceptId)
  const taken = units.filter((u) => others.some((g) => g.unit_codes.includes(u)))
  if (taken.length) {
    const names = new Map((await territoryRepo.findTerritories(db, countyCode, taken)).map((t) => [t.code, t.name]))
    throw conflict(`${taken.map((u) => names.get(u) ?? u).join('、')}已由其他指导组联系，一个村（社区）只由一个指导组联系`)
  }
  return { name, members: [...members].sort((x, y) => roleOrder.indexOf(x.role) - roleOrder.indexOf(y.role)), units, duties: input.duties.trim() }
}

export async function createGroup(db: Kysely<DB>, ctx: Ctx, input: GroupInput & { township: string; campaign?: string; kind: GroupKind }) {
  const a = ctx.actor
  assertWriter(a)
  const township = await townshipOf(db, a, input.township)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = await checked(db, a.countyCode, campaign.id, township.code, input.kind, input)
  if (input.kind === 'leading' && (await repo.groupsOf(db, a.countyCode, campaign.id, township.code)).some((g) => g.kind === 'leading')) {
    throw conflict(`${township.name}本届已成立领导小组，请编辑原有的领导小组`)
  }
  const row = await db.transaction().execute(async (trx) => {
    const g = await repo.insertGroup(trx, { county_code: a.countyCode, campaign_id: campaign.id, township_code: township.code, kind: input.kind, name: v.name, members: JSON.stringify(v.members), unit_codes: v.units, duties: v.duties, updated_by: a.displayName })
    await recordAudit(trx, ctx, { action: 'group.create', objectType: 'work_group', objectId: g.id, after: g })
    return g
  })
  return toGroup(row)
}

async function loadGroup(db: Kysely<DB>, a: Actor, id: string) {
  const g = await repo.findGroup(db, a.countyCode, id)
  if (!g || !covers(a, g.township_code)) throw notFound('该工作组不存在，或不在您的管辖范围内')
  return g
}

export async function updateGroup(db: Kysely<DB>, ctx: Ctx, id: string, input: GroupInput & { version: number }) {
  const a = ctx.actor
  assertWriter(a)
  const before = await loadGroup(db, a, id)
  const v = await checked(db, a.countyCode, before.campaign_id, before.township_code, before.kind, input, id)
  const row = await db.transaction().execute(async (trx) => {
    const g = await repo.updateGroup(trx, a.countyCode, id, input.version, { name: v.name, members: JSON.stringify(v.members), unit_codes: v.units, duties: v.duties, updated_by: a.displayName })
    if (!g) throw versionConflict(`“${before.name}”已被他人修改，请刷新后重试`)
    await recordAudit(trx, ctx, { action: 'group.update', objectType: 'work_group', objectId: id, before, after: g })
    return g
  })
  return toGroup(row)
}

export async function deleteGroup(db: Kysely<DB>, ctx: Ctx, id: string) {
  const a = ctx.actor
  assertWriter(a)
  const before = await loadGroup(db, a, id)
  if (before.kind === 'leading') throw conflict('领导小组不能撤销，可以调整其成员')
  await db.transaction().execute(async (trx) => {
    await repo.deleteGroup(trx, a.countyCode, id)
    await recordAudit(trx, ctx, { action: 'group.delete', objectType: 'work_group', objectId: id, before })
  })
  return { ok: true }
}

/** 关于成立换届工作领导小组和指导组的通知 (Word, GB/T 9704 as the other notices). */
export async function noticeDocx(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const o = await organisation(db, ctx, q)
  if (!o.leading) throw conflict('请先成立领导小组，再生成通知')
  const t = o.township.name
  const names = new Map(o.units.map((u) => [u.code, u.name]))
  const byRole = (ms: GroupMember[], role: MemberRole) => ms.filter((m) => m.role === role).map((m) => `${m.name}${m.title ? `（${m.title}）` : ''}`)
  const departments = [...new Set(o.leading.members.map((m) => m.department).filter(Boolean))]
  const leadingLines = roleOrder.map((r) => [roleLabels[r], byRole(o.leading!.members, r)] as const).filter(([, v]) => v.length)
  const blocks = [
    { kind: 'paragraph' as const, text: '各村（社区）党组织、镇直各部门：', indent: false },
    { kind: 'paragraph' as const, text: `为加强对${o.campaign.name}工作的组织领导，确保换届工作平稳有序推进，经镇党委研究，决定成立${t}${o.leading.name}${o.guidance.length ? `和${o.guidance.length}个换届工作指导组` : ''}。现将有关事项通知如下：` },
    { kind: 'heading' as const, text: `一、${o.leading.name}` },
    ...leadingLines.map(([label, people]) => ({ kind: 'paragraph' as const, text: `${label}：${people.join('、')}` })),
    ...(departments.length ? [{ kind: 'paragraph' as const, text: `成员单位：${departments.join('、')}（共${departments.length}个）` }] : []),
    ...(o.leading.duties ? [{ kind: 'paragraph' as const, text: `主要职责：${o.leading.duties}` }] : []),
    ...(o.guidance.length ? [{ kind: 'heading' as const, text: '二、换届工作指导组' }] : []),
    ...o.guidance.flatMap((g) => [
      { kind: 'paragraph' as const, text: `${g.name}：组长 ${byRole(g.members, 'head').join('、') || '（未定）'}；成员 ${byRole(g.members, 'member').join('、') || '（无）'}。联系 ${g.unitCodes.map((u) => names.get(u) ?? u).join('、') || '（未分配）'}。` },
      ...(g.duties ? [{ kind: 'paragraph' as const, text: `职责：${g.duties}` }] : []),
    ]),
    { kind: 'spacer' as const },
    { kind: 'paragraph' as const, text: `中共${t}委员会`, align: 'right' as const, indent: false },
    { kind: 'paragraph' as const, text: chineseDate(todayInChina()), align: 'right' as const, indent: false },
  ]
  const title = `关于成立${t}${o.leading.name}${o.guidance.length ? '和指导组' : ''}的通知`
  return { data: await formDocx({ title, blocks }), name: `${title}.docx` }
}
