import type { FastifyReply, FastifyRequest } from 'fastify'
import { create as contentDisposition } from 'content-disposition'
import { invalid } from './errors.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A file download with a Chinese name encoded per RFC 6266 (`filename*=UTF-8''…`). */
export function sendXlsx(reply: FastifyReply, buf: Buffer, baseName: string) {
  const stamp = new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(/[-: ]/g, '').slice(0, 12)
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', contentDisposition(`${baseName}_${stamp}.xlsx`))
    .header('x-content-type-options', 'nosniff')
    .send(buf)
}

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/**
 * Any other file download (Word, PDF, a photo or scan): the name per RFC 6266, never sniffed,
 * never cached by a shared cache; `inline` lets a browser show a picture in the page.
 */
export function sendFile(reply: FastifyReply, data: Buffer | Uint8Array, name: string, type: string, opts: { inline?: boolean; cache?: string } = {}) {
  return reply
    .header('content-type', type)
    .header('content-disposition', contentDisposition(name, opts.inline ? { type: 'inline' } : undefined))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', opts.cache ?? 'no-store')
    .send(Buffer.from(data))
}

/** Reads the one uploaded file of a multipart request, with its form fields. */
export async function readUpload(request: FastifyRequest): Promise<{ buffer: Buffer; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw invalid('请以文件上传方式提交（multipart/form-data）')
  const part = await request.file()
  if (!part) throw invalid('没有收到文件，请选择要导入的 .xlsx 文件')
  const buffer = await part.toBuffer()
  const fields: Record<string, string> = {}
  for (const [k, v] of Object.entries(part.fields)) {
    const field = Array.isArray(v) ? v[0] : v
    if (field && field.type === 'field') fields[k] = String(field.value)
  }
  return { buffer, fields }
}
