import ExcelJS from 'exceljs'
import { DomainError, invalid, type ErrorDetail } from '../http/errors.ts'
import { assertSafeXlsx } from './zip-guard.ts'

export const MAX_IMPORT_ROWS = 50_000

export interface SheetColumn {
  header: string
  key: string
  width?: number
  required?: boolean
  /** Cells are text (`@`), so IDs and codes keep every digit. */
  text?: boolean
  note?: string
  /** A dropdown of allowed values. */
  list?: string[]
}

/** Column letters as Excel shows them: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = ''
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  return s
}

/** Builds an import template: a header row, text-formatted columns, dropdowns, a notes sheet. */
export async function buildTemplate(title: string, columns: SheetColumn[], notes: string[], sample: Record<string, string | number>[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width ?? 18 }))
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1)
    if (c.text) col.numFmt = '@'
    const head = ws.getCell(1, i + 1)
    head.font = { bold: true, color: c.required ? { argb: 'FFC00000' } : undefined }
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } }
    if (c.note) head.note = c.note
  })
  for (const row of sample) ws.addRow(row)
  // Inline list validations must stay under 255 characters (exceljs#430), and long dropdowns are
  // easier to keep right as a range: lists (民族, 学历) go to a very hidden sheet.
  let lists: ExcelJS.Worksheet | undefined
  columns.forEach((c, i) => {
    if (!c.list) return
    let formula = `"${c.list.join(',')}"`
    if (formula.length > 250 || c.list.length > 20) {
      lists ??= wb.addWorksheet('字典', { state: 'veryHidden' })
      const col = i + 1
      c.list.forEach((v, r) => (lists!.getCell(r + 1, col).value = v))
      formula = `字典!$${columnLetter(col)}$1:$${columnLetter(col)}$${c.list.length}`
    }
    for (let r = 2; r <= 2000; r++) {
      ws.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: !c.required, formulae: [formula] }
    }
  })
  const help = wb.addWorksheet('填写说明')
  help.getColumn(1).width = 100
  notes.forEach((n) => help.addRow([n]))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** Writes rows as an .xlsx whose text columns stay text (no formula can be typed into them by accident). */
export async function buildSheet(title: string, columns: SheetColumn[], rows: Record<string, unknown>[], watermark: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'huanjie'
  wb.description = watermark
  const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 18 }))
  ws.getRow(1).font = { bold: true }
  columns.forEach((c, i) => {
    if (c.text) ws.getColumn(i + 1).numFmt = '@'
  })
  for (const r of rows) ws.addRow(r)
  ws.headerFooter.oddFooter = watermark
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export interface ParsedRow {
  /** The row number as Excel shows it. */
  row: number
  values: Record<string, string>
}

export interface ParsedSheet {
  rows: ParsedRow[]
  /** Excel column letter of each key, for error messages. */
  letters: Record<string, string>
  headers: Record<string, string>
}

/** One function turns every kind of cell into text, and says when it cannot. */
function cellText(cell: ExcelJS.Cell, header: string, text: boolean, problems: ErrorDetail[], rowNo: number, letter: string): string {
  const v = cell.value
  const where = { row: rowNo, column: `${letter}（${header}）` }
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') {
    if (text && (Math.abs(v) >= 1e15 || !Number.isInteger(v))) {
      problems.push({ ...where, message: `${header}被存成了数字，末几位可能已丢失；请将该列设为“文本”后重新填写` })
      return ''
    }
    return String(v)
  }
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    if ('error' in v) {
      problems.push({ ...where, message: `单元格是错误值 ${String(v.error)}，请改正` })
      return ''
    }
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim()
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as { result?: unknown }).result
      if (typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean') return String(result).trim()
      problems.push({ ...where, message: '单元格是公式，请复制后“粘贴为数值”' })
      return ''
    }
    if ('text' in v) return String((v as { text: unknown }).text).trim()
  }
  return String(v).trim()
}

/**
 * Reads the first visible sheet of an upload. Columns are found by header name (a trailing `*`
 * and spaces ignored), so their order does not matter; blank rows are skipped. Every problem is
 * collected with its row and column; the caller decides nothing is saved if any exist.
 */
export async function readSheet(buf: Buffer, columns: SheetColumn[]): Promise<ParsedSheet> {
  assertSafeXlsx(buf)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer)
  } catch {
    throw invalid('Excel 文件无法读取（可能已损坏），请重新保存为 .xlsx 后上传')
  }
  const ws = wb.worksheets.find((w) => w.state === 'visible')
  if (!ws) throw invalid('Excel 文件中没有可见的工作表')
  const norm = (s: string) => s.replace(/[*＊\s]/g, '')
  // The header row is the first row (of the first 10) that names a required column.
  let headerRow = 0
  const found: Record<string, number> = {}
  for (let r = 1; r <= Math.min(10, ws.rowCount) && !headerRow; r++) {
    const row = ws.getRow(r)
    const names = new Map<string, number>()
    row.eachCell((cell, col) => names.set(norm(String(cell.text ?? '')), col))
    if (columns.some((c) => c.required && names.has(norm(c.header)))) {
      headerRow = r
      for (const c of columns) {
        const col = names.get(norm(c.header))
        if (col) found[c.key] = col
      }
    }
  }
  const missing = columns.filter((c) => c.required && !found[c.key]).map((c) => c.header)
  if (!headerRow || missing.length) {
    throw invalid(`表头缺少必填列：${missing.join('、') || columns.filter((c) => c.required).map((c) => c.header).join('、')}；请使用下载的模板`)
  }
  const problems: ErrorDetail[] = []
  const rows: ParsedRow[] = []
  const letters: Record<string, string> = {}
  const headers: Record<string, string> = {}
  for (const c of columns) {
    headers[c.key] = c.header
    if (found[c.key]) letters[c.key] = columnLetter(found[c.key]!)
  }
  let blankRun = 0
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r)
    const values: Record<string, string> = {}
    for (const c of columns) {
      const col = found[c.key]
      values[c.key] = col ? cellText(row.getCell(col), c.header, Boolean(c.text), problems, r, letters[c.key]!) : ''
    }
    if (Object.values(values).every((v) => v === '')) {
      // A "used range" stretched by formatting alone ends the data.
      if (++blankRun >= 100) break
      continue
    }
    blankRun = 0
    rows.push({ row: r, values })
    if (rows.length > MAX_IMPORT_ROWS) throw invalid(`一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`)
  }
  if (problems.length) throw importErrors(problems)
  if (rows.length === 0) throw invalid('文件中没有数据行')
  return { rows, letters, headers }
}

/** All problems of an import in one 400, each `第 N 行 第 X 列：…`, and nothing saved. */
export function importErrors(details: ErrorDetail[]) {
  return new DomainError(400, 'IMPORT_INVALID', `导入失败，共 ${details.length} 处错误，未保存任何数据。请改正后重新导入`, details)
}
