import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound } from '../../http/errors.ts'
import { canSeeTerritory, covers, limitedToAssignedUnits, prefixOf, scopePrefix } from '../../scope.ts'
import { bodyLabel, postLabel, postProblem, type Body, type Post } from '../../../rules/posts/index.ts'
import { isPartyMember } from '../../../rules/codes/index.ts'
import { ageOn, isRealDate } from '../../../rules/age/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as personRepo from '../person/repo.ts'
import * as territoryRepo from '../territory/repo.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'

type HoldingRow = Awaited<ReturnType<typeof repo.listHoldings>>[number]

export function toHolding(h: HoldingRow, today = todayInChina()) {
  return {
    id: h.id,
    unitCode: h.unit_code,
    unitName: h.unit_name,
    personId: h.person_id,
    name: h.name,
    idNumber: h.id_number_masked,
    gender: h.gender,
    age: ageOn(h.birth_date, today),
    politicalStatus: h.political_status,
    education: h.education,
    body: h.body,
    bodyLabel: bodyLabel(h.body, h.unit_kind),
    post: h.post as Post,
    postLabel: postLabel(h.body, h.post as Post),
    since: h.since,
    endedOn: h.ended_on,
    resultId: h.result_id,
  }
}

export async function listHoldings(db: Kysely<DB>, ctx: Ctx, q: { unitCode?: string; history?: boolean }) {
  const a = ctx.actor
  if (a.role === 'reviewer') throw forbidden('联审部门审查员不查看现任班子')
  let prefix = scopePrefix(a)
  if (q.unitCode) {
    const p = prefixOf(q.unitCode)
    if (!p.startsWith(prefix)) return []
    prefix = p
  }
  const rows = await repo.listHoldings(db, a.countyCode, prefix, limitedToAssignedUnits(a) ? a.unitCodes : undefined, undefined, q.history)
  const today = todayInChina()
  return rows.map((r) => toHolding(r, today))
}

export function assertCanWrite(a: Actor, unitCode: string) {
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('您的角色不能维护现任班子')
  if (!covers(a, unitCode)) throw notFound('村（社区）不存在，或不在您的管辖范围内')
}

export interface HoldingInput {
  unitCode: string
  personId: string
  body: Body
  post: string
  since?: string | null
}

export async function createHolding(db: Kysely<DB>, ctx: Ctx, input: HoldingInput) {
  const a = ctx.actor
  assertCanWrite(a, input.unitCode)
  const unit = await territoryRepo.findTerritory(db, a.countyCode, input.unitCode)
  if (!unit || unit.level !== 'unit') throw invalid('请选择一个村（社区）')
  const person = await personRepo.findPerson(db, a.countyCode, input.personId)
  if (!person || !canSeeTerritory(a, person.unit_code)) throw invalid('人员不存在，或不在您的管辖范围内，请先在人员库登记')
  const problem = postProblem(input.body, input.post, isPartyMember(person.political_status))
  if (problem) throw invalid(problem, [{ field: '职务', message: problem }])
  if (input.since && (!isRealDate(input.since) || input.since > todayInChina())) throw invalid('任职时间不是有效日期')
  if (await repo.findSame(db, a.countyCode, input.unitCode, input.personId, input.body)) {
    throw conflict(`${person.name}已登记在${unit.name}${bodyLabel(input.body, unit.kind)}任职`)
  }
  return db.transaction().execute(async (trx) => {
    const [h] = await repo.insertHoldings(trx, [{ county_code: a.countyCode, unit_code: input.unitCode, person_id: input.personId, body: input.body, post: input.post, since: input.since ?? null }])
    await recordAudit(trx, ctx, { action: 'post.create', objectType: 'post_holding', objectId: h!.id, after: { unit_code: h!.unit_code, person_id: h!.person_id, body: h!.body, post: h!.post, since: h!.since } })
    const [row] = await repo.listHoldings(trx, a.countyCode, input.unitCode, undefined, [input.personId])
    return toHolding(row!)
  })
}

export async function deleteHolding(db: Kysely<DB>, ctx: Ctx, id: string) {
  const a = ctx.actor
  const h = await repo.findHolding(db, a.countyCode, id)
  if (!h) throw notFound('任职记录不存在')
  assertCanWrite(a, h.unit_code)
  await db.transaction().execute(async (trx) => {
    await repo.deleteHolding(trx, a.countyCode, id)
    await recordAudit(trx, ctx, { action: 'post.delete', objectType: 'post_holding', objectId: id, before: { unit_code: h.unit_code, person_id: h.person_id, body: h.body, post: h.post, since: h.since } })
  })
}
