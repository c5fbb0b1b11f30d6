import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, IdempotencyHeaders, OkReply } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import { scopeFirst } from '../../http/scope-first.ts'
import { sendXlsx } from '../../http/download.ts'
import * as assessment from './assessment.ts'
import * as records from './records.ts'
import { coverage, coverageXlsx } from './coverage.ts'
import { assessorRoles, editorRoles, fileableUnits, filerRoles, readerRoles, unitFor } from './service.ts'
import {
  AssessmentBody,
  AssessmentList,
  AssessmentReply,
  CoverageReply,
  IdParams,
  RiskBody,
  RiskList,
  RiskPatchBody,
  RiskQuery,
  RiskReply,
  TalkBody,
  TalkList,
  TalkPatchBody,
  TalkQuery,
  TalkReply,
  TownshipQuery,
  UnitParams,
  UnitsReply,
  VisitBody,
  VisitPage,
  VisitPatchBody,
  VisitQuery,
  VisitReply,
} from './schemas.ts'

const tags = ['三情研判']
const readers = [...readerRoles]
const assessors = [...assessorRoles]
const filers = [...filerRoles]
const editors = [...editorRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

export const situationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Writes to one record check its scope before the body is validated (see scopeFirst).
  const riskTarget = scopeFirst((ctx, id) => assessment.loadRisk(app.db, ctx, id))
  const visitTarget = scopeFirst((ctx, id) => records.loadVisit(app.db, ctx.actor, id))
  const talkTarget = scopeFirst((ctx, id) => records.loadTalk(app.db, ctx.actor, id))
  const unitTarget = scopeFirst((ctx, code) => unitFor(app.db, ctx.actor, code), 'unitCode', /^\d{12}$/)
  app.get('/units', {
    config: { roles: readers },
    schema: { tags, summary: '可登记走访、谈话的村（社区）（包村干部为所包的村）和当前届次', querystring: TownshipQuery, response: { 200: UnitsReply, ...errors } },
    handler: (req) => fileableUnits(app.db, ctxOf(req), req.query),
  })
  app.get('/coverage', {
    config: { roles: readers },
    schema: { tags, summary: '乡镇三情总览：各村四必访走访数（缺访标红）、谈话数、风险等级、未化解和逾期风险', querystring: TownshipQuery, response: { 200: CoverageReply, ...errors } },
    handler: (req) => coverage(app.db, ctxOf(req), req.query),
  })
  app.get('/coverage.xlsx', {
    config: { roles: readers },
    schema: { tags, summary: '三情研判及走访覆盖情况表（xlsx，只有数字，不含个人意见）', querystring: TownshipQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await coverageXlsx(app.db, ctxOf(req), req.query)
      return sendXlsx(reply, f.data, f.name)
    },
  })

  app.get('/assessments', {
    config: { roles: readers },
    schema: { tags, summary: '乡镇各村（社区）本届的村情研判', querystring: TownshipQuery, response: { 200: AssessmentList, ...errors } },
    handler: (req) => assessment.listAssessments(app.db, ctxOf(req), req.query),
  })
  app.put('/assessments/:unitCode', {
    preValidation: unitTarget,
    config: { roles: assessors },
    schema: { tags, summary: '新建（version 0）或修改一个村（社区）的村情研判；风险等级由三项评价算出，乡镇只能调高', params: UnitParams, body: AssessmentBody, response: { 200: AssessmentReply, ...errors } },
    handler: (req) => assessment.saveAssessment(app.db, ctxOf(req), req.params.unitCode, req.body),
  })

  app.get('/risk-items', {
    config: { roles: readers },
    schema: { tags, summary: '风险隐患（责任人、化解时限；逾期未化解的标出）', querystring: RiskQuery, response: { 200: RiskList, ...errors } },
    handler: (req) => assessment.listRisks(app.db, ctxOf(req), req.query),
  })
  app.post('/risk-items', {
    config: { roles: assessors },
    schema: { tags, summary: '登记风险隐患', body: RiskBody, response: { 200: RiskReply, ...errors } },
    handler: (req) => assessment.createRisk(app.db, ctxOf(req), req.body),
  })
  app.put('/risk-items/:id', {
    preValidation: riskTarget,
    config: { roles: assessors },
    schema: { tags, summary: '修改风险隐患，或登记化解情况', params: IdParams, body: RiskPatchBody, response: { 200: RiskReply, ...errors } },
    handler: (req) => assessment.updateRisk(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/risk-items/:id', {
    preValidation: riskTarget,
    config: { roles: assessors },
    schema: { tags, summary: '删除登记有误的风险隐患', params: IdParams, response: { 200: OkReply, ...errors } },
    handler: (req) => assessment.deleteRisk(app.db, ctxOf(req), req.params.id),
  })

  app.get('/visits', {
    config: { roles: readers },
    schema: { tags, summary: '走访记录（从不含电话；个人意见只有本乡镇和纪检审计员可见）', querystring: VisitQuery, response: { 200: VisitPage, ...errors } },
    handler: (req) => records.listVisits(app.db, ctxOf(req), req.query),
  })
  app.get('/visits/:id', {
    config: { roles: readers },
    schema: { tags, summary: '一条走访记录（电话和个人意见只有本乡镇和纪检审计员可见）', params: IdParams, response: { 200: VisitReply, ...errors } },
    handler: (req) => records.getVisit(app.db, ctxOf(req), req.params.id),
  })
  app.post('/visits', {
    config: { roles: filers },
    schema: { tags, summary: '登记走访；带 Idempotency-Key 重试不会重复', headers: IdempotencyHeaders, body: VisitBody, response: { 200: VisitReply, ...errors } },
    handler: (req) => idempotent(app.db, ctxOf(req), req.headers['idempotency-key'], 'POST /api/situation/visits', (db) => records.createVisit(db, ctxOf(req), req.body)),
  })
  app.put('/visits/:id', {
    preValidation: visitTarget,
    config: { roles: editors },
    schema: { tags, summary: '修改走访记录，或登记跟进办结（乡镇组织员）', params: IdParams, body: VisitPatchBody, response: { 200: VisitReply, ...errors } },
    handler: (req) => records.updateVisit(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/visits/:id', {
    preValidation: visitTarget,
    config: { roles: editors },
    schema: { tags, summary: '删除登记有误的走访记录（乡镇组织员）', params: IdParams, response: { 200: OkReply, ...errors } },
    handler: (req) => records.deleteVisit(app.db, ctxOf(req), req.params.id),
  })

  app.get('/talks', {
    config: { roles: readers },
    schema: { tags, summary: '谈心谈话记录（个人意见只有本乡镇和纪检审计员可见）', querystring: TalkQuery, response: { 200: TalkList, ...errors } },
    handler: (req) => records.listTalks(app.db, ctxOf(req), req.query),
  })
  app.post('/talks', {
    config: { roles: filers },
    schema: { tags, summary: '登记谈心谈话；带 Idempotency-Key 重试不会重复', headers: IdempotencyHeaders, body: TalkBody, response: { 200: TalkReply, ...errors } },
    handler: (req) => idempotent(app.db, ctxOf(req), req.headers['idempotency-key'], 'POST /api/situation/talks', (db) => records.createTalk(db, ctxOf(req), req.body)),
  })
  app.put('/talks/:id', {
    preValidation: talkTarget,
    config: { roles: editors },
    schema: { tags, summary: '修改谈心谈话记录（乡镇组织员）', params: IdParams, body: TalkPatchBody, response: { 200: TalkReply, ...errors } },
    handler: (req) => records.updateTalk(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/talks/:id', {
    preValidation: talkTarget,
    config: { roles: editors },
    schema: { tags, summary: '删除登记有误的谈话记录（乡镇组织员）', params: IdParams, response: { 200: OkReply, ...errors } },
    handler: (req) => records.deleteTalk(app.db, ctxOf(req), req.params.id),
  })
}
