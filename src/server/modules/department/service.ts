import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { recordAudit } from '../audit/service.ts'
import * as repo from './repo.ts'
import type { DepartmentRow } from '../territory/table.ts'

export interface Department {
  id: string
  name: string
  sort: number
  status: 'active' | 'retired'
  version: number
}

const toDepartment = (r: DepartmentRow): Department => ({ id: r.id, name: r.name, sort: r.sort, status: r.status, version: r.version })

/** The county's reviewing departments (资格联审成员单位); every signed-in user may read the list. */
export async function listDepartments(db: Kysely<DB>, ctx: Ctx): Promise<Department[]> {
  return (await repo.listDepartments(db, ctx.actor.countyCode)).map(toDepartment)
}

function assertCountyAdmin(ctx: Ctx) {
  if (ctx.actor.role !== 'county_admin' || ctx.actor.territoryLevel !== 'county') throw forbidden('只有县级管理员可以维护联审部门')
}

export async function createDepartment(db: Kysely<DB>, ctx: Ctx, input: { name: string; sort?: number }): Promise<Department> {
  assertCountyAdmin(ctx)
  const name = input.name.trim()
  if (!name) throw invalid('部门名称不能为空')
  return db.transaction().execute(async (trx) => {
    const all = await repo.listDepartments(trx, ctx.actor.countyCode)
    if (all.some((d) => d.name === name)) throw conflict(`部门“${name}”已存在`)
    const row = await repo.insertDepartment(trx, { county_code: ctx.actor.countyCode, name, sort: input.sort ?? 0 })
    await recordAudit(trx, ctx, { action: 'department.create', objectType: 'department', objectId: row.id, after: toDepartment(row) })
    return toDepartment(row)
  })
}

export async function updateDepartment(
  db: Kysely<DB>,
  ctx: Ctx,
  id: string,
  input: { version: number; name?: string; sort?: number; status?: 'active' | 'retired' },
): Promise<Department> {
  assertCountyAdmin(ctx)
  return db.transaction().execute(async (trx) => {
    const before = await repo.findDepartment(trx, ctx.actor.countyCode, id)
    if (!before) throw notFound('部门不存在')
    const name = input.name?.trim()
    if (name !== undefined && !name) throw invalid('部门名称不能为空')
    if (name && name !== before.name && (await repo.listDepartments(trx, ctx.actor.countyCode)).some((d) => d.name === name)) {
      throw conflict(`部门“${name}”已存在`)
    }
    const after = await repo.updateDepartmentVersioned(trx, ctx.actor.countyCode, id, input.version, { name, sort: input.sort, status: input.status })
    if (!after) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'department.update', objectType: 'department', objectId: id, before: toDepartment(before), after: toDepartment(after) })
    return toDepartment(after)
  })
}
