import type { LegalBasis, TallyBody } from './types.ts'

/**
 * The legal basis the engine cites, as data (rules.md: store law, version and article). Article
 * numbers the research could not confirm say so rather than guess; the village law's numbers are
 * those of the 2018 text, and the 2026 round runs under the text in force from 2026-01-01.
 */
const partyRegulation = (article: string): LegalBasis => ({ law: '中国共产党基层组织选举工作条例', version: '2020年7月印发', article })
const villageLaw = (article: string): LegalBasis => ({ law: '中华人民共和国村民委员会组织法', version: '2018年修正文本条号（2026年1月1日起施行的修正文本请核对条号）', article })
const residentNote: LegalBasis = { law: '中华人民共和国城市居民委员会组织法', version: '2018年修正', article: '第八条（选举程序由省级实施办法规定，默认参照村民委员会组织法）' }
const decision = (n: number): LegalBasis => ({ law: '本系统计票规则集（县级可调整）', version: '默认规则', article: `决定第${n}条` })

export const basis = {
  quorum: [partyRegulation('到会人数须超过应到会人数的五分之四（条号待核）'), decision(1)],
  partyIssued: [partyRegulation('收回选票不得多于发出选票（条号待核）'), decision(2)],
  partySurplus: [partyRegulation('第十三条（差额不少于应选人数的20%）'), decision(3)],
  partyBallot: [partyRegulation('第二十五条（赞成、不赞成、弃权，不赞成可另选他人）'), decision(4)],
  partyThreshold: [partyRegulation('赞成票超过实到会有选举权人数的一半始得当选（条号待核）'), decision(5)],
  partyTie: [partyRegulation('得票相等不能确定当选人时，就票数相等的候选人重新投票（条号待核）'), decision(6)],
  partyShortfall: [partyRegulation('当选人数少于应选名额时，不足名额另行选举（条号待核）'), decision(7)],
  secretary: [partyRegulation('第二十条（委员会第一次全体会议选举书记、副书记）'), decision(8)],
  turnout: [villageLaw('第十五条（登记参加选举的村民过半数投票，选举有效）'), decision(9)],
  villageSurplus: [villageLaw('第十五条（候选人名额应当多于应选名额）'), decision(10)],
  carryDown: [{ law: '内蒙古自治区实施《中华人民共和国村民委员会组织法》办法', version: '2011年修订', article: '第二十八条（未当选较高职务的得票计入较低职务）' }, decision(11)],
  villageBallot: [{ law: '各省村民委员会选举办法（如浙江、北京）', version: '现行', article: '选票多选无效；同一人在两个职务被选无效' }, decision(12)],
  villageThreshold: [villageLaw('第十五条（获得参加投票的村民过半数的选票，始得当选）'), decision(13)],
  supplementary: [villageLaw('第十五条（另行选举以得票多的当选，但不得少于已投选票数的三分之一）'), decision(13)],
  villageTie: [{ law: '各省村民委员会选举办法（如浙江、北京）', version: '现行', article: '得票相等不能确定当选人时，就票数相等的候选人再次投票' }, decision(14)],
  women: [villageLaw('第六条（村民委员会成员中应当有妇女成员）'), decision(15)],
} satisfies Record<string, LegalBasis[]>

export function withBody(body: TallyBody, list: LegalBasis[]): LegalBasis[] {
  return body === 'resident_committee' ? [residentNote, ...list] : list
}
