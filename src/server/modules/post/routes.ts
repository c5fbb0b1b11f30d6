import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { DivisionCode, errorReplies, Id, OkReply } from '../../http/schemas.ts'
import { readUpload, sendXlsx } from '../../http/download.ts'
import { BodyCode, Day, PostCode } from '../nominee/schemas.ts'
import { HoldingReply } from './schemas.ts'
import * as service from './service.ts'
import { exportPosts, importPosts, postTemplate } from './import.ts'

const tags = ['现任班子']
const UnitQuery = Type.Object({ unitCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: '村（社区）或乡镇代码' })) }, { additionalProperties: false })
const ListQuery = Type.Object(
  {
    unitCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: '村（社区）或乡镇代码' })),
    history: Type.Optional(Type.Boolean({ description: '同时列出已由新班子接替的历届任职' })),
  },
  { additionalProperties: false },
)
const readers = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
const writers = ['county_admin', 'township_organiser'] as const


export const postRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '现任“两委”班子成员（按村、社区）',
      querystring: ListQuery,
      response: { 200: Type.Array(HoldingReply), ...errorReplies },
    },
    handler: (req) => service.listHoldings(app.db, ctxOf(req), req.query),
  })
  app.get('/template', {
    config: { roles: writers },
    schema: { tags, summary: '下载现任班子导入模板' },
    handler: async (_req, reply) => sendXlsx(reply, await postTemplate(), '现任班子导入模板'),
  })
  app.get('/export', {
    config: { roles: readers },
    schema: { tags, summary: '导出现任班子（身份证号脱敏）', querystring: UnitQuery },
    handler: async (req, reply) => sendXlsx(reply, await exportPosts(app.db, ctxOf(req), req.query), '现任班子'),
  })
  app.post('/import', {
    config: { roles: writers },
    schema: { tags, summary: '导入现任班子（Excel，按身份证号匹配人员库，全部通过才保存）', consumes: ['multipart/form-data'], response: { 200: Type.Object({ created: Type.Integer() }), ...errorReplies } },
    handler: async (req) => importPosts(app.db, app.idCipher, ctxOf(req), (await readUpload(req)).buffer),
  })
  app.post('/', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '登记一个现任职务',
      body: Type.Object({ unitCode: DivisionCode, personId: Id, body: BodyCode, post: PostCode, since: Type.Optional(Type.Union([Day, Type.Null()])) }, { additionalProperties: false }),
      response: { 201: HoldingReply, ...errorReplies },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createHolding(app.db, ctxOf(req), req.body)),
  })
  app.delete('/:id', {
    config: { roles: writers },
    schema: { tags, summary: '删除任职记录（离任或登记有误）', params: Type.Object({ id: Id }), response: { 200: OkReply, ...errorReplies } },
    handler: async (req) => {
      await service.deleteHolding(app.db, ctxOf(req), req.params.id)
      return { ok: true }
    },
  })
}
