import { invalid, type ErrorDetail } from '../http/errors.ts'
import { cleanFileName } from './uploads.ts'
import { columnLetter, importErrors, MAX_IMPORT_ROWS, readSheet, type ParsedRow, type ParsedSheet, type SheetColumn } from './xlsx.ts'

/** The multipart limit of the app (app.ts): a bigger table is split before it is imported. */
export const MAX_TABLE_FILE_BYTES = 10 * 1024 * 1024
/** Excel's own limits (quality.md §5.1 [B8]): what Excel could have saved. */
export const MAX_CELL_CHARS = 32_767
export const MAX_CSV_COLUMNS = 16_384

export type CsvEncoding = 'utf-8' | 'gb18030'

const saveAs = '请在 Excel 或 WPS 中“另存为”“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”（GBK 编码），或直接上传 .xlsx'

/**
 * The text of a CSV upload: UTF-8 with or without a BOM, else GB18030 (a superset of GBK, what
 * Excel and WPS write as "CSV" on Chinese Windows). Both decoders are strict, so a file that is
 * neither is refused instead of read as mojibake. A GBK file of Chinese text is almost never valid
 * UTF-8 (its bytes would have to form UTF-8 sequences throughout), so UTF-8 is tried first.
 */
export function decodeCsv(buf: Buffer): { text: string; encoding: CsvEncoding } {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw invalid(`这是 UTF-16 编码的文件（Excel 的“Unicode 文本”），不能导入；${saveAs}`)
  }
  // A NUL never belongs in a text table: the file is binary, or UTF-16 without its mark.
  if (buf.includes(0)) throw invalid(`文件中含有空字符（NUL），不是文本 CSV 文件；${saveAs}`)
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? buf.subarray(3) : buf), encoding: 'utf-8' }
  } catch {
    if (bom) throw invalid(`文件开头标明是 UTF-8 编码，但其中有不是 UTF-8 的内容（可能被其他软件改过编码）；${saveAs}`)
  }
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(buf)
    // GB18030 has a byte-order mark of its own (84 31 95 33), decoded as U+FEFF.
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: 'gb18030' }
  } catch {
    throw invalid(`文件编码无法识别：既不是 UTF-8，也不是 GBK（GB18030）；${saveAs}`)
  }
}

export interface CsvRecord {
  /** The record's number, as Excel shows it when it opens the file (a quoted line break stays in the row). */
  row: number
  fields: string[]
  /**
   * Quoting mistakes in this record, by 1-based column. `swallows`: a quote never closed, which
   * turned the rest of the file into one cell.
   */
  issues: { column: number; message: string; swallows: boolean }[]
}

/** The end of an unquoted field: the next comma, CR or LF (or the end of the text). */
function fieldEnd(text: string, from: number): number {
  let i = from
  for (const n = text.length; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 44 || c === 10 || c === 13) break
  }
  return i
}

