import { createCampaign } from '../campaign/service.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import type { Sheet } from '../../../rules/tally/reconcile.ts'
import type { TallyPost } from '../../../rules/tally/types.ts'
import { createElection, setCandidates, setStaff, setStations, updateElection } from '../election/service.ts'
import { announce, confirm, saveSheet, startCount, submit } from '../election/results.ts'
import { createHolding } from '../post/service.ts'
import { demoCtx, demoPersonMaker } from './demo-review.ts'

/** Someone registered in a unit: a Party member unless said otherwise (群众). */
interface Who {
  name: string
  birth: string
  female: boolean
  /** GB/T 4658: 21 本科, 31 专科 (both 大专及以上), 41 中专, 61 高中, 71 初中. */
  edu: string
  party: boolean
}
const man = (name: string, birth: string, edu: string, party = true): Who => ({ name, birth, female: false, edu, party })
const woman = (name: string, birth: string, edu: string, party = true): Who => ({ name, birth, female: true, edu, party })

interface Unit {
  code: string
  /** Election day, January 2021 (the Party committee and, the same day, its first plenary meeting). */
  day: 5 | 6 | 7 | 8 | 9
  /** 应到会 and 实到会 full Party members. */
  entitled: number
  present: number
  /** Elected, in this order: the secretary, (the deputy secretary,) the members. */
  elected: Who[]
  /** The 差额 candidate not elected. */
  loser: Who
  /** 后备干部, not candidates; the first (a Party member) is the chief monitor. */
  reserves: Who[]
  /**
   * The villagers' or residents' committee elected in March 2021, entered by hand: the chair first,
   * then the vice chair (where 4 or more), then members. A name is someone above (交叉任职); null:
   * demo-review.ts enters it (东营子村).
   */
  committee: (string | Who)[] | null
  place?: string
}

/**
 * 新营子镇's 28 Party rounds. Together the 88 elected give the seed report's figures exactly: 28
 * secretaries, 1 woman secretary (新营社区), 19 women, 7 under 35 on their election day, 57 with
 * 大专及以上. The two communities elect 5 members (secretary and deputy), the villages 3.
 * Deliberate misses of the "two committees" targets, for the compliance matrix: 红旗村 has no one
 * under 35, 永丰村 only one with college education, and in 繁荣社区 and 前进村 the secretary is not
 * the chair (no 一肩挑).
 */
