import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import ExcelJS from 'exceljs'
import { DomainError } from '../http/errors.ts'
import { csvRecords, decodeCsv, MAX_CELL_CHARS, MAX_TABLE_FILE_BYTES, readCsv, readTableFile } from './csv.ts'
import { MAX_IMPORT_ROWS, type SheetColumn } from './xlsx.ts'

const columns: SheetColumn[] = [
  { header: '姓名', key: 'name', required: true },
  { header: '身份证号', key: 'idNumber', required: true, text: true },
  { header: '备注', key: 'note' },
]

/** GBK codes of the characters the tests use, from the GB 2312 table (张 = D5C5, 三 = C8FD …). */
const gbkCodes: Record<string, number[]> = {
  张: [0xd5, 0xc5],
  三: [0xc8, 0xfd],
  李: [0xc0, 0xee],
  四: [0xcb, 0xc4],
  姓: [0xd0, 0xd5],
  名: [0xc3, 0xfb],
  身: [0xc9, 0xed],
  份: [0xb7, 0xdd],
  证: [0xd6, 0xa4],
  号: [0xba, 0xc5],
  备: [0xb1, 0xb8],
  注: [0xd7, 0xa2],
  // GB18030's four-byte form, beyond GBK: U+20000.
  '𠀀': [0x95, 0x32, 0x82, 0x36],
}
function gbk(text: string): Buffer {
  const bytes: number[] = []
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (code < 0x80) bytes.push(code)
    else if (gbkCodes[ch]) bytes.push(...gbkCodes[ch])
    else throw new Error(`no GBK code for ${ch} in the test table`)
  }
  return Buffer.from(bytes)
}

const utf8 = (text: string) => Buffer.from(text, 'utf8')
const bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)])

function failure(fn: () => unknown): DomainError {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}
async function failureOf(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}
const details = (e: DomainError) => (e.details ?? []) as { row: number; column: string; message: string }[]

const sample = '姓名,身份证号,备注\r\n张三,11010519491231002X,\r\n李四,110105194912310021,备注\r\n'
const expected = [
  { row: 2, values: { name: '张三', idNumber: '11010519491231002X', note: '' } },
  { row: 3, values: { name: '李四', idNumber: '110105194912310021', note: '备注' } },
]

describe('decoding', () => {
  it('reads UTF-8 without and with a BOM, and GBK, to the same rows', () => {
    for (const buf of [utf8(sample), bom(sample), gbk(sample)]) {
      const sheet = readCsv(buf, columns)
      expect(sheet.rows).toEqual(expected)
      expect(sheet.letters).toEqual({ name: 'A', idNumber: 'B', note: 'C' })
      expect(sheet.headers).toEqual({ name: '姓名', idNumber: '身份证号', note: '备注' })
    }
    expect(decodeCsv(utf8(sample)).encoding).toBe('utf-8')
    expect(decodeCsv(bom(sample)).text.startsWith('姓名')).toBe(true)
    expect(decodeCsv(gbk(sample)).encoding).toBe('gb18030')
  })

  it('reads GB18030 four-byte characters and its own byte-order mark', () => {
    const buf = Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), gbk('姓名,身份证号\n张𠀀,11010519491231002X\n')])
    expect(readCsv(buf, columns).rows).toEqual([{ row: 2, values: { name: '张𠀀', idNumber: '11010519491231002X', note: '' } }])
  })

  it('refuses what is neither UTF-8 nor GBK, saying how to save the file', () => {
    const truncated = Buffer.concat([gbk('姓名,身份证号\n张三,11010519491231002X\n'), Buffer.from([0xd5])])
    const badTrail = Buffer.concat([gbk('姓名,身份证号\n'), Buffer.from([0xd5, 0x20]), gbk(',11010519491231002X\n')])
    const ff = Buffer.concat([utf8('姓名,身份证号\n'), Buffer.from([0xff, 0xff]), utf8(',1\n')])
    for (const buf of [truncated, badTrail, ff]) {
      const err = failure(() => readCsv(buf, columns))
      expect(err.message).toMatch(/既不是 UTF-8，也不是 GBK/)
      expect(err.message).toContain('另存为')
    }
    // A UTF-8 mark over GBK bytes: the mark is believed, and the file refused.
    expect(failure(() => readCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), gbk(sample)]), columns)).message).toMatch(/标明是 UTF-8/)
  })

  it('refuses UTF-16 (Excel "Unicode text") and any file with NUL bytes', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')])
    expect(failure(() => readCsv(le, columns)).message).toMatch(/UTF-16/)
    expect(failure(() => readCsv(Buffer.from(sample, 'utf16le'), columns)).message).toMatch(/空字符（NUL）/)
    expect(failure(() => readCsv(utf8('姓名,身份证号\n张三\u0000,1\n'), columns)).message).toMatch(/空字符（NUL）/)
  })
})

