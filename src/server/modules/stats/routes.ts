import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply } from '../../http/schemas.ts'
import { DOCX, sendFile, sendXlsx } from '../../http/download.ts'
import * as service from './service.ts'
import { CampaignQuery, CompositionRulesBody, CompositionRulesReply, MatrixQuery, MatrixReply, ParagraphReply, StatsQuery, StatsReply, UnitParams, UnitReply } from './schemas.ts'

const tags = ['换届统计']
const readers = [...service.readerRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '换届统计：区划（县、乡镇、村）与班子（党组织、村委会、居委会）的进度和结构数字', querystring: StatsQuery, response: { 200: StatsReply, ...errors } },
    handler: (req) => service.statistics(app.db, ctxOf(req), req.query),
  })
  app.get('/paragraph', {
    config: { roles: readers },
    schema: { tags, summary: '生成换届情况综述（按种子报告的写法）和各项指标达标情况', querystring: StatsQuery, response: { 200: ParagraphReply, ...errors } },
    handler: (req) => service.paragraph(app.db, ctxOf(req), req.query),
  })
  app.get('/matrix', {
    config: { roles: readers },
    schema: { tags, summary: '结构指标检查矩阵（村 × 指标）：现任班子、拟任人选或新一届班子', querystring: MatrixQuery, response: { 200: MatrixReply, ...errors } },
    handler: (req) => service.matrix(app.db, ctxOf(req), req.query),
  })
  app.get('/units/:code', {
    config: { roles: readers },
    schema: { tags, summary: '一个村（社区）的三项检查、班子成员和后备干部', params: UnitParams, querystring: CampaignQuery, response: { 200: UnitReply, ...errors } },
    handler: (req) => service.unitDetail(app.db, ctxOf(req), req.params.code, req.query),
  })
  app.get('/export.xlsx', {
    config: { roles: readers },
    schema: { tags, summary: '换届统计表（xlsx，每村一行，含合计行）', querystring: StatsQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await service.statsXlsx(app.db, ctxOf(req), req.query)
      return sendXlsx(reply, f.data, f.name)
    },
  })
  app.get('/summary.docx', {
    config: { roles: readers },
    schema: { tags, summary: '换届工作情况综述（Word）', querystring: StatsQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await service.summaryWord(app.db, ctxOf(req), req.query)
      return sendFile(reply, f.data, f.name, DOCX)
    },
  })
}

export const compositionRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '本县结构指标（默认值、本县调整、依据）', response: { 200: CompositionRulesReply, ...errors } },
    handler: (req) => service.getRules(app.db, ctxOf(req)),
  })
  app.put('/', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '调整本县结构指标（县级管理员）', body: CompositionRulesBody, response: { 200: CompositionRulesReply, ...errors } },
    handler: (req) => service.saveRules(app.db, ctxOf(req), req.body.overrides),
  })
}
