import { crc32, inflateRawSync } from 'node:zlib'
import { invalid } from '../http/errors.ts'

export interface ZipLimits {
  maxEntries: number
  maxUnpackedBytes: number
}

export const defaultZipLimits: ZipLimits = { maxEntries: 1000, maxUnpackedBytes: 100 * 1024 * 1024 }

interface Entry {
  offset: number
  method: number
  flags: number
  packed: number
  unpacked: number
  crc: number
}

/**
 * Checks an upload is a real .xlsx before the spreadsheet reader sees it (quality.md §5.1): read
 * the zip's central directory ourselves and refuse too many entries or too much unpacked data,
 * then inflate every entry with a cap at its declared size and check its CRC. exceljs's streaming
 * reader inflates with no cap, and on a damaged entry it waits forever instead of failing, so
 * only a zip that is whole, and laid out entry after entry as the streaming parser reads it,
 * gets through.
 */
export function assertSafeXlsx(buf: Buffer, limits: ZipLimits = defaultZipLimits): void {
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0) {
    throw invalid('这是旧版 .xls 文件或已加密的文件：请在 Excel/WPS 中取消密码并“另存为 .xlsx”后再上传')
  }
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) throw invalid('不是有效的 Excel 文件（.xlsx），请用模板填写后上传')
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw invalid('Excel 文件已损坏（找不到目录），请重新保存后上传')
  const entries = buf.readUInt16LE(eocd + 10)
  const cdSize = buf.readUInt32LE(eocd + 12)
  const cdOffset = buf.readUInt32LE(eocd + 16)
  if (entries > limits.maxEntries) throw invalid(`Excel 文件内部条目过多（${entries} 个），已拒绝`)
  if (cdOffset + cdSize > buf.length) throw invalid('Excel 文件已损坏（目录越界），请重新保存后上传')
  let p = cdOffset
  let total = 0
  let hasContentTypes = false
  const list: Entry[] = []
  for (let i = 0; i < entries; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw invalid('Excel 文件已损坏（目录项无效），请重新保存后上传')
    const packed = buf.readUInt32LE(p + 20)
    const unpacked = buf.readUInt32LE(p + 24)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    // 0xFFFFFFFF means a zip64 size follows: far beyond any sheet we accept.
    if (unpacked === 0xffffffff || packed === 0xffffffff) throw invalid('Excel 文件过大，已拒绝')
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    if (name === '[Content_Types].xml') hasContentTypes = true
    total += unpacked
    if (total > limits.maxUnpackedBytes) {
      throw invalid(`Excel 文件解压后超过 ${Math.round(limits.maxUnpackedBytes / 1024 / 1024)} MB，已拒绝；请拆分后分批导入`)
    }
    list.push({ offset: buf.readUInt32LE(p + 42), method: buf.readUInt16LE(p + 10), flags: buf.readUInt16LE(p + 8), packed, unpacked, crc: buf.readUInt32LE(p + 16) })
    p += 46 + nameLen + extraLen + commentLen
  }
  if (!hasContentTypes) throw invalid('不是有效的 Excel 文件（.xlsx），请用模板填写后上传')
  assertWholeEntries(buf, list, cdOffset)
}

const damaged = () => invalid('Excel 文件已损坏（压缩数据不完整），请重新保存为 .xlsx 后上传')

function assertWholeEntries(buf: Buffer, entries: Entry[], cdOffset: number): void {
  let expected = 0
  for (const e of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (e.offset !== expected || e.offset + 30 > cdOffset || buf.readUInt32LE(e.offset) !== 0x04034b50) throw damaged()
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28)
    const end = start + e.packed
    if (end > cdOffset) throw damaged()
    const packed = buf.subarray(start, end)
    let data: Buffer
    if (e.method === 0) data = packed
    else if (e.method === 8) {
      try {
        // One byte over the declared size is enough to know it lied.
        data = inflateRawSync(packed, { maxOutputLength: e.unpacked + 1 })
      } catch {
        throw damaged()
      }
    } else throw invalid('Excel 文件使用了不支持的压缩方式，请重新保存为 .xlsx 后上传')
    if (data.length !== e.unpacked || crc32(data) !== e.crc) throw damaged()
    expected = end
    // A data descriptor may follow the data (general purpose flag bit 3), with or without its signature.
    if (e.flags & 0x08) expected += end + 4 <= cdOffset && buf.readUInt32LE(end) === 0x08074b50 ? 16 : 12
  }
  if (expected !== cdOffset) throw damaged()
}