describe('RFC 4180 quoting and line ends', () => {
  it('keeps quoted commas, doubled quotes and line breaks inside a cell; rows follow records, not lines', () => {
    const text = '姓名,身份证号,备注\n"张,三","11010519491231002X","他说""好""\n第二行"\n李四,110105194912310021,\n'
    expect(readCsv(utf8(text), columns).rows).toEqual([
      { row: 2, values: { name: '张,三', idNumber: '11010519491231002X', note: '他说"好"\n第二行' } },
      { row: 3, values: { name: '李四', idNumber: '110105194912310021', note: '' } },
    ])
  })

  it('reads CRLF, LF and lone CR alike, with or without a last line end, and skips blank lines', () => {
    const rows = ['姓名,身份证号,备注', '张三,11010519491231002X,', '李四,110105194912310021,备注']
    for (const eol of ['\r\n', '\n', '\r']) {
      expect(readCsv(utf8(rows.join(eol)), columns).rows).toEqual(expected)
      expect(readCsv(utf8(rows.join(eol) + eol + eol + ',,' + eol + eol), columns).rows).toEqual(expected)
    }
    const gaps = '姓名,身份证号\n\n张三,11010519491231002X\n,,\n\n李四,110105194912310021'
    expect(readCsv(utf8(gaps), columns).rows.map((r) => r.row)).toEqual([3, 6])
  })

  it('splits records exactly as written', () => {
    expect([...csvRecords('a,b\r\n"c""d",\n"e\r\nf"\n,')].map((r) => r.fields)).toEqual([['a', 'b'], ['c"d', ''], ['e\r\nf'], ['', '']])
    expect([...csvRecords('x"y,z')][0]!.fields).toEqual(['x"y', 'z'])
    expect([...csvRecords('')]).toEqual([])
  })

  it('reports text after a closing quote in a column that is read, and ignores it in one that is not', () => {
    const err = failure(() => readCsv(utf8('姓名,身份证号,其他\n"张"三,11010519491231002X,\n李四,110105194912310021,"x"y\n'), columns))
    expect(err.code).toBe('IMPORT_INVALID')
    expect(details(err).map((d) => [d.row, d.column])).toEqual([[2, 'A（姓名）']])
    expect(details(err)[0]!.message).toContain('""')
  })

  it('reports a quote never closed, even when it hides the header', () => {
    const late = failure(() => readCsv(utf8('姓名,身份证号\n张三,11010519491231002X\n"李四,110105194912310021\n王五,1\n'), columns))
    expect(details(late).map((d) => [d.row, d.column])).toEqual([[3, 'A（姓名）']])
    expect(details(late)[0]!.message).toContain('没有配对')
    const early = failure(() => readCsv(utf8('"某某村选民名单\n姓名,身份证号\n张三,11010519491231002X\n'), columns))
    expect(details(early).map((d) => [d.row, d.column])).toEqual([[1, 'A']])
  })

  const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\n', '\r', '张', '𠀀', "'", '=') })
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 })
  const write = (rows: string[][], eol: string) => rows.map((r) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',') + eol).join('')

  it('gives back every table a writer following RFC 4180 wrote', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\r\n', '\n'), (rows, eol) => {
        const back = [...csvRecords(write(rows, eol))]
        expect(back.map((r) => r.fields)).toEqual(rows)
        expect(back.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1))
        expect(back.every((r) => r.issues.length === 0)).toBe(true)
      }),
    )
  })
})

