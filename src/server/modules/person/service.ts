import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import { canSeeTerritory, covers, limitedToAssignedUnits, prefixOf, scopePrefix } from '../../scope.ts'
import { maskIdNumber, maskPhone } from '../../../shared/mask.ts'
import { parseIdNumber } from '../../../rules/id-number/index.ts'
import { ageOn, isRealDate } from '../../../rules/age/index.ts'
import { nameProblem, normalizeName } from '../../../rules/names/index.ts'
import { isPartyMember } from '../../../rules/codes/index.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { recordAudit } from '../audit/service.ts'
import { activeCodes } from '../dictionary/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as repo from './repo.ts'
import * as nomineeRepo from '../nominee/repo.ts'
import * as electionRepo from '../election/repo.ts'
import * as postRepo from '../post/repo.ts'
import { heldPostLabel, type Post } from '../../../rules/posts/index.ts'
import type { PersonRow } from './table.ts'

/** Today's date in China, 'YYYY-MM-DD': birth dates and ages are judged against it. */
export function todayInChina(now = new Date()): string {
  return chinaDay.format(now)
}
// Made once: building a formatter per call costs more than the formatting (every request asks).
const chinaDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' })

export interface Person {
  id: string
  name: string
  /** Always masked: 1101**********123X. */
  idNumber: string
  birthDate: string
  age: number
  gender: '1' | '2'
  ethnicity: string
  education: string
  politicalStatus: string
  partyJoinedOn: string | null
  phone: string | null
  unitCode: string
  unitName: string
  reserveCadre: boolean
  version: number
}

export function toPerson(r: PersonRow & { unit_name?: string }, today = todayInChina()): Person {
  return {
    id: r.id,
    name: r.name,
    idNumber: r.id_number_masked,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, today),
    gender: r.gender,
    ethnicity: r.ethnicity,
    education: r.education,
    politicalStatus: r.political_status,
    partyJoinedOn: r.party_joined_on,
    phone: r.phone ? maskPhone(r.phone) : null,
    unitCode: r.unit_code,
    unitName: r.unit_name ?? '',
    reserveCadre: r.reserve_cadre,
    version: r.version,
  }
}

/** What the audit log keeps of a person: nothing that identifies beyond the masks. */
export function auditShape(r: Omit<PersonRow, 'id' | 'version' | 'created_at' | 'updated_at'>) {
  return {
    name: r.name,
    id_number: r.id_number_masked,
    ethnicity: r.ethnicity,
    education: r.education,
    political_status: r.political_status,
    party_joined_on: r.party_joined_on,
    phone: r.phone,
    unit_code: r.unit_code,
    reserve_cadre: r.reserve_cadre,
  }
}

export interface PersonQuery {
  page: number
  pageSize: number
  unitCode?: string
  keyword?: string
  reserveCadre?: boolean
}

export async function listPeople(db: Kysely<DB>, ctx: Ctx, q: PersonQuery) {
  const a = ctx.actor
  if (a.role === 'reviewer') throw forbidden('联审部门审查员只能查看送审给本部门的人选')
  let prefix = scopePrefix(a)
  if (q.unitCode) {
    // A unit or a township: everything under it that the actor may see.
    const p = prefixOf(q.unitCode)
    if (!p.startsWith(prefix) && !(p.length === 12 && canSeeTerritory(a, q.unitCode))) return { items: [], total: 0 }
    prefix = p
  }
  const { rows, total } = await repo.pagePeople(
    db,
    { countyCode: a.countyCode, unitPrefix: prefix, onlyUnits: limitedToAssignedUnits(a) ? a.unitCodes : undefined, keyword: q.keyword?.trim() || undefined, reserveCadre: q.reserveCadre },
    q.page,
    q.pageSize,
  )
  const today = todayInChina()
  return { items: rows.map((r) => toPerson(r, today)), total }
}

async function loadVisible(db: Kysely<DB>, actor: Actor, id: string): Promise<PersonRow> {
  const row = actor.role === 'reviewer' ? undefined : await repo.findPerson(db, actor.countyCode, id)
  if (!row || !canSeeTerritory(actor, row.unit_code)) throw notFound('人员不存在，或不在您的管辖范围内')
  return row
}

export async function getPerson(db: Kysely<DB>, ctx: Ctx, id: string): Promise<Person & { posts: string[] }> {
  const row = await loadVisible(db, ctx.actor, id)
  const holdings = await postRepo.listHoldings(db, row.county_code, row.county_code, undefined, [id])
  return { ...(await named(db, row)), posts: holdings.map((h) => heldPostLabel(h.unit_name, h.body, h.post as Post, h.unit_kind)) }
}

async function named(db: Kysely<DB> | Transaction<DB>, row: PersonRow): Promise<Person> {
  const unit = await territoryRepo.findTerritory(db, row.county_code, row.unit_code)
  return toPerson({ ...row, unit_name: unit?.name ?? '' })
}

