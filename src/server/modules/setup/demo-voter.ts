/**
 * 选民登记 in the demo county (issue 7): three rolls of the 2026 campaign, so the voter pages open on
 * villages a township would recognise. 东营子村 (five village groups) and 西营子村 (four), both the
 * contact cadre's, in 新营子镇; 白音嘎查 (three groups, mostly Mongolian names) in 白音苏木, so that
 * a 新营子镇 user looking up one of its voters is told only "已在白音苏木登记".
 *
 * Each roll gets its election day from the township's organiser (30 and 35 days after `today`, so
 * the roll can still be published 20 days before), then a few hundred voters through the voter
 * import as a township would load the household-register export: the same checks, COPY, one audit
 * row per voter. The people of the unit already in the people registry (its Party and committee
 * members, nominees, reserve cadres) are on it with their own ID numbers. Afterwards the contact
 * cadre registers three by hand (one living here without hukou, agreed by the villagers'
 * representatives' meeting), and the organiser takes one off the roll (died). All three categories
 * appear; one voter turns 18 on election day itself. Names are made up and drawn from a seeded
 * generator: the same `today` gives the same roll. ID numbers are valid in form (GB 11643) in the
 * fictional area 150999. Call after seedDemoElections (the campaign) and seedDemoReview (the people).
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { checkCharOf } from '../../../rules/id-number/index.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { latestBirthDate, voterCategoryLabels, yearsBefore, type VoterCategory } from '../../../rules/voter/index.ts'
import { importVoters } from '../voter/import.ts'
import { createVoter, removeVoter, setElectionDay } from '../voter/service.ts'
import { DEMO_COUNTY } from './demo.ts'
import { demoCtx } from './demo-review.ts'

interface RollSpec {
  unitCode: string
  organiser: string
  /** Days from `today` to the election. */
  daysAhead: number
  /** Village groups and how many voters the import brings to each. */
  groups: [string, number][]
  /** Share of Mongolian names. */
  mongolian: number
  seed: number
}

const ROLLS: RollSpec[] = [
  {
    unitCode: '150999100201',
    organiser: 'xyz_organiser',
    daysAhead: 30,
    groups: [
      ['第一组', 96],
      ['第二组', 84],
      ['第三组', 102],
      ['第四组', 71],
      ['第五组', 58],
    ],
    mongolian: 0.04,
    seed: 201,
  },
  {
    unitCode: '150999100202',
    organiser: 'xyz_organiser',
    daysAhead: 30,
    groups: [
      ['第一组', 88],
      ['第二组', 76],
      ['第三组', 93],
      ['第四组', 64],
    ],
    mongolian: 0.06,
    seed: 202,
  },
  {
    unitCode: '150999200201',
    organiser: 'by_organiser',
    daysAhead: 35,
    groups: [
      ['第一组', 97],
      ['第二组', 86],
      ['第三组', 79],
    ],
    mongolian: 0.68,
    seed: 301,
  },
]

/** A small seeded generator (mulberry32): the demo is the same on every install with the same day. */
function generator(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  return { next, int, pick }
}
type Gen = ReturnType<typeof generator>

// Common surnames of the Han villages of central Inner Mongolia, the first ones more often.
const SURNAMES = '王李张刘赵杨孙高马郭于周吴徐陈韩宋白冯邢田崔贾孟曹任郝闫史苏石乔薛侯温梁董范常武段齐尹霍康姜贺杜魏袁'
const GIVEN = {
  // Born before 1970, 1970–1989, from 1990 on.
  male: [
    ['建国', '建军', '国华', '国庆', '志强', '志刚', '德胜', '福生', '长青', '宝山', '永福', '振东', '树林', '金山', '玉田', '占武', '凤山', '卫东', '满仓', '广才', '文明', '有才', '万祥', '德山', '二虎'],
    ['海军', '海峰', '春生', '立新', '志远', '晓东', '建平', '红军', '永军', '利军', '小平', '文斌', '军', '伟', '刚', '勇', '强', '磊', '鹏', '斌', '国栋', '东升', '瑞峰', '彦军'],
    ['浩然', '宇轩', '子豪', '俊杰', '博文', '一鸣', '嘉豪', '天宇', '晨阳', '泽宇', '思远', '子涵', '明轩', '亮', '浩', '宇', '超', '帅', '鑫', '凯'],
  ],
  female: [
    ['秀兰', '桂芝', '玉兰', '桂英', '凤英', '淑珍', '秀英', '翠花', '金花', '桂兰', '淑芬', '玉珍', '秀珍', '凤兰', '素琴', '玉梅', '兰英', '二女', '改花', '润梅'],
    ['丽华', '春梅', '红霞', '海燕', '秀梅', '雪梅', '晓燕', '丽娟', '雅琴', '艳', '丽', '静', '敏', '燕', '娟', '霞', '慧敏', '彩霞', '美玲', '晓红'],
    ['欣怡', '梓涵', '佳怡', '思雨', '雨萱', '婷', '悦', '佳琪', '诗涵', '可馨', '雪', '楠', '琳', '宇欣', '梦瑶', '晓雯', '佳慧', '婉婷'],
  ],
}
// Mongolian names as written in Chinese characters, bare or after the family's Han surname.
const MONGOLIAN = {
  male: ['巴特尔', '朝鲁', '额尔敦', '苏和', '那日松', '阿拉坦', '宝音', '毕力格', '乌力吉', '孟和', '巴图', '吉日嘎拉', '达来', '图门', '布和', '德力格尔', '哈斯', '满都拉', '特木尔', '宝力道', '斯琴巴特尔', '额尔德木图'],
  female: ['其其格', '乌云', '萨仁', '托娅', '图雅', '格日乐', '斯琴', '娜仁', '高娃', '乌兰', '塔娜', '萨日娜', '敖登', '阿拉坦其其格', '乌日娜', '苏布德', '额尔敦其木格', '琪琪格'],
  surnames: '包白鲍宝韩吴陈',
}
const AWAY_NOTES = ['在呼和浩特务工', '在包头打工', '在北京务工', '在鄂尔多斯开车', '在集宁做生意', '在天津务工', '在外地上学', '随子女在呼和浩特居住']
const NON_HUKOU_NOTES = ['嫁入本村，户籍未迁入', '外来承包户，租种本村耕地', '在本村养殖场务工', '随子女在本村居住']

