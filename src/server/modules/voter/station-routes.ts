import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, IdempotencyHeaders, OkReply } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import { scopeFirst } from '../../http/scope-first.ts'
import { sendFile, sendXlsx } from '../../http/download.ts'
import * as service from './service.ts'
import { readImport } from './routes.ts'
import { createProxy, listProxies, loadProxy, proxyListPdf, proxyListXlsx, withdrawProxy } from './proxies.ts'
import { assignVoters, createStation, deleteStation, listStations, loadStation, stationVotersPdf, updateStation } from './stations.ts'
import { applyRoundUpdates, carryOver, previewRoundUpdates, registerTemplate } from './round-updates.ts'
import {
  ApplyBody,
  ApplyReply,
  AssignBody,
  AssignReply,
  CarryOverBody,
  CarryOverReply,
  IdParams,
  PreviewReply,
  ProxyBody,
  ProxyListQuery,
  ProxyPage,
  ProxyQuery,
  ProxyReply,
  StationBody,
  StationDeleteBody,
  StationList,
  StationPatch,
  StationQuery,
  StationReply,
  UnitParams,
  WithdrawBody,
} from './station-schemas.ts'

const tags = ['选民登记']
const readers = [...service.readerRoles]
const writers = [...service.writerRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }
const PDF = 'application/pdf'

