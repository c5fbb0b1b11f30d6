/**
 * What the 选民登记 pages share: the three registration categories with the conditions a township
 * checks before choosing one (labels and basis from rules/voter, so page and server say the same),
 * short names for narrow table cells, the roll's stages, and the Chinese names of the fields a
 * refusal points at.
 */
import { voterBasis, voterCategories, voterCategoryLabels, type VoterCategory } from '../../../rules/voter/index.ts'
import { formatDateTime } from '../../utils/format.ts'
import type { Roll } from '../../api/voter.ts'

export { voterCategories, voterCategoryLabels, type VoterCategory }

/** For table cells and tags; the full label is the tooltip. */
export const categoryShort: Record<VoterCategory, string> = {
  resident: '户籍在村·居住',
  away_opt_in: '户籍在村·外出',
  non_hukou: '非户籍·居住满一年',
}

/** What must be true (and checked) before a voter is registered in the category. */
export const categoryConditions: Record<VoterCategory, string> = {
  resident: '户籍在本村（社区），并在本村居住。',
  away_opt_in: '户籍在本村，本人不在本村居住，但本人表示参加本村选举（可电话、微信确认，去向写在备注里）。',
  non_hukou: '户籍不在本村，到选举日在本村居住满一年，本人申请参加选举，并经村民会议或村民代表会议同意。须填写居住起始日期和会议同意日期。',
}

export const categoryBasis: Record<VoterCategory, string> = {
  resident: voterBasis.resident,
  away_opt_in: voterBasis.awayOptIn,
  non_hukou: voterBasis.nonHukou,
}

export const categoryTagType: Record<VoterCategory, 'primary' | 'warning' | 'success'> = { resident: 'primary', away_opt_in: 'warning', non_hukou: 'success' }

export type RollStatus = Roll['status']

export const rollStatusLabels: Record<RollStatus, string> = { draft: '未公布', published: '已公布', frozen: '已冻结' }
export const rollStatusTypes: Record<RollStatus, 'info' | 'success' | 'danger'> = { draft: 'info', published: 'success', frozen: 'danger' }

export const genderLabel = (g: string) => (g === '1' ? '男' : g === '2' ? '女' : '')

/** The fields a refusal names, in the form's words. */
export const fieldLabels: Record<string, string> = {
  unitCode: '村（社区）',
  name: '姓名',
  idNumber: '身份证号',
  villageGroup: '村民小组',
  category: '登记类别',
  livingSince: '居住起始日期',
  meetingApprovedOn: '村民会议同意日期',
  deprived: '政治权利',
  note: '备注',
  electionDay: '选举日',
  reason: '移出原因',
}

/** Today in China, whatever the phone's time zone. */
export const todayInChina = () => formatDateTime(new Date().toISOString()).slice(0, 10)

const digits: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 十二 → 12, 二十三 → 23, 7 → 7 (up to 99: a village has no more groups). */
function numeral(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text)
  const m = /^([一二两三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text)
  if (!m || !text) return null
  if (!m[2]) return m[3] ? null : digits[m[1]!] ?? null
  return (m[1] ? digits[m[1]]! : 1) * 10 + (m[3] ? digits[m[3]]! : 0)
}

/**
 * Village groups in their own order (第二组 before 第十组), not the collation's (第三组 before 第二组);
 * names without a number follow, alphabetically, and "no group" comes last.
 */
export function byGroup(a: string, b: string): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0
  const n = (s: string) => {
    const m = /([〇零一二两三四五六七八九十]+|\d+)/.exec(s)
    return m ? numeral(m[1]!) : null
  }
  const x = n(a)
  const y = n(b)
  if (x !== null && y !== null && x !== y) return x - y
  if ((x === null) !== (y === null)) return x === null ? 1 : -1
  return a.localeCompare(b, 'zh-CN')
}
