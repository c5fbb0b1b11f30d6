/**
 * Between two rounds (issue 7 §2): last round's roll carried over into the new one, and the
 * changes since then proposed from the household register for the township to confirm.
 *
 * Carry-over copies the unit's active voters of an earlier campaign into this campaign's roll,
 * each checked again by checkVoter against the new election day; those who fail are listed and
 * not copied. Category-3 voters (hukou elsewhere) are not carried: their right rests on the
 * villagers' meeting agreeing to their taking part in an election, and that agreement was for the
 * last one. People already on a roll of the county in this campaign are listed as skipped. One
 * transaction, COPY, one audit row per voter, as the import does.
 *
 * Proposals: the household register (姓名, 身份证号, 村民小组, 死亡, 迁出; xlsx or CSV in UTF-8 or
 * GBK) is read with every bad cell named by row and column, and rules/voter.roundUpdates compares
 * it with this campaign's roll — turned 18 by E and not on it (only since the previous round's
 * election day when the unit had a roll then), deceased or moved away and on it. Nothing is
 * written. An addition that would fail (registered in another unit, a 港澳台 permit) carries a
 * warning. The reply sends the full ID number of each proposed addition back to the user who
 * uploaded it (it is their own file, and confirming needs it); it is never logged or put in a URL.
 *
 * Apply takes the confirmed proposals and writes them in one transaction, all or nothing: an
 * addition goes through readIdNumber and checkVoter against the roll as a single registration
 * does and may not be on any roll of the county in the campaign; a removal sets the voter removed
 * with the change as its reason. Each change has its audit row, and the whole one more.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { bulkTransaction } from '../../db/bulk.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Ctx } from '../../http/context.ts'
import { conflict, invalid, ruleViolation, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import { buildTemplate, importErrors, type SheetColumn } from '../../files/xlsx.ts'
import { readTableFile } from '../../files/csv.ts'
import { maskIdNumber } from '../../../shared/mask.ts'
import { nameProblem, normalizeName } from '../../../rules/names/index.ts'
import { roundUpdates, voterCategoryLabels, type RoundChange, type RoundPerson, type VoterCategory } from '../../../rules/voter/index.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { actorOf, appendPreparedAudit, prepareAuditEntries, recordAudit, type AuditEntry } from '../audit/service.ts'
import { pickCampaign } from '../campaign/service.ts'
import * as campaignRepo from '../campaign/repo.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import { auditShape, checkVoter, duplicateMessage, frozen, nameInitials, noElectionDay, readIdNumber, rollForWrite, unlessDuplicate, writableUnit } from './service.ts'
import type { VoterRollRow, VoterRow } from './table.ts'

export const changeLabels: Record<RoundChange, string> = {
  add_turned_18: '年满18周岁，新增登记',
  remove_deceased: '死亡，移出名单',
  remove_moved: '户籍迁出，移出名单',
}

/** The removal reason stored on the voter. */
const removedReason: Record<Exclude<RoundChange, 'add_turned_18'>, string> = {
  remove_deceased: '死亡（换届间依户籍资料更新）',
  remove_moved: '户籍迁出（换届间依户籍资料更新）',
}

const columns: SheetColumn[] = [
  { header: '姓名', key: 'name', required: true, width: 14 },
  { header: '身份证号', key: 'idNumber', required: true, text: true, width: 22, note: '18 位；本列为文本格式，请勿改成数字' },
  { header: '村民小组', key: 'group', text: true, width: 14, note: '如“第一组”，可不填' },
  { header: '死亡', key: 'deceased', width: 8, list: ['是', '否'], note: '是 / 否，不填视为否' },
  { header: '迁出', key: 'movedAway', width: 8, list: ['是', '否'], note: '户籍已迁出本村：是 / 否，不填视为否' },
]