/** Issue 7 §2 (between rounds) and §4 (proxies, polling stations), under /api/voters beside routes.ts. */
export const stationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Writes to one record check its scope before the body is validated (see scopeFirst).
  const proxyTarget = scopeFirst((ctx, id) => loadProxy(app.db, ctx.actor, id))
  const stationTarget = scopeFirst((ctx, id) => loadStation(app.db, ctx.actor, id))
  const unitTarget = scopeFirst((ctx, code) => service.visibleUnit(app.db, ctx.actor, code), 'unitCode', /^\d{12}$/)

  // ── proxies ──

  app.get('/proxies', {
    config: { roles: readers },
    schema: { tags, summary: '委托投票登记簿：按村（社区）或乡镇，默认只列有效委托；每条附登记后情况变化的提示', querystring: ProxyQuery, response: { 200: ProxyPage, ...errors } },
    handler: (req) => listProxies(app.db, ctxOf(req), req.query),
  })
  app.get('/proxies/list.pdf', {
    config: { roles: readers },
    schema: { tags, summary: '委托投票公告（PDF）：委托人、受委托人及关系，供张榜公布', querystring: ProxyListQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await proxyListPdf(app.db, ctxOf(req), req.query)
      return sendFile(reply, f.data, f.name, PDF)
    },
  })
  app.get('/proxies/list.xlsx', {
    config: { roles: readers },
    schema: { tags, summary: '委托投票名单（Excel，身份证号脱敏，含委托原因和申请日期）', querystring: ProxyListQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await proxyListXlsx(app.db, ctxOf(req), req.query)
      return sendXlsx(reply, f.data, f.name)
    },
  })
  app.post('/proxies', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '登记委托投票（选举期间外出、委托本村有选举权的近亲属；每人受托不超过3人；候选人不能受托；选举日3日前申请）；带 Idempotency-Key 重试不会重复',
      headers: IdempotencyHeaders,
      body: ProxyBody,
      response: { 201: ProxyReply, ...errors },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(req)
      const proxy = await idempotent(app.db, ctx, req.headers['idempotency-key'], 'POST /api/voters/proxies', (db) => createProxy(db, ctx, req.body))
      return reply.code(201).send(proxy)
    },
  })
  app.delete('/proxies/:id', {
    preValidation: proxyTarget,
    config: { roles: writers },
    schema: { tags, summary: '撤销委托投票（填写原因；记录保留，委托人可另行委托）', params: IdParams, body: WithdrawBody, response: { 200: ProxyReply, ...errors } },
    handler: (req) => withdrawProxy(app.db, ctxOf(req), req.params.id, req.body),
  })

  // ── polling stations and mobile boxes ──

  app.get('/stations', {
    config: { roles: readers },
    schema: { tags, summary: '中心会场、投票站和流动票箱，附各点在册选民数和各村未分配的人数', querystring: StationQuery, response: { 200: StationList, ...errors } },
    handler: (req) => listStations(app.db, ctxOf(req), req.query),
  })
  app.post('/stations', {
    config: { roles: writers },
    schema: { tags, summary: '新增投票点（每个票箱监票人不少于3人；每村只设一个中心会场）', body: StationBody, response: { 201: StationReply, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await createStation(app.db, ctxOf(req), req.body)),
  })
  app.put('/stations/:id', {
    preValidation: stationTarget,
    config: { roles: writers },
    schema: { tags, summary: '修改投票点（整体替换）', params: IdParams, body: StationPatch, response: { 200: StationReply, ...errors } },
    handler: (req) => updateStation(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/stations/:id', {
    preValidation: stationTarget,
    config: { roles: writers },
    schema: { tags, summary: '删除投票点（在此投票的选民变为未分配）', params: IdParams, body: StationDeleteBody, response: { 200: OkReply, ...errors } },
    handler: (req) => deleteStation(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.put('/stations/:id/voters', {
    preValidation: stationTarget,
    config: { roles: writers },
    schema: {
      tags,
      summary: '设定在此投票的选民：按村民小组（该组尚未分配到其他点的选民）和/或逐个指定（已在其他点的改到此处）；每名选民只在一处投票',
      params: IdParams,
      body: AssignBody,
      response: { 200: AssignReply, ...errors },
    },
    handler: (req) => assignVoters(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.get('/stations/:id/voters.pdf', {
    config: { roles: readers },
    schema: { tags, summary: '投票点（流动票箱）选民名单（PDF，供公布）', params: IdParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await stationVotersPdf(app.db, ctxOf(req), req.params.id)
      return sendFile(reply, f.data, f.name, PDF)
    },
  })

  // ── between rounds ──

  app.get('/updates/template', {
    config: { roles: writers },
    schema: { tags, summary: '下载换届间更新用的户籍资料模板（姓名、身份证号、村民小组、死亡、迁出）', response: { 200: FileReply, ...errors } },
    handler: async (_req, reply) => sendXlsx(reply, await registerTemplate(), '户籍资料模板'),
  })
  app.post('/updates/preview', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '按户籍资料提出换届间更新建议（年满18周岁新增、死亡或迁出移出；Excel 或 CSV，UTF-8/GBK；表单字段 unitCode、campaign 在文件之前；不修改名单）',
      consumes: ['multipart/form-data'],
      response: { 200: PreviewReply, ...errors },
    },
    handler: async (req) => {
      const { buffer, fileName, unitCode, campaign } = await readImport(req)
      return previewRoundUpdates(app.db, app.idCipher, ctxOf(req), { buffer, fileName }, { unitCode, campaign })
    },
  })
  app.post('/updates/apply', {
    config: { roles: writers },
    schema: { tags, summary: '确认换届间更新（新增按登记规则核对；全部通过才保存）', body: ApplyBody, response: { 200: ApplyReply, ...errors } },
    handler: (req) => applyRoundUpdates(app.db, app.idCipher, ctxOf(req), req.body),
  })
  app.post('/rolls/:unitCode/carry-over', {
    preValidation: unitTarget,
    config: { roles: writers },
    schema: {
      tags,
      summary: '结转上届选民名单：按本届选举日复核后复制在册选民（不合格的和已登记的列出、不复制；户籍不在本村的须重新申请）',
      params: UnitParams,
      body: CarryOverBody,
      response: { 200: CarryOverReply, ...errors },
    },
    handler: (req) => carryOver(app.db, app.idCipher, ctxOf(req), req.params.unitCode, req.body),
  })
}