const UNITS: Unit[] = [
  {
    code: '150999100001', // 新营社区: the woman secretary.
    day: 5,
    entitled: 86,
    present: 79,
    elected: [
      woman('刘慧敏', '1972-04-18', '21'),
      man('张宏伟', '1976-09-03', '21'),
      woman('马晓燕', '1988-06-12', '21'), // under 35
      man('胡振宇', '1981-02-27', '31'),
      man('宁海军', '1969-11-30', '31'),
    ],
    loser: man('罗永强', '1965-07-22', '61'),
    reserves: [woman('褚佳琪', '1994-03-08', '21'), man('齐浩然', '1995-10-16', '21', false)],
    committee: ['刘慧敏', '张宏伟', '马晓燕', woman('程丽萍', '1983-05-19', '31', false), man('邓子豪', '1990-08-25', '21', false)],
  },
  {
    code: '150999100002', // 繁荣社区: the deputy secretary chairs the residents' committee (no 一肩挑).
    day: 5,
    entitled: 72,
    present: 66,
    elected: [
      man('梁振华', '1967-03-14', '21'),
      woman('钱玉梅', '1975-12-01', '31'),
      woman('袁静怡', '1990-07-07', '21'), // under 35
      man('何立群', '1979-05-26', '31'),
      man('曹德明', '1962-08-19', '61'),
    ],
    loser: man('蒋国庆', '1970-10-01', '31'),
    reserves: [man('陶宇航', '1993-02-11', '21')],
    committee: ['钱玉梅', man('谭建新', '1978-04-04', '31', false), '何立群', woman('方雪莲', '1986-09-21', '31', false), man('孔令辉', '1992-12-05', '21', false)],
  },
  {
    code: '150999100201', // 东营子村: the team that demo-election's 2026 round replaces.
    day: 5,
    entitled: 24,
    present: 21,
    elected: [man('孙国华', '1968-03-12', '31'), woman('周丽娟', '1979-11-02', '31'), man('吴振东', '1985-06-20', '31')],
    loser: man('邢宝林', '1958-04-16', '71'),
    reserves: [man('沈博文', '1991-09-09', '21')],
    committee: null,
    place: '村委会会议室',
  },
  {
    code: '150999100202', // 西营子村
    day: 5,
    entitled: 38,
    present: 34,
    elected: [man('白树森', '1966-02-09', '31'), woman('鲁秀梅', '1974-06-28', '21'), man('常永利', '1960-10-10', '61')],
    loser: man('郝长顺', '1957-01-30', '71'),
    reserves: [man('温子轩', '1992-04-14', '31')],
    committee: ['白树森', '鲁秀梅', man('祁晓东', '1991-07-30', '31', false), man('乔保平', '1968-05-05', '71', false)],
  },
  {
    code: '150999100203', // 南沟村
    day: 5,
    entitled: 45,
    present: 41,
    elected: [man('任德胜', '1963-11-11', '31'), man('冉立华', '1989-03-03', '21'), woman('姜淑英', '1971-08-08', '61')], // 冉立华 under 35
    loser: man('汪春林', '1961-12-24', '71'),
    reserves: [woman('殷梦瑶', '1993-05-20', '21')],
    committee: ['任德胜', '姜淑英', man('柴国栋', '1975-02-17', '41', false)],
  },
  {
    code: '150999100204', // 北沟村
    day: 5,
    entitled: 33,
    present: 30,
    elected: [man('屈志国', '1970-05-15', '21'), woman('闫春燕', '1977-03-21', '31'), man('房建业', '1964-09-09', '71')],
    loser: man('葛长发', '1959-06-06', '61'),
    reserves: [man('单雨泽', '1994-11-02', '31')],
    committee: ['屈志国', '房建业', '闫春燕', woman('滕晓雪', '1995-01-26', '31', false)],
  },
  {
    code: '150999100205', // 前进村: the chair is not the secretary (no 一肩挑).
    day: 6,
    entitled: 41,
    present: 37,
    elected: [man('戚宝贵', '1961-07-07', '31'), man('严志刚', '1973-10-20', '21'), man('凌桂林', '1967-04-11', '61')],
    loser: man('卜金山', '1956-03-03', '71'),
    reserves: [man('翟一鸣', '1992-06-18', '21')],
    committee: [man('左建民', '1969-08-16', '31'), '严志刚', woman('习丽娜', '1991-12-12', '31', false), woman('桑春花', '1976-05-05', '71', false)],
  },
  {
    code: '150999100206', // 红旗村: no one under 35 in either committee (its young reserve cadre holds no post).
    day: 6,
    entitled: 29,
    present: 26,
    elected: [man('牛振江', '1962-12-12', '31'), woman('芦桂香', '1970-02-02', '61'), man('纪长林', '1966-06-30', '71')],
    loser: man('伍海涛', '1968-09-19', '61'),
    reserves: [man('骆天宇', '1994-08-08', '31')],
    committee: ['牛振江', '纪长林', man('毕永庆', '1975-03-27', '31', false), woman('庞雪梅', '1979-11-11', '61', false)],
  },
  {
    code: '150999100207', // 新发村
    day: 6,
    entitled: 52,
    present: 47,
    elected: [man('聂建军', '1968-08-28', '21'), woman('谷晓丽', '1978-04-09', '41'), man('霍思远', '1991-02-14', '21')], // 霍思远 under 35
    loser: man('甘德福', '1963-05-05', '71'),
    reserves: [man('苗雨辰', '1993-12-30', '31'), woman('柏诗涵', '1996-10-10', '21', false)],
    committee: ['聂建军', '霍思远', '谷晓丽', man('权利民', '1972-07-17', '61', false)],
  },
  {
    code: '150999100208', // 永丰村: only one of the two committees has college education (符永胜).
    day: 6,
    entitled: 36,
    present: 32,
    elected: [man('车树林', '1964-01-20', '61'), man('符永胜', '1972-09-09', '31'), man('管玉山', '1969-03-15', '71')],
    loser: man('章有才', '1960-11-28', '71'),
    reserves: [man('容博涛', '1994-07-07', '61')],
    committee: ['车树林', '管玉山', woman('戈小燕', '1993-04-22', '61', false)],
  },
  {
    code: '150999100209', // 太平村
    day: 6,
    entitled: 44,
    present: 40,
    elected: [man('娄国梁', '1965-06-16', '31'), woman('裴红梅', '1980-01-31', '21'), man('巩德才', '1958-07-21', '61')],
    loser: man('洪长江', '1962-04-04', '71'),
    reserves: [man('仲凯文', '1993-09-15', '21')],
    committee: ['娄国梁', '裴红梅', man('阮晨阳', '1994-02-28', '31', false), woman('蓝素琴', '1968-10-10', '71', false)],
  },
  {
    code: '150999100210', // 三道河村
    day: 6,
    entitled: 31,
    present: 28,
    elected: [man('景瑞祥', '1967-05-09', '21'), man('桂长明', '1975-08-30', '31'), man('全福海', '1963-02-06', '61')],
    loser: man('简振邦', '1961-09-27', '71'),
    reserves: [man('麦子航', '1993-05-25', '31')],
    committee: ['景瑞祥', '桂长明', woman('晏秋菊', '1992-09-01', '31', false)],
  },
  {
    code: '150999100211', // 四道沟村
    day: 7,
    entitled: 47,
    present: 42,
    elected: [
      man('闵建华', '1966-11-05', '21'),
      woman('岳美玲', '1978-07-14', '31'),
      // Boundary case: 35 years old on the very election day (2021-01-07), so NOT under 35.
      man('邬志鹏', '1986-01-07', '61'),
    ],
    loser: man('舒广才', '1964-03-18', '71'),
    reserves: [man('钮浩宇', '1994-08-19', '21')],
    committee: ['闵建华', '邬志鹏', '岳美玲', woman('欧阳婷', '1993-06-06', '21', false)],
  },
  {
    code: '150999100212', // 五家子村
    day: 7,
    entitled: 27,
    present: 24,
    elected: [man('邱振海', '1960-04-25', '31'), man('丰宝才', '1971-12-08', '61'), man('韦长生', '1966-08-15', '71')],
    loser: man('平立新', '1962-05-30', '61'),
    reserves: [man('商晨曦', '1994-01-13', '21')],
    committee: ['邱振海', '丰宝才', woman('沙文静', '1990-03-09', '31', false), man('那仁·满都拉', '1974-07-07', '61', false)],
  },
  {
    code: '150999100213', // 六合村
    day: 7,
    entitled: 39,
    present: 35,
    elected: [man('尚德金', '1969-09-09', '31'), woman('乌云·其其格', '1976-02-20', '31'), man('厉永新', '1961-06-12', '71')],
    loser: man('詹金宝', '1963-10-03', '61'),
    reserves: [man('巫俊杰', '1993-03-16', '31')],
    committee: ['尚德金', '乌云·其其格', man('盛子涵', '1995-11-20', '21', false)],
  },
  {
    code: '150999100214', // 七里营村
    day: 7,
    entitled: 34,
    present: 31,
    elected: [man('季忠良', '1965-10-18', '21'), man('喻建伟', '1977-04-27', '31'), man('焦满仓', '1962-01-09', '71')],
    loser: man('宫占武', '1960-08-08', '61'),
    reserves: [man('侯宇轩', '1994-05-04', '21')],
    committee: ['季忠良', '喻建伟', woman('边晓慧', '1992-08-13', '31', false), man('储大勇', '1970-06-01', '71', false)],
  },
  {
    code: '150999100215', // 八家村
    day: 7,
    entitled: 43,
    present: 39,
    elected: [man('阚立军', '1964-07-29', '31'), woman('童秀兰', '1973-05-13', '21'), man('卞德福', '1968-12-19', '61')],
    loser: man('明玉龙', '1966-02-22', '71'),
    reserves: [woman('费梓涵', '1994-09-30', '31')],
    committee: ['阚立军', '童秀兰', man('雍天佑', '1991-10-01', '41', false)],
  },
  {
    code: '150999100216', // 九龙村
    day: 7,
    entitled: 50,
    present: 45,
    elected: [man('郜志明', '1967-01-16', '21'), man('苑佳明', '1990-05-08', '31'), man('鞠长海', '1959-09-24', '61')], // 苑佳明 under 35
    loser: man('芮国栋', '1964-06-06', '71'),
    reserves: [man('阎浩', '1994-12-12', '31')],
    committee: ['郜志明', '苑佳明', woman('冷桂芬', '1971-03-03', '61', false), woman('钟雨桐', '1996-06-16', '31', false)],
  },
  {
    code: '150999100217', // 十里铺村
    day: 8,
    entitled: 37,
    present: 33,
    elected: [man('覃振国', '1963-08-14', '31'), woman('陆彩云', '1979-09-06', '31'), man('俞得水', '1965-11-23', '71')],
    loser: man('井长荣', '1961-01-01', '61'),
    reserves: [man('荆一凡', '1993-07-21', '21')],
    committee: ['覃振国', '陆彩云', '俞得水', man('卫子健', '1995-04-04', '31', false)],
  },
  {
    code: '150999100218', // 大榆树村
    day: 8,
    entitled: 48,
    present: 43,
    elected: [man('蒲国强', '1962-03-26', '31'), man('项长贵', '1970-07-11', '61'), man('祝永福', '1966-05-17', '71')],
    loser: man('邝德海', '1958-10-30', '71'),
    reserves: [man('宗博宇', '1994-03-12', '31')],
    committee: ['蒲国强', '项长贵', woman('苏日娜·格日勒', '1990-10-12', '21', false), man('向东升', '1973-12-30', '61', false)],
  },
  {
    code: '150999100219', // 小榆树村
    day: 8,
    entitled: 30,
    present: 27,
    elected: [man('席宏斌', '1968-04-30', '21'), woman('解玉珍', '1975-01-05', '31'), man('隋长友', '1963-07-19', '61')],
    loser: man('栾金柱', '1960-02-14', '71'),
    reserves: [man('晁明轩', '1993-10-28', '31')],
    committee: ['席宏斌', '解玉珍', man('牟天翔', '1992-12-18', '31', false)],
  },
  {
    code: '150999100220', // 双井村
    day: 8,
    entitled: 35,
    present: 31,
    elected: [man('伏建设', '1964-09-01', '31'), man('路晓峰', '1988-11-27', '21'), man('臧金贵', '1960-05-21', '71')], // 路晓峰 under 35
    loser: man('计宝成', '1962-08-09', '61'),
    reserves: [man('强子明', '1994-02-02', '31')],
    committee: ['伏建设', '路晓峰', woman('池秀芝', '1974-04-16', '61', false), man('冀德顺', '1969-06-26', '71', false)],
  },
  {
    code: '150999100221', // 柳条沟村
    day: 8,
    entitled: 42,
    present: 38,
    elected: [man('贝守成', '1965-12-03', '21'), woman('鲍翠萍', '1972-08-25', '31'), man('叶金锁', '1961-04-08', '61')],
    loser: man('党玉成', '1963-03-30', '71'),
    reserves: [man('翁锦程', '1993-01-19', '21')],
    committee: ['贝守成', '叶金锁', '鲍翠萍', man('帅文轩', '1996-07-09', '31', false)],
  },
  {
    code: '150999100222', // 杨树林村
    day: 9,
    entitled: 46,
    present: 41,
    elected: [man('禹成林', '1966-06-22', '31'), man('和永平', '1974-02-18', '21'), man('古德林', '1962-09-13', '61')],
    loser: man('蔺学军', '1960-12-06', '71'),
    reserves: [man('胥嘉懿', '1994-04-24', '21')],
    committee: ['禹成林', '和永平', woman('满小凤', '1991-05-31', '31', false), woman('农淑贞', '1970-11-15', '71', false)],
  },
  {
    code: '150999100223', // 榆林村
    day: 9,
    entitled: 40,
    present: 36,
    elected: [man('步庆丰', '1967-10-09', '31'), woman('谈秀珍', '1977-06-02', '21'), man('查长胜', '1964-02-27', '61')],
    loser: man('邴福来', '1959-05-14', '71'),
    reserves: [man('郦子墨', '1993-08-05', '31')],
    committee: ['步庆丰', '谈秀珍', '查长胜', man('宦佳乐', '1994-11-11', '41', false)],
  },
  {
    code: '150999100224', // 光明村
    day: 9,
    entitled: 28,
    present: 25,
    elected: [man('寇振华', '1963-01-28', '31'), man('额尔敦·巴图', '1969-08-03', '61'), man('施福全', '1965-10-25', '71')],
    loser: man('保金海', '1961-06-19', '61'),
    reserves: [man('乐子昂', '1994-06-30', '31')],
    committee: ['寇振华', '额尔敦·巴图', woman('萨仁·高娃', '1992-03-17', '31', false), man('时俊峰', '1971-07-07', '61', false)],
  },
  {
    code: '150999100225', // 胜利村
    day: 9,
    entitled: 55,
    present: 50,
    elected: [man('索国柱', '1964-05-11', '21'), woman('赖春兰', '1974-09-14', '31'), man('蒯长寿', '1960-03-08', '61')],
    loser: man('佘玉山', '1962-11-19', '71'),
    reserves: [woman('仇思琪', '1994-10-21', '21'), man('艾浩轩', '1996-01-29', '31', false)],
    committee: ['索国柱', '赖春兰', man('宝音·德力格尔', '1993-05-09', '31', false), woman('庄桂琴', '1969-12-24', '61', false)],
  },
  {
    code: '150999100226', // 团结村
    day: 9,
    entitled: 38,
    present: 34,
    elected: [man('从志华', '1965-07-04', '31'), man('鄂晓军', '1992-01-21', '21'), man('冼有福', '1961-02-12', '71')], // 鄂晓军 under 35
    loser: man('浦树清', '1963-09-17', '61'),
    reserves: [man('雷子骞', '1994-08-11', '31')],
    committee: ['从志华', '鄂晓军', woman('栗红艳', '1978-03-05', '31', false), man('伊永泉', '1967-11-30', '71', false)],
  },
]

