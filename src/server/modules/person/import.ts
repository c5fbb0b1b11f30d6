import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { forbidden, type ErrorDetail } from '../../http/errors.ts'
import { buildSheet, buildTemplate, importErrors, readSheet, type SheetColumn } from '../../files/xlsx.ts'
import { covers, limitedToAssignedUnits, scopePrefix } from '../../scope.ts'
import { maskIdNumber } from '../../../shared/mask.ts'
import { parseIdNumber } from '../../../rules/id-number/index.ts'
import { educations, ethnicities, genders, labelOf, politicalStatuses } from '../../../rules/codes/index.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { actorOf, appendPreparedAudit, prepareAuditEntries, recordAudit, type AuditEntry } from '../audit/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { bulkTransaction } from '../../db/bulk.ts'
import * as repo from './repo.ts'
import type { BulkPerson } from './repo.ts'
import { auditShape, checkPerson, loadCodeLists, todayInChina, type PersonInput } from './service.ts'

const columns: SheetColumn[] = [
  { header: '姓名', key: 'name', required: true, width: 14, note: '少数民族姓名中的间隔号用“·”，系统会统一' },
  { header: '身份证号', key: 'idNumber', required: true, text: true, width: 22, note: '18 位；本列为文本格式，请勿改成数字' },
  { header: '民族', key: 'ethnicity', required: true, width: 12, list: ethnicities.map(([, l]) => l) },
  { header: '学历', key: 'education', required: true, width: 16, list: educations.map(([, l]) => l) },
  { header: '政治面貌', key: 'politicalStatus', required: true, width: 18, list: politicalStatuses.map(([, l]) => l) },
  { header: '入党时间', key: 'partyJoinedOn', text: true, width: 12, note: '党员填写，如 2001-07-01' },
  { header: '手机号', key: 'phone', text: true, width: 14 },
  { header: '所在村（社区）', key: 'unit', required: true, text: true, width: 18, note: '填村（社区）名称或 12 位区划代码' },
  { header: '后备干部', key: 'reserveCadre', width: 10, list: ['是', '否'] },
]

export function personTemplate(): Promise<Buffer> {
  return buildTemplate(
    '人员',
    columns,
    [
      '人员导入说明',
      '1. 每行一人，带 * 的列必填。出生日期和性别由身份证号自动得出，不必填写。',
      '2. 身份证号列已设为“文本”格式；如从别处粘贴，请用“选择性粘贴-数值”，否则 Excel 会把后几位变成 0。',
      '3. 民族、学历、政治面貌请从下拉框选择（也可填国家标准代码，如 01、31、13）。',
      '4. 所在村（社区）填名称或 12 位区划代码，只能是您辖区内的村（社区）。',
      '5. 同一身份证号在文件中重复、或已登记过，都会报错；只要有一行出错，整个文件都不会保存。',
    ],
  )
}

/** Accepts a national code or its label ("01" or "汉族"). */
function codeOf(list: Map<string, string>, text: string): string {
  const t = text.trim()
  if (list.has(t)) return t
  for (const [code, label] of list) if (label === t) return code
  return t
}

const fieldToKey: Record<string, string> = { 姓名: 'name', 身份证号: 'idNumber', 民族: 'ethnicity', 学历: 'education', 政治面貌: 'politicalStatus', 入党时间: 'partyJoinedOn', 手机号: 'phone' }

/**
 * All-or-nothing import of people: every cell is checked (ID numbers, code lists, units in the
 * actor's reach, duplicates in the file and in the county) before one transaction writes the rows
 * and their audit records.
 */
export async function importPeople(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, file: Buffer): Promise<{ created: number }> {
  return writePeopleImport(db, ctx, await planPeopleImport(db, cipher, ctx, file))
}

/** A checked row of an import, ID number already encrypted, not yet given an id. */
export type PlannedPerson = Omit<BulkPerson, 'id'>

/**
 * The reading and checking half of an import: the rows to write, or an import error listing
 * every bad cell. Nothing is written.
 */
