/**
 * The voter roll import (issue 7 §2): one unit's voters from the household-register export or last
 * round's roll, as .xlsx or CSV (UTF-8 or GBK). The unit is chosen in the request, not per row.
 * All or nothing: every cell is checked — names, ID numbers, categories and dates through the same
 * checkVoter as a single registration, against the roll's election day — and duplicates in the file
 * and on any roll of the county in the campaign are refused, before one transaction writes every
 * row by COPY with one audit row each, as the people import does.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { bulkTransaction } from '../../db/bulk.ts'
import type { Ctx } from '../../http/context.ts'
import { conflict, type ErrorDetail } from '../../http/errors.ts'
import { buildTemplate, importErrors, type SheetColumn } from '../../files/xlsx.ts'
import { readTableFile } from '../../files/csv.ts'
import { maskIdNumber } from '../../../shared/mask.ts'
import { voterCategories, VOTER_LIST_DAYS_BEFORE, type VoterCategory } from '../../../rules/voter/index.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { actorOf, appendPreparedAudit, prepareAuditEntries, type AuditEntry } from '../audit/service.ts'
import { pickCampaign } from '../campaign/service.ts'
import type { CampaignRow } from '../campaign/table.ts'
import { todayInChina } from '../person/service.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import { auditShape, checkVoter, duplicateMessage, frozen, nameInitials, noElectionDay, readIdNumber, rollForWrite, unlessDuplicate, writableUnit } from './service.ts'

const columns: SheetColumn[] = [
  { header: '姓名', key: 'name', required: true, width: 14, note: '少数民族姓名中的间隔号用“·”，系统会统一' },
  { header: '身份证号', key: 'idNumber', required: true, text: true, width: 22, note: '18 位；本列为文本格式，请勿改成数字。出生日期和性别由身份证号得出' },
  { header: '村民小组', key: 'group', text: true, width: 14, note: '如“第一组”；社区填居民小组，可不填' },
  { header: '登记类别', key: 'category', width: 44, list: voterCategories.map((c) => c.label), note: '从下拉框选择；不填视为“户籍在本村并在本村居住”' },
  { header: '居住起始日期', key: 'livingSince', text: true, width: 14, note: '户籍不在本村的选民必填，如 2023-05-01（须到选举日满一年）' },
  { header: '村民会议同意日期', key: 'meetingApprovedOn', text: true, width: 16, note: '户籍不在本村的选民必填：村民会议或村民代表会议同意的日期' },
  { header: '备注', key: 'note', width: 24 },
]

export function voterTemplate(): Promise<Buffer> {
  return buildTemplate(
    '选民名单',
    columns,
    [
      '选民名单导入说明',
      '1. 一个文件只导入一个村（社区）的选民，村（社区）在导入时选择，不必逐行填写。每行一人，带 * 的列必填。',
      '2. 身份证号列已设为“文本”格式；如从户籍系统导出后粘贴，请用“选择性粘贴-数值”，否则 Excel 会把后几位变成 0。也可以上传 CSV 文件（UTF-8 或 GBK 编码均可）。',
      '3. 年满 18 周岁按本村（社区）的选举日计算，选举日当天满 18 周岁的可以登记；依法被剥夺政治权利的人不能登记。',
      `4. 登记类别三选一：${voterCategories.map((c, i) => `（${i + 1}）${c.label}`).join('；')}。第三类须填写居住起始日期和村民会议（村民代表会议）同意日期。`,
      '5. 同一人在本届只能在一个村（社区）登记：身份证号在文件中重复，或已在本县任何村（社区）登记，都会报错（如已迁入，请原村先移出）。',
      `6. 只要有一行出错，整个文件都不会保存；改正后重新导入即可。选民名单应在选举日的 ${VOTER_LIST_DAYS_BEFORE} 日前公布，请留出核对时间。`,
    ],
  )
}

/** A category as typed: its label, its key, or its number (1–3); blank is category 1. */
function categoryOf(text: string): VoterCategory | null {
  const t = text.replace(/\s/g, '')
  if (!t) return 'resident'
  const found = voterCategories.find((c, i) => c.label === t || c.key === t || String(i + 1) === t || `第${'一二三'[i]}类` === t)
  return found?.key ?? null
}