/** The township cadre covering each day's units, who counted the ballots (计票人). */
const countersByDay: Record<Unit['day'], string> = { 5: '薛文博', 6: '尹春来', 7: '邵桂兰', 8: '贺建平', 9: '龚淑芬' }

/** A count sheet with everything in one main station; undecided votes split between 不赞成 and 弃权. */
function sheetOf(stationId: string | null, a: { printed: number; issued: number; returned: number; spoiled: number; unused: number }, voidBallots: number, approvals: [string, number][]): Sheet {
  const valid = a.returned - voidBallots
  return {
    ...a,
    stations: stationId ? [{ stationId, ...a }] : [],
    validBallots: valid,
    voidBallots,
    candidates: Object.fromEntries(approvals.map(([id, approve]) => [id, { approve, disapprove: Math.ceil((valid - approve) / 2), abstain: Math.floor((valid - approve) / 2) }])),
    writeIns: [],
  }
}

/** Enters, confirms blind (背对背, the county admin) and announces a count sheet; checks who won. */
async function countAndAnnounce(db: Kysely<DB>, organiser: Ctx, admin: Ctx, electionId: string, sheet: Sheet, winners: string[]) {
  let r = await startCount(db, organiser, electionId, 'totals')
  r = await saveSheet(db, organiser, r.id, r.version, sheet)
  r = await submit(db, organiser, r.id, r.version)
  r = await confirm(db, admin, r.id, { version: r.version, mode: 'double', sheet })
  r = await announce(db, organiser, r.id, r.version)
  const elected = r.outcome?.elected.map((x) => x.name) ?? []
  if (elected.length !== winners.length || winners.some((w) => !elected.includes(w))) throw new Error(`演示数据：选举结果与设计不符（应当选 ${winners.join('、')}，实际 ${elected.join('、')}）`)
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The seed report's Party round (“2021年1月5日至9日，全镇26个村、2个社区圆满完成了党组织换届工作”),
 * entered in 新营子镇 as real elections through the election services, as the township organiser
 * with the county admin confirming each count: every unit's Party committee (差额, counted from the
 * signed sheet) and, the same day, its first plenary meeting electing the secretary (and in the
 * communities a deputy, 等额), approved by the township Party committee. Then the villagers' and
 * residents' committees of March 2021, entered by hand as incumbents. Registers 新营子镇's people
 * with ID sequence numbers from 101 on (demo-review uses 1 on, demo-election 51 on). Fixed dates and
 * figures, nothing random. Call after seedDemo and before seedDemoReview (which uses 东营子村's
 * people registered here).
 */
