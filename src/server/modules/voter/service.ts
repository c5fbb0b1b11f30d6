/**
 * 选民登记 (issue 7 §1): each unit's voter roll in a campaign and the people on it.
 *
 * Who: the county admin and the township organiser register, edit and remove voters within their
 * territory; a contact cadre does so for the units assigned to them; leaders and the auditor read;
 * the department reviewer sees nothing (403). A unit outside one's territory does not exist (404).
 * Only the county admin and the township organiser set a roll's election day.
 *
 * Rules: a voter is checked by rules/voter.voterProblems against the roll's election day (ages are
 * counted on it); birth date and gender come from the ID number. A roll gets its election day when
 * the township sets it, or from the unit's villagers' committee day in the timeline when the first
 * voter is added; without either nothing can be registered. Nobody is on two rolls of the county in
 * the same campaign (a unique index backs the check). Once the roll is frozen (the election has
 * opened) nothing changes; after publication changes are still allowed (objections drive them) and
 * their audit rows say the roll was published.
 *
 * Privacy: lists carry masked ID numbers only. A person's ID number, presented in full, finds them
 * anywhere in the county (the duplicate check and the door-step lookup); what it tells depends on
 * scope — inside the actor's territory the unit, group and category, outside it only the township
 * (“已在第2镇登记”), never the name or details. A name alone finds voters only inside the territory.
 */
import type { Kysely, Transaction } from 'kysely'
import { pinyin } from 'pinyin-pro'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, DomainError, forbidden, invalid, notFound, ruleViolation, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import { canSeeTerritory, covers, levelOfCode, limitedToAssignedUnits, prefixOf, scopePrefix } from '../../scope.ts'
import { maskIdNumber } from '../../../shared/mask.ts'
import { parseIdNumber, type IdNumberInfo } from '../../../rules/id-number/index.ts'
import { ageOn, isRealDate } from '../../../rules/age/index.ts'
import { nameProblem, normalizeName } from '../../../rules/names/index.ts'
import { latestBirthDate, publicationProblems, voterBasis, voterCategoryLabels, voterProblems, type Problem, type VoterCategory } from '../../../rules/voter/index.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { recordAudit, type AuditEntry } from '../audit/service.ts'
import type { AuditAction } from '../../../shared/audit-actions.ts'
import { inCampaign, pickCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import type { VoterRollRow, VoterRow } from './table.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser', 'contact_cadre'] as const
export const rollRoles = ['county_admin', 'township_organiser'] as const

const unitMissing = '村（社区）不存在，或不在您的管辖范围内'
const voterMissing = '选民不存在，或不在您的管辖范围内'

type VoterAction = Extract<AuditAction, `voter.${string}`>

function audit(trx: Transaction<DB>, ctx: Ctx, entry: Omit<AuditEntry, 'action'> & { action: VoterAction }): Promise<string> {
  return recordAudit(trx, ctx, entry)
}

/** Lower-case pinyin initials of a name, the first character read as a surname (曾 → z, 单 → s). */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

// ── replies ──

export interface Voter {
  id: string
  campaignId: string
  unitCode: string
  unitName: string
  name: string
  /** Always masked: 1101**********123X. */
  idNumber: string
  gender: '1' | '2'
  birthDate: string
  /** Full years on the roll's election day. */
  age: number | null
  villageGroup: string
  category: VoterCategory
  livingSince: string | null
  meetingApprovedOn: string | null
  deprived: boolean
  note: string
  status: 'active' | 'removed'
  removedReason: string | null
  version: number
}

export function toVoter(r: VoterRow, unitName: string, electionDay: string | null): Voter {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    unitCode: r.unit_code,
    unitName,
    name: r.name,
    idNumber: r.id_number_masked,
    gender: r.gender,
    birthDate: r.birth_date,
    age: electionDay ? ageOn(r.birth_date, electionDay) : null,
    villageGroup: r.village_group,
    category: r.category,
    livingSince: r.living_since,
    meetingApprovedOn: r.meeting_approved_on,
    deprived: r.deprived,
    note: r.note,
    status: r.status,
    removedReason: r.removed_reason,
    version: r.version,
  }
}

export function toRoll(r: VoterRollRow, unitName: string, voters: number) {
  return {
    campaignId: r.campaign_id,
    unitCode: r.unit_code,
    unitName,
    status: r.status,
    electionDay: r.election_day,
    publishedOn: r.published_on,
    frozenAt: r.frozen_at ? r.frozen_at.toISOString() : null,
    voters,
    version: r.version,
  }
}