/** Full years on E, weighted as a village is: fewer young people, many in their fifties and sixties. */
function ageOf(g: Gen): number {
  const r = g.next()
  if (r < 0.1) return g.int(18, 29)
  if (r < 0.3) return g.int(30, 44)
  if (r < 0.64) return g.int(45, 59)
  if (r < 0.9) return g.int(60, 74)
  return g.int(75, 92)
}

function nameOf(g: Gen, female: boolean, birthYear: number, mongolian: boolean, familyNames: string): string {
  if (mongolian) {
    const given = g.pick(female ? MONGOLIAN.female : MONGOLIAN.male)
    const r = g.next()
    if (r < 0.45) return given
    if (r < 0.97) return g.pick([...MONGOLIAN.surnames]) + given
    return `${given}·${g.pick(MONGOLIAN.male)}`
  }
  // A group's few big families make up half of it, as in a natural village.
  const surname = g.next() < 0.5 ? g.pick([...familyNames]) : SURNAMES[Math.floor(g.next() ** 1.6 * SURNAMES.length)]!
  const era = birthYear < 1970 ? 0 : birthYear < 1990 ? 1 : 2
  return surname + g.pick(GIVEN[female ? 'female' : 'male'][era]!)
}

interface Row {
  name: string
  idNumber: string
  group: string
  category: VoterCategory
  livingSince: string
  meetingApprovedOn: string
  note: string
}

/** 150999 + birth date + a sequence number (odd for men) + the check character; never one already used. */
function idNumber(birth: string, female: boolean, used: Set<string>, g: Gen): string {
  let order = g.int(0, 499) * 2 + (female ? 0 : 1)
  for (;;) {
    const body = `150999${birth.replaceAll('-', '')}${String(order).padStart(3, '0')}`
    const id = body + checkCharOf(body)
    if (!used.has(id)) {
      used.add(id)
      return id
    }
    order = (order + 2) % 1000
  }
}

function roster(spec: RollSpec, electionDay: string, today: string, known: { name: string; idNumber: string }[], used: Set<string>): Row[] {
  const g = generator(spec.seed)
  const rows: Row[] = []
  const groupNames = spec.groups.map(([name]) => name)
  // The registry's people first, spread over the groups.
  for (const [i, p] of known.entries()) rows.push({ name: p.name, idNumber: p.idNumber, group: groupNames[i % groupNames.length]!, category: 'resident', livingSince: '', meetingApprovedOn: '', note: '' })
  for (const [group, size] of spec.groups) {
    const families = Array.from({ length: 3 }, () => SURNAMES[g.int(0, 11)]!).join('')
    const count = group === groupNames[0] ? size - known.length : size
    for (let i = 0; i < count; i++) {
      const female = g.next() < 0.49
      const age = ageOf(g)
      const birth = addDays(yearsBefore(electionDay, age), -g.int(0, 364))
      const mongolian = g.next() < spec.mongolian
      let category: VoterCategory = 'resident'
      let livingSince = ''
      let meetingApprovedOn = ''
      let note = ''
      const r = g.next()
      if (age >= 20 && age <= 50 && r < 0.24) {
        category = 'away_opt_in'
        note = g.pick(AWAY_NOTES)
      } else if (age >= 22 && r > 0.97) {
        category = 'non_hukou'
        livingSince = addDays(today, -g.int(2 * 365, 18 * 365))
        // Agreed by the villagers' representatives' meeting that prepared the roll.
        meetingApprovedOn = addDays(today, -12)
        note = g.pick(NON_HUKOU_NOTES)
      }
      rows.push({ name: nameOf(g, female, Number(birth.slice(0, 4)), mongolian, families), idNumber: idNumber(birth, female, used, g), group, category, livingSince, meetingApprovedOn, note })
    }
  }
  // Someone whose eighteenth birthday is the election day itself: on the roll (rules.md §2.2 rule 6).
  const birth = latestBirthDate(electionDay)
  rows.push({ name: nameOf(g, true, Number(birth.slice(0, 4)), spec.mongolian > 0.5, '王'), idNumber: idNumber(birth, true, used, g), group: groupNames.at(-1)!, category: 'resident', livingSince: '', meetingApprovedOn: '', note: '选举日当天年满18周岁' })
  return rows
}

