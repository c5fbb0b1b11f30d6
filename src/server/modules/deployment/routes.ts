import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import Value from 'typebox/value'
import { ctxOf } from '../../plugins/auth.ts'
import { invalid } from '../../http/errors.ts'
import { errorReplies, FileReply, IdempotencyHeaders, OkReply } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import { scopeFirst } from '../../http/scope-first.ts'
import { DOCX, readUpload as readXlsxUpload, sendFile, sendXlsx } from '../../http/download.ts'
import { readCheckedFile } from '../../files/uploads.ts'
import * as meetings from './meetings.ts'
import * as documents from './documents.ts'
import * as qa from './qa.ts'
import { importQa, qaTemplate } from './qa-import.ts'
import { meetingRecordDocx } from './record.ts'
import { readerRoles, writerRoles } from './shared.ts'
import {
  DecisionDoneBody,
  DecisionParams,
  DocumentDetailReply,
  DocumentListReply,
  DocumentMeta,
  DocumentPatchBody,
  DocumentQuery,
  IdParams,
  ImportReply,
  MeetingBody,
  MeetingListReply,
  MeetingPatchBody,
  MeetingReply,
  QaBody,
  QaPage,
  QaPatchBody,
  QaQuery,
  QaReply,
  ReceiptBody,
  ReceiptParams,
  ReceiptReply,
  VersionQuery,
  ViewQuery,
} from './schemas.ts'

const readers = [...readerRoles]
const writers = [...writerRoles]
const signers = ['county_admin' as const, 'township_organiser' as const, 'contact_cadre' as const]
const admins = ['county_admin' as const]
const errors = { ...errorReplies, 422: errorReplies[409] }

const metaLabels: Record<string, string> = {
  territory: '发文单位',
  campaign: '换届届次',
  kind: '文件类别',
  title: '文件标题',
  docNumber: '文号',
  issuedOn: '印发日期',
  summary: '内容摘要',
  toAll: '分发范围',
  unitCodes: '分发的村（社区）',
}

/** The `meta` field of a document upload (JSON, sent before the file), checked against its schema. */
function parseMeta(raw: string): Static<typeof DocumentMeta> {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw invalid('没有收到文件信息（标题、类别、印发日期等），请刷新页面后重新上传', [{ field: 'meta', message: '缺少或不是 JSON' }])
  }
  if (Value.Check(DocumentMeta, value)) return value
  const e = [...Value.Errors(DocumentMeta, value)].find((x) => x.keyword !== 'boolean')
  const params = (e?.params ?? {}) as { requiredProperties?: string[]; additionalProperties?: string[] }
  const field = e?.keyword === 'required' ? (params.requiredProperties?.[0] ?? '') : e?.keyword === 'additionalProperties' ? (params.additionalProperties?.[0] ?? '') : (e?.instancePath.split('/').filter(Boolean)[0] ?? '')
  const label = metaLabels[field] ?? field
  const message = e?.keyword === 'required' ? `缺少${label}` : e?.keyword === 'additionalProperties' ? `不允许提交字段：${field}` : `${label}填写不正确`
  throw invalid(message, [{ field, message }])
}

/**
 * The parts of a document upload: its fields (read as they arrive before the file) and a
 * function that reads and checks the file itself, which the service calls after its checks.
 */
async function documentUpload(req: FastifyRequest) {
  if (!req.isMultipart()) throw invalid('请以文件上传方式提交（multipart/form-data）')
  const part = await req.file({ limits: { fileSize: documents.MAX_FILE_BYTES } })
  if (!part) throw invalid('没有收到文件，请选择 PDF 或 Word（.docx）文件')
  const raw = part.fields.meta
  const field = Array.isArray(raw) ? raw[0] : raw
  const meta = parseMeta(field && field.type === 'field' ? String(field.value) : '')
  const readFile = () => readCheckedFile({ isMultipart: () => true, file: () => Promise.resolve(part) }, ['pdf', 'docx'], documents.MAX_FILE_BYTES, meta.title.trim() || '文件')
  // A refused upload leaves its bytes unread: drain them so the connection can be reused.
  return { meta, readFile, drain: () => part.file.resume() }
}

/**
 * A write to one object checks its scope before the request is validated: an object of another
 * township answers 404 (or 403) whatever the body holds, and says nothing about the body.
 */