export function registerTemplate(): Promise<Buffer> {
  return buildTemplate('户籍资料', columns, [
    '换届间选民名单更新：户籍资料导入说明',
    '1. 一个文件只放一个村（社区）的户籍人口，村（社区）在上传时选择。可直接使用户籍系统导出的表格，只要表头有“姓名”“身份证号”两列；“村民小组”“死亡”“迁出”三列可选。',
    '2. 身份证号列请保持“文本”格式；也可以上传 CSV 文件（UTF-8 或 GBK 编码均可）。',
    '3. “死亡”“迁出”填“是”或“否”（也可填 √、Y、1 表示是），不填视为否。',
    '4. 上传后系统只提出建议，不会修改名单：到本届选举日年满18周岁而不在名单中的人员建议新增，名单中已死亡、已迁出的人员建议移出。请逐条核实后确认。',
    '5. 有一处错误，系统会指出行号和列名，改正后重新上传即可。',
  ])
}

const yes = new Set(['是', 'y', 'yes', '1', '√', '✓', 'true'])
const no = new Set(['', '否', 'n', 'no', '0', '×', 'false'])

function flagOf(text: string): boolean | null {
  const t = text.trim().toLowerCase()
  if (yes.has(t)) return true
  if (no.has(t)) return false
  return null
}

/** The campaign before this one (by start) in which the unit had a roll, with that roll. */
async function previousRoll(db: Kysely<DB>, countyCode: string, campaign: CampaignRow, unitCode: string): Promise<{ campaign: CampaignRow; roll: VoterRollRow } | null> {
  const earlier = (await campaignRepo.listCampaigns(db, countyCode)).filter((c) => c.starts_on < campaign.starts_on).sort((x, y) => (x.starts_on < y.starts_on ? 1 : -1))
  for (const c of earlier) {
    const roll = await repo.findRoll(db, countyCode, c.id, unitCode)
    if (roll) return { campaign: c, roll }
  }
  return null
}

async function activeVoters(db: Kysely<DB>, roll: Pick<VoterRollRow, 'county_code' | 'campaign_id' | 'unit_code'>): Promise<VoterRow[]> {
  return db
    .selectFrom('voter')
    .selectAll()
    .where('county_code', '=', roll.county_code)
    .where('campaign_id', '=', roll.campaign_id)
    .where('unit_code', '=', roll.unit_code)
    .where('status', '=', 'active')
    .orderBy('village_group')
    .orderBy('name_initials')
    .orderBy('id')
    .execute()
}

/** The roll's election day for checks: its own, else the timeline's (as the first registration would take). */
async function dayFor(db: Kysely<DB>, unit: TerritoryRow, campaign: CampaignRow): Promise<{ roll: VoterRollRow | undefined; electionDay: string }> {
  const roll = await repo.findRoll(db, unit.county_code, campaign.id, unit.code)
  if (roll?.status === 'frozen') throw frozen(unit.name, roll)
  const electionDay = roll?.election_day ?? (await repo.plannedDay(db, unit.county_code, campaign.id, unit.code))
  if (!electionDay) throw noElectionDay(unit.name)
  return { roll, electionDay }
}

// ── proposals ──

export interface Proposal {
  change: RoundChange
  changeLabel: string
  reason: string
  row: number
  name: string
  /** Full for an addition (the uploader's own data, needed to confirm); null for a removal. */
  idNumber: string | null
  idNumberMasked: string
  villageGroup: string
  birthDate: string
  voterId: string | null
  warning: string | null
}

