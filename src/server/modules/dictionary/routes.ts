import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorReplies } from '../../http/schemas.ts'
import * as service from './service.ts'

const DictEntryReply = Type.Object({
  type: Type.String(),
  typeLabel: Type.String(),
  code: Type.String(),
  label: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
})

export const dictionaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: 'any' },
    schema: {
      tags: ['字典'],
      summary: '国家标准代码表（民族、学历、政治面貌、性别）',
      querystring: Type.Object(
        { type: Type.Optional(Type.Union([Type.Literal('ethnicity'), Type.Literal('education'), Type.Literal('political_status'), Type.Literal('gender')])) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Array(DictEntryReply), ...errorReplies },
    },
    handler: (req) => service.listDictionaries(app.db, req.query.type),
  })
}
