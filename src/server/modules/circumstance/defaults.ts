import type { Severity } from '../../../rules/nominee/index.ts'

export interface DefaultCircumstance {
  text: string
  severity: Severity
  lookbackYears: number
  /** Matched against the county's department names ("公安" finds 旗公安局). */
  departments: string[]
}

/**
 * The default list of 17, assembled from the lists collected in rules.md §5 (the 2020–21 "十不选",
 * Inner Mongolia's "五选十不选" and the "不能/不宜" split with time windows). Inner Mongolia's own
 * 17 circumstances were not found in any retrievable source: counties replace this with their
 * document's wording, and the page says so.
 */
export const DEFAULT_SOURCE = '据 rules.md §5 汇编的默认清单（非自治区原文），请按本县（旗）文件修改'

export const defaultCircumstances: DefaultCircumstance[] = [
  { text: '政治素质差，反对党的理论和路线方针政策，或当“两面人”', severity: 'bar', lookbackYears: 0, departments: ['组织部', '纪委', '统战', '公安'] },
  { text: '受过刑事处罚，刑满释放或缓刑期满未满 5 年', severity: 'bar', lookbackYears: 5, departments: ['法院', '检察院', '公安'] },
  { text: '属于“村霸”，或涉黑涉恶受到处理未满 5 年', severity: 'bar', lookbackYears: 5, departments: ['公安', '政法委', '法院'] },
  { text: '受党纪政务处分尚在影响期内，或受组织处理未满期限', severity: 'bar', lookbackYears: 0, departments: ['纪委', '组织部'] },
  { text: '正在接受纪检监察机关审查调查，或涉嫌违法犯罪正在被立案侦查', severity: 'bar', lookbackYears: 0, departments: ['纪委', '公安', '检察院'] },
  { text: '参加邪教组织，组织或参与非法宗教活动、封建迷信活动', severity: 'bar', lookbackYears: 0, departments: ['民族宗教', '统战', '公安'] },
  { text: '拉票贿选，或操纵、破坏选举', severity: 'bar', lookbackYears: 0, departments: ['纪委', '公安', '民政'] },
  { text: '利用宗族势力、黑恶势力干扰基层组织运行和村（居）务', severity: 'bar', lookbackYears: 0, departments: ['公安', '政法委'] },
  { text: '侵占、挪用集体资产或惠民资金，尚未全部退赔', severity: 'bar', lookbackYears: 0, departments: ['纪委', '农业农村', '审计', '财政'] },
  { text: '被人民法院列为失信被执行人', severity: 'bar', lookbackYears: 0, departments: ['法院'] },
  { text: '组织、煽动、参与群体性事件，或非法上访、缠访闹访受到处理未满 5 年', severity: 'discourage', lookbackYears: 5, departments: ['信访', '公安', '政法委'] },
  { text: '因嫖娼、吸毒、赌博、扰乱公共秩序等受到行政拘留未满 5 年', severity: 'discourage', lookbackYears: 5, departments: ['公安'] },
  { text: '违法占地、违法建设、乱埋乱葬未整改，或近 5 年有严重破坏生态环境行为', severity: 'discourage', lookbackYears: 5, departments: ['自然资源', '生态环境'] },
  { text: '近 3 年被评为不合格党员，或本届任期内被评为不称职、被罢免', severity: 'discourage', lookbackYears: 3, departments: ['组织部'] },
  { text: '在重大突发事件中失职失责、临阵脱逃', severity: 'discourage', lookbackYears: 0, departments: ['组织部', '卫生健康'] },
  { text: '长期外出不能正常履职，或因健康原因不能履行职责', severity: 'discourage', lookbackYears: 0, departments: ['卫生健康', '民政'] },
  { text: '其他不宜确定为候选人的情形', severity: 'discourage', lookbackYears: 0, departments: ['组织部'] },
]
