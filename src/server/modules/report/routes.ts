import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, IdempotencyHeaders } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import { DOCX, sendFile, sendXlsx } from '../../http/download.ts'
import { readCheckedFile } from '../../files/uploads.ts'
import * as service from './service.ts'
import * as files from './files.ts'
import { PhotoParams, ReportBody, ReportParams, ReportReply, SummaryQuery, SummaryReply } from './schemas.ts'

const tags = ['日报告']
const readers = [...service.readerRoles]
const writers = [...service.writerRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/', {
    config: { roles: writers },
    schema: { tags, summary: '报送（或当日重报）一个村（社区）的日报告；带 Idempotency-Key 重试不会重复', headers: IdempotencyHeaders, body: ReportBody, response: { 200: ReportReply, ...errors } },
    handler: (req) => idempotent(app.db, ctxOf(req), req.headers['idempotency-key'], 'POST /api/reports', (db) => service.fileReport(db, ctxOf(req), req.body)),
  })
  app.get('/summary', {
    config: { roles: readers },
    schema: { tags, summary: '乡镇日报汇总（from = to）或周报（一段日期）：各村报告、完成节点、逾期节点、未报送', querystring: SummaryQuery, response: { 200: SummaryReply, ...errors } },
    handler: (req) => service.summary(app.db, ctxOf(req), req.query),
  })
  app.get('/summary.xlsx', {
    config: { roles: readers },
    schema: { tags, summary: '日报汇总表 / 周报（xlsx）', querystring: SummaryQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await files.summaryXlsx(app.db, ctxOf(req), req.query)
      return sendXlsx(reply, f.data, f.name)
    },
  })
  app.get('/summary.docx', {
    config: { roles: readers },
    schema: { tags, summary: '日报汇总 / 周报（Word）', querystring: SummaryQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await files.summaryDocx(app.db, ctxOf(req), req.query)
      return sendFile(reply, f.data, f.name, DOCX)
    },
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '一份日报告', params: ReportParams, response: { 200: ReportReply, ...errors } },
    handler: (req) => service.getReport(app.db, ctxOf(req), req.params.id),
  })
  app.post('/:id/photos', {
    config: { roles: writers },
    schema: { tags, summary: '给日报告加一张照片（JPG、PNG，不超过 8 MB，每份最多 6 张）', consumes: ['multipart/form-data'], params: ReportParams, response: { 200: ReportReply, ...errors } },
    handler: async (req) => {
      // Scope first: nothing is read from an upload to someone else's report.
      await service.checkPhotoTarget(app.db, ctxOf(req), req.params.id)
      return service.addPhoto(app.db, ctxOf(req), req.params.id, await readCheckedFile(req, ['jpg', 'png'], 8 * 1024 * 1024, '照片'))
    },
  })
  app.get('/:id/photos/:photoId', {
    config: { roles: readers },
    schema: { tags, summary: '日报告照片', params: PhotoParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await service.photo(app.db, ctxOf(req), req.params.id, req.params.photoId)
      return sendFile(reply, f.data, f.name, f.type, { inline: true, cache: 'private, max-age=3600' })
    },
  })
}