export async function previewRoundUpdates(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, file: { buffer: Buffer; fileName: string }, target: { unitCode: string; campaign?: string }) {
  const a = ctx.actor
  const unit = await writableUnit(db, a, target.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, target.campaign)
  const { roll, electionDay } = await dayFor(db, unit, campaign)
  const previous = await previousRoll(db, a.countyCode, campaign, unit.code)
  const sheet = await readTableFile(file.buffer, file.fileName, columns)
  const col = (key: string) => `${sheet.letters[key] ?? '?'}（${sheet.headers[key]}）`
  const today = todayInChina()
  const problems: ErrorDetail[] = []
  const seen = new Map<string, number>()
  const people: { row: number; name: string; number: string; index: string; birthDate: string; group: string; deceased: boolean; movedAway: boolean }[] = []
  for (const { row, values } of sheet.rows) {
    const bad = (key: string, message: string) => problems.push({ row, column: col(key), message })
    const name = normalizeName(values.name ?? '')
    const np = nameProblem(name)
    if (np) bad('name', np)
    const { info, problem } = readIdNumber(values.idNumber ?? '', today)
    if (!info) bad('idNumber', problem!)
    const group = (values.group ?? '').trim()
    if ([...group].length > 40) bad('group', '村民小组不能超过 40 个字')
    const deceased = flagOf(values.deceased ?? '')
    if (deceased === null) bad('deceased', `“${values.deceased}”无法识别，请填“是”或“否”`)
    const movedAway = flagOf(values.movedAway ?? '')
    if (movedAway === null) bad('movedAway', `“${values.movedAway}”无法识别，请填“是”或“否”`)
    if (!info) continue
    const index = cipher.blindIndex(info.number)
    const twin = seen.get(index)
    if (twin) bad('idNumber', `身份证号与第 ${twin} 行重复`)
    else seen.set(index, row)
    people.push({ row, name, number: info.number, index, birthDate: info.birthDate, group, deceased: deceased ?? false, movedAway: movedAway ?? false })
  }
  if (problems.length) throw importErrors(problems.sort((x, y) => (x.row ?? 0) - (y.row ?? 0)))

  const onRoll = roll ? await activeVoters(db, roll) : []
  const byIndex = new Map(onRoll.map((v) => [v.id_number_index.trim(), v]))
  const byKey = new Map(people.map((p) => [p.index, p]))
  const persons: RoundPerson[] = people.map((p) => ({ key: p.index, birthDate: p.birthDate, deceased: p.deceased, movedAway: p.movedAway, onRoll: byIndex.has(p.index) }))
  const updates = roundUpdates(persons, electionDay, { since: previous?.roll.election_day ?? null })
  const adds = updates.filter((u) => u.change === 'add_turned_18').map((u) => u.key)
  const elsewhere = new Map<string, string>()
  for (const twin of await repo.findActiveByIndexes(db, a.countyCode, campaign.id, adds)) elsewhere.set(twin.id_number_index.trim(), await duplicateMessage(db, a, twin.unit_code, unit.code))
  const checkRoll = { election_day: electionDay, published_on: roll?.published_on ?? null }
  const proposals: Proposal[] = updates.map((u) => {
    const p = byKey.get(u.key)!
    const voter = byIndex.get(u.key)
    if (u.change === 'add_turned_18') {
      const { info } = readIdNumber(p.number, today)
      const checked = checkVoter({ name: p.name, villageGroup: p.group, category: 'resident' }, info!, checkRoll)
      const warning = elsewhere.get(u.key) ?? (checked.problems[0]?.message || null)
      return { change: u.change, changeLabel: changeLabels[u.change], reason: u.reason, row: p.row, name: p.name, idNumber: p.number, idNumberMasked: maskIdNumber(p.number), villageGroup: p.group, birthDate: p.birthDate, voterId: null, warning }
    }
    const name = voter!.name === p.name ? null : `名单中的姓名为“${voter!.name}”，与户籍资料“${p.name}”不一致，请核对是否同一人`
    return {
      change: u.change,
      changeLabel: changeLabels[u.change],
      reason: u.reason,
      row: p.row,
      name: voter!.name,
      idNumber: null,
      idNumberMasked: voter!.id_number_masked,
      villageGroup: voter!.village_group,
      birthDate: voter!.birth_date,
      voterId: voter!.id,
      warning: name,
    }
  })
  // Hukou-based voters the register does not list: perhaps moved away; the register cannot say, so they are only shown.
  const notInRegister = onRoll
    .filter((v) => v.category !== 'non_hukou' && !byKey.has(v.id_number_index.trim()))
    .map((v) => ({ voterId: v.id, name: v.name, idNumber: v.id_number_masked, villageGroup: v.village_group }))
  const notes: string[] = []
  if (!previous) notes.push(`没有找到“${unit.name}”以往届次的选民名单：户籍资料中到选举日（${electionDay}）年满18周岁、不在本届名单中的人员都作为新增提出，请逐一核实登记类别`)
  else if (onRoll.length === 0) notes.push(`本届名单中还没有选民：请先从${previous.campaign.name}的名单结转，再按户籍资料更新；否则上届名单中已死亡、迁出的人员无法提出移出`)
  if (notInRegister.length) notes.push(`本届名单中有 ${notInRegister.length} 名户籍在本村的选民不在所传户籍资料中，可能已迁出或资料不全，请核对（系统不自动提出移出）`)
  return {
    campaign: { id: campaign.id, name: campaign.name },
    unitCode: unit.code,
    unitName: unit.name,
    electionDay,
    previous: previous ? { campaignId: previous.campaign.id, campaignName: previous.campaign.name, electionDay: previous.roll.election_day } : null,
    rows: people.length,
    proposals,
    notInRegister,
    notes,
  }
}

