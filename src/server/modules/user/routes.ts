import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies } from '../../http/schemas.ts'
import * as service from './service.ts'
import { CreatedUserReply, UserBody, UserPage, UserParams, UserPatch, UserQuery, UserReply, UserStatusBody, VersionBody } from './schemas.ts'

const tags = ['用户']
const managers = ['county_admin', 'township_organiser'] as const

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: [...managers, 'auditor'] },
    schema: { tags, summary: '分页查询本辖区用户', querystring: UserQuery, response: { 200: UserPage, ...errorReplies } },
    handler: (req) => service.listUsers(app.db, ctxOf(req), req.query),
  })
  app.get('/:id', {
    config: { roles: [...managers, 'auditor'] },
    schema: { tags, summary: '查看用户', params: UserParams, response: { 200: UserReply, ...errorReplies } },
    handler: (req) => service.getUser(app.db, ctxOf(req), req.params.id),
  })
  app.post('/', {
    config: { roles: managers },
    schema: { tags, summary: '新建用户（系统生成初始密码，首次登录须修改）', body: UserBody, response: { 201: CreatedUserReply, ...errorReplies } },
    handler: async (req, reply) => reply.code(201).send(await service.createUser(app.db, ctxOf(req), req.body)),
  })
  app.patch('/:id', {
    config: { roles: managers },
    schema: { tags, summary: '修改用户', params: UserParams, body: UserPatch, response: { 200: UserReply, ...errorReplies } },
    handler: (req) => service.updateUser(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.post('/:id/status', {
    config: { roles: managers },
    schema: { tags, summary: '停用或启用用户（停用即结束其会话）', params: UserParams, body: UserStatusBody, response: { 200: UserReply, ...errorReplies } },
    handler: (req) => service.setUserStatus(app.db, ctxOf(req), req.params.id, req.body.status, req.body.version),
  })
  app.post('/:id/reset-password', {
    config: { roles: managers },
    schema: { tags, summary: '重置密码（生成新初始密码）', params: UserParams, body: VersionBody, response: { 200: CreatedUserReply, ...errorReplies } },
    handler: (req) => service.resetPassword(app.db, ctxOf(req), req.params.id, req.body.version),
  })
  app.post('/:id/unlock', {
    config: { roles: managers },
    schema: { tags, summary: '解除登录锁定', params: UserParams, body: VersionBody, response: { 200: UserReply, ...errorReplies } },
    handler: (req) => service.unlockUser(app.db, ctxOf(req), req.params.id, req.body.version),
  })
}
