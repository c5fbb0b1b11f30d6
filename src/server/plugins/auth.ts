import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Actor, Ctx, RequestInfo } from '../http/context.ts'
import { DomainError, forbidden, unauthenticated } from '../http/errors.ts'
import { authenticate, LoginThrottle, type SessionPolicy } from '../modules/auth/service.ts'
import type { Role } from '../modules/user/table.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route, or 'any' signed-in user. Every /api route must say. */
    roles?: readonly Role[] | 'any'
    /** Reachable without a session (login, health). */
    public?: boolean
    /** Reachable while a password change is pending (me, change password, logout). */
    allowPendingPasswordChange?: boolean
  }
  interface FastifyRequest {
    actor: Actor | null
  }
  interface FastifyInstance {
    sessionPolicy: SessionPolicy
    loginThrottle: LoginThrottle
    sessionCookieName: string
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

export function requestInfo(request: FastifyRequest): RequestInfo {
  return { requestId: String(request.id), ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') }
}

/** The signed-in actor and request facts every service takes. */
export function ctxOf(request: FastifyRequest): Ctx {
  if (!request.actor) throw unauthenticated()
  return { ...requestInfo(request), actor: request.actor }
}

export const SESSION_COOKIE = 'hj_sid'
export const SECURE_SESSION_COOKIE = '__Host-hj_sid'

/**
 * Default deny. A route that names neither roles nor `public` fails at startup; every request to
 * /api needs a live session unless its route is public; roles are checked before the handler, and
 * territory is checked by the services on every row.
 */
export function registerAuth(app: FastifyInstance, opts: { policy: SessionPolicy; secureCookies: boolean }): void {
  app.decorate('sessionPolicy', opts.policy)
  app.decorate('loginThrottle', new LoginThrottle())
  app.decorate('sessionCookieName', opts.secureCookies ? SECURE_SESSION_COOKIE : SESSION_COOKIE)
  app.decorateRequest('actor', null)

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return
    const cfg = route.config
    if (!cfg?.public && !cfg?.roles) {
      throw new Error(`route ${route.method.toString()} ${route.url} declares neither roles nor public`)
    }
  })

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return
    // A custom header forces a CORS preflight, which no other site passes: cross-site forms
    // cannot reach a state-changing route.
    if (!safeMethods.has(request.method) && request.headers['x-requested-with'] !== 'XMLHttpRequest') {
      throw new DomainError(403, 'CSRF', '请求缺少 X-Requested-With 头，已拒绝（防跨站请求伪造）')
    }
    void reply.header('cache-control', 'no-store')
    const cfg = request.routeOptions.config
    if (cfg.public) return
    // A route unknown to the router reaches the 404 handler; it has no roles to check.
    if (!cfg.roles) return
    request.actor = await authenticate(app.db, app.sessionPolicy, request.cookies[app.sessionCookieName])
    if (request.actor.mustChangePassword && !cfg.allowPendingPasswordChange) {
      throw new DomainError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改密码后再继续操作')
    }
    if (cfg.roles !== 'any' && !cfg.roles.includes(request.actor.role)) throw forbidden()
  })
}
