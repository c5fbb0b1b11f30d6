import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { covers, levelOfCode, prefixOf, scopePrefix } from '../../scope.ts'
import { maskPhone } from '../../../shared/mask.ts'
import { roleLabels } from '../../../shared/roles.ts'
import { recordAudit } from '../audit/service.ts'
import { generatePassword, hashPassword } from '../auth/password.ts'
import { deleteUserSessions } from '../auth/repo.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as departmentRepo from '../department/repo.ts'
import * as repo from './repo.ts'
import type { AppUserRow, Role, UserStatus } from './table.ts'

export interface User {
  id: string
  username: string
  displayName: string
  phone: string | null
  role: Role
  roleLabel: string
  territoryCode: string
  territoryName: string
  departmentId: string | null
  departmentName: string | null
  unitCodes: string[]
  status: UserStatus
  locked: boolean
  mustChangePassword: boolean
  lastLoginAt: string | null
  version: number
}

type Named = AppUserRow & { territory_name?: string | null; department_name?: string | null }

export function toUser(r: Named, unitCodes: string[]): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    phone: r.phone ? maskPhone(r.phone) : null,
    role: r.role,
    roleLabel: roleLabels[r.role],
    territoryCode: r.territory_code,
    territoryName: r.territory_name ?? '',
    departmentId: r.department_id,
    departmentName: r.department_name ?? null,
    unitCodes,
    status: r.status,
    locked: r.locked_until !== null && r.locked_until > new Date(),
    mustChangePassword: r.must_change_password,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    version: r.version,
  }
}

/** The shape written to the audit log: the raw row, phone unmasked so the digest masks it once. */
function auditShape(r: AppUserRow, unitCodes: string[]) {
  return {
    username: r.username,
    display_name: r.display_name,
    phone: r.phone,
    role: r.role,
    territory_code: r.territory_code,
    department_id: r.department_id,
    status: r.status,
    unit_codes: unitCodes,
  }
}

/** Roles a township organiser may hand out; everything else is the county's decision. */
const townshipGrantable: Role[] = ['leader', 'contact_cadre']

/** Whether the actor manages this user (county admins: the county; organisers: their township's leaders and cadres). */
function manages(actor: Actor, target: { role: Role; territory_code: string }): boolean {
  if (actor.role === 'county_admin') return covers(actor, target.territory_code)
  if (actor.role === 'township_organiser') return covers(actor, target.territory_code) && townshipGrantable.includes(target.role)
  return false
}

export interface UserQuery {
  page: number
  pageSize: number
  keyword?: string
  role?: Role
  status?: UserStatus
  territoryCode?: string
}

export async function listUsers(db: Kysely<DB>, ctx: Ctx, q: UserQuery) {
  const a = ctx.actor
  let prefix = scopePrefix(a)
  if (q.territoryCode) {
    if (!covers(a, q.territoryCode)) return { items: [], total: 0 }
    prefix = prefixOf(q.territoryCode)
  }
  const { rows, total } = await repo.pageUsers(db, { countyCode: a.countyCode, territoryPrefix: prefix, keyword: q.keyword?.trim() || undefined, role: q.role, status: q.status }, q.page, q.pageSize)
  const units = await repo.unitCodesOfMany(db, a.countyCode, rows.map((r) => r.id))
  return { items: rows.map((r) => toUser(r, units.get(r.id) ?? [])), total }
}

async function loadVisible(db: Kysely<DB> | Transaction<DB>, actor: Actor, id: string): Promise<AppUserRow> {
  const row = await repo.findUser(db, actor.countyCode, id)
  if (!row || !covers(actor, row.territory_code)) throw notFound('用户不存在，或不在您的管辖范围内')
  return row
}

export async function getUser(db: Kysely<DB>, ctx: Ctx, id: string): Promise<User> {
  const row = await loadVisible(db, ctx.actor, id)
  return named(db, row)
}

async function named(db: Kysely<DB> | Transaction<DB>, row: AppUserRow): Promise<User> {
  const t = await territoryRepo.findTerritory(db, row.county_code, row.territory_code)
  const d = row.department_id ? await departmentRepo.findDepartment(db, row.county_code, row.department_id) : undefined
  return toUser({ ...row, territory_name: t?.name ?? '', department_name: d?.name ?? null }, await repo.unitCodesOf(db, row.county_code, row.id))
}

interface Binding {
  role: Role
  territoryCode: string
  departmentId: string | null
  unitCodes: string[]
}

/**
 * Checks that a role sits on a node of the right level and inside the actor's reach: county
 * roles on the county, township roles on a township, reviewers with a department, and assigned
 * units under the user's own township.
 */