/** What the audit log keeps of a voter: the masked number, never the cipher or the index. */
export function auditShape(r: Omit<VoterRow, 'id' | 'id_number_enc' | 'id_number_index' | 'created_by' | 'created_at' | 'updated_at' | 'version' | 'status' | 'removed_reason'> & Partial<Pick<VoterRow, 'status' | 'removed_reason'>>) {
  return {
    campaign_id: r.campaign_id,
    unit_code: r.unit_code,
    name: r.name,
    id_number: r.id_number_masked,
    village_group: r.village_group,
    category: r.category,
    living_since: r.living_since,
    meeting_approved_on: r.meeting_approved_on,
    deprived: r.deprived,
    note: r.note,
    status: r.status ?? 'active',
    removed_reason: r.removed_reason ?? null,
  }
}

// ── scope ──

function assertRole(a: Actor, roles: readonly string[], message: string): void {
  if (!roles.includes(a.role)) throw forbidden(message)
}

/** A unit the actor may see (a contact cadre: an assigned one); anything else does not exist for them. */
export async function visibleUnit(db: Kysely<DB>, a: Actor, unitCode: string): Promise<TerritoryRow> {
  const unit = a.role !== 'reviewer' && canSeeTerritory(a, unitCode) ? await territoryRepo.findTerritory(db, a.countyCode, unitCode) : undefined
  if (!unit || unit.level !== 'unit') throw notFound(unitMissing)
  return unit
}

/** A unit the actor may register voters in: visible, a writer's role, and in use. */
export async function writableUnit(db: Kysely<DB>, a: Actor, unitCode: string): Promise<TerritoryRow> {
  const unit = await visibleUnit(db, a, unitCode)
  assertRole(a, writerRoles, '您的角色只能查看选民名单')
  if (unit.status !== 'active') throw invalid(`“${unit.name}”已停用，不能登记选民`, [{ field: 'unitCode', message: '村（社区）已停用' }])
  return unit
}

/** A voter the actor may see (also the routes' scope-first check). */
export async function loadVoter(db: Kysely<DB>, a: Actor, id: string): Promise<{ row: VoterRow; unit: TerritoryRow }> {
  const row = a.role === 'reviewer' ? undefined : await repo.findVoter(db, a.countyCode, id)
  if (!row || !canSeeTerritory(a, row.unit_code)) throw notFound(voterMissing)
  return { row, unit: await visibleUnit(db, a, row.unit_code) }
}

/** Where a person found by ID number is registered, told as much as the actor may know. */
async function whereRegistered(db: Kysely<DB> | Transaction<DB>, a: Actor, unitCode: string): Promise<{ visible: boolean; unitName: string; townshipName: string }> {
  const [unit, township] = await Promise.all([territoryRepo.findTerritory(db, a.countyCode, unitCode), territoryRepo.findTerritory(db, a.countyCode, `${unitCode.slice(0, 9)}000`)])
  return { visible: a.role !== 'reviewer' && canSeeTerritory(a, unitCode), unitName: unit?.name ?? unitCode, townshipName: township?.name ?? '其他乡镇' }
}

/** "该选民已在××村登记": the unit when the actor may see it, else only its township. */
export async function duplicateMessage(db: Kysely<DB> | Transaction<DB>, a: Actor, unitCode: string, here: string): Promise<string> {
  const w = await whereRegistered(db, a, unitCode)
  if (unitCode === here) return `该选民已在“${w.unitName}”登记，不能重复登记`
  if (w.visible) return `该选民已在“${w.unitName}”登记，同一届次不能在两个村（社区）登记；如已迁入，请先在“${w.unitName}”的名单中移出`
  return `该选民已在${w.townshipName}的村（社区）登记，同一届次不能在两个村（社区）登记；如已迁入，请联系${w.townshipName}先移出`
}

// ── checks ──

export interface VoterFields {
  name: string
  villageGroup?: string
  category: VoterCategory
  livingSince?: string | null
  meetingApprovedOn?: string | null
  deprived?: boolean
  note?: string
}