// ── applying confirmed proposals ──

export interface ApplyItem {
  change: RoundChange
  voterId?: string
  idNumber?: string
  name?: string
  villageGroup?: string
  category?: Exclude<VoterCategory, 'non_hukou'>
}

export async function applyRoundUpdates(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, input: { unitCode: string; campaign?: string; proposals: ApplyItem[] }) {
  const a = ctx.actor
  const unit = await writableUnit(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const today = todayInChina()
  const shape: ErrorDetail[] = []
  const adds: { i: number; item: ApplyItem; info: NonNullable<ReturnType<typeof readIdNumber>['info']>; index: string }[] = []
  const removes: { i: number; item: ApplyItem; voterId: string }[] = []
  const seenIndex = new Map<string, number>()
  const seenVoter = new Map<string, number>()
  input.proposals.forEach((item, i) => {
    const field = `proposals.${i}`
    const label = `第 ${i + 1} 项`
    if (item.change === 'add_turned_18') {
      if (!item.idNumber || !item.name?.trim()) return shape.push({ field, message: `${label}：新增选民须有身份证号和姓名` })
      const { info, problem } = readIdNumber(item.idNumber, today)
      if (!info) return shape.push({ field, message: `${label}（${item.name}）：${problem}` })
      const index = cipher.blindIndex(info.number)
      const twin = seenIndex.get(index)
      if (twin !== undefined) return shape.push({ field, message: `${label}（${item.name}）与第 ${twin + 1} 项是同一人` })
      seenIndex.set(index, i)
      adds.push({ i, item, info, index })
    } else {
      if (!item.voterId) return shape.push({ field, message: `${label}：移出须指明名单中的选民（voterId）` })
      const twin = seenVoter.get(item.voterId)
      if (twin !== undefined) return shape.push({ field, message: `${label}与第 ${twin + 1} 项是同一名选民` })
      seenVoter.set(item.voterId, i)
      removes.push({ i, item, voterId: item.voterId })
    }
  })
  if (shape.length) throw invalid(`${shape.length} 项内容不完整，未保存任何变动：${shape[0]!.message}`, shape)
  return unlessDuplicate(
    () =>
      inTransaction(db, async (trx) => {
        const roll = await rollForWrite(trx, a, campaign, unit)
        // Each problem with the proposal's position, so they are reported in the order sent.
        const found: [number, ErrorDetail][] = []
        const problem = (i: number, message: string) => found.push([i, { field: `proposals.${i}`, message: `第 ${i + 1} 项${message}` }])
        const planned = adds.map(({ i, item, info, index }) => {
          const checked = checkVoter({ name: item.name!, villageGroup: item.villageGroup, category: item.category ?? 'resident' }, info, roll)
          for (const p of checked.problems) problem(i, `（${checked.name}）：${p.message}`)
          return { i, item, info, index, name: checked.name }
        })
        const twins = await repo.findActiveByIndexes(trx, a.countyCode, campaign.id, adds.map((x) => x.index))
        for (const twin of twins) {
          const x = planned.find((p) => p.index === twin.id_number_index.trim())!
          problem(x.i, `（${x.name}）：${await duplicateMessage(trx, a, twin.unit_code, unit.code)}`)
        }
        const current = removes.length ? await trx.selectFrom('voter').selectAll().where('county_code', '=', a.countyCode).where('id', 'in', removes.map((r) => r.voterId)).forUpdate().execute() : []
        const byId = new Map(current.map((v) => [v.id, v]))
        for (const r of removes) {
          const v = byId.get(r.voterId)
          if (!v || v.campaign_id !== campaign.id || v.unit_code !== unit.code) problem(r.i, `：该选民不在“${unit.name}”本届的选民名单中`)
          else if (v.status !== 'active') problem(r.i, `（${v.name}）：已移出选民名单`)
        }
        if (found.length) {
          const problems = found.sort((x, y) => x[0] - y[0]).map(([, d]) => d)
          throw ruleViolation(`${problems.length} 处不能更新，未保存任何变动：${problems[0]!.message}`, problems)
        }
        const published = roll.status === 'published' ? { roll_status: 'published', published_on: roll.published_on } : undefined
        for (const p of planned) {
          const row = await repo.insertVoter(trx, {
            county_code: a.countyCode,
            campaign_id: campaign.id,
            unit_code: unit.code,
            name: p.name,
            name_initials: nameInitials(p.name),
            id_number_enc: cipher.encrypt(p.info.number),
            id_number_index: p.index,
            id_number_masked: maskIdNumber(p.info.number),
            gender: p.info.gender === 'male' ? '1' : '2',
            birth_date: p.info.birthDate,
            village_group: p.item.villageGroup?.trim() ?? '',
            category: p.item.category ?? 'resident',
            living_since: null,
            meeting_approved_on: null,
            deprived: false,
            note: '',
            created_by: a.userId,
          })
          await recordAudit(trx, ctx, { action: 'voter.round.add', objectType: 'voter', objectId: row.id, after: auditShape(row), extra: { change: p.item.change, ...published } })
        }
        for (const r of removes) {
          const before = byId.get(r.voterId)!
          const reason = removedReason[r.item.change as Exclude<RoundChange, 'add_turned_18'>]
          const after = await repo.updateVoterVersioned(trx, a.countyCode, before.id, before.version, { status: 'removed', removed_reason: reason })
          if (!after) throw versionConflict(`“${before.name}”的登记信息已被他人修改，请重新预览后确认`)
          await recordAudit(trx, ctx, { action: 'voter.round.remove', objectType: 'voter', objectId: before.id, before: auditShape(before), after: auditShape(after), extra: { change: r.item.change, ...published } })
        }
        await recordAudit(trx, ctx, {
          action: 'voter.round.apply',
          objectType: 'voter_roll',
          objectId: `${campaign.id}/${unit.code}`,
          extra: { added: planned.length, removed: removes.length, ...published },
        })
        return { added: planned.length, removed: removes.length, unitCode: unit.code, unitName: unit.name, voters: await repo.countActive(trx, roll) }
      }),
    async () => conflict('更新期间有人员已被他人登记，未保存任何变动；请重新预览后确认'),
  )
}

// ── carry-over ──

interface Left {
  name: string
  idNumber: string
  villageGroup: string
  messages: string[]
}

export async function carryOver(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, unitCode: string, input: { fromCampaign: string; campaign?: string }) {
  const a = ctx.actor
  const unit = await writableUnit(db, a, unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const from = await pickCampaign(db, a.countyCode, input.fromCampaign)
  if (from.id === campaign.id || from.starts_on >= campaign.starts_on) {
    throw invalid(`请选择早于${campaign.name}的届次作为上届`, [{ field: 'fromCampaign', message: '须早于本届' }])
  }
  const fromRoll = await repo.findRoll(db, a.countyCode, from.id, unit.code)
  if (!fromRoll) throw ruleViolation(`“${unit.name}”在${from.name}没有选民名单，无法结转；请改用导入`, [{ field: 'fromCampaign', message: '该届没有本村（社区）的选民名单' }])
  const { roll, electionDay } = await dayFor(db, unit, campaign)
  const publishedOn = roll?.published_on ?? null
  const old = await activeVoters(db, fromRoll)
  const twins = new Map<string, string>()
  for (let i = 0; i < old.length; i += 10_000) {
    const indexes = old.slice(i, i + 10_000).map((v) => v.id_number_index)
    for (const t of await repo.findActiveByIndexes(db, a.countyCode, campaign.id, indexes)) twins.set(t.id_number_index.trim(), t.unit_code)
  }
  const today = todayInChina()
  const failed: Left[] = []
  const skipped: Left[] = []
  const rows: repo.BulkVoter[] = []
  const where = new Map<string, string>()
  for (const v of old) {
    const left = (messages: string[]): Left => ({ name: v.name, idNumber: v.id_number_masked, villageGroup: v.village_group, messages })
    const twin = twins.get(v.id_number_index.trim())
    if (twin) {
      let message = where.get(twin)
      if (message === undefined) where.set(twin, (message = twin === unit.code ? `已在${campaign.name}“${unit.name}”的名单中` : await duplicateMessage(db, a, twin, unit.code)))
      skipped.push(left([message]))
      continue
    }
    if (v.category === 'non_hukou') {
      failed.push(left([`“${voterCategoryLabels.non_hukou}”的选民须本人重新申请，并经本届村民会议（村民代表会议）同意后重新登记`]))
      continue
    }
    const { info, problem } = readIdNumber(cipher.decrypt(v.id_number_enc), today)
    if (!info) {
      failed.push(left([problem!]))
      continue
    }
    const checked = checkVoter(
      { name: v.name, villageGroup: v.village_group, category: v.category, livingSince: v.living_since, meetingApprovedOn: v.meeting_approved_on, deprived: v.deprived, note: v.note },
      info,
      { election_day: electionDay, published_on: publishedOn },
    )
    if (checked.problems.length) {
      failed.push(left(checked.problems.map((p) => p.message)))
      continue
    }
    rows.push({
      county_code: a.countyCode,
      campaign_id: campaign.id,
      unit_code: unit.code,
      name: checked.name,
      name_initials: v.name_initials,
      id_number_enc: v.id_number_enc,
      id_number_index: v.id_number_index,
      id_number_masked: v.id_number_masked,
      gender: v.gender,
      birth_date: v.birth_date,
      village_group: v.village_group,
      category: v.category,
      living_since: v.living_since,
      meeting_approved_on: v.meeting_approved_on,
      deprived: false,
      note: v.note,
      created_by: a.userId,
    })
  }
  const result = { unitCode: unit.code, unitName: unit.name, failed, skipped }
  if (rows.length === 0) return { ...result, copied: 0, voters: roll ? await repo.countActive(db, roll) : 0 }
  return unlessDuplicate(
    () =>
      bulkTransaction(db, async (trx, bulk) => {
        const locked = await rollForWrite(trx, a, campaign, unit)
        if (locked.election_day !== electionDay || locked.published_on !== publishedOn) throw conflict(`“${unit.name}”的选举日或名单状态刚刚已变更，请重新结转`)
        const ids = await repo.reserveVoterIds(bulk, rows.length)
        const published = locked.status === 'published' ? { roll_status: 'published', published_on: locked.published_on } : undefined
        const entries = function* (): Generator<AuditEntry> {
          for (const [i, v] of rows.entries()) yield { action: 'voter.carry_over.create', objectType: 'voter', objectId: ids[i]!, after: auditShape(v), extra: { from_campaign: from.id, ...published } }
          yield {
            action: 'voter.carry_over',
            objectType: 'voter_roll',
            objectId: `${campaign.id}/${unit.code}`,
            extra: { from_campaign: from.id, copied: rows.length, failed: failed.length, skipped: skipped.length, ...published },
          }
        }
        const prepared = prepareAuditEntries(entries())
        // Awaited below unless the COPY fails first; never an unhandled rejection.
        prepared.catch(() => {})
        const copied = await repo.copyVoters(bulk, rows, ids)
        if (copied !== rows.length) throw new Error(`voter carry-over wrote ${copied} of ${rows.length} rows`)
        await appendPreparedAudit(trx, actorOf(ctx), ctx, await prepared, bulk)
        return { ...result, copied, voters: await repo.countActive(trx, locked) }
      }),
    async () => conflict('结转期间有选民已被他人登记，未保存任何数据；请重新结转，系统会列出已登记的人员'),
  )
}
