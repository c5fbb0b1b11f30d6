/**
 * What the three parts of 安排部署 share: who reads and writes, the county or township a page is
 * about, the audit actions, and the checks of free text that name the field in Chinese.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, notFound } from '../../http/errors.ts'
import { covers, levelOfCode } from '../../scope.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import type { AuditAction } from '../../../shared/audit-actions.ts'
import { recordAudit, type AuditEntry } from '../audit/service.ts'
import * as territoryRepo from '../territory/repo.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const
export const writerRoles = ['county_admin', 'township_organiser'] as const

/** The audit actions this module writes (named in shared/audit-actions.ts). */
export type DeploymentAction = Extract<AuditAction, `meeting.${string}` | `document.${string}` | `qa.${string}`>

export function audit(trx: Transaction<DB>, ctx: Ctx, entry: Omit<AuditEntry, 'action'> & { action: DeploymentAction }): Promise<string> {
  return recordAudit(trx, ctx, { ...entry, action: entry.action })
}

export function isWriter(a: Actor): boolean {
  return (writerRoles as readonly string[]).includes(a.role)
}

/** Whether the actor may read the records of a county or township: the county's for everyone in it, a township's for those in or above it. */
export function canRead(a: Actor, code: string): boolean {
  if (a.role === 'reviewer' || code.slice(0, 6) !== a.countyCode) return false
  const level = levelOfCode(code)
  if (level === 'county') return true
  return level === 'township' && (covers(a, code) || a.territoryCode.startsWith(code.slice(0, 9)))
}

/** Whether the actor may write the records of a county or township: the county admin anywhere in the county, an organiser in their township. */
export function canWrite(a: Actor, code: string): boolean {
  return isWriter(a) && covers(a, code)
}

/** The county or township a page is about: the one asked for, else the actor's own. */
export async function viewOf(db: Kysely<DB>, a: Actor, code: string | undefined, what: string) {
  if (a.role === 'reviewer') throw forbidden(`联审部门审查员不能查看${what}`)
  const wanted = code ?? (levelOfCode(a.territoryCode) === 'unit' ? `${a.territoryCode.slice(0, 9)}000` : a.territoryCode)
  const level = levelOfCode(wanted)
  const t = level !== 'unit' && canRead(a, wanted) ? await territoryRepo.findTerritory(db, a.countyCode, wanted) : undefined
  if (!t) throw notFound('该县（乡镇）不存在，或不在您的管辖范围内')
  return { code: t.code, name: t.name, level: level as 'county' | 'township' }
}
export type View = Awaited<ReturnType<typeof viewOf>>

/**
 * Trims a text field and checks it against its length (counted in characters as users count
 * them, so 𠀀 is one), naming the field in the message.
 */
export function text(value: string | undefined, label: string, field: string, max: number, required = false): string {
  const v = (value ?? '').trim()
  if (required && !v) throw invalid(`请填写${label}`, [{ field, message: '不能为空' }])
  if (Array.from(v).length > max) throw invalid(`${label}不能超过 ${max} 个字`, [{ field, message: `超过 ${max} 个字` }])
  return v
}

/** A real calendar date, or a 400 naming the field. */
export function day(value: string, label: string, field: string): string {
  if (!isRealDate(value)) throw invalid(`${label}“${value}”不是有效日期`, [{ field, message: '无效日期' }])
  return value
}