/** The ID number read: a citizen's number, or a problem for the 身份证号 field. */
export function readIdNumber(raw: string, today: string): { info?: IdNumberInfo; problem?: string } {
  const id = parseIdNumber(raw, today)
  if (!id.ok) return { problem: id.message }
  if (id.info.kind === 'foreign_permanent') return { problem: '外国人永久居留身份证号码不能登记为选民：选民须是中国公民' }
  return { info: id.info }
}

/** API field names of voterProblems' fields: the birth date is read from the ID number. */
const problemField: Record<string, string> = { birthDate: 'idNumber' }

/**
 * Every problem of one voter on a roll with this election day, each naming its field (the import
 * turns them into row and column). `kind` is the ID number's: a 港澳台居民居住证 holder has no
 * household registration in the village, so only category 3 fits.
 */
export function checkVoter(v: VoterFields, info: IdNumberInfo, roll: Pick<VoterRollRow, 'election_day' | 'published_on'>): { name: string; problems: (Problem & { field: string })[] } {
  const problems: (Problem & { field: string })[] = []
  const name = normalizeName(v.name)
  const np = nameProblem(name)
  if (np) problems.push({ field: 'name', message: np, basis: voterBasis.roll })
  if (info.kind === 'hk_macao_taiwan' && v.category !== 'non_hukou') {
    problems.push({ field: 'category', message: `港澳台居民居住证号码表明户籍不在本村，只能按“${voterCategoryLabels.non_hukou}”登记`, basis: voterBasis.category })
  }
  for (const [field, label, day] of [['livingSince', '居住起始日期', v.livingSince], ['meetingApprovedOn', '村民会议同意日期', v.meetingApprovedOn]] as const) {
    if (day && isRealDate(day) && day < info.birthDate) problems.push({ field, message: `${label} ${day} 早于出生日期 ${info.birthDate}，请核对`, basis: voterBasis.category })
  }
  const found = voterProblems({
    birthDate: info.birthDate,
    electionDay: roll.election_day,
    deprived: v.deprived ?? false,
    category: v.category,
    livingSince: v.livingSince ?? null,
    meetingApprovedOn: v.meetingApprovedOn ?? null,
    publishedOn: roll.published_on,
  })
  for (const p of found) problems.push({ ...p, field: problemField[p.field] ?? p.field })
  return { name, problems }
}

/** The 422 a rule problem becomes: the first message with its basis, and every field. */
export function refusal(problems: Problem[]): DomainError {
  const first = problems[0]!
  return ruleViolation(`${first.message}。依据：${first.basis}`, problems.map((p): ErrorDetail => ({ field: p.field, message: p.message })))
}

export function frozen(unitName: string, r: VoterRollRow): DomainError {
  const at = r.frozen_at ? r.frozen_at.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : ''
  return ruleViolation(`“${unitName}”的选举已开始，选民名单已于 ${at} 冻结，不能再登记、修改或移出选民。依据：${voterBasis.roll}`)
}

export function noElectionDay(unitName: string): DomainError {
  return ruleViolation(`“${unitName}”还没有确定选举日：选民年龄按选举日计算，请乡镇先在选民登记中设置选举日（或在换届时间表中安排村（居）委会选举日）`, [
    { field: 'electionDay', message: '未设置选举日' },
  ])
}

/** Maps the unique index's refusal (two requests registering one person at once) to the duplicate message. */
export async function unlessDuplicate<T>(work: () => Promise<T>, onDuplicate: () => Promise<DomainError>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    const e = err as { code?: string; constraint?: string }
    if (e.code === '23505' && (e.constraint === undefined || e.constraint === 'voter_person_uq')) throw await onDuplicate()
    throw err
  }
}

/**
 * The unit's roll for a write, share-locked until the transaction ends (publishing or freezing
 * waits for it): created with the timeline's election day when the unit has none yet.
 */
export async function rollForWrite(trx: Transaction<DB>, a: Actor, campaign: CampaignRow, unit: TerritoryRow): Promise<VoterRollRow> {
  let roll = await repo.shareRoll(trx, a.countyCode, campaign.id, unit.code)
  if (!roll) {
    const day = await repo.plannedDay(trx, a.countyCode, campaign.id, unit.code)
    if (!day) throw noElectionDay(unit.name)
    await repo.insertRoll(trx, { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, election_day: day, updated_by: a.displayName })
    roll = (await repo.shareRoll(trx, a.countyCode, campaign.id, unit.code))!
  }
  if (roll.status === 'frozen') throw frozen(unit.name, roll)
  return roll
}

