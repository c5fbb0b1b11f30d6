import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf, requestInfo } from '../../plugins/auth.ts'
import { errorReplies, OkReply, PageQuery, pageOf } from '../../http/schemas.ts'
import * as service from './service.ts'
import { findTerritory } from '../territory/repo.ts'
import { findDepartment } from '../department/repo.ts'
import { roleLabels } from '../../../shared/roles.ts'
import { LoginLogReply, MeReply, SessionReply } from './schemas.ts'
import type { Actor } from '../../http/context.ts'
import type { FastifyInstance } from 'fastify'

const tags = ['登录与会话']

async function me(app: FastifyInstance, actor: Actor) {
  const t = await findTerritory(app.db, actor.countyCode, actor.territoryCode)
  const d = actor.departmentId ? await findDepartment(app.db, actor.countyCode, actor.departmentId) : undefined
  return {
    userId: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    roleLabel: roleLabels[actor.role],
    countyCode: actor.countyCode,
    territoryCode: actor.territoryCode,
    territoryName: t?.name ?? '',
    territoryLevel: actor.territoryLevel,
    departmentName: d?.name ?? null,
    unitCodes: actor.unitCodes,
    mustChangePassword: actor.mustChangePassword,
  }
}

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cookieOptions = () => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  })

  app.post('/login', {
    config: { public: true },
    schema: {
      tags,
      summary: '登录',
      security: [],
      body: Type.Object(
        { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
        { additionalProperties: false },
      ),
      response: { 200: MeReply, 401: errorReplies[401], 400: errorReplies[400], 429: errorReplies[400] },
    },
    handler: async (req, reply) => {
      const result = await service.login(app.db, requestInfo(req), app.loginThrottle, app.sessionPolicy, req.body)
      // A fresh token at every login: a cookie planted before login is worthless.
      void reply.setCookie(app.sessionCookieName, result.cookieValue, cookieOptions())
      return me(app, result.actor)
    },
  })

  app.post('/logout', {
    config: { roles: 'any', allowPendingPasswordChange: true },
    schema: { tags, summary: '退出登录', response: { 200: OkReply, ...errorReplies } },
    handler: async (req, reply) => {
      await service.logout(app.db, ctxOf(req))
      void reply.clearCookie(app.sessionCookieName, cookieOptions())
      void reply.header('clear-site-data', '"cache", "storage"')
      return { ok: true }
    },
  })

  app.get('/me', {
    config: { roles: 'any', allowPendingPasswordChange: true },
    schema: { tags, summary: '当前用户', response: { 200: MeReply, ...errorReplies } },
    handler: (req) => me(app, ctxOf(req).actor),
  })

  app.post('/password', {
    config: { roles: 'any', allowPendingPasswordChange: true },
    schema: {
      tags,
      summary: '修改本人密码（结束本人其他会话）',
      body: Type.Object(
        { oldPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
        { additionalProperties: false },
      ),
      response: { 200: OkReply, ...errorReplies },
    },
    handler: async (req) => {
      await service.changePassword(app.db, ctxOf(req), req.body)
      return { ok: true }
    },
  })

  app.get('/sessions', {
    config: { roles: ['county_admin', 'township_organiser'] },
    schema: { tags, summary: '在线会话（本辖区）', response: { 200: Type.Array(SessionReply), ...errorReplies } },
    handler: (req) => service.listSessions(app.db, ctxOf(req), app.sessionPolicy),
  })

  app.delete('/sessions/:id', {
    config: { roles: ['county_admin', 'township_organiser'] },
    schema: { tags, summary: '强制退出会话', params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) }), response: { 200: OkReply, ...errorReplies } },
    handler: async (req) => {
      await service.forceLogout(app.db, ctxOf(req), app.sessionPolicy, req.params.id)
      return { ok: true }
    },
  })

  app.get('/login-log', {
    config: { roles: ['county_admin', 'auditor'] },
    schema: {
      tags,
      summary: '登录日志',
      querystring: Type.Object(
        { ...PageQuery, username: Type.Optional(Type.String({ maxLength: 64 })), success: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
      response: { 200: pageOf(LoginLogReply), ...errorReplies },
    },
    handler: (req) => service.listLoginLog(app.db, ctxOf(req), req.query),
  })
}