function assertCanWrite(actor: Actor, unitCode: string): void {
  if ((actor.role === 'county_admin' || actor.role === 'township_organiser') && covers(actor, unitCode)) return
  if (actor.role === 'county_admin' || actor.role === 'township_organiser') throw notFound('村（社区）不存在，或不在您的管辖范围内')
  throw forbidden('您的角色不能维护人员信息')
}

export interface PersonInput {
  name: string
  idNumber: string
  ethnicity: string
  education: string
  politicalStatus: string
  partyJoinedOn?: string | null
  phone?: string | null
  unitCode: string
  reserveCadre?: boolean
}

export interface Checked {
  name: string
  idNumber: string
  birthDate: string
  gender: '1' | '2'
}

export interface CodeLists {
  ethnicity: Map<string, string>
  education: Map<string, string>
  politicalStatus: Map<string, string>
}

/** The active national codes, loaded once per request or import. */
export async function loadCodeLists(db: Kysely<DB>): Promise<CodeLists> {
  const [ethnicity, education, politicalStatus] = await Promise.all([activeCodes(db, 'ethnicity'), activeCodes(db, 'education'), activeCodes(db, 'political_status')])
  return { ethnicity, education, politicalStatus }
}

/**
 * Checks one person's fields and returns every problem, each naming its field (the import turns
 * them into row and column). The ID number is validated and read for birth date and gender,
 * which are never typed.
 */
export function checkPerson(input: PersonInput, today: string, codes: CodeLists): { checked?: Checked; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = []
  const bad = (field: string, message: string) => problems.push({ field, message })
  const name = normalizeName(input.name)
  const np = nameProblem(name)
  if (np) bad('姓名', np)
  const id = parseIdNumber(input.idNumber, today)
  if (!id.ok) bad('身份证号', id.message)
  else if (id.info.kind !== 'resident') bad('身份证号', id.info.kind === 'foreign_permanent' ? '外国人永久居留身份证号码不能登记为村（社区）干部人选' : '港澳台居民居住证号码不能登记为村（社区）干部人选')
  else if (ageOn(id.info.birthDate, today) < 18) bad('身份证号', '按身份证号计算未满 18 周岁')
  if (!codes.ethnicity.has(input.ethnicity)) bad('民族', `民族“${input.ethnicity}”不在 GB 3304 代码表中`)
  if (!codes.education.has(input.education)) bad('学历', `学历“${input.education}”不在 GB/T 4658 代码表中`)
  if (!codes.politicalStatus.has(input.politicalStatus)) bad('政治面貌', `政治面貌“${input.politicalStatus}”不在 GB/T 4762 代码表中`)
  if (input.partyJoinedOn) {
    if (!isPartyMember(input.politicalStatus)) bad('入党时间', '只有中共党员（含预备党员）填写入党时间')
    else if (!isRealDate(input.partyJoinedOn) || input.partyJoinedOn > today) bad('入党时间', '入党时间不是有效日期')
    else if (id.ok && input.partyJoinedOn < id.info.birthDate) bad('入党时间', '入党时间早于出生日期')
  }
  if (input.phone && !/^1[3-9]\d{9}$/.test(input.phone)) bad('手机号', '手机号应为 11 位，以 13–19 开头')
  if (problems.length || !id.ok) return { problems }
  return { checked: { name, idNumber: id.info.number, birthDate: id.info.birthDate, gender: id.info.gender === 'male' ? '1' : '2' }, problems }
}