// ── reads ──

export interface VoterQuery {
  campaign?: string
  unitCode?: string
  townshipCode?: string
  group?: string
  q?: string
  category?: VoterCategory
  status?: 'active' | 'removed'
  page: number
  pageSize: number
}

/** The code prefix a list or summary covers: a unit, a township, or the actor's whole territory. */
export async function listPrefix(db: Kysely<DB>, a: Actor, unitCode?: string, townshipCode?: string): Promise<string> {
  if (unitCode) return (await visibleUnit(db, a, unitCode)).code
  if (townshipCode) {
    if (levelOfCode(townshipCode) !== 'township' || !covers(a, townshipCode) || !(await territoryRepo.findTerritory(db, a.countyCode, townshipCode))) throw notFound('乡镇不存在，或不在您的管辖范围内')
    return prefixOf(townshipCode)
  }
  return scopePrefix(a)
}

export async function listVoters(db: Kysely<DB>, ctx: Ctx, q: VoterQuery) {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = await listPrefix(db, a, q.unitCode, q.townshipCode)
  const text = q.q?.trim()
  const { rows, total } = await repo.pageVoters(
    db,
    {
      countyCode: a.countyCode,
      campaignId: campaign.id,
      prefix,
      onlyUnits: limitedToAssignedUnits(a) ? a.unitCodes : undefined,
      group: q.group?.trim() || undefined,
      category: q.category,
      status: q.status ?? 'active',
      q: text || undefined,
    },
    q.page,
    q.pageSize,
  )
  const units = [...new Set(rows.map((r) => r.unit_code))]
  if (q.unitCode && !units.includes(q.unitCode)) units.push(q.unitCode)
  const rolls = new Map((await repo.rollsOf(db, a.countyCode, campaign.id, units)).map((r) => [r.unit_code, r]))
  const roll = q.unitCode ? rolls.get(q.unitCode) : undefined
  return {
    campaign: { id: campaign.id, name: campaign.name },
    roll: roll ? toRoll(roll, (await visibleUnit(db, a, roll.unit_code)).name, await repo.countActive(db, roll)) : null,
    items: rows.map((r) => toVoter(r, r.unit_name, rolls.get(r.unit_code)?.election_day ?? null)),
    total,
  }
}

export async function getVoter(db: Kysely<DB>, ctx: Ctx, id: string): Promise<Voter> {
  const { row, unit } = await loadVoter(db, ctx.actor, id)
  const roll = await repo.findRoll(db, row.county_code, row.campaign_id, row.unit_code)
  return toVoter(row, unit.name, roll?.election_day ?? null)
}

// ── writes ──

export interface VoterInput extends VoterFields {
  campaign?: string
  unitCode: string
  idNumber: string
}

