import { roleLabels, type RoleName } from '../../../shared/roles.ts'
import type { TerritoryLevel } from '../../api/auth.ts'

/** Where each role sits (the server enforces the same). */
export const roleLevels: Record<RoleName, TerritoryLevel[]> = {
  county_admin: ['county'],
  reviewer: ['county'],
  township_organiser: ['township'],
  leader: ['township'],
  contact_cadre: ['township'],
  auditor: ['county', 'township'],
}

const allRoles = Object.keys(roleLabels) as RoleName[]

/** Roles an actor may give: a township organiser only 领导小组成员 and 包村干部 of its township. */
export function assignableRoles(actor: RoleName | null): RoleName[] {
  if (actor === 'county_admin') return allRoles
  if (actor === 'township_organiser') return ['leader', 'contact_cadre']
  return []
}

export const roleOptions = (roles: RoleName[]) => roles.map((r) => ({ value: r, label: roleLabels[r] }))
export const allRoleOptions = roleOptions(allRoles)

/** 联审部门审查员 belongs to a department. */
export const needsDepartment = (role: RoleName | '') => role === 'reviewer'

/** 包联村: only contact cadres and leaders have them, all in their own township. */
export const hasUnits = (role: RoleName | '') => role === 'contact_cadre' || role === 'leader'

export const phonePattern = /^1[3-9]\d{9}$/
export const usernamePattern = /^[A-Za-z0-9_.-]{3,32}$/
