import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, Id, Version } from '../../http/schemas.ts'
import * as service from './service.ts'

const tags = ['负面清单']
const Severity = Type.Union([Type.Literal('bar'), Type.Literal('discourage')], { description: 'bar 不能确定为候选人；discourage 不宜确定（由县里决定）' })
const CircumstanceReply = Type.Object({
  id: Type.String(),
  sort: Type.Integer(),
  text: Type.String(),
  severity: Severity,
  lookbackYears: Type.Integer(),
  source: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  departments: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  version: Type.Integer(),
})
const Text = Type.String({ minLength: 1, maxLength: 300 })
const Lookback = Type.Integer({ minimum: 0, maximum: 30 })
const Source = Type.String({ maxLength: 200 })
const Sort = Type.Integer({ minimum: 0, maximum: 999 })
const DepartmentIds = Type.Array(Id, { minItems: 1, maxItems: 30 })

export const circumstanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: 'any' },
    schema: { tags, summary: '本县负面清单（不宜确定为候选人的情形）', response: { 200: Type.Array(CircumstanceReply), ...errorReplies } },
    handler: (req) => service.listCircumstances(app.db, ctxOf(req).actor.countyCode),
  })
  app.post('/', {
    config: { roles: ['county_admin'] },
    schema: {
      tags,
      summary: '新增情形',
      body: Type.Object(
        { text: Text, severity: Severity, lookbackYears: Type.Optional(Lookback), source: Type.Optional(Source), sort: Type.Optional(Sort), departmentIds: DepartmentIds },
        { additionalProperties: false },
      ),
      response: { 201: CircumstanceReply, ...errorReplies },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createCircumstance(app.db, ctxOf(req), req.body)),
  })
  app.patch('/:id', {
    config: { roles: ['county_admin'] },
    schema: {
      tags,
      summary: '修改或停用情形',
      params: Type.Object({ id: Id }),
      body: Type.Object(
        {
          version: Version,
          text: Type.Optional(Text),
          severity: Type.Optional(Severity),
          lookbackYears: Type.Optional(Lookback),
          source: Type.Optional(Source),
          sort: Type.Optional(Sort),
          departmentIds: Type.Optional(DepartmentIds),
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
        },
        { additionalProperties: false },
      ),
      response: { 200: CircumstanceReply, ...errorReplies },
    },
    handler: (req) => service.updateCircumstance(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.post('/load-defaults', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '载入默认清单（17 种情形，仅限清单为空时）', response: { 200: Type.Array(CircumstanceReply), ...errorReplies } },
    handler: (req) => service.loadDefaults(app.db, ctxOf(req)),
  })
}
