import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, PageQuery, pageOf } from '../../http/schemas.ts'
import * as service from './service.ts'
import { forbidden } from '../../http/errors.ts'

const tags = ['审计日志']

const AuditRow = Type.Object({
  seq: Type.String(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  role: Type.String(),
  territoryCode: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  result: Type.String(),
  digest: Type.Unknown(),
  requestId: Type.String(),
  ip: Type.String(),
  hash: Type.String(),
})

const Verdict = Type.Object({
  countyCode: Type.String(),
  ok: Type.Boolean(),
  rows: Type.Integer(),
  headSeq: Type.String(),
  headHash: Type.String(),
  firstBadSeq: Type.Union([Type.String(), Type.Null()]),
  problem: Type.Union([Type.String(), Type.Null()]),
  checkedAt: Type.String(),
})

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: ['auditor'] },
    schema: {
      tags,
      summary: '查询审计日志（纪检审计员，本辖区）',
      querystring: Type.Object(
        {
          ...PageQuery,
          action: Type.Optional(Type.String({ maxLength: 64 })),
          actor: Type.Optional(Type.String({ maxLength: 64 })),
          objectType: Type.Optional(Type.String({ maxLength: 64 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false },
      ),
      response: { 200: pageOf(AuditRow), ...errorReplies },
    },
    handler: async (req) => {
      const { rows, total } = await service.listAudit(app.db, ctxOf(req), req.query)
      return {
        total,
        items: rows.map((r) => ({
          seq: r.seq,
          at: r.at.toISOString(),
          actorId: r.actor_id,
          actorName: r.actor_name,
          role: r.role,
          territoryCode: r.territory_code,
          action: r.action,
          objectType: r.object_type,
          objectId: r.object_id,
          result: r.result,
          digest: r.digest,
          requestId: r.request_id,
          ip: r.ip,
          hash: r.hash,
        })),
      }
    },
  })

  app.get('/verify', {
    config: { roles: ['auditor'] },
    schema: { tags, summary: '校验本县审计日志哈希链', response: { 200: Verdict, ...errorReplies } },
    handler: async (req) => {
      const ctx = ctxOf(req)
      // The chain is per county: only a county-level auditor checks all of it.
      if (ctx.actor.territoryLevel !== 'county') throw forbidden('只有县级纪检审计员可以校验整条日志链')
      return { ...(await service.verifyChain(app.db, ctx.actor.countyCode)), checkedAt: new Date().toISOString() }
    },
  })
}