async function checkBinding(trx: Transaction<DB>, actor: Actor, b: Binding): Promise<void> {
  if (actor.role === 'township_organiser' && !townshipGrantable.includes(b.role)) {
    throw forbidden(`乡镇组织员只能设置“${townshipGrantable.map((r) => roleLabels[r]).join('”“')}”角色`)
  }
  if (!covers(actor, b.territoryCode)) throw invalid('所属区划不在您的管辖范围内', [{ field: '所属区划', message: '所属区划不在您的管辖范围内' }])
  const node = await territoryRepo.findTerritory(trx, actor.countyCode, b.territoryCode)
  if (!node) throw invalid(`所属区划 ${b.territoryCode} 不存在`)
  if (node.status !== 'active') throw invalid(`所属区划“${node.name}”已停用`)
  const level = levelOfCode(b.territoryCode)
  const need: Record<Role, string[]> = {
    county_admin: ['county'],
    reviewer: ['county'],
    auditor: ['county', 'township'],
    township_organiser: ['township'],
    leader: ['township'],
    contact_cadre: ['township'],
  }
  if (!need[b.role].includes(level)) {
    const where = need[b.role].map((l) => (l === 'county' ? '县（旗）' : '乡镇（苏木）')).join('或')
    throw invalid(`${roleLabels[b.role]}应归属到${where}一级`, [{ field: '所属区划', message: `${roleLabels[b.role]}应归属到${where}一级` }])
  }
  if (b.role === 'reviewer') {
    if (!b.departmentId) throw invalid('联审部门审查员必须选择所属部门', [{ field: '所属部门', message: '请选择所属部门' }])
    const dep = await departmentRepo.findDepartment(trx, actor.countyCode, b.departmentId)
    if (!dep || dep.status !== 'active') throw invalid('所选部门不存在或已停用')
  } else if (b.departmentId) {
    throw invalid('只有联审部门审查员需要选择部门')
  }
  if (b.unitCodes.length > 0) {
    if (b.role !== 'contact_cadre' && b.role !== 'leader') throw invalid('只有包村干部和领导小组成员可以包联村（社区）')
    const units = await territoryRepo.findTerritories(trx, actor.countyCode, b.unitCodes)
    for (const code of b.unitCodes) {
      const u = units.find((x) => x.code === code)
      if (!u || u.level !== 'unit' || !code.startsWith(prefixOf(b.territoryCode))) {
        throw invalid(`包联单位 ${code} 不是本乡镇的村（社区）`, [{ field: '包联村（社区）', message: `${code} 不是本乡镇的村（社区）` }])
      }
      if (u.status !== 'active') throw invalid(`包联单位“${u.name}”已停用`)
    }
  }
}

export interface NewUserInput {
  username: string
  displayName: string
  phone?: string | null
  role: Role
  territoryCode: string
  departmentId?: string | null
  unitCodes?: string[]
}

/** Creates an account with a generated password that must be changed at first login. */
export async function createUser(db: Kysely<DB>, ctx: Ctx, input: NewUserInput): Promise<{ user: User; initialPassword: string }> {
  const a = ctx.actor
  if (a.role !== 'county_admin' && a.role !== 'township_organiser') throw forbidden('您的角色不能创建用户')
  const displayName = input.displayName.trim()
  if (!displayName) throw invalid('姓名不能为空')
  const initialPassword = generatePassword()
  const passwordHash = await hashPassword(initialPassword)
  return db.transaction().execute(async (trx) => {
    const binding = { role: input.role, territoryCode: input.territoryCode, departmentId: input.departmentId ?? null, unitCodes: [...new Set(input.unitCodes ?? [])] }
    await checkBinding(trx, a, binding)
    if (await repo.findLogin(trx, input.username)) throw conflict(`用户名 ${input.username} 已被使用`)
    const row = await repo.insertUser(trx, {
      county_code: a.countyCode,
      username: input.username,
      display_name: displayName,
      phone: input.phone ?? null,
      role: input.role,
      territory_code: input.territoryCode,
      department_id: binding.departmentId,
      password_hash: passwordHash,
      must_change_password: true,
    })
    await repo.setUnitCodes(trx, a.countyCode, row.id, binding.unitCodes)
    await recordAudit(trx, ctx, { action: 'user.create', objectType: 'user', objectId: row.id, after: auditShape(row, binding.unitCodes) })
    return { user: await named(trx, row), initialPassword }
  })
}

export interface UserPatchInput {
  version: number
  displayName?: string
  phone?: string | null
  role?: Role
  territoryCode?: string
  departmentId?: string | null
  unitCodes?: string[]
}