/** 2023.5.1, 2023/05/01, 2023年5月1日 → 2023-05-01; anything else is left for the check to refuse. */
function dayOf(text: string): string | null {
  const t = text.trim()
  if (!t) return null
  const m = /^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$/.exec(t)
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : t
}

/** checkVoter's fields as the file's column keys. */
const fieldToKey: Record<string, string> = { name: 'name', idNumber: 'idNumber', category: 'category', livingSince: 'livingSince', meetingApprovedOn: 'meetingApprovedOn', villageGroup: 'group', note: 'note' }

export interface VoterImportPlan {
  unit: TerritoryRow
  campaign: CampaignRow
  /** The roll's election day and publication day the rows were checked against. */
  electionDay: string
  publishedOn: string | null
  rows: repo.BulkVoter[]
}

/**
 * The reading and checking half: the rows to write, or an import error listing every bad cell.
 * The unit's scope and roll are checked before the file is read. Nothing is written.
 */
export async function planVoterImport(
  db: Kysely<DB>,
  cipher: IdCipher,
  ctx: Ctx,
  file: { buffer: Buffer; fileName: string },
  target: { unitCode: string; campaign?: string },
): Promise<VoterImportPlan> {
  const a = ctx.actor
  const unit = await writableUnit(db, a, target.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, target.campaign)
  const roll = await repo.findRoll(db, a.countyCode, campaign.id, unit.code)
  if (roll?.status === 'frozen') throw frozen(unit.name, roll)
  const electionDay = roll?.election_day ?? (await repo.plannedDay(db, a.countyCode, campaign.id, unit.code))
  if (!electionDay) throw noElectionDay(unit.name)
  const publishedOn = roll?.published_on ?? null
  const sheet = await readTableFile(file.buffer, file.fileName, columns)
  const col = (key: string) => `${sheet.letters[key] ?? '?'}（${sheet.headers[key]}）`
  const today = todayInChina()
  const problems: ErrorDetail[] = []
  const seen = new Map<string, number>()
  const planned: repo.BulkVoter[] = []
  // Household registers repeat names: their initials are computed once.
  const initials = new Map<string, string>()
  for (const { row, values } of sheet.rows) {
    const bad = (key: string, message: string) => problems.push({ row, column: col(key), message })
    const { info, problem } = readIdNumber(values.idNumber ?? '', today)
    if (!info) bad('idNumber', problem!)
    const category = categoryOf(values.category ?? '')
    if (!category) bad('category', `登记类别“${values.category}”无效，请从下拉框选择：${voterCategories.map((c) => c.label).join('；')}`)
    const group = (values.group ?? '').trim()
    if ([...group].length > 40) bad('group', '村民小组不能超过 40 个字')
    const note = (values.note ?? '').trim()
    if ([...note].length > 500) bad('note', '备注不能超过 500 个字')
    const fields = { name: values.name ?? '', villageGroup: group, category: category ?? 'resident', livingSince: dayOf(values.livingSince ?? ''), meetingApprovedOn: dayOf(values.meetingApprovedOn ?? ''), note }
    const index = info ? cipher.blindIndex(info.number) : undefined
    if (index) {
      // Duplicates are found whatever else is wrong with either row.
      const twin = seen.get(index)
      if (twin) bad('idNumber', `身份证号与第 ${twin} 行重复`)
      else seen.set(index, row)
    }
    if (!info) continue
    const checked = checkVoter(fields, info, { election_day: electionDay, published_on: publishedOn })
    for (const p of checked.problems) if (p.field !== 'category' || category) bad(fieldToKey[p.field] ?? 'name', p.message)
    // Once a problem is found nothing will be written: stop encrypting.
    if (problems.length || !category) continue
    let init = initials.get(checked.name)
    if (init === undefined) initials.set(checked.name, (init = nameInitials(checked.name)))
    planned.push({
      county_code: a.countyCode,
      campaign_id: campaign.id,
      unit_code: unit.code,
      name: checked.name,
      name_initials: init,
      id_number_enc: cipher.encrypt(info.number),
      id_number_index: index!,
      id_number_masked: maskIdNumber(info.number),
      gender: info.gender === 'male' ? '1' : '2',
      birth_date: info.birthDate,
      village_group: group,
      category,
      living_since: fields.livingSince,
      meeting_approved_on: fields.meetingApprovedOn,
      deprived: false,
      note,
      created_by: a.userId,
    })
  }
  // Already on a roll of the county in this campaign (this unit's included): reported, never merged.
  const indexes = [...seen.keys()]
  const where = new Map<string, string>()
  for (let i = 0; i < indexes.length; i += 10_000) {
    for (const twin of await repo.findActiveByIndexes(db, a.countyCode, campaign.id, indexes.slice(i, i + 10_000))) {
      let message = where.get(twin.unit_code)
      if (message === undefined) where.set(twin.unit_code, (message = await duplicateMessage(db, a, twin.unit_code, unit.code)))
      problems.push({ row: seen.get(twin.id_number_index)!, column: col('idNumber'), message })
    }
  }
  if (problems.length) throw importErrors(problems.sort((x, y) => (x.row ?? 0) - (y.row ?? 0)))
  return { unit, campaign, electionDay, publishedOn, rows: planned }
}

