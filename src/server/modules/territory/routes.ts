import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, OkReply } from '../../http/schemas.ts'
import { readUpload, sendXlsx } from '../../http/download.ts'
import * as service from './service.ts'
import { exportTerritories, importTerritories, territoryTemplate } from './import.ts'
import { ImportReply, StatusBody, TerritoryBody, TerritoryPage, TerritoryParams, TerritoryPatch, TerritoryQuery, TerritoryReply } from './schemas.ts'

const tags = ['区划']
const writers = ['county_admin', 'township_organiser'] as const

export const territoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: 'any' },
    schema: { tags, summary: '分页查询区划（仅本辖区）', querystring: TerritoryQuery, response: { 200: TerritoryPage, ...errorReplies } },
    handler: (req) => service.listTerritories(app.db, ctxOf(req), req.query),
  })

  app.get('/tree', {
    config: { roles: 'any' },
    schema: {
      tags,
      summary: '本辖区全部区划（按树序，客户端按 parentCode 组树）',
      querystring: Type.Object({ includeRetired: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Type.Array(TerritoryReply), ...errorReplies },
    },
    handler: (req) => service.visibleTerritories(app.db, ctxOf(req), req.query.includeRetired ?? false),
  })

  app.get('/template', {
    config: { roles: writers },
    schema: { tags, summary: '下载区划导入模板' },
    handler: async (_req, reply) => sendXlsx(reply, await territoryTemplate(), '区划导入模板'),
  })

  app.get('/export', {
    config: { roles: 'any' },
    schema: { tags, summary: '导出本辖区区划（Excel）' },
    handler: async (req, reply) => sendXlsx(reply, await exportTerritories(app.db, ctxOf(req)), '区划'),
  })

  app.post('/import', {
    config: { roles: writers },
    schema: {
      tags,
      summary: '导入区划（Excel，全部通过才保存）',
      consumes: ['multipart/form-data'],
      response: { 200: ImportReply, ...errorReplies },
    },
    handler: async (req) => {
      const ctx = ctxOf(req)
      const { buffer, fields } = await readUpload(req)
      return importTerritories(app.db, ctx, buffer, fields.updateExisting === 'true')
    },
  })

  app.get('/:code', {
    config: { roles: 'any' },
    schema: { tags, summary: '查看区划', params: TerritoryParams, response: { 200: TerritoryReply, ...errorReplies } },
    handler: (req) => service.getTerritory(app.db, ctxOf(req), req.params.code),
  })

  app.post('/', {
    config: { roles: writers },
    schema: { tags, summary: '新建乡镇或村（社区）', body: TerritoryBody, response: { 201: TerritoryReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.createTerritory(app.db, ctxOf(req), req.body)),
  })

  app.patch('/:code', {
    config: { roles: writers },
    schema: { tags, summary: '修改区划名称、类别、排序', params: TerritoryParams, body: TerritoryPatch, response: { 200: TerritoryReply, ...errorReplies } },
    handler: (req) => service.updateTerritory(app.db, ctxOf(req), req.params.code, req.body),
  })

  app.post('/:code/status', {
    config: { roles: writers },
    schema: { tags, summary: '停用或重新启用区划', params: TerritoryParams, body: StatusBody, response: { 200: TerritoryReply, ...errorReplies } },
    handler: (req) => service.setTerritoryStatus(app.db, ctxOf(req), req.params.code, req.body.status, req.body.version),
  })

  app.delete('/:code', {
    config: { roles: writers },
    schema: { tags, summary: '删除误建且没有任何数据的区划', params: TerritoryParams, response: { 200: OkReply, ...errorReplies } },
    handler: async (req) => {
      await service.deleteTerritory(app.db, ctxOf(req), req.params.code)
      return { ok: true }
    },
  })
}