export const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const meetingTarget = scopeFirst((ctx, id) => meetings.checkWriteTarget(app.db, ctx, id))
  const documentTarget = scopeFirst((ctx, id) => documents.checkWriteTarget(app.db, ctx, id, 'edit'))
  const receiptTarget = scopeFirst((ctx, id) => documents.checkWriteTarget(app.db, ctx, id, 'sign'))

  // ---- 部署会议 ----
  const mt = ['部署会议']
  app.get('/meetings', {
    config: { roles: readers },
    schema: { tags: mt, summary: '县级或乡镇的部署会议（按届次），以及尚未完成的议定事项', querystring: ViewQuery, response: { 200: MeetingListReply, ...errors } },
    handler: (req) => meetings.listMeetings(app.db, ctxOf(req), req.query),
  })
  app.post('/meetings', {
    config: { roles: writers },
    schema: { tags: mt, summary: '登记一次会议（含议定事项）；带 Idempotency-Key 重试不会重复', headers: IdempotencyHeaders, body: MeetingBody, response: { 200: MeetingReply, ...errors } },
    handler: (req) => idempotent(app.db, ctxOf(req), req.headers['idempotency-key'], 'POST /api/deployment/meetings', (db) => meetings.createMeeting(db, ctxOf(req), req.body)),
  })
  app.get('/meetings/:id', {
    config: { roles: readers },
    schema: { tags: mt, summary: '一次会议', params: IdParams, response: { 200: MeetingReply, ...errors } },
    handler: (req) => meetings.getMeeting(app.db, ctxOf(req), req.params.id),
  })
  app.put('/meetings/:id', {
    preValidation: meetingTarget,
    config: { roles: writers },
    schema: { tags: mt, summary: '修改会议及其议定事项', params: IdParams, body: MeetingPatchBody, response: { 200: MeetingReply, ...errors } },
    handler: (req) => meetings.updateMeeting(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/meetings/:id', {
    preValidation: meetingTarget,
    config: { roles: writers },
    schema: { tags: mt, summary: '删除会议', params: IdParams, querystring: VersionQuery, response: { 200: OkReply, ...errors } },
    handler: (req) => meetings.deleteMeeting(app.db, ctxOf(req), req.params.id, req.query.version),
  })
  app.put('/meetings/:id/decisions/:decisionId', {
    preValidation: meetingTarget,
    config: { roles: writers },
    schema: { tags: mt, summary: '标记议定事项完成（或撤销完成）', params: DecisionParams, body: DecisionDoneBody, response: { 200: MeetingReply, ...errors } },
    handler: (req) => meetings.setDecisionDone(app.db, ctxOf(req), req.params.id, req.params.decisionId, req.body),
  })
  app.get('/meetings/:id/record.docx', {
    config: { roles: readers },
    schema: { tags: mt, summary: '会议记录（Word）', params: IdParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await meetingRecordDocx(app.db, ctxOf(req), req.params.id)
      return sendFile(reply, f.data, f.name, DOCX)
    },
  })

  // ---- 文件资料 ----
  const dt = ['文件资料']
  app.get('/documents', {
    config: { roles: readers },
    schema: { tags: dt, summary: '县级或乡镇的文件资料及签收进度；包村干部另有待签收清单', querystring: ViewQuery, response: { 200: DocumentListReply, ...errors } },
    handler: (req) => documents.listDocuments(app.db, ctxOf(req), req.query),
  })
  app.post('/documents', {
    config: { roles: writers },
    schema: {
      tags: dt,
      summary: `印发文件：multipart，先 meta（JSON：类别、标题、文号、印发日期、分发范围），再 file（PDF 或 .docx，不超过 ${documents.MAX_FILE_MB} MB）`,
      consumes: ['multipart/form-data'],
      headers: IdempotencyHeaders,
      response: { 200: DocumentDetailReply, ...errors },
    },
    handler: async (req) => {
      const ctx = ctxOf(req)
      const up = await documentUpload(req)
      try {
        // The file is read and checked before the transaction opens: a slow upload holds no connection.
        return await idempotent(
          app.db,
          ctx,
          req.headers['idempotency-key'],
          'POST /api/deployment/documents',
          (db, plan) => documents.writeDocument(db, ctx, plan),
          () => documents.prepareDocument(app.db, ctx, up.meta, up.readFile),
        )
      } finally {
        up.drain()
      }
    },
  })
  app.get('/documents/:id', {
    config: { roles: readers },
    schema: { tags: dt, summary: '一份文件及各村（社区）签收情况', params: IdParams, querystring: DocumentQuery, response: { 200: DocumentDetailReply, ...errors } },
    handler: (req) => documents.getDocument(app.db, ctxOf(req), req.params.id, req.query),
  })
  app.put('/documents/:id', {
    preValidation: documentTarget,
    config: { roles: writers },
    schema: { tags: dt, summary: '修改文件信息和分发范围（已签收的村不能移出）', params: IdParams, body: DocumentPatchBody, response: { 200: DocumentDetailReply, ...errors } },
    handler: (req) => documents.updateDocument(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/documents/:id', {
    preValidation: documentTarget,
    config: { roles: writers },
    schema: { tags: dt, summary: '删除文件（连同签收记录）', params: IdParams, querystring: VersionQuery, response: { 200: OkReply, ...errors } },
    handler: (req) => documents.deleteDocument(app.db, ctxOf(req), req.params.id, req.query.version),
  })
  app.get('/documents/:id/file', {
    config: { roles: readers },
    schema: { tags: dt, summary: '下载（PDF 在浏览器中打开）文件；打开不等于签收', params: IdParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await documents.documentFile(app.db, ctxOf(req), req.params.id)
      return sendFile(reply, f.data, f.name, f.type, { inline: f.type === 'application/pdf' })
    },
  })
  app.post('/documents/:id/receipts', {
    preValidation: receiptTarget,
    config: { roles: signers },
    schema: { tags: dt, summary: '为一个村（社区）签收文件；已签收的再签一次不变', params: IdParams, body: ReceiptBody, response: { 200: ReceiptReply, ...errors } },
    handler: (req) => documents.signReceipt(app.db, ctxOf(req), req.params.id, req.body.unitCode),
  })
  app.delete('/documents/:id/receipts/:unitCode', {
    preValidation: receiptTarget,
    config: { roles: writers },
    schema: { tags: dt, summary: '撤销一个村（社区）的签收（误签时）', params: ReceiptParams, response: { 200: ReceiptReply, ...errors } },
    handler: (req) => documents.undoReceipt(app.db, ctxOf(req), req.params.id, req.params.unitCode),
  })

  // ---- 百问百答 ----
  const qt = ['百问百答']
  app.get('/qa', {
    config: { roles: 'any' },
    schema: { tags: qt, summary: '搜索百问百答：问题或答案中的字词，或问题的拼音首字母（如 xmdj）', querystring: QaQuery, response: { 200: QaPage, ...errors } },
    handler: (req) => qa.listQa(app.db, ctxOf(req), req.query),
  })
  app.post('/qa', {
    config: { roles: admins },
    schema: { tags: qt, summary: '新增一问', body: QaBody, response: { 200: QaReply, ...errors } },
    handler: (req) => qa.createQa(app.db, ctxOf(req), req.body),
  })
  app.put('/qa/:id', {
    config: { roles: admins },
    schema: { tags: qt, summary: '修改一问', params: IdParams, body: QaPatchBody, response: { 200: QaReply, ...errors } },
    handler: (req) => qa.updateQa(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/qa/:id', {
    config: { roles: admins },
    schema: { tags: qt, summary: '删除一问', params: IdParams, querystring: VersionQuery, response: { 200: OkReply, ...errors } },
    handler: (req) => qa.deleteQa(app.db, ctxOf(req), req.params.id, req.query.version),
  })
  app.get('/qa/template', {
    config: { roles: admins },
    schema: { tags: qt, summary: '下载百问百答导入模板', response: { 200: FileReply, ...errors } },
    handler: async (_req, reply) => sendXlsx(reply, await qaTemplate(), '百问百答导入模板'),
  })
  app.post('/qa/import', {
    config: { roles: admins },
    schema: { tags: qt, summary: '导入百问百答（Excel：分类、问题、答案、依据；全部通过才保存）', consumes: ['multipart/form-data'], response: { 200: ImportReply, ...errors } },
    handler: async (req) => importQa(app.db, ctxOf(req), (await readXlsxUpload(req)).buffer),
  })
}
