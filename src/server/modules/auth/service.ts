import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx, RequestInfo } from '../../http/context.ts'
import { DomainError, forbidden, invalid, notFound, unauthenticated } from '../../http/errors.ts'
import * as userRepo from '../user/repo.ts'
import * as repo from './repo.ts'
import { appendAudit, recordAudit, type AuditActor } from '../audit/service.ts'
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password.ts'
import { levelOfCode, scopePrefix } from '../../scope.ts'
import type { AuditAction } from '../../../shared/audit-actions.ts'
import { maskText } from '../../../shared/mask.ts'
import type { AppUserRow } from '../user/table.ts'
import { countyNames, defaultCountyCode } from '../territory/repo.ts'
import { purgeIdempotencyKeys } from '../../http/idempotency.ts'

export const LOCK_AFTER_FAILURES = 5
export const LOCK_MINUTES = 30
export const PASSWORD_MAX_AGE_DAYS = 90
export const PASSWORD_HISTORY = 5

export interface SessionPolicy {
  idleMinutes: number
  absoluteHours: number
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Cookie value `<county>.<token>`: the county code lets the lookup stay inside one county's rows. */
export function parseSessionCookie(value: string | undefined): { countyCode: string; token: string } | null {
  if (!value) return null
  const m = /^(\d{6})\.([A-Za-z0-9_-]{43})$/.exec(value)
  return m ? { countyCode: m[1]!, token: m[2]! } : null
}

/** A typed user name as logs keep it: people type ID or phone numbers into it by mistake. */
function loggedName(username: string): string {
  return maskText(username.slice(0, 64))
}

function anonymous(countyCode: string, username: string): AuditActor {
  return { countyCode, actorId: null, actorName: loggedName(username), role: 'anonymous', territoryCode: countyCode }
}

function userActor(u: AppUserRow): AuditActor {
  return { countyCode: u.county_code, actorId: u.id, actorName: u.display_name, role: u.role, territoryCode: u.territory_code }
}

export function passwordExpired(u: AppUserRow, now = new Date()): boolean {
  return now.getTime() - u.password_changed_at.getTime() > PASSWORD_MAX_AGE_DAYS * 86400_000
}

/** Failed logins per client address, so one address cannot spray guesses across many accounts. */
export class LoginThrottle {
  private failures = new Map<string, number[]>()
  constructor(
    readonly maxFailures = 20,
    readonly windowMs = 15 * 60_000,
  ) {}
  blocked(ip: string, now = Date.now()): boolean {
    const list = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs)
    this.failures.set(ip, list)
    return list.length >= this.maxFailures
  }
  fail(ip: string, now = Date.now()): void {
    this.failures.set(ip, [...(this.failures.get(ip) ?? []), now])
  }
}

export interface LoginResult {
  cookieValue: string
  actor: Actor
}

async function logAttempt(
  db: Kysely<DB>,
  req: RequestInfo,
  who: AuditActor,
  username: string,
  userId: string | null,
  success: boolean,
  message: string,
  extraAudit?: { action: AuditAction; extra?: Record<string, unknown> },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.insertLoginLog(trx, { county_code: who.countyCode, username: loggedName(username), user_id: userId, ip: req.ip, user_agent: req.userAgent.slice(0, 300), success, message })
    await appendAudit(trx, who, req, {
      action: 'auth.login',
      objectType: 'user',
      objectId: userId ?? loggedName(username),
      result: success ? 'success' : 'failure',
      extra: { message },
    })
    if (extraAudit) await appendAudit(trx, who, req, { action: extraAudit.action, objectType: 'user', objectId: userId ?? '', extra: extraAudit.extra })
  })
}

const badCredentials = () => new DomainError(401, 'UNAUTHENTICATED', '用户名或密码错误')

