import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { buildSheet, buildTemplate, importErrors, readSheet, type SheetColumn } from '../../files/xlsx.ts'
import { defaultUnitKind, divisionCodeProblem, kindFromLabel, kindLabels, kindsByLevel, levelOf, parentCodeOf, type Kind } from '../../../rules/division/index.ts'
import { covers } from '../../scope.ts'
import { recordAudit } from '../audit/service.ts'
import * as repo from './repo.ts'
import { cleanName, initialsOf, toTerritory, visibleTerritories } from './service.ts'
import { forbidden } from '../../http/errors.ts'

const columns: SheetColumn[] = [
  { header: '区划代码', key: 'code', required: true, text: true, width: 18, note: '12 位统计用区划代码，如 150421100201' },
  { header: '名称', key: 'name', required: true, width: 20 },
  {
    header: '类别',
    key: 'kind',
    width: 12,
    list: [...kindsByLevel.township, ...kindsByLevel.unit].map((k) => kindLabels[k]),
    note: '村级留空时按代码判断：第 10–12 位 001–199 为社区，200–399 为村',
  },
  { header: '排序', key: 'sort', width: 8 },
]

const exportColumns: SheetColumn[] = [...columns, { header: '上级区划', key: 'parent', width: 20 }, { header: '状态', key: 'status', width: 8 }]

export function territoryTemplate(): Promise<Buffer> {
  return buildTemplate(
    '区划',
    columns,
    [
      '区划导入说明',
      '1. 每行一个乡镇（苏木）或村（嘎查村、社区），带 * 的列必填。',
      '2. 区划代码为国家统计局 12 位统计用区划代码：前 6 位为本县（旗）代码，第 7–9 位为乡镇，第 10–12 位为村（社区）；乡镇代码末 3 位为 000。',
      '3. 上级区划由代码自动确定；同一文件中可以先写乡镇、再写其下的村。',
      '4. 类别可选：镇、乡、苏木、街道、其他乡级单位、村、嘎查村、社区。',
      '5. 区划代码列请保持“文本”格式，否则 Excel 可能改写数字。',
      '6. 只要有一行出错，整个文件都不会保存；错误会列出行号和列。',
    ],
    [
      { code: '150000100000', name: '（示例，导入前请删除）某某镇', kind: '镇', sort: 1 },
      { code: '150000100201', name: '（示例，导入前请删除）某某村', kind: '村', sort: 1 },
    ],
  )
}

export interface ImportOutcome {
  created: number
  updated: number
  unchanged: number
}

/**
 * All-or-nothing: every row is checked first (code rules, parent present in the database or
 * earlier in the file, scope, duplicates), and only a clean file is written, in one transaction.
 */
