/**
 * The statistics as the township sends them upward: the 换届统计表 (xlsx, one row per unit and a
 * totals row) and the summary (Word: the generated paragraph and the targets per unit).
 */
import ExcelJS from 'exceljs'
import { addFigures, averageAge, emptyFigures, percent, type Figures } from '../../../rules/composition/index.ts'
import { formDocx, type FormDoc } from '../../files/form-doc.ts'
import type { UnitStat } from './compute.ts'
import { unitStatusLabels } from './compute.ts'

const kindLabels: Record<string, string> = { village: '村', gacha: '嘎查', community: '社区' }

interface Totals {
  oneShoulder: number
  both: number
  people: number
  reserve: number
}

interface Column {
  header: string
  width: number
  value: (f: Figures, u: UnitStat | null, totals: Totals) => string | number
}

const columns: Column[] = [
  { header: '班子成员（人）', width: 10, value: (f) => f.members },
  { header: '书记（主任）', width: 10, value: (f) => f.heads },
  { header: '女性', width: 8, value: (f) => f.women },
  { header: '女性书记（主任）', width: 10, value: (f) => f.womenHeads },
  { header: '35周岁以下', width: 10, value: (f) => f.under35 },
  { header: '大专及以上', width: 10, value: (f) => f.college },
  { header: '中共党员', width: 8, value: (f) => f.partyMembers },
  { header: '平均年龄', width: 8, value: (f) => averageAge(f) ?? '' },
  { header: '一肩挑', width: 8, value: (_f, u, t) => (u ? (u.cross.unitsWithBothHeads ? (u.cross.oneShoulder ? '是' : '否') : '—') : t.oneShoulder) },
  { header: '交叉任职（人）', width: 10, value: (_f, u, t) => (u ? u.cross.both : t.both) },
  { header: '上届成员', width: 8, value: (_f, u) => (u ? u.incumbent.members : '') },
  { header: '后备干部', width: 8, value: (_f, u, t) => (u ? u.reserveCadres : t.reserve) },
]

export async function statsWorkbook(title: string, units: UnitStat[], townshipNames: Map<string, string>, watermark: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  wb.description = watermark
  const ws = wb.addWorksheet('换届统计表', { views: [{ state: 'frozen', ySplit: 3 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  const head = ['序号', '乡镇（苏木）', '村（社区）', '类型', '换届状态', ...columns.map((c) => c.header)]
  ws.mergeCells(1, 1, 1, head.length)
  ws.getCell(1, 1).value = title
  ws.getCell(1, 1).font = { bold: true, size: 16 }
  ws.getCell(1, 1).alignment = { horizontal: 'center' }
  ws.mergeCells(2, 1, 2, head.length)
  ws.getCell(2, 1).value = watermark
  ws.getCell(2, 1).alignment = { horizontal: 'right' }
  const header = ws.getRow(3)
  header.values = head
  header.font = { bold: true }
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' }
  ws.columns = [{ width: 6 }, { width: 14 }, { width: 14 }, { width: 6 }, { width: 9 }, ...columns.map((c) => ({ width: c.width }))]
  const totals: Totals = { oneShoulder: 0, both: 0, people: 0, reserve: 0 }
  let all = emptyFigures()
  units.forEach((u, i) => {
    totals.oneShoulder += u.cross.oneShoulder
    totals.both += u.cross.both
    totals.people += u.cross.people
    totals.reserve += u.reserveCadres
    all = addFigures(all, u.elected)
    ws.addRow([i + 1, townshipNames.get(u.townshipCode) ?? '', u.name, kindLabels[u.kind] ?? u.kind, unitStatusLabels[u.status], ...columns.map((c) => c.value(u.elected, u, totals))])
  })
  const done = units.filter((u) => u.status === 'finished').length
  const row = ws.addRow(['合计', '', `${units.length}个（已完成${done}个）`, '', '', ...columns.map((c) => c.value(all, null, totals))])
  row.font = { bold: true }
  ws.addRow([])
  ws.addRow([`女性占比 ${percent(all.women, all.members) ?? '—'}%；35周岁以下占比 ${percent(all.under35, all.members) ?? '—'}%；大专及以上占比 ${percent(all.college, all.members) ?? '—'}%。`])
  for (let r = 3; r <= ws.rowCount - 2; r++) {
    ws.getRow(r).eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } }
    })
  }
  ws.headerFooter.oddFooter = watermark
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export interface SummaryUnit {
  name: string
  status: string
  members: number
  missed: string[]
}

export async function summaryDocx(title: string, text: string, units: SummaryUnit[], footer: string): Promise<Buffer> {
  const doc: FormDoc = {
    title,
    orientation: 'portrait',
    footer,
    blocks: [
      ...text.split('\n').map((t) => ({ kind: 'paragraph' as const, text: t, indent: true })),
      { kind: 'spacer' },
      { kind: 'heading', text: '各村（社区）结构指标完成情况' },
      {
        kind: 'table',
        columns: ['村（社区）', '换届状态', '成员', '未达标指标'],
        widths: [3, 2, 1.2, 6],
        rows: units.map((u) => [u.name, u.status, String(u.members), u.missed.length ? u.missed.join('、') : '全部达标']),
      },
    ],
  }
  return formDocx(doc)
}