/**
 * RFC 4180 records: fields separated by commas, records by CRLF, LF or a lone CR; a field in
 * double quotes may hold commas, line breaks and doubled quotes (`""` for `"`). Like Excel, a
 * quote inside an unquoted field is an ordinary character. Text after a closing quote, and a quote
 * never closed, are reported as issues (the rest of the file would otherwise shift silently).
 * A generator, so a large file is never held as rows twice.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  const n = text.length
  let i = 0
  let row = 0
  while (i < n) {
    row++
    const fields: string[] = []
    const issues: CsvRecord['issues'] = []
    for (;;) {
      const column = fields.length + 1
      if (column > MAX_CSV_COLUMNS) throw invalid(`第 ${row} 行超过 ${MAX_CSV_COLUMNS} 列，不是有效的表格；${saveAs}`)
      let value: string
      if (text.charCodeAt(i) === 34) {
        let start = i + 1
        value = ''
        for (;;) {
          const q = text.indexOf('"', start)
          if (q < 0) {
            issues.push({ column, message: '单元格以英文双引号开头但没有配对的结束引号，从这里到文件末尾都被当成了一个单元格；请补全或删去这个引号', swallows: true })
            value += text.slice(start)
            i = n
            break
          }
          if (text.charCodeAt(q + 1) === 34) {
            value += text.slice(start, q + 1)
            start = q + 2
            continue
          }
          value += text.slice(start, q)
          i = q + 1
          break
        }
        const end = fieldEnd(text, i)
        if (end > i) {
          issues.push({ column, message: '引号括起的内容后面还有字符；单元格内的英文双引号须写成两个（""），或将整个单元格用引号括起', swallows: false })
          value += text.slice(i, end)
          i = end
        }
      } else {
        const end = fieldEnd(text, i)
        value = text.slice(i, end)
        i = end
      }
      fields.push(value)
      if (i >= n) break
      const c = text.charCodeAt(i++)
      if (c === 44) {
        if (i < n) continue
        // A comma at the very end of the text still opens a last, empty field.
        fields.push('')
        break
      }
      if (c === 13 && text.charCodeAt(i) === 10) i++
      break
    }
    yield { row, fields, issues }
  }
}

const normHeader = (s: string) => s.replace(/[*＊\s]/g, '')
// C0 controls other than TAB, LF and CR, DEL, and C1 controls: never typed into a cell.
const controlChar = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
// `="0012"` is how many systems keep leading zeros and long numbers as text in a CSV for Excel.
const excelText = /^="([^"]*)"$/
const scientific = /^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/

/**
 * Reads a CSV upload into the same shape `readSheet` gives for an .xlsx, with the same rules:
 * the header row is the first of the first 10 rows that names a required column (a trailing `*`
 * and spaces ignored), columns are found by name in any order, blank rows are skipped, row
 * numbers are those Excel shows, and every problem names its row and column. CSV has no types:
 * every cell is text exactly as written, so an ID number keeps all 18 characters. Unlike the
 * spreadsheet reader, a header named twice is refused (which column is meant cannot be known),
 * and reading does not stop at 100 blank rows (a CSV has no formatted-but-empty used range).
 */
export function readCsv(buf: Buffer, columns: SheetColumn[]): ParsedSheet {
  if (buf.length === 0) throw invalid('文件是空的')
  if (buf.length > MAX_TABLE_FILE_BYTES) throw invalid(`文件不能超过 ${MAX_TABLE_FILE_BYTES / 1024 / 1024} MB，请拆分后分批导入`)
  const { text } = decodeCsv(buf)
  const headers: Record<string, string> = {}
  for (const c of columns) headers[c.key] = c.header
  const letters: Record<string, string> = {}
  const found: Record<string, number> = {}
  const problems: ErrorDetail[] = []
  const rows: ParsedRow[] = []
  let headerRow = 0
  const where = (row: number, column: number) => {
    const key = Object.keys(found).find((k) => found[k] === column)
    return { row, column: key ? `${columnLetter(column)}（${headers[key]}）` : `${columnLetter(column)}` }
  }
  const mapped = new Set<number>()
  for (const record of csvRecords(text)) {
    // A stray quote in a column nobody reads harms nothing; one never closed hides every later row.
    for (const issue of record.issues) {
      if (issue.swallows || !headerRow || mapped.has(issue.column)) problems.push({ ...where(record.row, issue.column), message: issue.message })
    }
    if (!headerRow) {
      if (record.row > 10) break
      const names = new Map<string, number[]>()
      record.fields.forEach((f, i) => {
        const name = normHeader(f)
        if (name) names.set(name, [...(names.get(name) ?? []), i + 1])
      })
      if (!columns.some((c) => c.required && names.has(normHeader(c.header)))) continue
      headerRow = record.row
      for (const c of columns) {
        const at = names.get(normHeader(c.header))
        if (!at) continue
        if (at.length > 1) throw invalid(`表头中“${c.header}”出现了 ${at.length} 次（${at.map(columnLetter).join('、')} 列），请只保留一列后重新导入`)
        found[c.key] = at[0]!
        letters[c.key] = columnLetter(at[0]!)
        mapped.add(at[0]!)
      }
      const missing = columns.filter((c) => c.required && !found[c.key]).map((c) => c.header)
      if (missing.length) throw invalid(`表头缺少必填列：${missing.join('、')}；请使用下载的模板`)
      continue
    }
    const values: Record<string, string> = {}
    let blank = true
    for (const c of columns) {
      const col = found[c.key]
      let v = col ? (record.fields[col - 1] ?? '').trim() : ''
      const wrapped = excelText.exec(v)
      if (wrapped) v = wrapped[1]!.trim()
      if (col && v.length > MAX_CELL_CHARS) {
        problems.push({ ...where(record.row, col), message: `内容超过 ${MAX_CELL_CHARS} 个字符，请删减` })
        v = ''
      } else if (col && controlChar.test(v)) {
        problems.push({ ...where(record.row, col), message: '含有不可见的控制字符，请删除后重新保存' })
        v = ''
      } else if (col && c.text && scientific.test(v)) {
        // Excel saved a number it displayed in scientific notation: the last digits are gone.
        problems.push({ ...where(record.row, col), message: `${c.header}被存成了数字（${v}），末几位已丢失；请在 Excel 中将该列设为“文本”、重新填写后再保存为 CSV` })
        v = ''
      }
      values[c.key] = v
      if (v !== '') blank = false
    }
    if (blank) continue
    rows.push({ row: record.row, values })
    if (rows.length > MAX_IMPORT_ROWS) throw invalid(`一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`)
  }
  // An unclosed quote in the first rows can hide the header: say so rather than "no header".
  if (!headerRow && problems.length) throw importErrors(problems)
  if (!headerRow) throw invalid(`表头缺少必填列：${columns.filter((c) => c.required).map((c) => c.header).join('、')}；请使用下载的模板`)
  if (problems.length) throw importErrors(problems)
  if (rows.length === 0) throw invalid('文件中没有数据行')
  return { rows, letters, headers }
}

