import { randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/server/db/schema.ts'
import { createCounty, createDepartments, createSystemUser } from '../../src/server/modules/setup/service.ts'
import * as territoryRepo from '../../src/server/modules/territory/repo.ts'
import { initialsOf } from '../../src/server/modules/territory/service.ts'
import type { Role } from '../../src/server/modules/user/table.ts'

export interface CountyFixture {
  countyCode: string
  /** `CCCCCC000000` */
  county: string
  townships: [string, string]
  /** Three units in each township: [township 1 units, township 2 units]. */
  units: [string[], string[]]
  departments: Map<string, string>
}

export interface Factories {
  county(countyCode?: string): Promise<CountyFixture>
  user(opts: { role: Role; territoryCode: string; username?: string; unitCodes?: string[]; departmentId?: string; password?: string; mustChangePassword?: boolean }): Promise<{ id: string; username: string }>
}

let counter = 0

/** Test data through the real setup functions, so rows look as the application writes them. */
export function makeFactories(db: Kysely<DB>): Factories {
  return {
    async county(countyCode = `15${String(randomInt(1000, 9999))}`) {
      const county = `${countyCode}000000`
      const townships: [string, string] = [`${countyCode}100000`, `${countyCode}101000`]
      const units: [string[], string[]] = [
        [`${countyCode}100001`, `${countyCode}100201`, `${countyCode}100202`],
        [`${countyCode}101001`, `${countyCode}101201`, `${countyCode}101202`],
      ]
      const departments = await db.transaction().execute(async (trx) => {
        await createCounty(trx, { code: county, name: `测试${countyCode}县`, kind: 'county' })
        for (const [i, t] of townships.entries()) {
          await territoryRepo.insertTerritory(trx, { county_code: countyCode, code: t, parent_code: county, level: 'township', kind: 'town', name: `第${i + 1}镇`, name_initials: initialsOf(`第${i + 1}镇`) })
          for (const u of units[i]!) {
            const kind = u.endsWith('001') ? 'community' : 'village'
            const name = `${i + 1}镇${u.slice(-3)}${kind === 'community' ? '社区' : '村'}`
            await territoryRepo.insertTerritory(trx, { county_code: countyCode, code: u, parent_code: t, level: 'unit', kind, name, name_initials: initialsOf(name) })
          }
        }
        return createDepartments(trx, countyCode, ['县公安局', '县人民法院'])
      })
      return { countyCode, county, townships, units, departments }
    },
    async user(opts) {
      const username = opts.username ?? `u${++counter}_${opts.role}`.slice(0, 32)
      const r = await db.transaction().execute((trx) =>
        createSystemUser(trx, {
          countyCode: opts.territoryCode.slice(0, 6),
          username,
          displayName: `测试${opts.role}${counter}`,
          role: opts.role,
          territoryCode: opts.territoryCode,
          unitCodes: opts.unitCodes,
          departmentId: opts.departmentId ?? null,
          password: opts.password ?? 'Cz9#kPq2vLm7',
          mustChangePassword: opts.mustChangePassword ?? false,
        }),
      )
      return { id: r.id, username }
    },
  }
}