/**
 * The writing half: in one transaction, the roll (created with the checked election day if the unit
 * had none, and share-locked), ids reserved, the rows loaded by COPY, one audit row per voter and one
 * for the import. A roll whose day or stage changed meanwhile, or a person registered meanwhile,
 * fails the whole import.
 */
export async function writeVoterImport(db: Kysely<DB>, ctx: Ctx, plan: VoterImportPlan) {
  const a = ctx.actor
  const { unit, campaign, rows } = plan
  return unlessDuplicate(
    () =>
      bulkTransaction(db, async (trx, bulk) => {
        const roll = await rollForWrite(trx, a, campaign, unit)
        if (roll.election_day !== plan.electionDay || roll.published_on !== plan.publishedOn) throw conflict(`“${unit.name}”的选举日或名单状态刚刚已变更，请重新导入`)
        const ids = await repo.reserveVoterIds(bulk, rows.length)
        const published = roll.status === 'published' ? { roll_status: 'published', published_on: roll.published_on } : undefined
        const entries = function* (): Generator<AuditEntry> {
          for (const [i, v] of rows.entries()) yield { action: 'voter.import.create', objectType: 'voter', objectId: ids[i]!, after: auditShape(v), extra: published }
          yield { action: 'voter.import', objectType: 'voter_roll', objectId: `${campaign.id}/${unit.code}`, extra: { rows: rows.length, unit_code: unit.code, ...published } }
        }
        const prepared = prepareAuditEntries(entries())
        // Awaited below unless the COPY fails first; never an unhandled rejection.
        prepared.catch(() => {})
        const created = await repo.copyVoters(bulk, rows, ids)
        if (created !== rows.length) throw new Error(`voter import wrote ${created} of ${rows.length} rows`)
        await appendPreparedAudit(trx, actorOf(ctx), ctx, await prepared, bulk)
        return { created, unitCode: unit.code, unitName: unit.name, voters: await repo.countActive(trx, roll) }
      }),
    async () => conflict(`导入期间，文件中有选民已被他人登记，未保存任何数据；请重新导入，系统会指出重复的行`),
  )
}

export async function importVoters(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, file: { buffer: Buffer; fileName: string }, target: { unitCode: string; campaign?: string }) {
  return writeVoterImport(db, ctx, await planVoterImport(db, cipher, ctx, file, target))
}

