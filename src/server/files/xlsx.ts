import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import { DomainError, invalid, type ErrorDetail } from '../http/errors.ts'
import { assertSafeXlsx } from './zip-guard.ts'

/** A county's people or a province's review list (performance.md A3) fits in one file. */
export const MAX_IMPORT_ROWS = 100_000

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
    // A formula is refused even with a cached result: what it shows (=HYPERLINK(…,"张三")) is not
    // what the file holds, and nothing from a formula should become a name or an ID number.
    if ('formula' in v || 'sharedFormula' in v) {
      problems.push({ ...where, message: '单元格是公式，请复制该列后“选择性粘贴-数值”，再导入' })
      return ''
    }
    if ('text' in v) return String((v as { text: unknown }).text).trim()
  }
  return String(v).trim()
}

/**
 * The streaming reader's options: performance.md B4's, except that styles are read, so a cell
 * Excel stores as a date serial number (a pasted 入党时间) still arrives as a date. Reading
 * styles costs nothing measurable on a 100,000-row file.
 */
const streamReaderOptions = { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore' } as const

/** What the streaming reader knows of each sheet but its types do not declare. */
interface SheetInfo {
  id?: number | string
  state?: string
}

/** The first sheet in tab order that is visible (hidden and very hidden ones are skipped). */
function isFirstVisible(reader: ExcelJS.stream.xlsx.WorkbookReader, ws: ExcelJS.stream.xlsx.WorksheetReader): boolean {
  const sheets = (reader as unknown as { model?: { sheets?: SheetInfo[] } }).model?.sheets
  const info = ws as unknown as SheetInfo
  if (!sheets?.length) return !info.state || info.state === 'visible'
  const first = sheets.find((sh) => !sh.state || sh.state === 'visible')
  return first !== undefined && String(first.id) === String(info.id)
}

/** Turns the rows of a sheet, in order, into checked values: header first, then data. */
class SheetRows {
  readonly problems: ErrorDetail[] = []
  readonly rows: ParsedRow[] = []
  readonly letters: Record<string, string> = {}
  readonly headers: Record<string, string> = {}
  private readonly found: Record<string, number> = {}
  private headerRow = 0
  private last = 0
  private blankRun = 0
  /** Set once the data has ended (a run of 100 blank rows) or the header was not found. */
  done = false

  constructor(private readonly columns: SheetColumn[]) {
    for (const c of columns) this.headers[c.key] = c.header
  }

  add(row: ExcelJS.Row): void {
    if (this.done) return
    const r = row.number
    if (!this.headerRow) {
      // The header row is the first row (of the first 10) that names a required column.
      if (r > 10) {
        this.done = true
        return
      }
      this.findHeader(row)
      this.last = r
      return
    }
    // Rows missing from the file are blank rows too; a "used range" stretched by formatting
    // alone ends the data after 100 of them.
    this.blankRun += r - this.last - 1
    this.last = r
    if (this.blankRun >= 100) {
      this.done = true
      return
    }
    const values: Record<string, string> = {}
    let blank = true
    for (const c of this.columns) {
      const col = this.found[c.key]
      const v = col ? cellText(row.getCell(col), c.header, Boolean(c.text), this.problems, r, this.letters[c.key]!) : ''
      values[c.key] = v
      if (v !== '') blank = false
    }
    if (blank) {
      if (++this.blankRun >= 100) this.done = true
      return
    }
    this.blankRun = 0
    this.rows.push({ row: r, values })
    if (this.rows.length > MAX_IMPORT_ROWS) throw invalid(`一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`)
  }

  private findHeader(row: ExcelJS.Row): void {
    const norm = (s: string) => s.replace(/[*＊\s]/g, '')
    const names = new Map<string, number>()
    row.eachCell((cell, col) => names.set(norm(String(cell.text ?? '')), col))
    if (!this.columns.some((c) => c.required && names.has(norm(c.header)))) return
    this.headerRow = row.number
    for (const c of this.columns) {
      const col = names.get(norm(c.header))
      if (col) {
        this.found[c.key] = col
        this.letters[c.key] = columnLetter(col)
      }
    }
    if (this.missing().length) this.done = true
  }

  missing(): string[] {
    return this.columns.filter((c) => c.required && !this.found[c.key]).map((c) => c.header)
  }

  finish(): ParsedSheet {
    const missing = this.missing()
    if (!this.headerRow || missing.length) {
      throw invalid(`表头缺少必填列：${missing.join('、') || this.columns.filter((c) => c.required).map((c) => c.header).join('、')}；请使用下载的模板`)
    }
    if (this.problems.length) throw importErrors(this.problems)
    if (this.rows.length === 0) throw invalid('文件中没有数据行')
    return { rows: this.rows, letters: this.letters, headers: this.headers }
  }
}

/**
 * Reads the first visible sheet of an upload with exceljs's streaming reader (the whole workbook
 * is never built in memory). Columns are found by header name (a trailing `*` and spaces
 * ignored), so their order does not matter; blank rows are skipped. Every problem is collected
 * with its row and column; the caller decides nothing is saved if any exist.
 */
export async function readSheet(buf: Buffer, columns: SheetColumn[]): Promise<ParsedSheet> {
  assertSafeXlsx(buf)
  const input = new PassThrough()
  input.end(buf)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, streamReaderOptions)
  let sheet = new SheetRows(columns)
  let visible = false
  try {
    for await (const ws of reader) {
      // Every sheet is read to its end, so the reader removes its temporary files (after an
      // error they wait for the process to exit).
      const target: boolean = !visible && isFirstVisible(reader, ws)
      visible ||= target
      for await (const row of ws) if (target) sheet.add(row)
    }
  } catch (err) {
    if (err instanceof DomainError) throw err
    // The streaming reader failed once in CI on a valid file (not reproduced in 700 local runs):
    // read the already size-checked buffer once more in memory before calling the file broken.
    sheet = new SheetRows(columns)
    visible = await readInMemory(buf, sheet)
  }
  if (!visible) throw invalid('Excel 文件中没有可见的工作表')
  return sheet.finish()
}

/** The fallback: exceljs's in-memory reader over the same rows; false when no sheet is visible. */
async function readInMemory(buf: Buffer, sheet: SheetRows): Promise<boolean> {
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer)
  } catch {
    throw invalid('Excel 文件无法读取（可能已损坏），请重新保存为 .xlsx 后上传')
  }
  const ws = wb.worksheets.find((w) => w.state !== 'hidden' && w.state !== 'veryHidden')
  if (!ws) return false
  ws.eachRow((row) => sheet.add(row))
  return true
}

/** All problems of an import in one 400, each `第 N 行 第 X 列：…`, and nothing saved. */
export function importErrors(details: ErrorDetail[]) {
  return new DomainError(400, 'IMPORT_INVALID', `导入失败，共 ${details.length} 处错误，未保存任何数据。请改正后重新导入`, details)
}
