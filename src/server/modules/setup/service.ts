import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { RequestInfo } from '../../http/context.ts'
import { conflict, invalid } from '../../http/errors.ts'
import { appendAudit, type AuditActor } from '../audit/service.ts'
import { generatePassword, hashPassword, passwordProblem } from '../auth/password.ts'
import * as territoryRepo from '../territory/repo.ts'
import * as departmentRepo from '../department/repo.ts'
import * as userRepo from '../user/repo.ts'
import { initialsOf } from '../territory/service.ts'
import { divisionCodeProblem, isKind, kindsByLevel, levelOf } from '../../../rules/division/index.ts'
import type { Role } from '../user/table.ts'

/** Operator actions from the command line are audited as the system, from the local machine. */
export const cliRequest: RequestInfo = { requestId: `cli-${process.pid}`, ip: 'local', userAgent: 'huanjie-cli' }

export function systemActor(countyCode: string, name = '系统（命令行）'): AuditActor {
  return { countyCode, actorId: null, actorName: name, role: 'system', territoryCode: `${countyCode}000000` }
}

/** Creates a county's root node; a deployment starts here (or with the demo county). */
export async function createCounty(trx: Transaction<DB>, input: { code: string; name: string; kind: string }, who?: AuditActor): Promise<void> {
  const code = input.code.length === 6 ? `${input.code}000000` : input.code
  if (!isKind(input.kind) || !kindsByLevel.county.includes(input.kind)) throw invalid('县级类别应为 county（县）、banner（旗）、district（区）或 city（县级市）')
  const problem = divisionCodeProblem(code, input.kind)
  if (problem) throw invalid(problem)
  if (levelOf(code) !== 'county') throw invalid('县级区划代码应为 6 位，或以 000000 结尾的 12 位')
  const countyCode = code.slice(0, 6)
  if (await territoryRepo.findTerritory(trx, countyCode, code)) throw conflict(`县（旗）${code} 已存在`)
  const row = await territoryRepo.insertTerritory(trx, {
    county_code: countyCode,
    code,
    parent_code: null,
    level: 'county',
    kind: input.kind,
    name: input.name.trim(),
    name_initials: initialsOf(input.name),
  })
  await appendAudit(trx, who ?? systemActor(countyCode), cliRequest, { action: 'territory.create', objectType: 'territory', objectId: code, after: row })
}

export interface SystemUserInput {
  countyCode: string
  username: string
  displayName: string
  role: Role
  territoryCode: string
  departmentId?: string | null
  phone?: string | null
  unitCodes?: string[]
  /** When absent a password is generated and must be changed at first login. */
  password?: string
  mustChangePassword?: boolean
}

/** Creates a user without a signed-in actor: the first admin of a county, demo users. */
export async function createSystemUser(trx: Transaction<DB>, input: SystemUserInput, who?: AuditActor): Promise<{ id: string; password: string }> {
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(input.username)) throw invalid('用户名应为 3–32 位字母、数字、下划线、点或短横线')
  if (await userRepo.findLogin(trx, input.username)) throw conflict(`用户名 ${input.username} 已被使用`)
  const node = await territoryRepo.findTerritory(trx, input.countyCode, input.territoryCode)
  if (!node) throw invalid(`区划 ${input.territoryCode} 不存在`)
  const password = input.password ?? generatePassword()
  const problem = passwordProblem(password, { username: input.username, displayName: input.displayName })
  if (problem) throw invalid(problem)
  const row = await userRepo.insertUser(trx, {
    county_code: input.countyCode,
    username: input.username,
    display_name: input.displayName,
    phone: input.phone ?? null,
    role: input.role,
    territory_code: input.territoryCode,
    department_id: input.departmentId ?? null,
    password_hash: await hashPassword(password),
    must_change_password: input.mustChangePassword ?? true,
  })
  await userRepo.setUnitCodes(trx, input.countyCode, row.id, input.unitCodes ?? [])
  await appendAudit(trx, who ?? systemActor(input.countyCode), cliRequest, {
    action: 'user.create',
    objectType: 'user',
    objectId: row.id,
    after: { username: row.username, display_name: row.display_name, role: row.role, territory_code: row.territory_code, unit_codes: input.unitCodes ?? [] },
  })
  return { id: row.id, password }
}

export async function createDepartments(trx: Transaction<DB>, countyCode: string, names: string[], who?: AuditActor): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  for (const [i, name] of names.entries()) {
    const row = await departmentRepo.insertDepartment(trx, { county_code: countyCode, name, sort: i + 1 })
    await appendAudit(trx, who ?? systemActor(countyCode), cliRequest, { action: 'department.create', objectType: 'department', objectId: row.id, after: row })
    ids.set(name, row.id)
  }
  return ids
}

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('territory').select('code').limit(1).executeTakeFirst()
  return !row
}
