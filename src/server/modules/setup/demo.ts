import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { conflict } from '../../http/errors.ts'
import { appendAudit } from '../audit/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { initialsOf } from '../territory/service.ts'
import { cliRequest, createCounty, createDepartments, createSystemUser, isEmpty, systemActor } from './service.ts'
import type { Role } from '../user/table.ts'
import type { Kind } from '../../../rules/division/index.ts'
import { loadDefaultCircumstances } from '../circumstance/service.ts'

/**
 * The demo county: fictional 青山旗 (code 150999, not a real division) with the seed report's
 * township 新营子镇 (26 villages, 2 communities) and a second township, 白音苏木 (6 嘎查村).
 * Names of places and people are made up.
 */
export const DEMO_COUNTY = '150999'
export const DEMO_COUNTY_CODE = '150999000000'
export const DEMO_TOWNSHIP = '150999100000'
export const DEMO_TOWNSHIP_2 = '150999200000'

const villages = [
  '东营子村', '西营子村', '南沟村', '北沟村', '前进村', '红旗村', '新发村', '永丰村', '太平村', '三道河村', '四道沟村', '五家子村', '六合村',
  '七里营村', '八家村', '九龙村', '十里铺村', '大榆树村', '小榆树村', '双井村', '柳条沟村', '杨树林村', '榆林村', '光明村', '胜利村', '团结村',
]
const communities = ['新营社区', '繁荣社区']
const gachas = ['白音嘎查', '乌兰嘎查', '巴彦嘎查', '宝力根嘎查', '哈达图嘎查', '额尔敦嘎查']

export const DEMO_DEPARTMENTS = [
  '旗纪委监委', '旗委组织部', '旗委政法委', '旗公安局', '旗人民法院', '旗人民检察院', '旗信访局', '旗民族宗教事务局', '旗卫生健康委员会', '旗自然资源局', '旗民政局',
]

export interface DemoLogin {
  username: string
  password: string
  displayName: string
  role: Role
  territory: string
}

interface DemoUserSpec extends Omit<DemoLogin, 'password'> {
  code: string
  unitCodes?: string[]
  department?: string
}

const code3 = (n: number) => String(n).padStart(3, '0')

/**
 * Loads the demo county into an empty database in one transaction. Passwords are random for each
 * install (a fixed demo password would be a default password, which 等保 forbids), printed once
 * and returned; tests may pass their own.
 */
export async function seedDemo(db: Kysely<DB>, opts: { passwords?: Partial<Record<string, string>> } = {}): Promise<DemoLogin[]> {
  if (!(await isEmpty(db))) throw conflict('数据库中已有区划数据，演示数据只能载入空数据库')
  const who = systemActor(DEMO_COUNTY, '系统（演示数据）')
  return db.transaction().execute(async (trx) => {
    await createCounty(trx, { code: DEMO_COUNTY_CODE, name: '青山旗', kind: 'banner' }, who)
    const nodes: { code: string; parent: string; name: string; kind: Kind; level: 'township' | 'unit' }[] = [
      { code: DEMO_TOWNSHIP, parent: DEMO_COUNTY_CODE, name: '新营子镇', kind: 'town', level: 'township' },
      { code: DEMO_TOWNSHIP_2, parent: DEMO_COUNTY_CODE, name: '白音苏木', kind: 'sumu', level: 'township' },
      ...communities.map((name, i) => ({ code: `150999100${code3(i + 1)}`, parent: DEMO_TOWNSHIP, name, kind: 'community' as const, level: 'unit' as const })),
      ...villages.map((name, i) => ({ code: `150999100${code3(201 + i)}`, parent: DEMO_TOWNSHIP, name, kind: 'village' as const, level: 'unit' as const })),
      ...gachas.map((name, i) => ({ code: `150999200${code3(201 + i)}`, parent: DEMO_TOWNSHIP_2, name, kind: 'gacha' as const, level: 'unit' as const })),
    ]
    for (const [i, n] of nodes.entries()) {
      const row = await territoryRepo.insertTerritory(trx, {
        county_code: DEMO_COUNTY,
        code: n.code,
        parent_code: n.parent,
        level: n.level,
        kind: n.kind,
        name: n.name,
        name_initials: initialsOf(n.name),
        sort: i,
        // 六合村, 光明村 and the 嘎查 are multi-ethnic: their teams must include a Mongolian member.
        minority_ethnicity: n.kind === 'gacha' || n.name === '六合村' || n.name === '光明村' ? '02' : null,
      })
      await appendAudit(trx, who, cliRequest, { action: 'territory.create', objectType: 'territory', objectId: n.code, after: row })
    }
    const departments = await createDepartments(trx, DEMO_COUNTY, DEMO_DEPARTMENTS, who)
    await loadDefaultCircumstances(trx, who, cliRequest)
    const cadreUnits = ['150999100201', '150999100202', '150999100203']
    const leaderUnits = ['150999100201', '150999100202', '150999100203', '150999100204', '150999100205']
    const users: DemoUserSpec[] = [
      { username: 'qs_admin', displayName: '王建国', role: 'county_admin', territory: '青山旗', code: DEMO_COUNTY_CODE },
      { username: 'xyz_organiser', displayName: '李秀兰', role: 'township_organiser', territory: '新营子镇', code: DEMO_TOWNSHIP },
      { username: 'xyz_leader', displayName: '张志强', role: 'leader', territory: '新营子镇', code: DEMO_TOWNSHIP, unitCodes: leaderUnits },
      { username: 'xyz_cadre', displayName: '刘海燕', role: 'contact_cadre', territory: '新营子镇', code: DEMO_TOWNSHIP, unitCodes: cadreUnits },
      { username: 'by_organiser', displayName: '巴特尔', role: 'township_organiser', territory: '白音苏木', code: DEMO_TOWNSHIP_2 },
      { username: 'qs_police', displayName: '赵明', role: 'reviewer', territory: '青山旗（旗公安局）', code: DEMO_COUNTY_CODE, department: '旗公安局' },
      { username: 'qs_court', displayName: '孙丽', role: 'reviewer', territory: '青山旗（旗人民法院）', code: DEMO_COUNTY_CODE, department: '旗人民法院' },
      { username: 'qs_auditor', displayName: '陈静', role: 'auditor', territory: '青山旗', code: DEMO_COUNTY_CODE },
    ]
    const logins: DemoLogin[] = []
    for (const u of users) {
      const { password } = await createSystemUser(
        trx,
        {
          countyCode: DEMO_COUNTY,
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          territoryCode: u.code,
          departmentId: u.department ? departments.get(u.department) : null,
          unitCodes: u.unitCodes,
          password: opts.passwords?.[u.username],
          // Demo accounts are for trying the system; a forced change on each would get in the way.
          mustChangePassword: false,
        },
        who,
      )
      logins.push({ username: u.username, password, displayName: u.displayName, role: u.role, territory: u.territory })
    }
    return logins
  })
}
