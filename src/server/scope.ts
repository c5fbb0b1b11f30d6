import type { Actor } from './http/context.ts'
import type { TerritoryLevel } from './modules/territory/table.ts'

/**
 * Territory scope. Statistical division codes nest by prefix: a county is `CCCCCC000000`, its
 * townships `CCCCCCTTT000`, their units `CCCCCCTTTVVV`. So "this node and below" is a prefix.
 */
export function levelOfCode(code: string): TerritoryLevel {
  if (code.endsWith('000000')) return 'county'
  if (code.endsWith('000')) return 'township'
  return 'unit'
}

export function prefixOf(code: string): string {
  const level = levelOfCode(code)
  return level === 'county' ? code.slice(0, 6) : level === 'township' ? code.slice(0, 9) : code
}

/** The code prefix of everything the actor's node covers. */
export function scopePrefix(actor: Actor): string {
  return prefixOf(actor.territoryCode)
}

/** Contact cadres see only the units assigned to them, not their whole township. */
export function limitedToAssignedUnits(actor: Actor): boolean {
  return actor.role === 'contact_cadre'
}

export function canSeeTerritory(actor: Actor, code: string): boolean {
  if (code.slice(0, 6) !== actor.countyCode) return false
  if (limitedToAssignedUnits(actor)) return actor.unitCodes.includes(code)
  return code.startsWith(scopePrefix(actor))
}

/** Whether the actor's node covers `code` (the actor's own node included). */
export function covers(actor: Actor, code: string): boolean {
  return code.slice(0, 6) === actor.countyCode && code.startsWith(scopePrefix(actor))
}