export async function updateUser(db: Kysely<DB>, ctx: Ctx, id: string, input: UserPatchInput): Promise<User> {
  const a = ctx.actor
  return db.transaction().execute(async (trx) => {
    const before = await loadVisible(trx, a, id)
    if (!manages(a, before)) throw forbidden('您不能修改该用户')
    if (before.id === a.userId && input.role !== undefined && input.role !== before.role) throw forbidden('不能修改自己的角色')
    const oldUnits = await repo.unitCodesOf(trx, a.countyCode, id)
    const role = input.role ?? before.role
    const binding = {
      role,
      territoryCode: input.territoryCode ?? before.territory_code,
      departmentId: input.departmentId !== undefined ? input.departmentId : role === 'reviewer' ? before.department_id : null,
      unitCodes: [...new Set(input.unitCodes ?? (role === 'contact_cadre' || role === 'leader' ? oldUnits : []))],
    }
    await checkBinding(trx, a, binding)
    const displayName = input.displayName?.trim()
    if (displayName !== undefined && !displayName) throw invalid('姓名不能为空')
    const after = await repo.updateUserVersioned(trx, a.countyCode, id, input.version, {
      display_name: displayName,
      phone: input.phone,
      role: binding.role,
      territory_code: binding.territoryCode,
      department_id: binding.departmentId,
    })
    if (!after) throw versionConflict(`用户“${before.display_name}”已被他人修改，请刷新后重试`)
    await repo.setUnitCodes(trx, a.countyCode, id, binding.unitCodes)
    await recordAudit(trx, ctx, { action: 'user.update', objectType: 'user', objectId: id, before: auditShape(before, oldUnits), after: auditShape(after, binding.unitCodes) })
    return named(trx, after)
  })
}

/** Disabling ends the user's sessions in the same transaction. */
export async function setUserStatus(db: Kysely<DB>, ctx: Ctx, id: string, status: UserStatus, version: number): Promise<User> {
  const a = ctx.actor
  return db.transaction().execute(async (trx) => {
    const before = await loadVisible(trx, a, id)
    if (!manages(a, before)) throw forbidden('您不能修改该用户')
    if (before.id === a.userId) throw forbidden('不能停用自己的账号')
    if (before.status === status) throw conflict(status === 'disabled' ? '该用户已是停用状态' : '该用户已是启用状态')
    const after = await repo.updateUserVersioned(trx, a.countyCode, id, version, { status })
    if (!after) throw versionConflict()
    const ended = status === 'disabled' ? await deleteUserSessions(trx, a.countyCode, id) : 0
    await recordAudit(trx, ctx, {
      action: status === 'disabled' ? 'user.disable' : 'user.enable',
      objectType: 'user',
      objectId: id,
      before: { status: before.status },
      after: { status },
      extra: { endedSessions: ended },
    })
    return named(trx, after)
  })
}

/** A new generated password, shown once; it unlocks the account and must be changed at next login. */
export async function resetPassword(db: Kysely<DB>, ctx: Ctx, id: string, version: number): Promise<{ user: User; initialPassword: string }> {
  const a = ctx.actor
  const initialPassword = generatePassword()
  const passwordHash = await hashPassword(initialPassword)
  return db.transaction().execute(async (trx) => {
    const before = await loadVisible(trx, a, id)
    if (!manages(a, before)) throw forbidden('您不能重置该用户的密码')
    if (before.id === a.userId) throw forbidden('请在“修改密码”中修改自己的密码')
    const after = await repo.updateUserVersioned(trx, a.countyCode, id, version, {
      password_hash: passwordHash,
      password_history: JSON.stringify([before.password_hash, ...before.password_history].slice(0, 4)),
      must_change_password: true,
      failed_attempts: 0,
      locked_until: null,
    })
    if (!after) throw versionConflict()
    const ended = await deleteUserSessions(trx, a.countyCode, id)
    await recordAudit(trx, ctx, { action: 'user.password.reset', objectType: 'user', objectId: id, extra: { endedSessions: ended } })
    return { user: await named(trx, after), initialPassword }
  })
}

export async function unlockUser(db: Kysely<DB>, ctx: Ctx, id: string, version: number): Promise<User> {
  const a = ctx.actor
  return db.transaction().execute(async (trx) => {
    const before = await loadVisible(trx, a, id)
    if (!manages(a, before)) throw forbidden('您不能解锁该用户')
    const after = await repo.updateUserVersioned(trx, a.countyCode, id, version, { failed_attempts: 0, locked_until: null })
    if (!after) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'user.unlock', objectType: 'user', objectId: id, before: { locked_until: before.locked_until } })
    return named(trx, after)
  })
}
