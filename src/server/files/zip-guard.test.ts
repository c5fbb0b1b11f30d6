import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { assertSafeXlsx } from './zip-guard.ts'

/** A zip whose central directory claims entries of the given unpacked sizes (a bomb's signature). */
function craftedZip(entries: { name: string; unpacked: number }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt32LE(0, 18)
    local.writeUInt32LE(e.unpacked, 22)
    local.writeUInt16LE(name.length, 26)
    locals.push(local, name)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt32LE(0, 20)
    central.writeUInt32LE(e.unpacked, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, name)
    offset += 30 + name.length
  }
  const cd = Buffer.concat(centrals)
  const eocd = Buffer.alloc(22)
  eocd.writeUInt32LE(0x06054b50, 0)
  eocd.writeUInt16LE(entries.length, 8)
  eocd.writeUInt16LE(entries.length, 10)
  eocd.writeUInt32LE(cd.length, 12)
  eocd.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, eocd])
}

describe('xlsx upload guard', () => {
  it('passes a real workbook and refuses an empty file', async () => {
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('a').addRow(['x'])
    expect(() => assertSafeXlsx(Buffer.from(new Uint8Array(0)))).toThrow(/不是有效的 Excel 文件/)
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    expect(() => assertSafeXlsx(buf)).not.toThrow()
  })

  it('refuses a zip bomb before inflating anything', () => {
    const bomb = craftedZip([
      { name: '[Content_Types].xml', unpacked: 1000 },
      { name: 'xl/worksheets/sheet1.xml', unpacked: 0xfffffff0 },
    ])
    expect(bomb.length).toBeLessThan(1024)
    expect(() => assertSafeXlsx(bomb)).toThrow(/解压后超过 100 MB/)
  })

  it('refuses too many entries, a zip without [Content_Types].xml, and a broken directory', () => {
    const many = craftedZip(Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, unpacked: 1 })))
    expect(() => assertSafeXlsx(many)).toThrow(/条目过多/)
    expect(() => assertSafeXlsx(craftedZip([{ name: 'a.txt', unpacked: 1 }]))).toThrow(/不是有效的 Excel 文件/)
    const broken = craftedZip([{ name: '[Content_Types].xml', unpacked: 1 }])
    broken.writeUInt32LE(0x12345678, broken.length - 22 - 46 - '[Content_Types].xml'.length)
    expect(() => assertSafeXlsx(broken)).toThrow(/已损坏/)
  })
})