export async function createVoter(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, input: VoterInput): Promise<Voter> {
  const a = ctx.actor
  const unit = await writableUnit(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const { info, problem } = readIdNumber(input.idNumber, todayInChina())
  if (!info) throw invalid(problem!, [{ field: 'idNumber', message: problem! }])
  const index = cipher.blindIndex(info.number)
  const duplicate = async () => {
    // Inside a caller's transaction (an Idempotency-Key) the failed insert has aborted it: nothing more can be read.
    const twin = db.isTransaction ? undefined : await repo.findActiveByIndex(db, a.countyCode, campaign.id, index)
    return conflict(twin ? await duplicateMessage(db, a, twin.unit_code, unit.code) : '该选民刚刚已被他人登记，请刷新后查看')
  }
  return unlessDuplicate(
    () =>
      inTransaction(db, async (trx) => {
        const roll = await rollForWrite(trx, a, campaign, unit)
        const { name, problems } = checkVoter(input, info, roll)
        if (problems.length) throw problems.some((p) => p.field === 'name') ? invalid(problems[0]!.message, problems) : refusal(problems)
        const twin = await repo.findActiveByIndex(trx, a.countyCode, campaign.id, index)
        if (twin) throw conflict(await duplicateMessage(trx, a, twin.unit_code, unit.code))
        const row = await repo.insertVoter(trx, {
          county_code: a.countyCode,
          campaign_id: campaign.id,
          unit_code: unit.code,
          name,
          name_initials: nameInitials(name),
          id_number_enc: cipher.encrypt(info.number),
          id_number_index: index,
          id_number_masked: maskIdNumber(info.number),
          gender: info.gender === 'male' ? '1' : '2',
          birth_date: info.birthDate,
          village_group: input.villageGroup?.trim() ?? '',
          category: input.category,
          living_since: input.livingSince || null,
          meeting_approved_on: input.meetingApprovedOn || null,
          deprived: input.deprived ?? false,
          note: input.note?.trim() ?? '',
          created_by: a.userId,
        })
        await audit(trx, ctx, { action: 'voter.create', objectType: 'voter', objectId: row.id, after: auditShape(row), extra: afterPublication(roll) })
        return toVoter(row, unit.name, roll.election_day)
      }),
    duplicate,
  )
}

/** Marks writes made once the roll is public: objections are what should drive them. */
function afterPublication(roll: VoterRollRow): object | undefined {
  return roll.status === 'published' ? { roll_status: 'published', published_on: roll.published_on } : undefined
}

export interface VoterPatchInput extends VoterFields {
  version: number
}

/** The ID number and the unit are not editable: a wrong number is another person, a move is remove + register. */
export async function updateVoter(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, id: string, input: VoterPatchInput): Promise<Voter> {
  const a = ctx.actor
  const { row: before, unit } = await loadVoter(db, a, id)
  await writableUnit(db, a, before.unit_code)
  if (before.status === 'removed') throw conflict(`“${before.name}”已移出选民名单，不能修改；如需恢复，请重新登记`)
  const campaign = await pickCampaign(db, a.countyCode, before.campaign_id)
  const { info } = readIdNumber(cipher.decrypt(before.id_number_enc), todayInChina())
  // A stored number was valid when it was registered; parsing it again cannot fail.
  if (!info) throw new Error(`voter ${id}: stored ID number no longer parses`)
  return inTransaction(db, async (trx) => {
    const roll = await rollForWrite(trx, a, campaign, unit)
    const { name, problems } = checkVoter(input, info, roll)
    if (problems.length) throw problems.some((p) => p.field === 'name') ? invalid(problems[0]!.message, problems) : refusal(problems)
    const after = await repo.updateVoterVersioned(trx, a.countyCode, id, input.version, {
      name,
      name_initials: nameInitials(name),
      village_group: input.villageGroup?.trim() ?? '',
      category: input.category,
      living_since: input.livingSince || null,
      meeting_approved_on: input.meetingApprovedOn || null,
      deprived: input.deprived ?? false,
      note: input.note?.trim() ?? '',
    })
    if (!after) throw versionConflict(`“${before.name}”的登记信息已被他人修改，请刷新后重试`)
    await audit(trx, ctx, { action: 'voter.update', objectType: 'voter', objectId: id, before: auditShape(before), after: auditShape(after), extra: afterPublication(roll) })
    return toVoter(after, unit.name, roll.election_day)
  })
}

/** Takes a voter off the roll with the reason (died, moved away, registered in error …); the row stays. */
export async function removeVoter(db: Kysely<DB>, ctx: Ctx, id: string, input: { version: number; reason: string }): Promise<Voter> {
  const a = ctx.actor
  const { row: before, unit } = await loadVoter(db, a, id)
  await writableUnit(db, a, before.unit_code)
  const reason = input.reason.trim()
  if (!reason) throw invalid('请填写移出名单的原因（如死亡、户籍迁出、重复登记）', [{ field: 'reason', message: '不能为空' }])
  if (before.status === 'removed') throw conflict(`“${before.name}”已移出选民名单`)
  const campaign = await pickCampaign(db, a.countyCode, before.campaign_id)
  return inTransaction(db, async (trx) => {
    const roll = await rollForWrite(trx, a, campaign, unit)
    const after = await repo.updateVoterVersioned(trx, a.countyCode, id, input.version, { status: 'removed', removed_reason: reason })
    if (!after) throw versionConflict(`“${before.name}”的登记信息已被他人修改，请刷新后重试`)
    await audit(trx, ctx, { action: 'voter.remove', objectType: 'voter', objectId: id, before: auditShape(before), after: auditShape(after), extra: afterPublication(roll) })
    return toVoter(after, unit.name, roll.election_day)
  })
}

// ── the roll's election day ──

export async function setElectionDay(db: Kysely<DB>, ctx: Ctx, unitCode: string, input: { campaign?: string; electionDay: string; version: number }) {
  const a = ctx.actor
  const unit = await visibleUnit(db, a, unitCode)
  assertRole(a, rollRoles, '只有乡镇组织员或县级管理员可以设置选举日')
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const day = input.electionDay
  if (!isRealDate(day)) throw invalid(`选举日“${day}”不是有效日期`, [{ field: 'electionDay', message: '无效日期' }])
  if (!inCampaign(campaign, day)) {
    throw ruleViolation(`选举日 ${day} 不在${campaign.name}的时间段（${campaign.starts_on}至${campaign.ends_on ?? '未结束'}）内`, [{ field: 'electionDay', message: '超出届次时间段' }])
  }
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('voter_roll')
      .selectAll()
      .where('county_code', '=', a.countyCode)
      .where('campaign_id', '=', campaign.id)
      .where('unit_code', '=', unit.code)
      .forUpdate()
      .executeTakeFirst()
    if ((before?.version ?? 0) !== input.version) throw versionConflict(`“${unit.name}”的选民名单已被他人修改，请刷新后重试`)
    let after: VoterRollRow | undefined
    if (!before) {
      after = await repo.insertRoll(trx, { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code, election_day: day, updated_by: a.displayName })
      if (!after) throw versionConflict(`“${unit.name}”的选民名单刚刚已被他人建立，请刷新后重试`)
    } else {
      if (before.status === 'frozen') throw frozen(unit.name, before)
      if (before.published_on) {
        const late = publicationProblems(before.published_on, day)
        if (late.length) throw refusal(late.map((p) => ({ ...p, field: 'electionDay' })))
      }
      await assertRollStillValid(trx, unit, before, day)
      after = (await repo.updateRollVersioned(trx, before, input.version, { election_day: day, updated_by: a.displayName }))!
    }
    await audit(trx, ctx, {
      action: 'voter.roll.election_day',
      objectType: 'voter_roll',
      objectId: `${campaign.id}/${unit.code}`,
      before: before ? { election_day: before.election_day, status: before.status } : null,
      after: { election_day: after.election_day, status: after.status },
    })
    return toRoll(after, unit.name, await repo.countActive(trx, after))
  })
}

