import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { create as contentDisposition } from 'content-disposition'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, OkReply } from '../../http/schemas.ts'
import { sendXlsx } from '../../http/download.ts'
import { invalid } from '../../http/errors.ts'
import { Type } from 'typebox'
import * as service from './service.ts'
import { reviewLedger } from './ledger.ts'
import {
  AnswerBody,
  BatchDetail,
  BatchParams,
  BatchQuery,
  BatchReply,
  EvidenceDetail,
  EvidenceParams,
  LedgerQuery,
  OpenBody,
  RequestDetail,
  RequestPage,
  RequestParams,
  RequestQuery,
  SubmitBody,
  SummaryReply,
  VersionBody,
} from './schemas.ts'

const tags = ['资格联审']
const batchReaders = ['county_admin', 'township_organiser', 'leader', 'auditor'] as const
const requestReaders = ['county_admin', 'township_organiser', 'leader', 'auditor', 'reviewer'] as const

export const reviewBatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: batchReaders },
    schema: { tags, summary: '联审批次列表', querystring: BatchQuery, response: { 200: Type.Array(BatchReply), ...errorReplies } },
    handler: (req) => service.listBatches(app.db, ctxOf(req), req.query),
  })
  app.post('/', {
    config: { roles: ['county_admin', 'township_organiser'] },
    schema: { tags, summary: '乡镇报送人选联审（同一乡镇的草稿人选）', body: SubmitBody, response: { 201: BatchReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.submitBatch(app.db, ctxOf(req), req.body)),
  })
  app.get('/ledger', {
    config: { roles: batchReaders },
    schema: { tags, summary: '导出联审台账（Excel，身份证号脱敏）', querystring: LedgerQuery, response: { 200: FileReply, ...errorReplies } },
    handler: async (req, reply) => sendXlsx(reply, await reviewLedger(app.db, ctxOf(req), req.query), '联审台账'),
  })
  app.get('/:id', {
    config: { roles: batchReaders },
    schema: { tags, summary: '联审批次详情：人选、各部门联审函、办结前还需完成的事项', params: BatchParams, response: { 200: BatchDetail, ...errorReplies } },
    handler: (req) => service.getBatch(app.db, ctxOf(req), req.params.id),
  })
  app.post('/:id/open', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '发起联审：按负面清单向各审查部门发函，设定反馈期限', params: BatchParams, body: OpenBody, response: { 200: BatchReply, ...errorReplies } },
    handler: (req) => service.openBatch(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.post('/:id/close', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '办结联审批次（所有人选有结论、未通过的均已谈话）', params: BatchParams, body: VersionBody, response: { 200: BatchReply, ...errorReplies } },
    handler: (req) => service.closeBatch(app.db, ctxOf(req), req.params.id, req.body.version),
  })
}

export const reviewRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: requestReaders },
    schema: { tags, summary: '联审函列表（审查员只看本部门的）', querystring: RequestQuery, response: { 200: RequestPage, ...errorReplies } },
    handler: (req) => service.listRequests(app.db, ctxOf(req), req.query),
  })
  app.get('/summary', {
    config: { roles: requestReaders },
    schema: { tags, summary: '各部门待反馈、逾期、已反馈数量', response: { 200: SummaryReply, ...errorReplies } },
    handler: (req) => service.requestSummary(app.db, ctxOf(req)),
  })
  app.get('/:id', {
    config: { roles: requestReaders },
    schema: { tags, summary: '联审函详情：本部门负责审查的情形', params: RequestParams, response: { 200: RequestDetail, ...errorReplies } },
    handler: (req) => service.getRequest(app.db, ctxOf(req), req.params.id),
  })
  app.post('/:id/answer', {
    config: { roles: ['reviewer', 'county_admin'] },
    schema: { tags, summary: '反馈审查结果（逐项：无此情形 / 有此情形并写明情况）；县级管理员可代录部门的纸质函复', params: RequestParams, body: AnswerBody, response: { 200: RequestDetail, ...errorReplies } },
    handler: (req) => service.answerRequest(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.post('/:id/evidence', {
    config: { roles: ['reviewer', 'county_admin'] },
    schema: { tags, summary: '上传佐证材料（PDF、JPG、PNG、DOCX，不超过 10 MB）', consumes: ['multipart/form-data'], params: RequestParams, response: { 201: EvidenceDetail, ...errorReplies } },
    handler: async (req, reply) => {
      if (!req.isMultipart()) throw invalid('请以文件上传方式提交（multipart/form-data）')
      const part = await req.file()
      if (!part) throw invalid('没有收到文件')
      const buffer = await part.toBuffer()
      return reply.code(201).send(await service.uploadEvidence(app.db, ctxOf(req), req.params.id, { buffer, fileName: part.filename }))
    },
  })
  app.get('/:id/evidence/:evidenceId', {
    config: { roles: ['reviewer', 'county_admin', 'auditor'] },
    schema: { tags, summary: '下载佐证材料（每次下载记入审计日志）', params: EvidenceParams, response: { 200: FileReply, ...errorReplies } },
    handler: async (req, reply) => {
      const e = await service.downloadEvidence(app.db, ctxOf(req), req.params.id, req.params.evidenceId)
      return reply
        .header('content-type', e.content_type)
        .header('content-disposition', contentDisposition(e.file_name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(Buffer.from(e.content))
    },
  })
  app.delete('/:id/evidence/:evidenceId', {
    config: { roles: ['reviewer', 'county_admin'] },
    schema: { tags, summary: '删除误传的佐证材料（反馈前）', params: EvidenceParams, response: { 200: OkReply, ...errorReplies } },
    handler: async (req) => {
      await service.deleteEvidence(app.db, ctxOf(req), req.params.id, req.params.evidenceId)
      return { ok: true }
    },
  })
}