async function assertUnit(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<void> {
  assertCanWrite(actor, unitCode)
  const unit = await territoryRepo.findTerritory(db, actor.countyCode, unitCode)
  if (!unit || unit.level !== 'unit') throw invalid('请选择一个村（社区）', [{ field: '所在村（社区）', message: '请选择一个村（社区）' }])
  if (unit.status !== 'active') throw invalid(`“${unit.name}”已停用`)
}

export async function createPerson(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, input: PersonInput): Promise<Person> {
  await assertUnit(db, ctx.actor, input.unitCode)
  const { checked, problems } = checkPerson(input, todayInChina(), await loadCodeLists(db))
  if (!checked) throw invalid(problems[0]!.message, problems)
  const index = cipher.blindIndex(checked.idNumber)
  return db.transaction().execute(async (trx) => {
    const twin = await repo.findByIndex(trx, ctx.actor.countyCode, index)
    if (twin) {
      const where = canSeeTerritory(ctx.actor, twin.unit_code) ? `（${twin.name}）` : '（在其他乡镇）'
      throw conflict(`该身份证号已登记${where}，同一人只能登记一次`)
    }
    const row = await repo.insertPerson(trx, {
      county_code: ctx.actor.countyCode,
      name: checked.name,
      id_number_enc: cipher.encrypt(checked.idNumber),
      id_number_index: index,
      id_number_masked: maskIdNumber(checked.idNumber),
      birth_date: checked.birthDate,
      gender: checked.gender,
      ethnicity: input.ethnicity,
      education: input.education,
      political_status: input.politicalStatus,
      party_joined_on: input.partyJoinedOn ?? null,
      phone: input.phone ?? null,
      unit_code: input.unitCode,
      reserve_cadre: input.reserveCadre ?? false,
    })
    await recordAudit(trx, ctx, { action: 'person.create', objectType: 'person', objectId: row.id, after: auditShape(row) })
    return named(trx, row)
  })
}

export interface PersonPatchInput extends Partial<Omit<PersonInput, 'idNumber'>> {
  version: number
}

/** The ID number is not editable: a wrong number is a wrong person (remove and register again). */
export async function updatePerson(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, id: string, input: PersonPatchInput): Promise<Person> {
  const before = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, before.unit_code)
  if (input.unitCode && input.unitCode !== before.unit_code) await assertUnit(db, ctx.actor, input.unitCode)
  const merged: PersonInput = {
    name: input.name ?? before.name,
    idNumber: cipher.decrypt(before.id_number_enc),
    ethnicity: input.ethnicity ?? before.ethnicity,
    education: input.education ?? before.education,
    politicalStatus: input.politicalStatus ?? before.political_status,
    partyJoinedOn: input.partyJoinedOn !== undefined ? input.partyJoinedOn : before.party_joined_on,
    phone: input.phone !== undefined ? input.phone : before.phone,
    unitCode: input.unitCode ?? before.unit_code,
    reserveCadre: input.reserveCadre ?? before.reserve_cadre,
  }
  const { checked, problems } = checkPerson(merged, todayInChina(), await loadCodeLists(db))
  if (!checked) throw invalid(problems[0]!.message, problems)
  return db.transaction().execute(async (trx) => {
    const after = await repo.updatePersonVersioned(trx, ctx.actor.countyCode, id, input.version, {
      name: checked.name,
      ethnicity: merged.ethnicity,
      education: merged.education,
      political_status: merged.politicalStatus,
      party_joined_on: merged.partyJoinedOn ?? null,
      phone: merged.phone ?? null,
      unit_code: merged.unitCode,
      reserve_cadre: merged.reserveCadre ?? false,
    })
    if (!after) throw versionConflict(`“${before.name}”的信息已被他人修改，请刷新后重试`)
    await recordAudit(trx, ctx, { action: 'person.update', objectType: 'person', objectId: id, before: auditShape(before), after: auditShape(after) })
    return named(trx, after)
  })
}

/**
 * Removes a registration made in error (a wrong ID number cannot be edited: it is another person).
 * A person who is or was a nominee stays: the review's record refers to them. Their incumbent
 * posts go with them (they were registered with the same mistake).
 */
export async function deletePerson(db: Kysely<DB>, ctx: Ctx, id: string, version: number): Promise<void> {
  const before = await loadVisible(db, ctx.actor, id)
  assertCanWrite(ctx.actor, before.unit_code)
  if (await nomineeRepo.countByPerson(db, ctx.actor.countyCode, id)) throw conflict(`“${before.name}”已被提名为人选，登记不能删除；如人选不再参选，请在“人选”中办理退出`)
  if (await electionRepo.countCandidacies(db, ctx.actor.countyCode, id)) throw conflict(`“${before.name}”是选举的候选人，登记不能删除`)
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deletePerson(trx, ctx.actor.countyCode, id, version))) throw versionConflict(`“${before.name}”的信息已被他人修改，请刷新后重试`)
    await recordAudit(trx, ctx, { action: 'person.delete', objectType: 'person', objectId: id, before: auditShape(before) })
  })
}

/** Shows one full ID number to a role that needs it; every reveal is an audit event. */
export async function revealIdNumber(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, id: string): Promise<{ idNumber: string }> {
  const row = await loadVisible(db, ctx.actor, id)
  if (ctx.actor.role !== 'county_admin' && ctx.actor.role !== 'township_organiser') throw forbidden('您的角色不能查看完整身份证号')
  const idNumber = cipher.decrypt(row.id_number_enc)
  await db.transaction().execute((trx) =>
    recordAudit(trx, ctx, { action: 'person.id_number.reveal', objectType: 'person', objectId: id, extra: { name: row.name, id_number: row.id_number_masked } }),
  )
  return { idNumber }
}

/** Finds a person by full ID number (sent in a body, never a URL), within the actor's scope. */
export async function findByIdNumber(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, raw: string): Promise<Person | null> {
  const id = parseIdNumber(raw, todayInChina())
  if (!id.ok) throw invalid(id.message)
  const row = await repo.findByIndex(db, ctx.actor.countyCode, cipher.blindIndex(id.info.number))
  if (!row || ctx.actor.role === 'reviewer' || !canSeeTerritory(ctx.actor, row.unit_code)) return null
  return named(db, row)
}
