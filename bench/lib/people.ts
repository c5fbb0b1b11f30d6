import ExcelJS from 'exceljs'
import { checkCharOf } from '../../src/rules/id-number/index.ts'
import { educations, ethnicities, politicalStatuses } from '../../src/rules/codes/index.ts'

/** mulberry32, as in performance.md's generator: the same seed gives the same file. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅志文玉宝音额尔敦苏和乌云其木格那日斯琴高娃图雅'
const MONGOL = ['乌力吉·巴特尔', '其木格·苏和', '那日苏·额尔敦', '巴图·吉日嘎拉']
// Address codes of the people's birthplaces (any 6 digits the rules accept; the demo county's own and neighbours).
const ADDRESSES = ['150999', '150921', '150922', '150923', '150924', '150925', '150926', '152501', '152502', '152522']

/** The import template's header row (required columns starred, as the template writes them). */
export const PEOPLE_HEADER = ['姓名*', '身份证号*', '民族*', '学历*', '政治面貌*', '入党时间', '手机号', '所在村（社区）*', '后备干部']

const label = (list: readonly [string, string][], code: string) => list.find(([c]) => c === code)![1]
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/**
 * `count` people as a user fills the template: distinct, valid GB 11643 numbers (adults born
 * 1950–2003, check digit computed), labels rather than codes for the lists, units by name.
 */
export function* peopleRows(count: number, unitNames: readonly string[], seed = 42): Generator<(string | null)[]> {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const days = 54 * 12 * 28 // birth dates 1950-01-01 … 2003-12-28, day 1–28 of each month
  for (let i = 0; i < count; i++) {
    // Distinct by construction: (address, birth day, sequence) walks a space of 10 × 18,144 × 1,000.
    const day = i % days
    const rest = Math.floor(i / days)
    const address = ADDRESSES[rest % ADDRESSES.length]!
    const seq = 1 + Math.floor(rest / ADDRESSES.length) * 7 + Math.floor(r() * 7)
    const year = 1950 + Math.floor(day / (12 * 28))
    const month = 1 + (Math.floor(day / 28) % 12)
    const dom = 1 + (day % 28)
    const body = `${address}${year}${pad(month)}${pad(dom)}${pad(seq % 1000, 3)}`
    const idNumber = body + checkCharOf(body)
    const name = r() < 0.05 ? pick(MONGOL) : pick([...SURNAMES]) + pick([...GIVEN]) + (r() < 0.7 ? pick([...GIVEN]) : '')
    const ethnicity = r() < 0.75 ? '汉族' : r() < 0.8 ? '蒙古族' : label(ethnicities, pick(['03', '11', '45', '52', '31']))
    const education = label(educations, pick(['21', '31', '41', '61', '71', '81', '14']))
    const party = r() < 0.3
    const political = party ? label(politicalStatuses, r() < 0.9 ? '01' : '02') : label(politicalStatuses, r() < 0.2 ? '03' : '13')
    const joined = party ? `${Math.min(2024, year + 20 + Math.floor(r() * 10))}-${pad(1 + Math.floor(r() * 12))}-01` : null
    const phone = r() < 0.8 ? `1${pick(['3', '5', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}` : null
    yield [name, idNumber, ethnicity, education, political, joined, phone, pick(unitNames), r() < 0.1 ? '是' : '否']
  }
}

/**
 * Writes the rows as Excel and WPS save them: shared strings, styles, the ID, date and phone
 * columns formatted as text, as in the downloaded template.
 */
export async function writePeopleXlsx(file: string, rows: Iterable<(string | null)[]>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true })
  const ws = wb.addWorksheet('人员', { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = PEOPLE_HEADER.map((h, i) => ({ header: h, key: String(i), width: 16, style: [1, 5, 6, 7].includes(i) ? { numFmt: '@' } : {} }))
  for (const row of rows) ws.addRow(row).commit()
  ws.commit()
  await wb.commit()
}