export async function seedDemo2021(db: Kysely<DB>, cipher: IdCipher): Promise<void> {
  const organiser = await demoCtx(db, 'xyz_organiser')
  const admin = await demoCtx(db, 'qs_admin')
  // The round's window: the Party round in January, the committees in March (ages on each unit's election day).
  await createCampaign(db, admin, { year: 2021, name: '2021年村（社区）“两委”换届', startsOn: '2020-11-01', endsOn: '2021-10-31' })
  const person = demoPersonMaker(db, cipher, organiser, 100)
  for (const [i, u] of UNITS.entries()) {
    const ids = new Map<string, string>()
    const register = async (w: Who, reserve = false) => ids.set(w.name, (await person(w.name, u.code, w.birth, w.female, w.party, w.edu, reserve)).id)
    for (const w of [...u.elected, u.loser]) await register(w)
    for (const w of u.reserves) await register(w, true)
    for (const w of u.committee ?? []) if (typeof w !== 'string') await register(w)
    const id = (w: Who | string) => ids.get(typeof w === 'string' ? w : w.name)!
    const heldOn = `2021-01-${pad(u.day)}`
    const place = u.place ?? (u.code.slice(9) < '200' ? '社区党群服务中心' : '村党群服务中心')
    const seats = u.elected.length

    // The Party members' meeting elects the committee: 差额, ceil(seats × 1.2) candidates.
    let e = await createElection(db, organiser, { unitCode: u.code, body: 'party_committee', heldOn, place, entitled: u.entitled, present: u.present, posts: [{ post: 'member', seats }] })
    e = await setCandidates(db, organiser, e.id, e.version, [...u.elected, u.loser].map((w) => ({ post: 'member' as const, personId: id(w) })))
    e = await setStaff(db, organiser, e.id, e.version, [
      { role: 'chief_monitor', name: u.reserves[0]!.name },
      { role: 'counter', name: countersByDay[u.day] },
    ])
    e = await setStations(db, organiser, e.id, e.version, [{ kind: 'main', name: place }])
    // Every member present gets a ballot and returns it; ballots printed for all 应到会, a few spoiled.
    // Winners in table order have valid − k votes, the loser at most what they left (Σk), so no
    // ballot approves more than the seats.
    const spoiled = i % 3 === 0 ? 1 : 0
    const account = { printed: u.entitled + spoiled, issued: u.present, returned: u.present, spoiled, unused: u.entitled - u.present }
    const voidBallots = i % 2
    const valid = u.present - voidBallots
    const k = seats === 5 ? [1, 2, 4, 6, 8] : [1 + (i % 2), 3 + (i % 3), 5 + (i % 4)]
    const loserVotes = k.reduce((s, x) => s + x, 0) - 1 - (i % 3)
    const cand = (w: Who) => e.candidates.find((c) => c.personId === id(w))!.id
    const sheet = sheetOf(e.stations[0]!.id, account, voidBallots, [...u.elected.map((w, j): [string, number] => [cand(w), valid - k[j]!]), [cand(u.loser), loserVotes]])
    await countAndAnnounce(db, organiser, admin, e.id, sheet, u.elected.map((w) => w.name))

    // The new committee's first plenary meeting: the secretary (and deputy) 等额, approved by the township.
    const heads: [TallyPost, Who][] = seats === 5 ? [['secretary', u.elected[0]!], ['deputy_secretary', u.elected[1]!]] : [['secretary', u.elected[0]!]]
    let s = await createElection(db, organiser, { unitCode: u.code, body: 'party_secretary', heldOn, place, entitled: seats, present: seats, posts: heads.map(([post]) => ({ post, seats: 1 })) })
    s = await setCandidates(db, organiser, s.id, s.version, heads.map(([post, w]) => ({ post, personId: id(w) })))
    s = await updateElection(db, organiser, s.id, { version: s.version, approvalRef: `新营子镇党委〔2021〕${3 + i}号`, approvedOn: `2021-01-${pad(u.day + 5)}` })
    // In the communities one ballot does not approve the deputy.
    const secretarySheet = sheetOf(null, { printed: seats, issued: seats, returned: seats, spoiled: 0, unused: 0 }, 0, s.candidates.map((c, j) => [c.id, seats - j]))
    await countAndAnnounce(db, organiser, admin, s.id, secretarySheet, heads.map(([, w]) => w.name))

    // The villagers' (residents') committee elected in March 2021, entered as incumbents.
    for (const [j, w] of (u.committee ?? []).entries()) {
      const post = j === 0 ? 'chair' : j === 1 && u.committee!.length >= 4 ? 'vice_chair' : 'member'
      await createHolding(db, organiser, { unitCode: u.code, personId: id(w), body: 'committee', post, since: '2021-03-20' })
    }
  }
}
