import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, IdempotencyHeaders } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import { scopeFirst } from '../../http/scope-first.ts'
import { sendFile, sendXlsx } from '../../http/download.ts'
import { readerRoles, rollRoles, visibleUnit, writerRoles } from './service.ts'
import { freezeRoll, publishRoll, rollListPdf, rollListXlsx, rollState } from './publication.ts'
import { createObjection, decideObjection, listObjections, loadObjection, publishDecision } from './objections.ts'
import {
  CampaignQuery,
  DecisionBody,
  DecisionPublishedBody,
  FreezeBody,
  IdParams,
  ListQuery,
  ObjectionBody,
  ObjectionList,
  ObjectionQuery,
  ObjectionReply,
  PublishBody,
  RollStateReply,
  UnitParams,
} from './publication-schemas.ts'

const tags = ['选民登记']
const readers = [...readerRoles]
const writers = [...writerRoles]
const rollKeepers = [...rollRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

/** 选民名单公布、申诉、冻结 (issue 7 §3, §5), under the same /api/voters prefix as routes.ts. */
export const voterPublicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Writes to one record check its scope before the body is validated (see scopeFirst).
  const unitTarget = scopeFirst((ctx, code) => visibleUnit(app.db, ctx.actor, code), 'unitCode', /^\d{12}$/)
  const objectionTarget = scopeFirst((ctx, id) => loadObjection(app.db, ctx.actor, id))

  app.get('/rolls/:unitCode', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '选民名单的状态：选举日、最迟公布日期、公布日期、申诉截止日期、未决申诉、能否冻结',
      params: UnitParams,
      querystring: CampaignQuery,
      response: { 200: RollStateReply, ...errors },
    },
    handler: (req) => rollState(app.db, ctxOf(req), req.params.unitCode, req.query.campaign),
  })
  app.post('/rolls/:unitCode/publish', {
    preValidation: unitTarget,
    config: { roles: rollKeepers },
    schema: {
      tags,
      summary: '登记选民名单已公布（公布日期不晚于选举日前 20 日、不晚于今天；名单不能为空）；可同时填写第几届',
      params: UnitParams,
      body: PublishBody,
      response: { 200: RollStateReply, ...errors },
    },
    handler: (req) => publishRoll(app.db, ctxOf(req), req.params.unitCode, req.body),
  })
  app.post('/rolls/:unitCode/freeze', {
    preValidation: unitTarget,
    config: { roles: rollKeepers },
    schema: {
      tags,
      summary: '冻结选民名单（选举开始；新建村（居）委会选举时自动冻结）：须已公布、申诉期已过、申诉已处理；冻结后不能再登记、修改、移出选民',
      params: UnitParams,
      body: FreezeBody,
      response: { 200: RollStateReply, ...errors },
    },
    handler: (req) => freezeRoll(app.db, ctxOf(req), req.params.unitCode, req.body),
  })
  app.get('/rolls/:unitCode/list.pdf', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '打印选民名单（选民榜，PDF）：按村民小组每组一页起，序号、姓名、性别、年龄、登记类别，各类别人数、申诉期限、选举委员会盖章处；不含身份证号',
      params: UnitParams,
      querystring: ListQuery,
      response: { 200: FileReply, ...errors },
    },
    handler: async (req, reply) => {
      const { data, name } = await rollListPdf(app.db, ctxOf(req), req.params.unitCode, req.query)
      return sendFile(reply, data, name, 'application/pdf')
    },
  })
  app.get('/rolls/:unitCode/list.xlsx', {
    config: { roles: readers },
    schema: { tags, summary: '选民名单（Excel，每个村民小组一个工作表，另有汇总表；已设置 A4 打印）', params: UnitParams, querystring: ListQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const { data, name } = await rollListXlsx(app.db, ctxOf(req), req.params.unitCode, req.query)
      return sendXlsx(reply, data, name)
    },
  })

  app.get('/objections', {
    config: { roles: readers },
    schema: { tags, summary: '选民名单申诉：按村（社区）或乡镇列出，超过 3 日处理期限未决定的标为 overdue', querystring: ObjectionQuery, response: { 200: ObjectionList, ...errors } },
    handler: (req) => listObjections(app.db, ctxOf(req), req.query),
  })
  app.post('/objections', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '受理对选民名单的申诉（名单公布之日起 5 日内；涉及名单中的选民填 voterId，名单遗漏的人填 subjectName）；带 Idempotency-Key 重试不会重复',
      headers: IdempotencyHeaders,
      body: ObjectionBody,
      response: { 201: ObjectionReply, ...errors },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(req)
      const o = await idempotent(app.db, ctx, req.headers['idempotency-key'], 'POST /api/voters/objections', (db) => createObjection(db, ctx, req.body))
      return reply.code(201).send(o)
    },
  })
  app.put('/objections/:id/decision', {
    preValidation: objectionTarget,
    config: { roles: writers },
    schema: {
      tags,
      summary: '作出申诉处理决定（收到之日起 3 日内；决定后不能更改）；申诉成立且涉及名单中的选民时可同时移出（removeVoter）',
      params: IdParams,
      body: DecisionBody,
      response: { 200: ObjectionReply, ...errors },
    },
    handler: (req) => decideObjection(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.put('/objections/:id/published', {
    preValidation: objectionTarget,
    config: { roles: writers },
    schema: { tags, summary: '登记申诉处理结果的公布日期（不早于决定日期，不晚于收到之日起 3 日）', params: IdParams, body: DecisionPublishedBody, response: { 200: ObjectionReply, ...errors } },
    handler: (req) => publishDecision(app.db, ctxOf(req), req.params.id, req.body),
  })
}
