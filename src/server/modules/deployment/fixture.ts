/**
 * The people the deployment tests act as: a county with two townships, its admin, an organiser
 * of each township, a contact cadre of one unit, a leader, an auditor and a police reviewer, all
 * signed in. Used by the tests only.
 */
import { expect } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'

export interface Scope {
  t: TestApp
  c: CountyFixture
  admin: Session
  organiser: Session
  otherTownship: Session
  cadre: Session
  leader: Session
  auditor: Session
  reviewer: Session
  /** The organiser's display name, as rows and audit records name them. */
  organiserName: string
}

export async function deploymentScope(prefix: string): Promise<Scope> {
  const t = await testApp()
  const c = await t.make.county()
  const users = [
    ['admin', 'county_admin', c.county],
    ['org', 'township_organiser', c.townships[0]],
    ['org2', 'township_organiser', c.townships[1]],
    ['cadre', 'contact_cadre', c.townships[0]],
    ['leader', 'leader', c.townships[0]],
    ['auditor', 'auditor', c.county],
    ['police', 'reviewer', c.county],
  ] as const
  for (const [name, role, territoryCode] of users) {
    await t.make.user({ role, territoryCode, username: `${prefix}_${name}`, unitCodes: role === 'contact_cadre' ? [c.units[0][1]!] : undefined, departmentId: role === 'reviewer' ? c.departments.get('县公安局') : undefined })
  }
  const [admin, organiser, otherTownship, cadre, leader, auditor, reviewer] = await Promise.all(users.map(([name]) => t.login(`${prefix}_${name}`)))
  const organiserName = (await t.db.selectFrom('app_user').select('display_name').where('username', '=', `${prefix}_org`).executeTakeFirstOrThrow()).display_name
  return { t, c, admin: admin!, organiser: organiser!, otherTownship: otherTownship!, cadre: cadre!, leader: leader!, auditor: auditor!, reviewer: reviewer!, organiserName }
}

/** The body of a reply that must have this status (the body is shown when it has not). */
export function json<T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
