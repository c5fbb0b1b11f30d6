import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorReplies } from '../../http/schemas.ts'
import * as service from './service.ts'
import { DictEntryReply, DictQuery } from './schemas.ts'

export const dictionaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: 'any' },
    schema: {
      tags: ['字典'],
      summary: '国家标准代码表（民族、学历、政治面貌、性别）',
      querystring: DictQuery,
      response: { 200: Type.Array(DictEntryReply), ...errorReplies },
    },
    handler: (req) => service.listDictionaries(app.db, req.query.type),
  })
}
