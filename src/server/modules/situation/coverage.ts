/**
 * The township's 三情 overview (issue 6 §6): for every unit, its 四必访 visits by category (a
 * category with none is flagged red), its talks, its risk level and its open and overdue risk
 * items — as a page and as the xlsx the township sends upward. Counts only: nothing personal.
 */
import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { effectiveLevel, missingCategories, riskLevels, riskShortLabels, visitCategories, visitCategoryLabels, type RiskLevel, type VisitCategory } from '../../../rules/situation/index.ts'
import { toCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import { assessorRoles, filerRoles, listScope, readsPersonal } from './service.ts'

const zeroByCategory = () => Object.fromEntries(visitCategories.map((c) => [c, 0])) as Record<VisitCategory, number>

export async function coverage(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const a = ctx.actor
  const s = await listScope(db, ctx, q)
  const today = todayInChina()
  const [visits, talks, risks, assessments] = await Promise.all([repo.visitCounts(db, s.where), repo.talkCounts(db, s.where), repo.riskCounts(db, s.where, today), repo.assessmentsOf(db, s.where)])
  const units = s.units.map((u) => {
    const counts = zeroByCategory()
    for (const v of visits) if (v.unit_code === u.code) counts[v.category] = v.n
    const assessed = assessments.find((x) => x.unit_code === u.code)
    const risk = risks.find((r) => r.unit_code === u.code)
    return {
      code: u.code,
      name: u.name,
      counts,
      visits: visitCategories.reduce((n, c) => n + counts[c], 0),
      missing: missingCategories(counts),
      talks: talks.find((t) => t.unit_code === u.code)?.n ?? 0,
      level: assessed ? effectiveLevel(assessed.computed_level, assessed.raised_level) : null,
      openRisks: risk?.open ?? 0,
      overdueRisks: risk?.overdue ?? 0,
    }
  })
  const byCategory = zeroByCategory()
  for (const u of units) for (const c of visitCategories) byCategory[c] += u.counts[c]
  const byLevel = Object.fromEntries(riskLevels.map((l) => [l, units.filter((u) => u.level === l).length])) as Record<RiskLevel, number>
  const sum = (f: (u: (typeof units)[number]) => number) => units.reduce((n, u) => n + f(u), 0)
  return {
    campaign: toCampaign(s.campaign, today),
    township: s.township,
    today,
    opinionsVisible: readsPersonal(a, s.township.code),
    canAssess: (assessorRoles as readonly string[]).includes(a.role),
    canFile: (filerRoles as readonly string[]).includes(a.role),
    units,
    totals: {
      units: units.length,
      visits: sum((u) => u.visits),
      byCategory,
      complete: units.filter((u) => !u.missing.length).length,
      incomplete: units.filter((u) => u.missing.length).length,
      talks: sum((u) => u.talks),
      assessed: units.filter((u) => u.level).length,
      byLevel,
      openRisks: sum((u) => u.openRisks),
      overdueRisks: sum((u) => u.overdueRisks),
    },
  }
}

const RED = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFDE2E2' } }

/** 三情研判及走访覆盖情况表: one row per unit, zero cells in red, a totals row, and who exported it when. */
export async function coverageXlsx(db: Kysely<DB>, ctx: Ctx, q: { township?: string; campaign?: string }) {
  const c = await coverage(db, ctx, q)
  const stamp = `${ctx.actor.displayName}（${ctx.actor.username}）导出于 ${new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16)}`
  const title = `${c.township.name}三情研判及走访覆盖情况表`
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  wb.description = stamp
  const ws = wb.addWorksheet('走访覆盖', { views: [{ state: 'frozen', ySplit: 3, xSplit: 2 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  const head = ['序号', '村（社区）', ...visitCategories.map((k) => visitCategoryLabels[k]), '走访合计', '缺访类别', '谈心谈话', '风险等级', '未化解风险', '其中逾期']
  ws.mergeCells(1, 1, 1, head.length)
  ws.getCell(1, 1).value = title
  ws.getCell(1, 1).font = { bold: true, size: 16 }
  ws.getCell(1, 1).alignment = { horizontal: 'center' }
  ws.mergeCells(2, 1, 2, head.length)
  const t = c.totals
  ws.getCell(2, 1).value = `${c.campaign.name}，截至${c.today}：${t.units}个村（社区）走访${t.visits}户，四类全部走访${t.complete}个，缺访${t.incomplete}个；谈心谈话${t.talks}人次；已研判${t.assessed}个（${riskLevels.map((l) => `${riskShortLabels[l]}${t.byLevel[l]}个`).join('、')}）；未化解风险隐患${t.openRisks}个，其中逾期${t.overdueRisks}个。`
  ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' }
  ws.getRow(2).height = 36
  ws.getRow(3).values = head
  ws.getRow(3).font = { bold: true }
  ws.columns = [{ width: 6 }, { width: 16 }, ...visitCategories.map(() => ({ width: 12 })), { width: 10 }, { width: 26 }, { width: 10 }, { width: 10 }, { width: 11 }, { width: 10 }]
  // Names are text: typed over, they cannot turn into a formula (quality.md §5.2).
  ws.getColumn(2).numFmt = '@'
  ws.getColumn(4 + visitCategories.length).numFmt = '@'
  c.units.forEach((u, i) => {
    const row = ws.addRow([i + 1, u.name, ...visitCategories.map((k) => u.counts[k]), u.visits, u.missing.map((k) => visitCategoryLabels[k]).join('、'), u.talks, u.level ? riskShortLabels[u.level] : '未研判', u.openRisks, u.overdueRisks])
    visitCategories.forEach((k, j) => {
      if (!u.counts[k]) row.getCell(3 + j).fill = RED
    })
    if (u.level === 'high') row.getCell(6 + visitCategories.length).fill = RED
    if (u.overdueRisks) row.getCell(8 + visitCategories.length).fill = RED
  })
  const total = ws.addRow(['合计', `${t.units}个`, ...visitCategories.map((k) => t.byCategory[k]), t.visits, `缺访${t.incomplete}个`, t.talks, `高风险${t.byLevel.high}个`, t.openRisks, t.overdueRisks])
  total.font = { bold: true }
  ws.headerFooter.oddFooter = stamp
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), name: title }
}