/** A new election day must leave every registered voter eligible (e.g. 18 by the earlier day). */
async function assertRollStillValid(trx: Transaction<DB>, unit: TerritoryRow, roll: VoterRollRow, day: string): Promise<void> {
  const young = await repo.underage(trx, roll, latestBirthDate(day))
  if (young.length) {
    const names = young.slice(0, 5).map((v) => `${v.name}（${v.birth_date} 出生）`).join('、')
    throw ruleViolation(`按新的选举日 ${day}，“${unit.name}”已登记的 ${young.length} 名选民未满18周岁：${names}${young.length > 5 ? ' 等' : ''}；请先移出或另定选举日。依据：${voterBasis.age}`, [
      { field: 'electionDay', message: `${young.length} 名选民未满18周岁` },
    ])
  }
  const rows = await trx
    .selectFrom('voter')
    .select(['name', 'birth_date', 'category', 'living_since', 'meeting_approved_on', 'deprived'])
    .where('county_code', '=', roll.county_code)
    .where('campaign_id', '=', roll.campaign_id)
    .where('unit_code', '=', roll.unit_code)
    .where('status', '=', 'active')
    .where('category', '=', 'non_hukou')
    .execute()
  for (const v of rows) {
    const p = voterProblems({ birthDate: v.birth_date, electionDay: day, deprived: v.deprived, category: v.category, livingSince: v.living_since, meetingApprovedOn: v.meeting_approved_on, publishedOn: roll.published_on })
    if (p.length) throw ruleViolation(`按新的选举日 ${day}，选民“${v.name}”：${p[0]!.message}。依据：${p[0]!.basis}`, [{ field: 'electionDay', message: p[0]!.message }])
  }
}

// ── door-step lookup ──

export interface LookupEntry {
  name: string
  idNumber: string
  unitCode: string
  unitName: string
  townshipName: string
  villageGroup: string
  category: VoterCategory
}

export interface LookupReply {
  /** registered: found in the actor's territory; elsewhere: found outside it (township only); none: not on any roll. */
  result: 'registered' | 'elsewhere' | 'none'
  message: string
  voters: LookupEntry[]
}

