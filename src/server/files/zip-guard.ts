import { invalid } from '../http/errors.ts'

export interface ZipLimits {
  maxEntries: number
  maxUnpackedBytes: number
}

export const defaultZipLimits: ZipLimits = { maxEntries: 1000, maxUnpackedBytes: 100 * 1024 * 1024 }

/**
 * Checks an upload is a real .xlsx before anything inflates it. exceljs hands the whole file to
 * JSZip with no size cap, so a small zip bomb would exhaust memory (quality.md §5.1): read the
 * zip's central directory ourselves and refuse too many entries or too much unpacked data.
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
  for (let i = 0; i < entries; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw invalid('Excel 文件已损坏（目录项无效），请重新保存后上传')
    const unpacked = buf.readUInt32LE(p + 24)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    // 0xFFFFFFFF means a zip64 size follows: far beyond any sheet we accept.
    if (unpacked === 0xffffffff) throw invalid('Excel 文件过大，已拒绝')
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    if (name === '[Content_Types].xml') hasContentTypes = true
    total += unpacked
    if (total > limits.maxUnpackedBytes) {
      throw invalid(`Excel 文件解压后超过 ${Math.round(limits.maxUnpackedBytes / 1024 / 1024)} MB，已拒绝；请拆分后分批导入`)
    }
    p += 46 + nameLen + extraLen + commentLen
  }
  if (!hasContentTypes) throw invalid('不是有效的 Excel 文件（.xlsx），请用模板填写后上传')
}
