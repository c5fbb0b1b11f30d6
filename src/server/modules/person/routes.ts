import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, OkReply } from '../../http/schemas.ts'
import * as service from './service.ts'
import { Type } from 'typebox'
import { readUpload, sendXlsx } from '../../http/download.ts'
import { exportPeople, importPeople, personTemplate } from './import.ts'
import { PersonBody, PersonPage, PersonParams, PersonPatch, PersonQuery, PersonReply, RevealReply, SearchBody, SearchReply } from './schemas.ts'

const tags = ['人员']
const readers = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
const writers = ['county_admin', 'township_organiser'] as const

export const personRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '分页查询人员（身份证号脱敏）', querystring: PersonQuery, response: { 200: PersonPage, ...errorReplies } },
    handler: (req) => service.listPeople(app.db, ctxOf(req), req.query),
  })
  app.get('/template', {
    config: { roles: writers },
    schema: { tags, summary: '下载人员导入模板（身份证号列为文本，代码表为下拉框）' },
    handler: async (_req, reply) => sendXlsx(reply, await personTemplate(), '人员导入模板'),
  })
  app.get('/export', {
    config: { roles: readers },
    schema: { tags, summary: '导出本辖区人员（身份证号、手机号脱敏，带导出人和时间）' },
    handler: async (req, reply) => sendXlsx(reply, await exportPeople(app.db, ctxOf(req)), '人员'),
  })
  app.post('/import', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '导入人员（Excel，全部通过才保存）',
      consumes: ['multipart/form-data'],
      response: { 200: Type.Object({ created: Type.Integer() }), ...errorReplies },
    },
    handler: async (req) => {
      const ctx = ctxOf(req)
      const { buffer } = await readUpload(req)
      return importPeople(app.db, app.idCipher, ctx, buffer)
    },
  })
  app.post('/search', {
    config: { roles: readers },
    schema: { tags, summary: '按身份证号查找（号码放在请求体中，不进网址和日志）', body: SearchBody, response: { 200: SearchReply, ...errorReplies } },
    handler: async (req) => ({ person: await service.findByIdNumber(app.db, app.idCipher, ctxOf(req), req.body.idNumber) }),
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '查看人员', params: PersonParams, response: { 200: PersonReply, ...errorReplies } },
    handler: (req) => service.getPerson(app.db, ctxOf(req), req.params.id),
  })
  app.post('/', {
    config: { roles: writers },
    schema: { tags, summary: '登记人员（出生日期、性别由身份证号得出）', body: PersonBody, response: { 201: PersonReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.createPerson(app.db, app.idCipher, ctxOf(req), req.body)),
  })
  app.patch('/:id', {
    config: { roles: writers },
    schema: { tags, summary: '修改人员信息（身份证号不可修改）', params: PersonParams, body: PersonPatch, response: { 200: PersonReply, ...errorReplies } },
    handler: (req) => service.updatePerson(app.db, app.idCipher, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/:id', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '删除误登记的人员',
      params: PersonParams,
      querystring: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: OkReply, ...errorReplies },
    },
    handler: async (req) => {
      await service.deletePerson(app.db, ctxOf(req), req.params.id, req.query.version)
      return { ok: true }
    },
  })
  app.post('/:id/reveal-id-number', {
    config: { roles: writers },
    schema: { tags, summary: '查看完整身份证号（每次查看都记入审计日志）', params: PersonParams, response: { 200: RevealReply, ...errorReplies } },
    handler: (req) => service.revealIdNumber(app.db, app.idCipher, ctxOf(req), req.params.id),
  })
}
