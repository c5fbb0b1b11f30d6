import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { create as contentDisposition } from 'content-disposition'
import { ctxOf } from '../../plugins/auth.ts'
import { DivisionCode, errorReplies, FileReply, Id, Version } from '../../http/schemas.ts'
import { Day } from '../nominee/schemas.ts'
import { NoticeDetail, NoticeReply } from './schemas.ts'
import * as service from './service.ts'

const tags = ['公示']
const readers = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
const writers = ['county_admin', 'township_organiser'] as const

const Params = Type.Object({ id: Id })
const mime = { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', pdf: 'application/pdf' }

export const noticeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '公示列表', response: { 200: Type.Array(NoticeReply), ...errorReplies } },
    handler: (req) => service.listNotices(app.db, ctxOf(req)),
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '公示详情与人选', params: Params, response: { 200: NoticeDetail, ...errorReplies } },
    handler: (req) => service.getNotice(app.db, ctxOf(req), req.params.id),
  })
  app.post('/', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '发布资格审查合格人选的公示',
      body: Type.Object(
        {
          unitCode: DivisionCode,
          nomineeIds: Type.Array(Id, { minItems: 1, maxItems: 50 }),
          issuer: Type.String({ minLength: 2, maxLength: 60, description: '发布单位，如“中共新营子镇委员会”' }),
          startOn: Day,
          endOn: Day,
          contact: Type.String({ minLength: 2, maxLength: 100, description: '受理异议的联系人及电话' }),
        },
        { additionalProperties: false },
      ),
      response: { 201: NoticeReply, ...errorReplies },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createNotice(app.db, ctxOf(req), req.body)),
  })
  app.post('/:id/close', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '公示期满：无异议或异议不成立的确定为正式候选人',
      params: Params,
      body: Type.Object({ version: Version }, { additionalProperties: false }),
      response: { 200: Type.Intersect([NoticeReply, Type.Object({ candidates: Type.Integer(), disqualified: Type.Integer() })]), ...errorReplies },
    },
    handler: (req) => service.closeNotice(app.db, ctxOf(req), req.params.id, req.body.version),
  })
  app.get('/:id/document', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '下载公示文书：docx（可编辑，使用公文字体名）或 pdf（内嵌免费中文字体）',
      params: Params,
      querystring: Type.Object({ format: Type.Enum(['docx', 'pdf']) }, { additionalProperties: false }),
      response: { 200: FileReply, ...errorReplies },
    },
    handler: async (req, reply) => {
      const { buffer, fileName } = await service.noticeDocument(app.db, ctxOf(req), req.params.id, req.query.format)
      return reply
        .header('content-type', mime[req.query.format])
        .header('content-disposition', contentDisposition(fileName))
        .header('x-content-type-options', 'nosniff')
        .send(buffer)
    },
  })
}
