import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies } from '../../http/schemas.ts'
import * as service from './service.ts'
import {
  DecisionBody,
  HandleObjectionBody,
  NomineeBody,
  NomineeDetail,
  NomineePage,
  NomineeParams,
  NomineePatchBody,
  NomineeQuery,
  NomineeReply,
  NomineeSummary,
  ObjectionBody,
  ObjectionParams,
  ObjectionReply,
  ReasonBody,
  TalkBody,
  TalkReply,
} from './schemas.ts'

const tags = ['人选']
const readers = service.readerRoles
const writers = service.writerRoles

export const nomineeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '分页查询人选', querystring: NomineeQuery, response: { 200: NomineePage, ...errorReplies } },
    handler: (req) => service.listNominees(app.db, ctxOf(req), req.query),
  })
  app.get('/summary', {
    config: { roles: readers },
    schema: { tags, summary: '人选统计：各状态人数、待县级决定、待谈话', response: { 200: NomineeSummary, ...errorReplies } },
    handler: (req) => service.nomineeSummary(app.db, ctxOf(req)),
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '人选详情：各部门审查结果、公示异议、谈话记录', params: NomineeParams, response: { 200: NomineeDetail, ...errorReplies } },
    handler: (req) => service.getNominee(app.db, ctxOf(req), req.params.id),
  })
  app.post('/', {
    config: { roles: writers },
    schema: { tags, summary: '新增人选（草稿）', body: NomineeBody, response: { 201: NomineeReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.createNominee(app.db, ctxOf(req), req.body)),
  })
  app.patch('/:id', {
    config: { roles: writers },
    schema: { tags, summary: '修改人选（仅草稿）', params: NomineeParams, body: NomineePatchBody, response: { 200: NomineeReply, ...errorReplies } },
    handler: (req) => service.updateNominee(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.post('/:id/withdraw', {
    config: { roles: writers },
    schema: { tags, summary: '人选退出（须写明原因）', params: NomineeParams, body: ReasonBody, response: { 200: NomineeReply, ...errorReplies } },
    handler: (req) => service.withdrawNominee(app.db, ctxOf(req), req.params.id, req.body.version, req.body.reason),
  })
  app.post('/:id/return', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '退回已报送的人选（须写明原因）', params: NomineeParams, body: ReasonBody, response: { 200: NomineeReply, ...errorReplies } },
    handler: (req) => service.returnNominee(app.db, ctxOf(req), req.params.id, req.body.version, req.body.reason),
  })
  app.post('/:id/decision', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '县级决定：审查发现“不宜”情形时确定是否通过（须写明理由）', params: NomineeParams, body: DecisionBody, response: { 200: NomineeReply, ...errorReplies } },
    handler: (req) => service.decideNominee(app.db, ctxOf(req), req.params.id, req.body.version, req.body.verdict, req.body.reason),
  })
  app.post('/:id/objections', {
    config: { roles: writers },
    schema: { tags, summary: '登记公示期间收到的异议', params: NomineeParams, body: ObjectionBody, response: { 201: ObjectionReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.addObjection(app.db, ctxOf(req), req.params.id, req.body)),
  })
  app.patch('/:id/objections/:objectionId', {
    config: { roles: writers },
    schema: { tags, summary: '记录异议的核查处理结果', params: ObjectionParams, body: HandleObjectionBody, response: { 200: ObjectionReply, ...errorReplies } },
    handler: (req) => service.handleObjection(app.db, ctxOf(req), req.params.id, req.params.objectionId, req.body),
  })
  app.post('/:id/talks', {
    config: { roles: writers },
    schema: { tags, summary: '记录与审查未通过人选的谈话', params: NomineeParams, body: TalkBody, response: { 201: TalkReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.addTalk(app.db, ctxOf(req), req.params.id, req.body)),
  })
}
