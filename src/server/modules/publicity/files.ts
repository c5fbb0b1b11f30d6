/**
 * 宣传覆盖情况 as the township sends it upward: an xlsx with the units × channels matrix (counts,
 * reach, the units with no publicity marked) and, on a second sheet, every activity behind it.
 */
import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import * as repo from './repo.ts'
import { channelKeys, channelLabels, coverage } from './service.ts'

const stamp = (ctx: Ctx) => `${ctx.actor.displayName}（${ctx.actor.username}）导出于 ${new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16)}`
const gapFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E2' } }

export async function coverageXlsx(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const c = await coverage(db, ctx, q)
  const rows = await repo.allActivities(db, { countyCode: ctx.actor.countyCode, campaignId: c.campaign.id, prefix: c.township.code.slice(0, 9), onlyCodes: c.units.map((u) => u.code) })
  const photos = await repo.photosOf(db, ctx.actor.countyCode, rows.map((r) => r.id))
  const title = `${c.township.name}政策宣传覆盖情况（${c.campaign.name}）`
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  wb.description = stamp(ctx)

  const ws = wb.addWorksheet('宣传覆盖', { views: [{ state: 'frozen', xSplit: 2, ySplit: 3 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  const head = ['序号', '村（社区）', ...channelKeys.map((k) => channelLabels[k]), '合计（次）', '覆盖人数', '情况']
  ws.mergeCells(1, 1, 1, head.length)
  ws.getCell(1, 1).value = title
  ws.getCell(1, 1).font = { bold: true, size: 16 }
  ws.getCell(1, 1).alignment = { horizontal: 'center' }
  ws.mergeCells(2, 1, 2, head.length)
  ws.getCell(2, 1).value = c.text
  ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' }
  ws.getRow(2).height = 48
  ws.getRow(3).values = head
  ws.getRow(3).font = { bold: true }
  ws.columns = [{ width: 6 }, { width: 14 }, ...channelKeys.map(() => ({ width: 12 })), { width: 11 }, { width: 11 }, { width: 12 }]
  c.units.forEach((u, i) => {
    const row = ws.addRow([i + 1, u.name, ...channelKeys.map((k) => u.counts[k]), u.activities, u.reach, u.gap ? '未开展宣传' : null])
    if (u.gap) row.eachCell((cell) => (cell.fill = gapFill))
  })
  ws.addRow(['', '使用该方式的村（社区）数', ...c.channels.map((ch) => ch.units), `${c.totals.covered}个已开展`, '', '']).font = { italic: true }
  ws.addRow(['合计', `${c.totals.units}个`, ...c.channels.map((ch) => ch.activities), c.totals.activities, c.totals.reach, `${c.totals.gaps.length}个未开展`]).font = { bold: true }
  ws.headerFooter.oddFooter = stamp(ctx)

  const names = new Map(c.units.map((u) => [u.code, u.name]))
  const detail = wb.addWorksheet('活动明细', { views: [{ state: 'frozen', ySplit: 1 }] })
  detail.columns = [
    { header: '序号', width: 6 },
    { header: '日期', width: 12 },
    { header: '村（社区）', width: 14 },
    { header: '宣传方式', width: 16 },
    { header: '宣传内容', width: 44 },
    { header: '地点', width: 18 },
    { header: '覆盖人数', width: 10 },
    { header: '登记人', width: 10 },
    { header: '照片（张）', width: 10 },
  ]
  detail.getRow(1).font = { bold: true }
  // Typed text stays text: nothing a user wrote can become a formula.
  for (const col of [3, 4, 5, 6, 8]) detail.getColumn(col).numFmt = '@'
  rows.forEach((r, i) => {
    const channel = r.channel === 'other' ? `其他（${r.channel_other}）` : channelLabels[r.channel]
    const row = detail.addRow([i + 1, r.held_on, names.get(r.unit_code) ?? r.unit_code, channel, r.theme, r.place, r.reach, r.created_by_name, photos.filter((p) => p.activity_id === r.id).length])
    row.alignment = { wrapText: true, vertical: 'top' }
  })
  detail.headerFooter.oddFooter = stamp(ctx)
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), name: `${c.township.name}政策宣传覆盖情况` }
}