describe('headers, cells and limits', () => {
  it('finds the header under a title row, by name in any order, ignoring `*` and spaces', () => {
    const sheet = readCsv(utf8('某某村选民名单,,\n\n身份证号 *,其他,姓名＊\n11010519491231002X,x,张三\n'), columns)
    expect(sheet.rows).toEqual([{ row: 4, values: { name: '张三', idNumber: '11010519491231002X', note: '' } }])
    expect(sheet.letters).toEqual({ idNumber: 'A', name: 'C' })
  })

  it('names missing required columns, refuses a header named twice, and a file with no data', () => {
    expect(failure(() => readCsv(utf8('姓名,电话\n张三,1\n'), columns)).message).toBe('表头缺少必填列：身份证号；请使用下载的模板')
    expect(failure(() => readCsv(utf8('电话\n1\n'), columns)).message).toBe('表头缺少必填列：姓名、身份证号；请使用下载的模板')
    const header11 = '\n'.repeat(10) + '姓名,身份证号\n张三,11010519491231002X\n'
    expect(failure(() => readCsv(utf8(header11), columns)).message).toMatch(/^表头缺少必填列/)
    expect(failure(() => readCsv(utf8('姓名,身份证号,姓名\n张三,1,李四\n'), columns)).message).toContain('“姓名”出现了 2 次（A、C 列）')
    expect(failure(() => readCsv(utf8('姓名,身份证号\n,\n'), columns)).message).toBe('文件中没有数据行')
    expect(failure(() => readCsv(Buffer.alloc(0), columns)).message).toBe('文件是空的')
  })

  it('keeps ID numbers as written: 18 characters, a final X, no number coercion', () => {
    const sheet = readCsv(utf8('姓名,身份证号\n张三,11010519491231002X\n李四,110105194912310021\n王五,="000105194912310021"\n赵六,\t110105194912310021 \n'), columns)
    expect(sheet.rows.map((r) => r.values.idNumber)).toEqual(['11010519491231002X', '110105194912310021', '000105194912310021', '110105194912310021'])
    for (const r of sheet.rows) expect(typeof r.values.idNumber).toBe('string')
  })

  it('reports an ID number Excel saved in scientific notation, by row and column', () => {
    const err = failure(() => readCsv(utf8('姓名,身份证号,备注\n张三,1.10105E+17,1E+5\n'), columns))
    expect(details(err)).toEqual([{ row: 2, column: 'B（身份证号）', message: expect.stringContaining('设为“文本”') as string }])
  })

  it('reports control characters and over-long cells by row and column', () => {
    const long = '张'.repeat(MAX_CELL_CHARS + 1)
    const err = failure(() => readCsv(utf8(`姓名,身份证号,备注\n张\u0007三,11010519491231002X,\n李四,110105194912310021,${long}\n`), columns))
    expect(details(err).map((d) => [d.row, d.column])).toEqual([
      [2, 'A（姓名）'],
      [3, 'C（备注）'],
    ])
    expect(details(err)[1]!.message).toContain(String(MAX_CELL_CHARS))
    expect(readCsv(utf8(`姓名,身份证号,备注\n李四,1,${'张'.repeat(MAX_CELL_CHARS)}\n`), columns).rows).toHaveLength(1)
  })

  it(`refuses more than ${MAX_IMPORT_ROWS} rows and more than ${MAX_TABLE_FILE_BYTES / 1024 / 1024} MB`, () => {
    const many = '姓名,身份证号\n' + '张三,11010519491231002X\n'.repeat(MAX_IMPORT_ROWS + 1)
    expect(failure(() => readCsv(utf8(many), columns)).message).toContain(`一次最多导入 ${MAX_IMPORT_ROWS} 行`)
    expect(readCsv(utf8('姓名,身份证号\n' + '张三,11010519491231002X\n'.repeat(MAX_IMPORT_ROWS)), columns).rows).toHaveLength(MAX_IMPORT_ROWS)
    const big = Buffer.alloc(MAX_TABLE_FILE_BYTES + 1, 0x41)
    expect(failure(() => readCsv(big, columns)).message).toContain('文件不能超过 10 MB')
  })

  const gbkChars = Object.keys(gbkCodes)
  const gbkCell = fc.string({ unit: fc.constantFrom(...gbkChars, 'a', '1', 'X', ',', '"', '\n') })

  it('reads any table of GBK text exactly as its UTF-8 twin', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(gbkCell, gbkCell), { minLength: 1, maxLength: 6 }), (pairs) => {
        const q = (v: string) => `"${v.replace(/"/g, '""')}"`
        const text = '姓名,身份证号\r\n' + pairs.map(([a, b]) => `${q(a)},${q(b)}\r\n`).join('')
        const fromUtf8 = (() => {
          try {
            return readCsv(utf8(text), columns)
          } catch (e) {
            return (e as Error).message
          }
        })()
        const fromGbk = (() => {
          try {
            return readCsv(gbk(text), columns)
          } catch (e) {
            return (e as Error).message
          }
        })()
        expect(fromGbk).toEqual(fromUtf8)
      }),
    )
  })
})