/**
 * "Am I registered?" by full ID number (sent in the body, never a URL) across the county's rolls
 * of the campaign, or by exact name inside the actor's territory. See the header for what each
 * actor is told.
 */
export async function lookup(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, input: { campaign?: string; idNumber?: string; name?: string }): Promise<LookupReply> {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const towns = new Map((await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'township' })).map((t) => [t.code.slice(0, 9), t.name]))
  const entry = (r: VoterRow, unitName: string): LookupEntry => ({
    name: r.name,
    idNumber: r.id_number_masked,
    unitCode: r.unit_code,
    unitName,
    townshipName: towns.get(r.unit_code.slice(0, 9)) ?? '',
    villageGroup: r.village_group,
    category: r.category,
  })
  if (input.idNumber?.trim()) {
    const id = parseIdNumber(input.idNumber, todayInChina())
    if (!id.ok) throw invalid(id.message, [{ field: 'idNumber', message: id.message }])
    const row = await repo.findActiveByIndex(db, a.countyCode, campaign.id, cipher.blindIndex(id.info.number))
    if (!row) return { result: 'none', message: `未在本县${campaign.name}的选民名单中找到`, voters: [] }
    const w = await whereRegistered(db, a, row.unit_code)
    if (!w.visible) return { result: 'elsewhere', message: `已在${w.townshipName}登记，不在您的管辖范围内；详情请向${w.townshipName}询问`, voters: [] }
    return { result: 'registered', message: `已在“${w.unitName}”登记`, voters: [entry(row, w.unitName)] }
  }
  const name = normalizeName(input.name ?? '')
  if (!name) throw invalid('请填写身份证号或姓名', [{ field: 'idNumber', message: '身份证号和姓名至少填一项' }])
  const rows = await repo.findByName(db, a.countyCode, campaign.id, name, scopePrefix(a), limitedToAssignedUnits(a) ? a.unitCodes : undefined, 20)
  if (!rows.length) return { result: 'none', message: `您管辖范围内没有名为“${name}”的选民；如在其他地方登记，请用身份证号查询`, voters: [] }
  return { result: 'registered', message: `找到 ${rows.length} 名“${name}”${rows.length === 20 ? '（只显示前 20 名）' : ''}，请核对身份证号后四位`, voters: rows.map((r) => entry(r, r.unit_name)) }
}

// ── summary ──

type Counts = Record<VoterCategory, number>
const zero = (): Counts => ({ resident: 0, away_opt_in: 0, non_hukou: 0 })

export async function summary(db: Kysely<DB>, ctx: Ctx, q: { campaign?: string; unitCode?: string; townshipCode?: string }) {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = await listPrefix(db, a, q.unitCode, q.townshipCode)
  const all = await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix, level: 'unit', onlyCodes: limitedToAssignedUnits(a) ? a.unitCodes : undefined })
  const codes = all.map((u) => u.code)
  const [counts, rolls] = await Promise.all([repo.countsByGroup(db, a.countyCode, campaign.id, codes), repo.rollsOf(db, a.countyCode, campaign.id, codes)])
  const rollOf = new Map(rolls.map((r) => [r.unit_code, r]))
  // A unit retired during the round still shows if it has a roll.
  const units = all.filter((u) => u.status === 'active' || rollOf.has(u.code))
  const totals = { units: units.length, withRoll: rolls.length, voters: 0, byCategory: zero() }
  const rows = units.map((u) => {
    const groups = new Map<string, Counts>()
    const byCategory = zero()
    for (const c of counts) {
      if (c.unit_code !== u.code) continue
      const g = groups.get(c.village_group) ?? zero()
      g[c.category] += c.n
      groups.set(c.village_group, g)
      byCategory[c.category] += c.n
      totals.byCategory[c.category] += c.n
    }
    const total = byCategory.resident + byCategory.away_opt_in + byCategory.non_hukou
    totals.voters += total
    const r = rollOf.get(u.code)
    return {
      code: u.code,
      name: u.name,
      roll: r ? { status: r.status, electionDay: r.election_day, publishedOn: r.published_on, version: r.version } : null,
      total,
      byCategory,
      groups: [...groups].map(([group, c]) => ({ group, total: c.resident + c.away_opt_in + c.non_hukou, byCategory: c })),
    }
  })
  return { campaign: { id: campaign.id, name: campaign.name }, units: rows, totals }
}