/** First bytes of files people attach by mistake; none of them is a table we can read. */
const notTables: { label: string; magic: (b: Buffer) => boolean }[] = [
  { label: 'PDF', magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { label: 'PNG 图片', magic: (b) => b.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) },
  { label: 'JPG 图片', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { label: 'GIF 图片', magic: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { label: 'RAR 压缩包', magic: (b) => b.subarray(0, 4).toString('latin1') === 'Rar!' },
  { label: '7z 压缩包', magic: (b) => b.subarray(0, 4).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf])) },
  { label: 'gzip 压缩包', magic: (b) => b[0] === 0x1f && b[1] === 0x8b },
  { label: '可执行程序', magic: (b) => b.subarray(0, 2).toString('latin1') === 'MZ' || b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) },
]

/**
 * Reads an import upload as a table, deciding the kind by its bytes and never by its name (a CSV
 * renamed .xlsx is read as CSV, an .xlsx renamed .csv as a workbook): a zip is a workbook (the zip
 * guard refuses anything but a sound .xlsx), an OLE container is an old .xls or an encrypted file
 * (refused by the same guard with what to do), and anything else must decode as a CSV. The file
 * name only appears in the message for a file that is neither.
 */
export async function readTableFile(buf: Buffer, fileName: string, columns: SheetColumn[]): Promise<ParsedSheet> {
  if (buf.length === 0) throw invalid('文件是空的')
  if (buf.length > MAX_TABLE_FILE_BYTES) throw invalid(`文件不能超过 ${MAX_TABLE_FILE_BYTES / 1024 / 1024} MB，请拆分后分批导入`)
  // "PK" and a control byte: a zip record. A CSV whose first cell starts with "PK" is still text.
  const isZip = buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] ?? 0x20) < 0x20
  const isOle = buf.length >= 4 && buf.readUInt32BE(0) === 0xd0cf11e0
  if (isZip || isOle) return readSheet(buf, columns)
  const other = notTables.find((k) => k.magic(buf))
  if (other) throw invalid(`“${cleanFileName(fileName, '上传的文件')}”是${other.label}，不是表格；只能导入 Excel（.xlsx）或 CSV 文件`)
  return readCsv(buf, columns)
}
