/**
 * The township's 日报汇总表 (one day) or 周报 (a span) as the organiser sends it upward: xlsx with a
 * row per unit and a totals row, and Word with the generated summary sentence and the same table.
 */
import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { formDocx } from '../../files/form-doc.ts'
import { figureLabels, summary } from './service.ts'
import type { ReportFigures } from './table.ts'

type Summary = Awaited<ReturnType<typeof summary>>

const titleOf = (s: Summary) => (s.from === s.to ? `${s.township.name}换届工作日报汇总表（${s.to}）` : `${s.township.name}换届工作周报（${s.from}至${s.to}）`)
const stamp = (ctx: Ctx) => `${ctx.actor.displayName}（${ctx.actor.username}）导出于 ${new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16)}`
const figureKeys = Object.keys(figureLabels) as (keyof ReportFigures)[]

/** One line per unit: what it reported (the latest report's text for a span), and its milestones. */
function rowsOf(s: Summary) {
  return s.units.map((u) => {
    const last = u.reports.at(-1)
    const text = !last ? '未报送' : last.nothingNew && !last.progress ? '今日无新进展' : last.progress
    const sum = (k: keyof ReportFigures) => u.reports.reduce((n, r) => n + (r.figures[k] ?? 0), 0)
    return {
      name: u.name,
      reported: s.days === 1 ? (last ? `已报（${last.filedBy}）` : '未报') : `${u.reportedDays}/${s.days}天`,
      progress: text,
      problems: u.reports.map((r) => r.problems).filter(Boolean).join('；'),
      done: u.milestonesDone.join('、'),
      overdue: u.overdue.join('、'),
      figures: figureKeys.map(sum),
    }
  })
}

export async function summaryXlsx(db: Kysely<DB>, ctx: Ctx, q: Parameters<typeof summary>[2]) {
  const s = await summary(db, ctx, q)
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  wb.description = stamp(ctx)
  const ws = wb.addWorksheet(s.from === s.to ? '日报汇总表' : '周报', { views: [{ state: 'frozen', ySplit: 3 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  const head = ['序号', '村（社区）', '报送情况', '工作进展', '存在问题', '完成节点', '逾期节点', ...figureKeys.map((k) => figureLabels[k])]
  ws.mergeCells(1, 1, 1, head.length)
  ws.getCell(1, 1).value = titleOf(s)
  ws.getCell(1, 1).font = { bold: true, size: 16 }
  ws.getCell(1, 1).alignment = { horizontal: 'center' }
  ws.mergeCells(2, 1, 2, head.length)
  ws.getCell(2, 1).value = s.text
  ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' }
  ws.getRow(2).height = 48
  ws.getRow(3).values = head
  ws.getRow(3).font = { bold: true }
  ws.columns = [{ width: 6 }, { width: 14 }, { width: 14 }, { width: 40 }, { width: 28 }, { width: 24 }, { width: 24 }, ...figureKeys.map(() => ({ width: 10 }))]
  rowsOf(s).forEach((r, i) => {
    const row = ws.addRow([i + 1, r.name, r.reported, r.progress, r.problems, r.done, r.overdue, ...r.figures])
    row.alignment = { wrapText: true, vertical: 'top' }
  })
  const total = ws.addRow(['合计', `${s.totals.units}个`, `${s.totals.reported}个${s.days === 1 ? '已报' : '全勤'}`, '', '', `${s.totals.milestonesDone}个`, `${s.totals.overdue}个`, ...figureKeys.map((k) => s.totals.figures[k] ?? 0)])
  total.font = { bold: true }
  ws.headerFooter.oddFooter = stamp(ctx)
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), name: titleOf(s).replace(/[（）]/g, '_') }
}

export async function summaryDocx(db: Kysely<DB>, ctx: Ctx, q: Parameters<typeof summary>[2]) {
  const s = await summary(db, ctx, q)
  const data = await formDocx({
    title: titleOf(s),
    orientation: 'landscape',
    footer: stamp(ctx),
    blocks: [
      { kind: 'paragraph', text: s.text },
      {
        kind: 'table',
        columns: ['村（社区）', '报送情况', '工作进展', '存在问题', '完成节点', '逾期节点'],
        widths: [2, 1.6, 5, 3, 2.5, 2.5],
        rows: rowsOf(s).map((r) => [r.name, r.reported, r.progress, r.problems, r.done, r.overdue]),
      },
    ],
  })
  return { data, name: `${titleOf(s)}.docx` }
}