describe('readTableFile', () => {
  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('选民')
    ws.addRow(['姓名', '身份证号'])
    ws.addRow(['张三', '11010519491231002X'])
    return Buffer.from(await wb.xlsx.writeBuffer())
  }

  it('decides by content: a workbook named .csv is a workbook, a CSV named .xlsx is a CSV', async () => {
    const fromXlsx = await readTableFile(await workbook(), '选民.csv', columns)
    expect(fromXlsx.rows).toEqual([{ row: 2, values: { name: '张三', idNumber: '11010519491231002X', note: '' } }])
    expect((await readTableFile(gbk(sample), '选民.xlsx', columns)).rows).toEqual(expected)
    expect((await readTableFile(bom(sample), '选民', columns)).rows).toEqual(expected)
    expect((await readTableFile(utf8('PK号,姓名,身份证号\n1,张三,11010519491231002X\n'), '选民.csv', columns)).rows).toEqual([{ row: 2, values: { name: '张三', idNumber: '11010519491231002X', note: '' } }])
  })

  it('refuses other files in Chinese, naming the file', async () => {
    const pdf = utf8('%PDF-1.7\n姓名,身份证号\n')
    expect((await failureOf(readTableFile(pdf, '名单.csv', columns))).message).toBe('“名单.csv”是PDF，不是表格；只能导入 Excel（.xlsx）或 CSV 文件')
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x41])
    expect((await failureOf(readTableFile(png, '../名单.xlsx', columns))).message).toContain('PNG 图片')
    const exe = Buffer.concat([utf8('MZ'), Buffer.from([0x90, 0x00, 0x03])])
    expect((await failureOf(readTableFile(exe, 'a.csv', columns))).message).toContain('可执行程序')
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)])
    expect((await failureOf(readTableFile(xls, '名单.xls', columns))).message).toMatch(/另存为 \.xlsx/)
    const notZip = Buffer.concat([utf8('PK'), Buffer.from([0x05, 0x06]), Buffer.alloc(30)])
    expect((await failureOf(readTableFile(notZip, '名单.xlsx', columns))).message).toMatch(/不是有效的 Excel 文件/)
    expect((await failureOf(readTableFile(Buffer.from([0x01, 0x02, 0x00, 0xff]), 'x.csv', columns))).message).toMatch(/空字符/)
    expect((await failureOf(readTableFile(Buffer.alloc(0), 'x.csv', columns))).message).toBe('文件是空的')
    expect((await failureOf(readTableFile(Buffer.alloc(MAX_TABLE_FILE_BYTES + 1, 0x50), 'x.xlsx', columns))).message).toContain('10 MB')
  })
})
