import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, IdempotencyHeaders } from '../../http/schemas.ts'
import { invalid } from '../../http/errors.ts'
import { idempotent } from '../../http/idempotency.ts'
import { scopeFirst } from '../../http/scope-first.ts'
import { sendXlsx } from '../../http/download.ts'
import * as service from './service.ts'
import { importVoters, voterTemplate } from './import.ts'
import { IdParams, ImportReply, LookupBody, LookupReply, RemoveBody, RollBody, RollReply, SummaryQuery, SummaryReply, UnitParams, VoterBody, VoterPage, VoterPatch, VoterQuery, VoterReply } from './schemas.ts'

const tags = ['选民登记']
const readers = [...service.readerRoles]
const writers = [...service.writerRoles]
const rollKeepers = [...service.rollRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

/**
 * The one uploaded file with its name (the reader tells CSV from .xlsx by it) and the form fields
 * sent before it: the unit and the campaign.
 */
export async function readImport(req: FastifyRequest): Promise<{ buffer: Buffer; fileName: string; unitCode: string; campaign?: string }> {
  if (!req.isMultipart()) throw invalid('请以文件上传方式提交（multipart/form-data）')
  const part = await req.file()
  if (!part) throw invalid('没有收到文件，请选择要导入的 .xlsx 或 .csv 文件')
  const field = (k: string) => {
    const f = part.fields[k]
    const one = Array.isArray(f) ? f[0] : f
    return one && one.type === 'field' ? String(one.value) : undefined
  }
  const unitCode = field('unitCode')
  if (!unitCode || !/^\d{12}$/.test(unitCode)) throw invalid('请选择要导入的村（社区）', [{ field: 'unitCode', message: '请选择村（社区）' }])
  const campaign = field('campaign') || undefined
  if (campaign !== undefined && !/^\d{1,18}$/.test(campaign)) throw invalid('换届届次不正确', [{ field: 'campaign', message: '格式不正确' }])
  return { buffer: await part.toBuffer(), fileName: part.filename, unitCode, campaign }
}

export const voterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Writes to one record check its scope before the body is validated (see scopeFirst).
  const voterTarget = scopeFirst((ctx, id) => service.loadVoter(app.db, ctx.actor, id))
  const unitTarget = scopeFirst((ctx, code) => service.visibleUnit(app.db, ctx.actor, code), 'unitCode', /^\d{12}$/)

  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '选民名单：按村（社区）、村民小组、类别筛选，按姓名或拼音首字母（如 zs）查找；身份证号脱敏', querystring: VoterQuery, response: { 200: VoterPage, ...errors } },
    handler: (req) => service.listVoters(app.db, ctxOf(req), req.query),
  })
  app.get('/summary', {
    config: { roles: readers },
    schema: { tags, summary: '选民统计：各村（社区）按登记类别和村民小组的人数', querystring: SummaryQuery, response: { 200: SummaryReply, ...errors } },
    handler: (req) => service.summary(app.db, ctxOf(req), req.query),
  })
  app.post('/lookup', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '查询是否已登记为选民（按身份证号查全县，号码放在请求体中；辖区外只显示所在乡镇；按姓名只查本辖区）',
      body: LookupBody,
      response: { 200: LookupReply, ...errors },
    },
    handler: (req) => service.lookup(app.db, app.idCipher, ctxOf(req), req.body),
  })
  app.get('/import/template', {
    config: { roles: writers },
    schema: { tags, summary: '下载选民名单导入模板（身份证号列为文本，登记类别为下拉框，附填写说明）', response: { 200: FileReply, ...errors } },
    handler: async (_req, reply) => sendXlsx(reply, await voterTemplate(), '选民名单导入模板'),
  })
  app.post('/import', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '导入一个村（社区）的选民名单（Excel 或 CSV，UTF-8/GBK；表单字段 unitCode、campaign 在文件之前；全部通过才保存）',
      consumes: ['multipart/form-data'],
      response: { 200: ImportReply, ...errors },
    },
    handler: async (req) => {
      const ctx = ctxOf(req)
      const { buffer, fileName, unitCode, campaign } = await readImport(req)
      return importVoters(app.db, app.idCipher, ctx, { buffer, fileName }, { unitCode, campaign })
    },
  })
  app.put('/rolls/:unitCode', {
    preValidation: unitTarget,
    config: { roles: rollKeepers },
    schema: { tags, summary: '设置村（社区）选民名单的选举日（新建名单 version 为 0）；年龄按选举日计算', params: UnitParams, body: RollBody, response: { 200: RollReply, ...errors } },
    handler: (req) => service.setElectionDay(app.db, ctxOf(req), req.params.unitCode, req.body),
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '查看一名选民的登记信息（身份证号脱敏）', params: IdParams, response: { 200: VoterReply, ...errors } },
    handler: (req) => service.getVoter(app.db, ctxOf(req), req.params.id),
  })
  app.post('/', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '登记选民（出生日期、性别由身份证号得出；按选举日核对年龄；同一届次全县只能登记一次）；带 Idempotency-Key 重试不会重复',
      headers: IdempotencyHeaders,
      body: VoterBody,
      response: { 201: VoterReply, ...errors },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(req)
      const voter = await idempotent(app.db, ctx, req.headers['idempotency-key'], 'POST /api/voters', (db) => service.createVoter(db, app.idCipher, ctx, req.body))
      return reply.code(201).send(voter)
    },
  })
  app.put('/:id', {
    preValidation: voterTarget,
    config: { roles: writers },
    schema: { tags, summary: '修改选民登记信息（整体替换，未提交的可选项清空；身份证号和所在村不可修改；名单冻结后不能修改）', params: IdParams, body: VoterPatch, response: { 200: VoterReply, ...errors } },
    handler: (req) => service.updateVoter(app.db, app.idCipher, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/:id', {
    preValidation: voterTarget,
    config: { roles: writers },
    schema: {
      tags,
      summary: '将选民移出名单（填写原因，如死亡、户籍迁出；记录保留）',
      params: IdParams,
      body: RemoveBody,
      response: { 200: VoterReply, ...errors },
    },
    handler: (req) => service.removeVoter(app.db, ctxOf(req), req.params.id, req.body),
  })
}

