import type { CompositionRules, LegalBasis, RuleKey } from './types.ts'

/** rules.md "Decisions" 16–17, the default every county starts from. */
export const defaultCompositionRules: CompositionRules = Object.freeze({
  partyCommitteeMin: 3,
  partyCommitteeMax: 5,
  partyCommitteeLimit: 7,
  smallBranchBelow: 7,
  villagerCommitteeMin: 3,
  villagerCommitteeMax: 7,
  residentCommitteeMin: 5,
  residentCommitteeMax: 9,
  minWomen: 1,
  youthAge: 35,
  minYouth: 1,
  minCollege: 2,
  oneShoulder: true,
  crossHoldingMinPercent: null,
  minorityMember: true,
  newMemberMaxAge: null,
})

export const ruleLabels: Record<RuleKey, string> = {
  party_size: '党组织班子职数',
  committee_size: '村（居）委会职数',
  women: '女性成员',
  youth: '35周岁以下成员',
  college: '大专及以上学历',
  one_shoulder: '书记、主任“一肩挑”',
  cross_holding: '交叉任职比例',
  minority: '少数民族成员',
  new_member_age: '新进人员年龄',
}

export const ruleKeys = Object.keys(ruleLabels) as RuleKey[]

const branchRegulation: LegalBasis = { law: '中国共产党支部工作条例（试行）', version: '2018年10月印发', article: '党员7人以上的支部设支部委员会，由3至5人组成，一般不超过7人；不足7人的不设委员会（条号待核）' }
const villageLaw = (article: string): LegalBasis => ({ law: '中华人民共和国村民委员会组织法', version: '2018年修正文本条号（2026年1月1日起施行的修正文本请核对条号）', article })
const residentLaw: LegalBasis = { law: '中华人民共和国城市居民委员会组织法', version: '2018年修正文本条号（2026年修订文本请核对条号）', article: '第七条（居民委员会由主任、副主任和委员共5至9人组成）' }
const ruralRegulation: LegalBasis = { law: '中国共产党农村基层组织工作条例', version: '2019年1月印发', article: '村党组织书记应当通过法定程序担任村民委员会主任（条号待核）' }
const countyPlan = (what: string): LegalBasis => ({ law: '县级换届工作方案（结构指标）', version: '本县规则集（县级管理员可调整）', article: what })
const decision = (n: number): LegalBasis => ({ law: '本系统结构指标规则集', version: '默认规则', article: `决定第${n}条` })

/** The basis each rule cites in a finding, a notice or the rules page. */
export const ruleBasis: Record<RuleKey, LegalBasis[]> = {
  party_size: [branchRegulation, decision(16)],
  committee_size: [villageLaw('第六条（村民委员会由主任、副主任和委员共3至7人组成）'), residentLaw, decision(16)],
  women: [villageLaw('第六条（村民委员会成员中，应当有妇女成员）'), countyPlan('“两委”班子中至少有1名女性委员'), decision(17)],
  youth: [countyPlan('“两委”班子中至少有1名35周岁以下成员'), decision(17)],
  college: [countyPlan('“两委”成员中至少有2名大专及以上学历的干部'), decision(17)],
  one_shoulder: [ruralRegulation, decision(17)],
  cross_holding: [countyPlan('“两委”班子成员交叉任职比例（旧有指导意见：不低于三分之一）'), decision(17)],
  minority: [villageLaw('第六条（多民族村民居住的村应当有人数较少的民族的成员）'), decision(17)],
  new_member_age: [countyPlan('新进“两委”班子成员年龄上限（未设则不检查）'), decision(17)],
}

/** Each parameter's Chinese name, for the rules page and for error messages. */
export const parameterLabels: Record<keyof CompositionRules, string> = {
  partyCommitteeMin: '党组织委员会最少人数',
  partyCommitteeMax: '党组织委员会一般最多人数',
  partyCommitteeLimit: '党组织委员会人数上限',
  smallBranchBelow: '不设委员会的党员人数（少于）',
  villagerCommitteeMin: '村民委员会最少人数',
  villagerCommitteeMax: '村民委员会最多人数',
  residentCommitteeMin: '居民委员会最少人数',
  residentCommitteeMax: '居民委员会最多人数',
  minWomen: '“两委”至少女性人数',
  youthAge: '青年年龄线（周岁以下）',
  minYouth: '“两委”至少青年人数',
  minCollege: '“两委”至少大专及以上人数',
  oneShoulder: '要求书记、主任“一肩挑”',
  crossHoldingMinPercent: '交叉任职最低比例（%）',
  minorityMember: '多民族村要求少数民族成员',
  newMemberMaxAge: '新进成员年龄上限（周岁）',
}

export class CompositionRulesError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

const booleans: (keyof CompositionRules)[] = ['oneShoulder', 'minorityMember']
const nullable: (keyof CompositionRules)[] = ['crossHoldingMinPercent', 'newMemberMaxAge']

/**
 * The defaults with a county's overrides on top, checked: whole numbers in range, minimums not above
 * maximums. Unknown names are refused rather than ignored, so a typo cannot silently keep a default.
 */
export function mergeCompositionRules(overrides: Record<string, unknown>): CompositionRules {
  const out: Record<string, unknown> = { ...defaultCompositionRules }
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaultCompositionRules, key)) throw new CompositionRulesError(key, `没有名为“${key}”的结构指标参数`)
    const k = key as keyof CompositionRules
    const label = parameterLabels[k]
    if (booleans.includes(k)) {
      if (typeof value !== 'boolean') throw new CompositionRulesError(key, `“${label}”应为是或否`)
    } else if (value === null) {
      if (!nullable.includes(k)) throw new CompositionRulesError(key, `“${label}”不能为空`)
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > (k === 'crossHoldingMinPercent' ? 100 : 120)) {
      throw new CompositionRulesError(key, `“${label}”应为${k === 'crossHoldingMinPercent' ? '0 到 100' : '0 到 120'}之间的整数`)
    }
    out[key] = value
  }
  const r = out as unknown as CompositionRules
  const pairs: [keyof CompositionRules, keyof CompositionRules][] = [
    ['partyCommitteeMin', 'partyCommitteeMax'],
    ['partyCommitteeMax', 'partyCommitteeLimit'],
    ['villagerCommitteeMin', 'villagerCommitteeMax'],
    ['residentCommitteeMin', 'residentCommitteeMax'],
  ]
  for (const [lo, hi] of pairs) {
    if ((r[lo] as number) > (r[hi] as number)) throw new CompositionRulesError(lo, `“${parameterLabels[lo]}”不能大于“${parameterLabels[hi]}”`)
  }
  if (r.youthAge < 18) throw new CompositionRulesError('youthAge', '青年年龄线不能小于18周岁')
  return r
}