export async function login(
  db: Kysely<DB>,
  req: RequestInfo,
  throttle: LoginThrottle,
  policy: SessionPolicy,
  input: { username: string; password: string },
): Promise<LoginResult> {
  const username = input.username.trim()
  if (throttle.blocked(req.ip)) {
    throw new DomainError(429, 'TOO_MANY_REQUESTS', '登录失败次数过多，请 15 分钟后再试')
  }
  const login = await userRepo.findLogin(db, username)
  const user = login ? await userRepo.findUser(db, login.county_code, login.user_id) : undefined
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password)
    throttle.fail(req.ip)
    await logAttempt(db, req, anonymous((await defaultCountyCode(db)) ?? '000000', username), username, null, false, '用户名不存在')
    throw badCredentials()
  }
  const now = new Date()
  if (user.locked_until && user.locked_until > now) {
    throttle.fail(req.ip)
    await logAttempt(db, req, userActor(user), username, user.id, false, '账号已锁定')
    const until = user.locked_until.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' })
    throw new DomainError(401, 'ACCOUNT_LOCKED', `密码连续输错 ${LOCK_AFTER_FAILURES} 次，账号已锁定，请于 ${until} 后再试，或联系管理员解锁`)
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    throttle.fail(req.ip)
    const failures = user.failed_attempts + 1
    const locks = failures >= LOCK_AFTER_FAILURES
    await db.transaction().execute(async (trx) => {
      await userRepo.updateUser(trx, user.county_code, user.id, {
        failed_attempts: locks ? 0 : failures,
        locked_until: locks ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : user.locked_until,
      })
    })
    await logAttempt(
      db,
      req,
      userActor(user),
      username,
      user.id,
      false,
      locks ? `密码错误，账号锁定 ${LOCK_MINUTES} 分钟` : '密码错误',
      locks ? { action: 'auth.lock', extra: { minutes: LOCK_MINUTES } } : undefined,
    )
    if (locks) throw new DomainError(401, 'ACCOUNT_LOCKED', `密码连续输错 ${LOCK_AFTER_FAILURES} 次，账号已锁定 ${LOCK_MINUTES} 分钟`)
    const left = LOCK_AFTER_FAILURES - failures
    throw new DomainError(401, 'UNAUTHENTICATED', `用户名或密码错误，再错 ${left} 次账号将被锁定 ${LOCK_MINUTES} 分钟`)
  }
  if (user.status !== 'active') {
    await logAttempt(db, req, userActor(user), username, user.id, false, '账号已停用')
    throw new DomainError(401, 'UNAUTHENTICATED', '账号已停用，请联系管理员')
  }
  // Expired sessions are swept here rather than by a timer: logins are frequent enough.
  await repo.deleteExpiredSessions(db, new Date(now.getTime() - policy.idleMinutes * 60_000), now)
  await purgeIdempotencyKeys(db, user.county_code, user.id, now)
  const token = randomBytes(32).toString('base64url')
  const tokenHash = hashToken(token)
  await db.transaction().execute(async (trx) => {
    await userRepo.updateUser(trx, user.county_code, user.id, { failed_attempts: 0, locked_until: null, last_login_at: now })
    await repo.insertSession(trx, {
      county_code: user.county_code,
      token_hash: tokenHash,
      user_id: user.id,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + policy.absoluteHours * 3600_000),
      ip: req.ip,
      user_agent: req.userAgent.slice(0, 300),
    })
    await repo.insertLoginLog(trx, { county_code: user.county_code, username, user_id: user.id, ip: req.ip, user_agent: req.userAgent.slice(0, 300), success: true, message: '登录成功' })
    await appendAudit(trx, userActor(user), req, { action: 'auth.login', objectType: 'user', objectId: user.id })
  })
  const actor = await actorFor(db, user, tokenHash)
  return { cookieValue: `${user.county_code}.${token}`, actor }
}

/** Only these roles are limited to the units assigned to them (包村). */
const assignedRoles: readonly string[] = ['contact_cadre', 'leader']

async function actorFor(db: Kysely<DB>, user: AppUserRow, sessionHash: string): Promise<Actor> {
  return actorOf(user, assignedRoles.includes(user.role) ? await userRepo.unitCodesOf(db, user.county_code, user.id) : [], sessionHash)
}

function actorOf(user: AppUserRow, assigned: string[], sessionHash: string): Actor {
  const unitCodes = assignedRoles.includes(user.role) ? assigned : []
  return {
    userId: user.id,
    countyCode: user.county_code,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    territoryCode: user.territory_code,
    territoryLevel: levelOfCode(user.territory_code),
    departmentId: user.department_id,
    unitCodes,
    sessionHash,
    mustChangePassword: user.must_change_password || passwordExpired(user),
  }
}

/**
 * Resolves a session cookie to an actor, enforcing the idle and absolute limits. Permissions are
 * read afresh on every request, so a reassignment or a disabled account takes effect at once.
 */