export async function planPeopleImport(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, file: Buffer): Promise<PlannedPerson[]> {
  const a = ctx.actor
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('您的角色不能导入人员')
  const sheet = await readSheet(file, columns)
  const col = (key: string) => `${sheet.letters[key] ?? '?'}（${sheet.headers[key]}）`
  const codes = await loadCodeLists(db)
  const today = todayInChina()
  const units = (await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: scopePrefix(a), level: 'unit', status: 'active' })).filter((u) => covers(a, u.code))
  const byCode = new Map(units.map((u) => [u.code, u]))
  const byName = new Map<string, string[]>()
  for (const u of units) byName.set(u.name, [...(byName.get(u.name) ?? []), u.code])
  const problems: ErrorDetail[] = []
  const seen = new Map<string, number>()
  const planned: PlannedPerson[] = []
  for (const { row, values } of sheet.rows) {
    const bad = (key: string, message: string) => problems.push({ row, column: col(key), message })
    const unitText = values.unit!.replace(/\s/g, '')
    const unitCodes = byCode.has(unitText) ? [unitText] : (byName.get(unitText) ?? [])
    if (!unitText) bad('unit', '所在村（社区）不能为空')
    else if (unitCodes.length === 0) bad('unit', `“${unitText}”不是您辖区内启用的村（社区）`)
    else if (unitCodes.length > 1) bad('unit', `“${unitText}”有重名，请改填 12 位区划代码`)
    const reserve = values.reserveCadre ?? ''
    if (reserve && reserve !== '是' && reserve !== '否') bad('reserveCadre', '后备干部填“是”或“否”')
    const input: PersonInput = {
      name: values.name ?? '',
      idNumber: values.idNumber ?? '',
      ethnicity: codeOf(codes.ethnicity, values.ethnicity ?? ''),
      education: codeOf(codes.education, values.education ?? ''),
      politicalStatus: codeOf(codes.politicalStatus, values.politicalStatus ?? ''),
      partyJoinedOn: values.partyJoinedOn ? values.partyJoinedOn.replace(/[./年月]/g, '-').replace(/日$/, '') : null,
      phone: values.phone || null,
      unitCode: unitCodes[0] ?? '',
    }
    const { checked, problems: p } = checkPerson(input, today, codes)
    for (const x of p) bad(fieldToKey[x.field ?? ''] ?? 'name', x.message)
    // Duplicates are found whatever else is wrong with either row.
    let number = checked?.idNumber
    if (!number) {
      const parsed = parseIdNumber(input.idNumber, today)
      if (parsed.ok) number = parsed.info.number
    }
    const index = number ? cipher.blindIndex(number) : undefined
    if (index) {
      const twin = seen.get(index)
      if (twin) bad('idNumber', `身份证号与第 ${twin} 行重复`)
      else seen.set(index, row)
    }
    // Once a problem is found nothing will be written: stop encrypting.
    if (problems.length || !checked || !index || unitCodes.length !== 1) continue
    planned.push({
      county_code: a.countyCode,
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
      reserve_cadre: reserve === '是',
    })
  }
  // Already registered in this county (possibly by another township): reported, never merged.
  const indexes = [...seen.keys()]
  for (let i = 0; i < indexes.length; i += 10_000) {
    for (const twin of await repo.findByIndexes(db, a.countyCode, indexes.slice(i, i + 10_000))) {
      problems.push({ row: seen.get(twin.id_number_index)!, column: col('idNumber'), message: '该身份证号已登记，同一人只能登记一次' })
    }
  }
  if (problems.length) throw importErrors(problems.sort((x, y) => (x.row ?? 0) - (y.row ?? 0)))
  return planned
}

/**
 * The writing half: in one transaction, ids reserved from the identity sequence, the rows loaded
 * by COPY (see db/bulk.ts), and one audit row per person plus one for the import, chained under
 * one lock of the county's chain head. Any failure rolls all of it back. The audit digests are
 * made while the people's COPY is in flight, the chain's hashes while the audit COPY is.
 */
export async function writePeopleImport(db: Kysely<DB>, ctx: Ctx, planned: readonly PlannedPerson[]): Promise<{ created: number }> {
  return bulkTransaction(db, async (trx, bulk) => {
    const ids = await repo.reservePersonIds(bulk, planned.length)
    const entries = function* (): Generator<AuditEntry> {
      for (const [i, p] of planned.entries()) yield { action: 'person.import.create', objectType: 'person', objectId: ids[i]!, after: auditShape(p) }
      yield { action: 'person.import', objectType: 'person', objectId: '*', extra: { rows: planned.length } }
    }
    const prepared = prepareAuditEntries(entries())
    // Awaited below unless the COPY fails first; never an unhandled rejection.
    prepared.catch(() => {})
    const created = await repo.copyPeople(bulk, planned, ids)
    if (created !== planned.length) throw new Error(`person import wrote ${created} of ${planned.length} rows`)
    await appendPreparedAudit(trx, actorOf(ctx), ctx, await prepared, bulk)
    return { created }
  })
}

const exportColumns: SheetColumn[] = [
  { header: '姓名', key: 'name', width: 14 },
  { header: '身份证号', key: 'idNumber', text: true, width: 22 },
  { header: '性别', key: 'gender', width: 6 },
  { header: '出生日期', key: 'birthDate', text: true, width: 12 },
  { header: '民族', key: 'ethnicity', width: 10 },
  { header: '学历', key: 'education', width: 16 },
  { header: '政治面貌', key: 'politicalStatus', width: 18 },
  { header: '入党时间', key: 'partyJoinedOn', text: true, width: 12 },
  { header: '手机号', key: 'phone', text: true, width: 14 },
  { header: '所在村（社区）', key: 'unit', text: true, width: 16 },
  { header: '后备干部', key: 'reserveCadre', width: 8 },
]

/** The visible people, ID numbers and phones masked, with who exported it and when. */
export async function exportPeople(db: Kysely<DB>, ctx: Ctx): Promise<Buffer> {
  const a = ctx.actor
  if (a.role === 'reviewer') throw forbidden('联审部门审查员不能导出人员信息')
  const rows = await repo.allPeople(db, { countyCode: a.countyCode, unitPrefix: scopePrefix(a), onlyUnits: limitedToAssignedUnits(a) ? a.unitCodes : undefined })
  const masked = (p: string | null) => (p ? `${p.slice(0, 3)}****${p.slice(-4)}` : '')
  const data = rows.map((r) => ({
    name: r.name,
    idNumber: r.id_number_masked,
    gender: labelOf(genders, r.gender) ?? r.gender,
    birthDate: r.birth_date,
    ethnicity: labelOf(ethnicities, r.ethnicity) ?? r.ethnicity,
    education: labelOf(educations, r.education) ?? r.education,
    politicalStatus: labelOf(politicalStatuses, r.political_status) ?? r.political_status,
    partyJoinedOn: r.party_joined_on ?? '',
    phone: masked(r.phone),
    unit: r.unit_name,
    reserveCadre: r.reserve_cadre ? '是' : '否',
  }))
  const stamp = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })
  const buf = await buildSheet('人员', exportColumns, data, `导出人：${a.displayName}（${a.username}） 导出时间：${stamp} 身份证号、手机号已脱敏`)
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'person.export', objectType: 'person', objectId: '*', extra: { rows: data.length, masked: true } }))
  return buf
}
