import { invalid } from '../http/errors.ts'

/** The file kinds users may attach (evidence, count-sheet scans), each recognised by its first bytes. */
const kinds = [
  { type: 'application/pdf', ext: 'pdf', label: 'PDF', magic: (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/jpeg', ext: 'jpg', label: 'JPG', magic: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', label: 'PNG', magic: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', label: 'Word（.docx）', magic: (b: Buffer) => b[0] === 0x50 && b[1] === 0x4b },
] as const
export type FileExt = (typeof kinds)[number]['ext']

/** Keeps a file name printable and short; the stored name is never used as a path. */
export function cleanFileName(name: string, fallback: string): string {
  const base = name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim().slice(-100)
  return base || fallback
}

/** Refuses a file whose extension is not allowed or whose content is not what the extension says. */
export function checkUpload(fileName: string, buffer: Buffer, allowed: readonly FileExt[], maxBytes: number): { type: string; ext: FileExt } {
  const raw = fileName.split('.').pop()?.toLowerCase() ?? ''
  const ext = raw === 'jpeg' ? 'jpg' : raw
  const kind = kinds.find((k) => k.ext === ext && allowed.includes(k.ext))
  const names = kinds.filter((k) => allowed.includes(k.ext)).map((k) => k.label)
  if (!kind) throw invalid(`只能上传 ${names.join('、')} 文件`)
  if (buffer.length === 0) throw invalid('文件是空的')
  if (!kind.magic(buffer)) throw invalid(`文件内容不是有效的 ${kind.ext.toUpperCase()} 文件，请检查后重新上传`)
  if (buffer.length > maxBytes) throw invalid(`文件不能超过 ${Math.round(maxBytes / 1024 / 1024)} MB`)
  return { type: kind.type, ext: kind.ext }
}

/**
 * Reads the one file of a multipart request and checks it as `checkUpload` does: the name kept is
 * printable, the type is the one its bytes show. Call it after the scope check, so nothing is read
 * from an upload to someone else's record.
 */
export async function readCheckedFile(
  req: { isMultipart(): boolean; file(): Promise<{ filename: string; toBuffer(): Promise<Buffer> } | undefined> },
  allowed: readonly FileExt[],
  maxBytes: number,
  fallbackName: string,
): Promise<{ name: string; type: string; data: Buffer }> {
  if (!req.isMultipart()) throw invalid('请以文件上传方式提交（multipart/form-data）')
  const part = await req.file()
  if (!part) throw invalid('没有收到文件')
  const data = await part.toBuffer()
  const kind = checkUpload(part.filename, data, allowed, maxBytes)
  return { name: cleanFileName(part.filename, `${fallbackName}.${kind.ext}`), type: kind.type, data }
}
