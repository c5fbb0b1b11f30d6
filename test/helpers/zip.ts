import { inflateRawSync } from 'node:zlib'

/** One entry of a zip, found through its central directory (stored or deflated, as docx writes). */
export function zipEntry(zip: Buffer, name: string): string | undefined {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  let p = zip.readUInt32LE(eocd + 16)
  for (let i = zip.readUInt16LE(eocd + 10); i > 0; i--) {
    const [method, packed, nameLen, extraLen, commentLen, local] = [10, 20, 28, 30, 32, 42].map((o) => (o === 20 || o === 42 ? zip.readUInt32LE(p + o) : zip.readUInt16LE(p + o)))
    if (zip.toString('utf8', p + 46, p + 46 + nameLen!) === name) {
      const start = local! + 30 + zip.readUInt16LE(local! + 26) + zip.readUInt16LE(local! + 28)
      const data = zip.subarray(start, start + packed!)
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    }
    p += 46 + nameLen! + extraLen! + commentLen!
  }
  return undefined
}
