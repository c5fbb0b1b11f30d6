import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx, RequestInfo } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import type { Severity } from '../../../rules/nominee/index.ts'
import { appendAuditBatch, recordAudit, type AuditActor } from '../audit/service.ts'
import * as departmentRepo from '../department/repo.ts'
import * as repo from './repo.ts'
import { DEFAULT_SOURCE, defaultCircumstances } from './defaults.ts'
import type { CircumstanceRow } from './table.ts'

export interface Circumstance {
  id: string
  sort: number
  text: string
  severity: Severity
  lookbackYears: number
  source: string
  status: 'active' | 'retired'
  departments: { id: string; name: string }[]
  version: number
}

const toCircumstance = (r: CircumstanceRow, departments: { id: string; name: string }[]): Circumstance => ({
  id: r.id,
  sort: r.sort,
  text: r.text,
  severity: r.severity,
  lookbackYears: r.lookback_years,
  source: r.source,
  status: r.status,
  departments,
  version: r.version,
})

/** Every signed-in user of the county may read the list: reviewers check against it. */
export async function listCircumstances(db: Kysely<DB> | Transaction<DB>, countyCode: string): Promise<Circumstance[]> {
  const [rows, links] = await Promise.all([repo.listCircumstances(db, countyCode), repo.departmentLinks(db, countyCode)])
  return rows.map((r) => toCircumstance(r, links.filter((l) => l.circumstance_id === r.id).map((l) => ({ id: l.id, name: l.name }))))
}

function assertCountyAdmin(ctx: Ctx): void {
  if (ctx.actor.role !== 'county_admin' || ctx.actor.territoryLevel !== 'county') throw forbidden('只有县级管理员可以维护负面清单')
}

async function checkDepartments(db: Kysely<DB> | Transaction<DB>, countyCode: string, ids: string[]): Promise<void> {
  const all = await departmentRepo.listDepartments(db, countyCode)
  for (const id of ids) {
    const d = all.find((x) => x.id === id)
    if (!d || d.status !== 'active') throw invalid('所选审查部门不存在或已停用', [{ field: '审查部门', message: '所选审查部门不存在或已停用' }])
  }
}

export interface CircumstanceInput {
  text: string
  severity: Severity
  lookbackYears?: number
  source?: string
  sort?: number
  departmentIds: string[]
}

export async function createCircumstance(db: Kysely<DB>, ctx: Ctx, input: CircumstanceInput): Promise<Circumstance> {
  assertCountyAdmin(ctx)
  const text = input.text.trim()
  if (!text) throw invalid('情形内容不能为空')
  if (input.departmentIds.length === 0) throw invalid('请至少选择一个负责审查的部门')
  const c = ctx.actor.countyCode
  return db.transaction().execute(async (trx) => {
    await checkDepartments(trx, c, input.departmentIds)
    const existing = await repo.listCircumstances(trx, c)
    const row = await repo.insertCircumstance(trx, {
      county_code: c,
      sort: input.sort ?? existing.length + 1,
      text,
      severity: input.severity,
      lookback_years: input.lookbackYears ?? 0,
      source: input.source?.trim() ?? '',
    })
    await repo.setDepartments(trx, c, row.id, [...new Set(input.departmentIds)])
    await recordAudit(trx, ctx, { action: 'circumstance.create', objectType: 'circumstance', objectId: row.id, after: { ...row, department_ids: input.departmentIds } })
    return (await listCircumstances(trx, c)).find((x) => x.id === row.id)!
  })
}

export interface CircumstancePatchInput extends Partial<CircumstanceInput> {
  version: number
  status?: 'active' | 'retired'
}

export async function updateCircumstance(db: Kysely<DB>, ctx: Ctx, id: string, input: CircumstancePatchInput): Promise<Circumstance> {
  assertCountyAdmin(ctx)
  const c = ctx.actor.countyCode
  return db.transaction().execute(async (trx) => {
    const before = await repo.findCircumstance(trx, c, id)
    if (!before) throw notFound('该情形不存在')
    const text = input.text?.trim()
    if (text !== undefined && !text) throw invalid('情形内容不能为空')
    if (input.departmentIds) {
      if (input.departmentIds.length === 0) throw invalid('请至少选择一个负责审查的部门')
      await checkDepartments(trx, c, input.departmentIds)
    }
    const after = await repo.updateCircumstanceVersioned(trx, c, id, input.version, {
      text,
      severity: input.severity,
      lookback_years: input.lookbackYears,
      source: input.source?.trim(),
      sort: input.sort,
      status: input.status,
    })
    if (!after) throw versionConflict()
    if (input.departmentIds) await repo.setDepartments(trx, c, id, [...new Set(input.departmentIds)])
    await recordAudit(trx, ctx, { action: 'circumstance.update', objectType: 'circumstance', objectId: id, before, after: { ...after, department_ids: input.departmentIds } })
    return (await listCircumstances(trx, c)).find((x) => x.id === id)!
  })
}

/**
 * Loads the default list of 17 into a county that has none, linking each item to the county's
 * departments whose names contain the item's department keywords.
 */
export async function loadDefaultCircumstances(trx: Transaction<DB>, who: AuditActor, req: RequestInfo): Promise<number> {
  const c = who.countyCode
  if ((await repo.listCircumstances(trx, c)).length > 0) throw conflict('本县已有负面清单，不能再载入默认清单')
  const departments = (await departmentRepo.listDepartments(trx, c)).filter((d) => d.status === 'active')
  const entries = []
  for (const [i, d] of defaultCircumstances.entries()) {
    const row = await repo.insertCircumstance(trx, { county_code: c, sort: i + 1, text: d.text, severity: d.severity, lookback_years: d.lookbackYears, source: DEFAULT_SOURCE })
    const ids = departments.filter((dep) => d.departments.some((k) => dep.name.includes(k))).map((dep) => dep.id)
    await repo.setDepartments(trx, c, row.id, [...new Set(ids)])
    entries.push({ action: 'circumstance.create' as const, objectType: 'circumstance', objectId: row.id, after: { ...row, department_ids: ids } })
  }
  await appendAuditBatch(trx, who, req, entries)
  return entries.length
}

export async function loadDefaults(db: Kysely<DB>, ctx: Ctx): Promise<Circumstance[]> {
  assertCountyAdmin(ctx)
  return db.transaction().execute(async (trx) => {
    const a = ctx.actor
    await loadDefaultCircumstances(trx, { countyCode: a.countyCode, actorId: a.userId, actorName: a.displayName, role: a.role, territoryCode: a.territoryCode }, ctx)
    return listCircumstances(trx, a.countyCode)
  })
}
