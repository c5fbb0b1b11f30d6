import type { Role } from '../modules/user/table.ts'
import type { TerritoryLevel } from '../modules/territory/table.ts'

/** The signed-in user as every service sees it; built from the session on each request. */
export interface Actor {
  userId: string
  countyCode: string
  username: string
  displayName: string
  role: Role
  territoryCode: string
  territoryLevel: TerritoryLevel
  departmentId: string | null
  /** Units assigned to a contact cadre or leader (包村). */
  unitCodes: string[]
  sessionHash: string
  mustChangePassword: boolean
}

/** Who acts, from where: what an audit row needs beyond the change itself. */
export interface RequestInfo {
  requestId: string
  ip: string
  userAgent: string
}

export interface Ctx extends RequestInfo {
  actor: Actor
}
