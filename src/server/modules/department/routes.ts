import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, Id, Version } from '../../http/schemas.ts'
import * as service from './service.ts'

const tags = ['联审部门']
const Status = Type.Union([Type.Literal('active'), Type.Literal('retired')])
const DepartmentReply = Type.Object({ id: Type.String(), name: Type.String(), sort: Type.Integer(), status: Status, version: Type.Integer() })
const Name = Type.String({ minLength: 1, maxLength: 50 })
const Sort = Type.Integer({ minimum: 0, maximum: 9999 })

export const departmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: 'any' },
    schema: { tags, summary: '联审部门列表', response: { 200: Type.Array(DepartmentReply), ...errorReplies } },
    handler: (req) => service.listDepartments(app.db, ctxOf(req)),
  })
  app.post('/', {
    config: { roles: ['county_admin'] },
    schema: {
      tags,
      summary: '新增联审部门',
      body: Type.Object({ name: Name, sort: Type.Optional(Sort) }, { additionalProperties: false }),
      response: { 201: DepartmentReply, ...errorReplies },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createDepartment(app.db, ctxOf(req), req.body)),
  })
  app.patch('/:id', {
    config: { roles: ['county_admin'] },
    schema: {
      tags,
      summary: '修改或停用联审部门',
      params: Type.Object({ id: Id }),
      body: Type.Object({ version: Version, name: Type.Optional(Name), sort: Type.Optional(Sort), status: Type.Optional(Status) }, { additionalProperties: false }),
      response: { 200: DepartmentReply, ...errorReplies },
    },
    handler: (req) => service.updateDepartment(app.db, ctxOf(req), req.params.id, req.body),
  })
}