export async function authenticate(db: Kysely<DB>, policy: SessionPolicy, cookie: string | undefined): Promise<Actor> {
  const parsed = parseSessionCookie(cookie)
  if (!parsed) throw unauthenticated()
  const tokenHash = hashToken(parsed.token)
  const found = await repo.findSessionUser(db, parsed.countyCode, tokenHash)
  if (!found) throw unauthenticated('登录已失效，请重新登录')
  const { session_expires_at: expiresAt, session_last_seen_at: lastSeenAt, unit_codes: units, ...user } = found
  const now = new Date()
  const idleLimit = now.getTime() - policy.idleMinutes * 60_000
  if (expiresAt <= now || lastSeenAt.getTime() < idleLimit) {
    await repo.deleteSession(db, user.county_code, tokenHash)
    throw new DomainError(401, 'SESSION_EXPIRED', '长时间未操作，登录已超时，请重新登录')
  }
  if (user.status !== 'active') {
    await repo.deleteSession(db, user.county_code, tokenHash)
    throw unauthenticated('账号已停用，请联系管理员')
  }
  // Write the last-seen time at most once a minute: reads should not all become writes.
  if (now.getTime() - lastSeenAt.getTime() > 60_000) await repo.touchSession(db, user.county_code, tokenHash, now)
  return actorOf(user, units, tokenHash)
}

export async function logout(db: Kysely<DB>, ctx: Ctx): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, ctx.actor.countyCode, ctx.actor.sessionHash)
    await recordAudit(trx, ctx, { action: 'auth.logout', objectType: 'user', objectId: ctx.actor.userId })
  })
}

export async function changePassword(db: Kysely<DB>, ctx: Ctx, input: { oldPassword: string; newPassword: string }): Promise<void> {
  const a = ctx.actor
  await db.transaction().execute(async (trx) => {
    const user = await userRepo.lockUser(trx, a.countyCode, a.userId)
    if (!user) throw unauthenticated()
    if (!(await verifyPassword(user.password_hash, input.oldPassword))) throw invalid('原密码不正确')
    const problem = passwordProblem(input.newPassword, {
      username: user.username,
      phone: user.phone,
      displayName: user.display_name,
      placeNames: await countyNames(trx, a.countyCode),
    })
    if (problem) throw invalid(problem, [{ field: '新密码', message: problem }])
    for (const old of [user.password_hash, ...user.password_history]) {
      if (await verifyPassword(old, input.newPassword)) throw invalid(`新密码不能与最近 ${PASSWORD_HISTORY} 次使用过的密码相同`)
    }
    await userRepo.updateUser(trx, a.countyCode, a.userId, {
      password_hash: await hashPassword(input.newPassword),
      password_history: JSON.stringify([user.password_hash, ...user.password_history].slice(0, PASSWORD_HISTORY - 1)),
      password_changed_at: new Date(),
      must_change_password: false,
    })
    // A new password ends every other session of this user.
    const ended = await repo.deleteUserSessions(trx, a.countyCode, a.userId, a.sessionHash)
    await recordAudit(trx, ctx, { action: 'auth.password.change', objectType: 'user', objectId: a.userId, extra: { endedSessions: ended } })
  })
}

export async function listSessions(db: Kysely<DB>, ctx: Ctx, policy: SessionPolicy) {
  const now = new Date()
  const rows = await repo.liveSessions(db, ctx.actor.countyCode, scopePrefix(ctx.actor), new Date(now.getTime() - policy.idleMinutes * 60_000), now)
  return rows.map((r) => ({
    // The first 16 hex digits identify a session for force-logout without revealing the token hash.
    id: r.token_hash.slice(0, 16),
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    territoryCode: r.territory_code,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    current: r.token_hash === ctx.actor.sessionHash,
  }))
}

export async function forceLogout(db: Kysely<DB>, ctx: Ctx, policy: SessionPolicy, sessionId: string): Promise<void> {
  const now = new Date()
  const rows = await repo.liveSessions(db, ctx.actor.countyCode, scopePrefix(ctx.actor), new Date(now.getTime() - policy.idleMinutes * 60_000), now)
  const target = rows.find((r) => r.token_hash.slice(0, 16) === sessionId)
  if (!target) throw notFound('会话不存在或已结束')
  if (target.token_hash === ctx.actor.sessionHash) throw forbidden('不能强制退出自己当前的会话，请使用“退出登录”')
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, ctx.actor.countyCode, target.token_hash)
    await recordAudit(trx, ctx, { action: 'session.force_logout', objectType: 'user', objectId: target.user_id, extra: { username: target.username } })
  })
}

export async function listLoginLog(db: Kysely<DB>, ctx: Ctx, q: { page: number; pageSize: number; username?: string; success?: boolean }) {
  const { rows, total } = await repo.pageLoginLog(
    db,
    { countyCode: ctx.actor.countyCode, territoryPrefix: scopePrefix(ctx.actor), username: q.username, success: q.success },
    q.page,
    q.pageSize,
  )
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name ?? null,
      ip: r.ip,
      userAgent: r.user_agent,
      success: r.success,
      message: r.message,
      at: r.at.toISOString(),
    })),
  }
}
