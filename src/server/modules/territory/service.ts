import type { Kysely } from 'kysely'
import { pinyin } from 'pinyin-pro'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, limitedToAssignedUnits, scopePrefix } from '../../scope.ts'
import { recordAudit } from '../audit/service.ts'
import { divisionCodeProblem, isKind, kindLabels, levelOf, parentCodeOf, type Kind } from '../../../rules/division/index.ts'
import { ethnicities } from '../../../rules/codes/index.ts'
import * as repo from './repo.ts'
import type { TerritoryLevel, TerritoryRow, TerritoryStatus } from './table.ts'

export interface Territory {
  code: string
  parentCode: string | null
  level: TerritoryLevel
  kind: string
  kindLabel: string
  name: string
  initials: string
  sort: number
  status: TerritoryStatus
  retiredAt: string | null
  minorityEthnicity: string | null
  version: number
  updatedAt: string
}

export function toTerritory(r: TerritoryRow): Territory {
  return {
    code: r.code,
    parentCode: r.parent_code,
    level: r.level,
    kind: r.kind,
    kindLabel: isKind(r.kind) ? kindLabels[r.kind] : r.kind,
    name: r.name,
    initials: r.name_initials,
    sort: r.sort,
    status: r.status,
    retiredAt: r.retired_at?.toISOString() ?? null,
    minorityEthnicity: r.minority_ethnicity ?? null,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  }
}

export function initialsOf(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase()
}

/** Names are trimmed and inner runs of spaces collapsed; nothing else is changed. */
export function cleanName(name: string): string {
  return name.trim().replace(/\s+/g, ' ')
}

function filterFor(actor: Actor): repo.TerritoryFilter {
  return {
    countyCode: actor.countyCode,
    prefix: scopePrefix(actor),
    onlyCodes: limitedToAssignedUnits(actor) ? actor.unitCodes : undefined,
  }
}

export interface TerritoryQuery {
  page: number
  pageSize: number
  parentCode?: string
  level?: TerritoryLevel
  status?: TerritoryStatus
  keyword?: string
}

export async function listTerritories(db: Kysely<DB>, ctx: Ctx, q: TerritoryQuery) {
  const { rows, total } = await repo.pageTerritories(
    db,
    { ...filterFor(ctx.actor), parentCode: q.parentCode, level: q.level, status: q.status, keyword: q.keyword?.trim() || undefined },
    q.page,
    q.pageSize,
  )
  return { items: rows.map(toTerritory), total }
}

/**
 * Every node the actor may see, in tree order (sort, then code); the client nests them by
 * parentCode, and nodes whose parent is out of sight become its roots.
 */
export async function visibleTerritories(db: Kysely<DB>, ctx: Ctx, includeRetired: boolean): Promise<Territory[]> {
  const rows = await repo.allTerritories(db, { ...filterFor(ctx.actor), status: includeRetired ? undefined : 'active' })
  return rows.map(toTerritory)
}

/** Reads one node the actor may see; anything else is "not found", with no hint it exists. */
export async function getTerritory(db: Kysely<DB>, ctx: Ctx, code: string): Promise<Territory> {
  const row = canSeeTerritory(ctx.actor, code) ? await repo.findTerritory(db, ctx.actor.countyCode, code) : undefined
  if (!row) throw notFound('区划不存在，或不在您的管辖范围内')
  return toTerritory(row)
}

/** County admins change anything in their county; township organisers only their own units. */
export function assertCanWrite(actor: Actor, code: string): void {
  if (actor.role === 'county_admin' && covers(actor, code)) return
  if (actor.role === 'township_organiser' && levelOf(code) === 'unit' && covers(actor, code)) return
  if (actor.role === 'county_admin' || actor.role === 'township_organiser') {
    throw notFound('区划不存在，或不在您的管辖范围内')
  }
  throw forbidden('您的角色不能维护区划')
}

export interface NewTerritoryInput {
  code: string
  name: string
  kind: string
  sort?: number
}

/** Checks a new node against the code rules and its parent; returns the parent's code. */
export async function validateNew(db: Kysely<DB>, actor: Actor, input: NewTerritoryInput): Promise<string> {
  if (!isKind(input.kind)) throw invalid(`类别“${input.kind}”无效`)
  const problem = divisionCodeProblem(input.code, input.kind)
  if (problem) throw invalid(problem, [{ field: '区划代码', message: problem }])
  const level = levelOf(input.code)
  if (level === 'county') throw invalid('县级区划只能由运维人员用命令行创建')
  assertCanWrite(actor, input.code)
  const parentCode = parentCodeOf(input.code)!
  const parent = await repo.findTerritory(db, actor.countyCode, parentCode)
  if (!parent) throw invalid(`上级区划 ${parentCode} 不存在，请先建立${level === 'unit' ? '乡镇' : '县'}`)
  if (parent.status === 'retired') throw invalid(`上级区划“${parent.name}”已停用，不能在其下新建`)
  return parentCode
}