export async function importTerritories(db: Kysely<DB>, ctx: Ctx, file: Buffer, updateExisting: boolean): Promise<ImportOutcome> {
  const a = ctx.actor
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('您的角色不能导入区划')
  const sheet = await readSheet(file, columns)
  const col = (key: string) => `${sheet.letters[key] ?? '?'}（${sheet.headers[key]}）`
  const problems: ErrorDetail[] = []
  const existing = new Map((await repo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode })).map((r) => [r.code, r]))
  const seen = new Map<string, number>()
  const planned: { row: number; code: string; name: string; kind: Kind; sort: number }[] = []
  for (const { row, values } of sheet.rows) {
    const bad = (key: string, message: string) => problems.push({ row, column: col(key), message })
    const code = values.code!.replace(/\s/g, '')
    const name = cleanName(values.name ?? '')
    if (!code) {
      bad('code', '区划代码不能为空')
      continue
    }
    if (!/^\d{12}$/.test(code)) {
      bad('code', `区划代码“${code}”应为 12 位数字`)
      continue
    }
    const level = levelOf(code)
    if (code.slice(0, 6) !== a.countyCode) {
      bad('code', `区划代码 ${code} 不属于本县（旗）（应以 ${a.countyCode} 开头）`)
      continue
    }
    if (level === 'county') {
      bad('code', '县级区划不能导入，只能导入乡镇和村（社区）')
      continue
    }
    const writable = a.role === 'county_admin' ? covers(a, code) : level === 'unit' && covers(a, code)
    if (!writable) {
      bad('code', `您无权维护区划 ${code}（只能维护本辖区的${a.role === 'county_admin' ? '区划' : '村（社区）'}）`)
      continue
    }
    let kind: Kind | undefined
    if (values.kind) {
      kind = kindFromLabel(values.kind)
      if (!kind) bad('kind', `类别“${values.kind}”无效，可选：${kindsByLevel[level].map((k) => kindLabels[k]).join('、')}`)
    } else if (level === 'unit') {
      kind = defaultUnitKind(code)
    } else {
      kind = existing.get(code)?.kind as Kind | undefined
      if (!kind) bad('kind', '乡镇必须填写类别（镇、乡、苏木、街道）')
    }
    if (kind) {
      const problem = divisionCodeProblem(code, kind)
      if (problem) bad(kind === values.kind ? 'kind' : 'code', problem)
    }
    if (!name) bad('name', '名称不能为空')
    else if ([...name].length > 50) bad('name', '名称不能超过 50 个字')
    let sort = 0
    if (values.sort) {
      sort = Number(values.sort)
      if (!Number.isInteger(sort) || sort < 0 || sort > 9999) bad('sort', '排序应为 0–9999 的整数')
    }
    const twin = seen.get(code)
    if (twin) bad('code', `区划代码 ${code} 与第 ${twin} 行重复`)
    seen.set(code, row)
    const parent = parentCodeOf(code)!
    const parentRow = existing.get(parent)
    if (!parentRow && !seen.has(parent)) bad('code', `上级区划 ${parent} 不存在：请先建立，或在本文件中写在此行之前`)
    else if (parentRow?.status === 'retired') bad('code', `上级区划“${parentRow.name}”已停用`)
    if (existing.has(code) && !updateExisting) bad('code', `区划代码 ${code} 已存在（如需更新，请勾选“更新已经存在的数据”）`)
    if (kind && name) planned.push({ row, code, name, kind, sort })
  }
  if (problems.length) throw importErrors(problems)

  return db.transaction().execute(async (trx) => {
    const outcome: ImportOutcome = { created: 0, updated: 0, unchanged: 0 }
    for (const p of planned) {
      const before = await repo.lockTerritory(trx, a.countyCode, p.code)
      if (!before) {
        const row = await repo.insertTerritory(trx, {
          county_code: a.countyCode,
          code: p.code,
          parent_code: parentCodeOf(p.code),
          level: levelOf(p.code),
          kind: p.kind,
          name: p.name,
          name_initials: initialsOf(p.name),
          sort: p.sort,
        })
        await recordAudit(trx, ctx, { action: 'territory.import.create', objectType: 'territory', objectId: p.code, after: toTerritory(row) })
        outcome.created++
      } else if (before.name !== p.name || before.kind !== p.kind || before.sort !== p.sort) {
        const after = await repo.updateTerritoryVersioned(trx, a.countyCode, p.code, before.version, {
          name: p.name,
          name_initials: initialsOf(p.name),
          kind: p.kind,
          sort: p.sort,
        })
        await recordAudit(trx, ctx, { action: 'territory.import.update', objectType: 'territory', objectId: p.code, before: toTerritory(before), after: after ? toTerritory(after) : null })
        outcome.updated++
      } else {
        outcome.unchanged++
      }
    }
    await recordAudit(trx, ctx, { action: 'territory.import', objectType: 'territory', objectId: '*', extra: { rows: planned.length, ...outcome } })
    return outcome
  })
}

/** The visible territories as a workbook that imports back unchanged. */
export async function exportTerritories(db: Kysely<DB>, ctx: Ctx): Promise<Buffer> {
  const items = await visibleTerritories(db, ctx, true)
  const names = new Map(items.map((t) => [t.code, t.name]))
  const rows = items
    .filter((t) => t.level !== 'county')
    .map((t) => ({
      code: t.code,
      name: t.name,
      kind: t.kindLabel,
      sort: t.sort,
      parent: t.parentCode ? (names.get(t.parentCode) ?? t.parentCode) : '',
      status: t.status === 'active' ? '启用' : '停用',
    }))
  const stamp = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })
  const buf = await buildSheet('区划', exportColumns, rows, `导出人：${ctx.actor.displayName}（${ctx.actor.username}） 导出时间：${stamp}`)
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'territory.export', objectType: 'territory', objectId: '*', extra: { rows: rows.length } }))
  return buf
}