/** The roll as the household-register export a township would import (UTF-8 CSV in the template's columns). */
function csvOf(rows: Row[]): Buffer {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const lines = [['姓名*', '身份证号*', '村民小组', '登记类别', '居住起始日期', '村民会议同意日期', '备注']]
  for (const r of rows) lines.push([r.name, r.idNumber, r.group, voterCategoryLabels[r.category], r.livingSince, r.meetingApprovedOn, r.note])
  return Buffer.from(lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8')
}

/** The unit's people in the registry with their numbers: they live there, so they are voters there too. */
async function registryPeople(db: Kysely<DB>, cipher: IdCipher, unitCode: string): Promise<{ name: string; idNumber: string }[]> {
  const people = await db.selectFrom('person').select(['name', 'id_number_enc']).where('county_code', '=', DEMO_COUNTY).where('unit_code', '=', unitCode).orderBy('id').execute()
  return people.map((p) => ({ name: p.name, idNumber: cipher.decrypt(p.id_number_enc) }))
}

export async function seedDemoVoters(db: Kysely<DB>, cipher: IdCipher, today: string): Promise<void> {
  const used = new Set<string>()
  const ctxs = new Map<string, Ctx>()
  const as = async (username: string) => ctxs.get(username) ?? ctxs.set(username, await demoCtx(db, username)).get(username)!
  for (const spec of ROLLS) {
    const organiser = await as(spec.organiser)
    const electionDay = addDays(today, spec.daysAhead)
    await setElectionDay(db, organiser, spec.unitCode, { electionDay, version: 0 })
    const known = await registryPeople(db, cipher, spec.unitCode)
    for (const p of known) used.add(p.idNumber)
    const rows = roster(spec, electionDay, today, known, used)
    await importVoters(db, cipher, organiser, { buffer: csvOf(rows), fileName: '户籍底册导出.csv' }, { unitCode: spec.unitCode })
  }

  // 西营子村: three registered by hand by the contact cadre after the import.
  const cadre = await as('xyz_cadre')
  const xiying = ROLLS[1]!
  const g = generator(7)
  const byHand: { name: string; birth: string; female: boolean; villageGroup: string; category: VoterCategory; livingSince?: string; meetingApprovedOn?: string; note?: string }[] = [
    { name: '赵雨涵', birth: yearsBefore(addDays(today, -40), 18), female: true, villageGroup: '第二组', category: 'resident', note: '今年满18周岁，补充登记' },
    { name: '孙志鹏', birth: '1991-06-14', female: false, villageGroup: '第三组', category: 'away_opt_in', note: '在鄂尔多斯务工，电话表示回村参加选举' },
    {
      name: '程美华',
      birth: '1979-03-22',
      female: true,
      villageGroup: '第一组',
      category: 'non_hukou',
      livingSince: '2017-05-01',
      meetingApprovedOn: addDays(today, -12),
      note: '嫁入本村，户籍在丰镇市未迁入，本人书面申请',
    },
  ]
  for (const v of byHand) {
    await createVoter(db, cipher, cadre, {
      unitCode: xiying.unitCode,
      name: v.name,
      idNumber: idNumber(v.birth, v.female, used, g),
      villageGroup: v.villageGroup,
      category: v.category,
      livingSince: v.livingSince ?? null,
      meetingApprovedOn: v.meetingApprovedOn ?? null,
      note: v.note ?? '',
    })
  }

  // 东营子村: one voter died after the household register was exported.
  const organiser = await as('xyz_organiser')
  const oldest = await db
    .selectFrom('voter')
    .select(['id', 'version'])
    .where('county_code', '=', DEMO_COUNTY)
    .where('unit_code', '=', ROLLS[0]!.unitCode)
    .where('status', '=', 'active')
    .orderBy('birth_date')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  await removeVoter(db, organiser, oldest.id, { version: oldest.version, reason: '死亡（户籍底册导出后病故）' })
}