export async function createTerritory(db: Kysely<DB>, ctx: Ctx, input: NewTerritoryInput): Promise<Territory> {
  const name = cleanName(input.name)
  if (!name) throw invalid('名称不能为空')
  const parentCode = await validateNew(db, ctx.actor, input)
  return db.transaction().execute(async (trx) => {
    if (await repo.findTerritory(trx, ctx.actor.countyCode, input.code)) throw conflict(`区划代码 ${input.code} 已存在`)
    const row = await repo.insertTerritory(trx, {
      county_code: ctx.actor.countyCode,
      code: input.code,
      parent_code: parentCode,
      level: levelOf(input.code),
      kind: input.kind,
      name,
      name_initials: initialsOf(name),
      sort: input.sort ?? 0,
    })
    await recordAudit(trx, ctx, { action: 'territory.create', objectType: 'territory', objectId: row.code, after: toTerritory(row) })
    return toTerritory(row)
  })
}

export interface TerritoryPatchInput {
  version: number
  name?: string
  kind?: string
  sort?: number
  minorityEthnicity?: string | null
}

export async function updateTerritory(db: Kysely<DB>, ctx: Ctx, code: string, input: TerritoryPatchInput): Promise<Territory> {
  assertCanWrite(ctx.actor, code)
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockTerritory(trx, ctx.actor.countyCode, code)
    if (!before) throw notFound('区划不存在，或不在您的管辖范围内')
    const patch: { name?: string; name_initials?: string; kind?: Kind; sort?: number; minority_ethnicity?: string | null } = {}
    if (input.name !== undefined) {
      const name = cleanName(input.name)
      if (!name) throw invalid('名称不能为空')
      patch.name = name
      patch.name_initials = initialsOf(name)
    }
    if (input.kind !== undefined) {
      if (!isKind(input.kind)) throw invalid(`类别“${input.kind}”无效`)
      const problem = divisionCodeProblem(code, input.kind)
      if (problem) throw invalid(problem, [{ field: '类别', message: problem }])
      patch.kind = input.kind
    }
    if (input.sort !== undefined) patch.sort = input.sort
    if (input.minorityEthnicity !== undefined) {
      const e = input.minorityEthnicity
      if (e !== null && (before.level !== 'unit' || !ethnicities.some(([c]) => c === e) || e === '01')) {
        throw invalid(before.level !== 'unit' ? '只有村（社区）可以设置多民族聚居' : `民族代码“${e}”无效：应为人数较少民族的两位代码，如 02 蒙古族`, [{ field: 'minorityEthnicity', message: '无效' }])
      }
      patch.minority_ethnicity = e
    }
    const after = await repo.updateTerritoryVersioned(trx, ctx.actor.countyCode, code, input.version, patch)
    if (!after) throw versionConflict(`“${before.name}”已于 ${before.updated_at.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} 被修改，请刷新后重试`)
    await recordAudit(trx, ctx, { action: 'territory.update', objectType: 'territory', objectId: code, before: toTerritory(before), after: toTerritory(after) })
    return toTerritory(after)
  })
}

export async function setTerritoryStatus(db: Kysely<DB>, ctx: Ctx, code: string, status: TerritoryStatus, version: number): Promise<Territory> {
  assertCanWrite(ctx.actor, code)
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockTerritory(trx, ctx.actor.countyCode, code)
    if (!before) throw notFound('区划不存在，或不在您的管辖范围内')
    if (before.status === status) throw conflict(status === 'retired' ? `“${before.name}”已是停用状态` : `“${before.name}”已是启用状态`)
    if (status === 'retired' && (await repo.countActiveChildren(trx, ctx.actor.countyCode, code)) > 0) {
      throw conflict(`“${before.name}”下还有启用的下级区划，请先停用它们`)
    }
    if (status === 'active' && before.parent_code) {
      const parent = await repo.findTerritory(trx, ctx.actor.countyCode, before.parent_code)
      if (parent?.status === 'retired') throw conflict(`上级区划“${parent.name}”已停用，请先启用上级`)
    }
    const after = await repo.updateTerritoryVersioned(trx, ctx.actor.countyCode, code, version, {
      status,
      retired_at: status === 'retired' ? new Date() : null,
    })
    if (!after) throw versionConflict()
    await recordAudit(trx, ctx, {
      action: status === 'retired' ? 'territory.retire' : 'territory.reactivate',
      objectType: 'territory',
      objectId: code,
      before: toTerritory(before),
      after: toTerritory(after),
    })
    return toTerritory(after)
  })
}

/** Only a node nothing refers to may be deleted (a mistaken entry); anything else is retired. */
export async function deleteTerritory(db: Kysely<DB>, ctx: Ctx, code: string): Promise<void> {
  assertCanWrite(ctx.actor, code)
  await db.transaction().execute(async (trx) => {
    const before = await repo.lockTerritory(trx, ctx.actor.countyCode, code)
    if (!before) throw notFound('区划不存在，或不在您的管辖范围内')
    if ((await repo.countReferences(trx, ctx.actor.countyCode, code)) > 0) {
      throw conflict(`“${before.name}”已有下级区划、用户或包联数据，不能删除，只能停用`)
    }
    await repo.deleteTerritory(trx, ctx.actor.countyCode, code)
    await recordAudit(trx, ctx, { action: 'territory.delete', objectType: 'territory', objectId: code, before: toTerritory(before) })
  })
}
