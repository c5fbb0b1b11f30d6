/**
 * Voter registration for the villagers' (residents') committee election (issue 7; rules.md §2.2
 * rules 6–10, §2.4 rule 20, §2.5 rules 25–28, and "Decisions" rule 19): who may be registered and
 * in which category, when the roll is published, when objections are received and decided, who
 * may give and hold a proxy, how many monitors a ballot box needs, and what changes between two
 * rounds. Pure: dates are 'YYYY-MM-DD' strings in China's calendar; every problem names the field
 * to fix, says in Chinese what to do, and carries its legal basis.
 *
 * Day counting follows 民法典 第二百零一条 (the starting day is not counted) and 第一千二百五十九条
 * ("以上""以内" include the number itself): "自名单公布之日起五日内" ends on publication + 5, "选举日
 * 的二十日前" is met on E − 20, and "居住一年以上" is met on the first anniversary.
 */
import { ageOn, isRealDate } from '../age/index.ts'
import { addDays, daysBetween } from '../timeline/index.ts'

export interface Problem {
  /** The input field to fix. */
  field: string
  /** Chinese, says what to fix. */
  message: string
  basis: string
}

/** rules.md "Decisions": voterMinAge, voterListDaysBefore, voterObjectionDays / decisionDays, rule 19, rule 20. */
export const VOTER_MIN_AGE = 18
export const VOTER_LIST_DAYS_BEFORE = 20
export const OBJECTION_DAYS = 5
export const DECISION_DAYS = 3
export const PROXY_DAYS_BEFORE = 3
export const MAX_PROXIES_PER_HOLDER = 3
export const MIN_MONITORS_PER_BOX = 3
/** "在本村居住一年以上" (category 3). */
export const NON_HUKOU_MIN_YEARS = 1

const villageLaw = (article: string) => `《中华人民共和国村民委员会组织法》（2018年修正文本条号，2026年1月1日起施行的修正文本请核对条号）${article}`
const civilCode = (article: string) => `《中华人民共和国民法典》${article}`
const decision = '本系统换届时间规则 决定第19条'

/** The basis of each rule, as cited in problems (and shown beside a form's fields). */
export const voterBasis = {
  age: `${villageLaw('第十三条第一款（年满十八周岁的村民有选举权）')}；年龄计算到选举日：《北京市村民委员会选举办法》；${civilCode('第二百零一条（期间开始的当日不计入）')}`,
  deprived: villageLaw('第十三条第一款（依照法律被剥夺政治权利的人除外）'),
  category: villageLaw('第十三条第二款（应当登记的三类人员）'),
  resident: villageLaw('第十三条第二款第（一）项'),
  awayOptIn: villageLaw('第十三条第二款第（二）项'),
  nonHukou: `${villageLaw('第十三条第二款第（三）项（户籍不在本村，在本村居住一年以上，本人申请，并经村民会议或者村民代表会议同意）')}；${civilCode('第一千二百五十九条（“以上”包括本数）')}`,
  publication: `${villageLaw('第十四条第一款（名单应当在选举日的二十日前公布）')}；${decision}`,
  objection: `${villageLaw('第十四条第二款（自名单公布之日起五日内申诉，自收到申诉之日起三日内作出处理决定并公布）')}；${civilCode('第二百零一条')}；${decision}`,
  proxyAway: `${villageLaw('第十五条第四款（选举期间外出不能参加投票的，可以书面委托）')}；《内蒙古自治区实施〈中华人民共和国村民委员会组织法〉办法》第二十九条（选举时在本村的不得委托）`,
  proxyRelation: `${villageLaw('第十五条第四款（委托本村有选举权的近亲属）')}；${civilCode('第一千零四十五条第二款（配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女为近亲属）')}`,
  proxyHolder: villageLaw('第十五条第四款（受委托人须是本村有选举权的村民）'),
  proxyCandidate: `《北京市村民委员会选举办法》《浙江省村民委员会选举办法》（候选人不得接受委托）；${decision}`,
  proxyLimit: `《北京市村民委员会选举办法》《上海市村民委员会选举办法》《浙江省村民委员会选举办法》（每人接受委托不得超过三人）；${decision}`,
  proxyDeadline: `《浙江省村民委员会选举办法》、《内蒙古自治区实施〈中华人民共和国村民委员会组织法〉办法》第二十九条（选举日三日前书面申请）；${decision}`,
  proxySelf: villageLaw('第十五条第四款（委托他人代为投票）'),
  monitors: '《内蒙古自治区实施〈中华人民共和国村民委员会组织法〉办法》第二十七条（投票站、流动票箱由选举委员会成员和监票人负责）；《北京市村民委员会选举办法》《浙江省村民委员会选举办法》（每个票箱监票人不少于三人）',
  roll: villageLaw('第十三条（选举前对应当登记的人员进行登记）'),
} as const

export type VoterCategory = 'resident' | 'away_opt_in' | 'non_hukou'

export const voterCategoryLabels: Record<VoterCategory, string> = {
  resident: '户籍在本村并在本村居住',
  away_opt_in: '户籍在本村、不在本村居住、本人表示参加选举',
  non_hukou: '户籍不在本村、在本村居住一年以上、经村民会议或村民代表会议同意',
}

export const voterCategories: readonly { key: VoterCategory; label: string; basis: string }[] = Object.freeze([
  { key: 'resident', label: voterCategoryLabels.resident, basis: voterBasis.resident },
  { key: 'away_opt_in', label: voterCategoryLabels.away_opt_in, basis: voterBasis.awayOptIn },
  { key: 'non_hukou', label: voterCategoryLabels.non_hukou, basis: voterBasis.nonHukou },
])

const isCategory = (c: unknown): c is VoterCategory => typeof c === 'string' && voterCategories.some((x) => x.key === c)

/**
 * The first day on which someone born (or settled) on `date` has completed `years` full years: the
 * same month and day, except that 29 February counts as 1 March in a common year, as `ageOn` does.
 */
export function anniversary(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const candidate = `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  return isRealDate(candidate) ? candidate : addDays(`${String(y + years).padStart(4, '0')}-02-28`, 1)
}

/**
 * The latest day `years` full years before `day` that still counts as `years` on `day`: for age 18
 * on E, the latest birth date that may vote. On 29 February E, a year without it gives 28 February.
 */
export function yearsBefore(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const candidate = `${String(y - years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  return isRealDate(candidate) ? candidate : `${String(y - years).padStart(4, '0')}-02-28`
}

/** The latest birth date of a voter 18 on election day. */
export const latestBirthDate = (electionDay: string): string => yearsBefore(electionDay, VOTER_MIN_AGE)
/** The latest day a category-3 voter may have started living in the village. */
export const latestLivingSince = (electionDay: string): string => yearsBefore(electionDay, NON_HUKOU_MIN_YEARS)

export interface VoterInput {
  birthDate: string
  electionDay: string
  deprived: boolean
  category: VoterCategory
  /** The day the person started living in the village; required for `non_hukou`, ignored otherwise. */
  livingSince?: string | null
  /** The day the villagers' meeting (or representatives' meeting) agreed; only for `non_hukou`. */
  meetingApprovedOn?: string | null
  /** The roll's publication day, when known: a category-3 voter must be agreed before it. */
  publishedOn?: string | null
}

/**
 * What keeps a person off the roll, or in the wrong category. A meeting date on a category-1 or -2
 * voter is refused rather than ignored: those voters need no meeting, so the date almost always
 * means the category was chosen wrongly. A living-since date is kept for every category (it is
 * useful on the roll) and checked only for category 3.
 */
export function voterProblems(v: VoterInput): Problem[] {
  const problems: Problem[] = []
  const add = (field: string, message: string, basis: string) => problems.push({ field, message, basis })
  const E = v.electionDay
  if (!isRealDate(E)) {
    add('electionDay', `选举日“${E}”不是有效日期，请先确定选举日（格式 YYYY-MM-DD）`, voterBasis.age)
    return problems
  }
  if (!isRealDate(v.birthDate)) add('birthDate', `出生日期“${v.birthDate}”不是有效日期，请按身份证填写（格式 YYYY-MM-DD）`, voterBasis.age)
  else if (ageOn(v.birthDate, E) < VOTER_MIN_AGE) {
    add('birthDate', `${v.birthDate} 出生，到选举日 ${E} 未满${VOTER_MIN_AGE}周岁（${anniversary(v.birthDate, VOTER_MIN_AGE)} 才满），不能登记为选民；请核对出生日期`, voterBasis.age)
  }
  if (v.deprived) add('deprived', '依法被剥夺政治权利的人不能登记为选民；如已恢复政治权利，请将“被剥夺政治权利”改为“否”并注明恢复日期', voterBasis.deprived)
  if (!isCategory(v.category)) {
    add('category', `登记类别“${String(v.category)}”无效，请从以下三类中选择：${voterCategories.map((c) => c.label).join('；')}`, voterBasis.category)
    return problems
  }
  if (v.category === 'non_hukou') {
    if (!v.livingSince) add('livingSince', '户籍不在本村的选民须填写在本村居住的起始日期（须居住一年以上）', voterBasis.nonHukou)
    else if (!isRealDate(v.livingSince)) add('livingSince', `居住起始日期“${v.livingSince}”不是有效日期，请按 YYYY-MM-DD 填写`, voterBasis.nonHukou)
    else if (ageOn(v.livingSince, E) < NON_HUKOU_MIN_YEARS) {
      add('livingSince', `自 ${v.livingSince} 起在本村居住，到选举日 ${E} 不满一年（${anniversary(v.livingSince, NON_HUKOU_MIN_YEARS)} 才满一年，最迟应自 ${latestLivingSince(E)} 起居住），不能按此类别登记；请核对居住日期`, voterBasis.nonHukou)
    }
    const limit = v.publishedOn && isRealDate(v.publishedOn) ? { day: v.publishedOn, what: '选民名单公布日' } : { day: E, what: '选举日' }
    if (!v.meetingApprovedOn) add('meetingApprovedOn', '户籍不在本村的选民须经村民会议或村民代表会议同意，请填写会议同意的日期', voterBasis.nonHukou)
    else if (!isRealDate(v.meetingApprovedOn)) add('meetingApprovedOn', `会议同意日期“${v.meetingApprovedOn}”不是有效日期，请按 YYYY-MM-DD 填写`, voterBasis.nonHukou)
    else if (v.meetingApprovedOn > limit.day) {
      add('meetingApprovedOn', `村民会议（村民代表会议）同意日期 ${v.meetingApprovedOn} 晚于${limit.what} ${limit.day}；须在此之前经会议同意，请核对日期`, voterBasis.nonHukou)
    }
  } else if (v.meetingApprovedOn) {
    add('meetingApprovedOn', `“${voterCategoryLabels[v.category]}”的选民不需要村民会议同意；请删去会议同意日期，或将登记类别改为“${voterCategoryLabels.non_hukou}”`, voterBasis.category)
  }
  return problems
}

/** E − 20: the last day the roll may be published. */
export function latestPublicationDay(electionDay: string): string {
  return addDays(electionDay, -VOTER_LIST_DAYS_BEFORE)
}

/** The roll published later than E − 20 is refused; earlier is fine. */
export function publicationProblems(publishedOn: string, electionDay: string): Problem[] {
  if (!isRealDate(electionDay)) return [{ field: 'electionDay', message: `选举日“${electionDay}”不是有效日期，请先确定选举日`, basis: voterBasis.publication }]
  if (!isRealDate(publishedOn)) return [{ field: 'publishedOn', message: `公布日期“${publishedOn}”不是有效日期，请按 YYYY-MM-DD 填写`, basis: voterBasis.publication }]
  const last = latestPublicationDay(electionDay)
  if (publishedOn <= last) return []
  return [
    {
      field: 'publishedOn',
      message: `选民名单应在选举日的${VOTER_LIST_DAYS_BEFORE}日前公布（选举日 ${electionDay}，最迟 ${last}），所填 ${publishedOn} 晚了 ${daysBetween(last, publishedOn)} 日；请提前公布或推迟选举日`,
      basis: voterBasis.publication,
    },
  ]
}

/** publication + 5: the last day an objection may be received. */
export const objectionDeadline = (publishedOn: string): string => addDays(publishedOn, OBJECTION_DAYS)
/** receipt + 3: the last day it must be decided (and the decision published). */
export const decisionDeadline = (receivedOn: string): string => addDays(receivedOn, DECISION_DAYS)

export interface ObjectionInput {
  publishedOn: string
  receivedOn: string
  decidedOn?: string | null
  /** When given, an undecided objection past its decision deadline is a problem too. */
  today?: string | null
}

/** An objection is received within 5 days of publication and decided within 3 days of receipt. */
export function objectionProblems(o: ObjectionInput): Problem[] {
  const problems: Problem[] = []
  const add = (field: string, message: string) => problems.push({ field, message, basis: voterBasis.objection })
  if (!isRealDate(o.publishedOn)) {
    add('publishedOn', `名单公布日期“${o.publishedOn}”不是有效日期，请先公布选民名单`)
    return problems
  }
  if (!isRealDate(o.receivedOn)) {
    add('receivedOn', `收到申诉日期“${o.receivedOn}”不是有效日期，请按 YYYY-MM-DD 填写`)
    return problems
  }
  const last = objectionDeadline(o.publishedOn)
  if (o.receivedOn < o.publishedOn) add('receivedOn', `收到申诉日期 ${o.receivedOn} 早于名单公布日期 ${o.publishedOn}；名单公布后才能申诉，请核对日期`)
  else if (o.receivedOn > last) {
    add('receivedOn', `申诉应自名单公布之日起${OBJECTION_DAYS}日内提出（公布 ${o.publishedOn}，最迟 ${last}），所填收到日期 ${o.receivedOn} 晚了 ${daysBetween(last, o.receivedOn)} 日；逾期申诉不予受理，可作为意见另行处理`)
  }
  const due = decisionDeadline(o.receivedOn)
  if (o.decidedOn) {
    if (!isRealDate(o.decidedOn)) add('decidedOn', `处理决定日期“${o.decidedOn}”不是有效日期，请按 YYYY-MM-DD 填写`)
    else if (o.decidedOn < o.receivedOn) add('decidedOn', `处理决定日期 ${o.decidedOn} 早于收到申诉日期 ${o.receivedOn}，请核对日期`)
    else if (o.decidedOn > due) {
      add('decidedOn', `申诉应自收到之日起${DECISION_DAYS}日内作出处理决定（收到 ${o.receivedOn}，最迟 ${due}），所填 ${o.decidedOn} 晚了 ${daysBetween(due, o.decidedOn)} 日；请核对日期`)
    }
  } else if (o.today && isRealDate(o.today) && o.today > due) {
    add('decidedOn', `申诉已超过处理期限（收到 ${o.receivedOn}，最迟 ${due} 作出处理决定），请立即作出处理决定并公布结果`)
  }
  return problems
}

/** Near relatives (民法典 第一千零四十五条第二款); adoptive parents and children count as parents and children (第一千一百一十一条). */
export type Relation = 'spouse' | 'parent' | 'child' | 'sibling' | 'grandparent' | 'grandchild'

export const relations: readonly Relation[] = ['spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild']
export const relationLabels: Record<Relation, string> = {
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  sibling: '兄弟姐妹',
  grandparent: '祖父母、外祖父母',
  grandchild: '孙子女、外孙子女',
}

/**
 * The words a form or an import may use for each relation. A step-parent or step-child is a near
 * relative only where one raised the other (民法典 第一千零七十二条), which a word cannot show, so
 * 继父/继子 are not mapped: the township picks 父母 or 子女 after checking.
 */
const relationWords: Record<Relation, string[]> = {
  spouse: ['配偶', '夫', '妻', '丈夫', '妻子'],
  parent: ['父母', '父亲', '母亲', '父', '母', '爸爸', '妈妈', '养父', '养母', '养父母'],
  child: ['子女', '儿子', '女儿', '子', '女', '养子', '养女', '养子女'],
  sibling: ['兄弟姐妹', '兄弟', '姐妹', '兄', '弟', '姐', '妹', '哥哥', '弟弟', '姐姐', '妹妹'],
  grandparent: ['祖父母', '外祖父母', '祖父', '祖母', '外祖父', '外祖母', '爷爷', '奶奶', '外公', '外婆', '姥爷', '姥姥'],
  grandchild: ['孙子女', '外孙子女', '孙子', '孙女', '外孙', '外孙子', '外孙女'],
}

/** The near-relative relation a key or a Chinese word names, or null (in-laws, cousins … are not near relatives). */
export function relationOf(text: string): Relation | null {
  const t = text.replace(/\s/g, '')
  if ((relations as readonly string[]).includes(t)) return t as Relation
  for (const r of relations) if (relationWords[r].includes(t) || relationLabels[r] === t) return r
  return null
}

/** E − 3: the last day a proxy may be applied for. */
export const proxyDeadline = (electionDay: string): string => addDays(electionDay, -PROXY_DAYS_BEFORE)

export interface ProxyInput {
  /** The giver will be away during the election. */
  giverAway: boolean
  /** The holder's relation to the giver: a key, or a word from a form or an import (`relationOf`). `string & {}` keeps the keys suggested. */
  relation: Relation | (string & {})
  /** The holder is registered in the same unit (village) as the giver. */
  holderSameUnit: boolean
  /** The holder has the vote and is on the roll. */
  holderIsVoter: boolean
  holderIsCandidate: boolean
  /** Proxies the holder already holds, this one not counted. */
  holderProxiesSoFar: number
  appliedOn: string
  electionDay: string
  giverIsHolder?: boolean
}

/** A proxy (委托投票): only for a voter away on E, to a near relative on the same roll, ≤ 3 per holder, no candidate, applied ≤ E − 3. */
export function proxyProblems(p: ProxyInput): Problem[] {
  const problems: Problem[] = []
  const add = (field: string, message: string, basis: string) => problems.push({ field, message, basis })
  if (p.giverIsHolder) add('giverIsHolder', '委托人和受委托人是同一人；请选择另一位近亲属作为受委托人', voterBasis.proxySelf)
  if (!p.giverAway) add('giverAway', '只有选举期间外出、不能参加投票的选民才能委托投票；选举时在本村的选民应本人投票（行动不便的可使用流动票箱）', voterBasis.proxyAway)
  if (!relationOf(String(p.relation ?? ''))) {
    add(
      'relation',
      `受委托人须是委托人的近亲属（${relations.map((r) => relationLabels[r]).join('、')}）；“${String(p.relation ?? '')}”不属于近亲属（儿媳、女婿、公婆、岳父母等姻亲也不属于），请改为委托近亲属`,
      voterBasis.proxyRelation,
    )
  }
  if (!p.holderIsVoter) add('holderIsVoter', '受委托人须有选举权并已登记为选民；请选择已登记的近亲属', voterBasis.proxyHolder)
  if (!p.holderSameUnit) add('holderSameUnit', '受委托人须是本村（社区）登记参加选举的选民；请选择在本村登记的近亲属', voterBasis.proxyHolder)
  if (p.holderIsCandidate) add('holderIsCandidate', '候选人不能接受委托投票；请改为委托其他近亲属', voterBasis.proxyCandidate)
  if (!Number.isInteger(p.holderProxiesSoFar) || p.holderProxiesSoFar < 0) {
    add('holderProxiesSoFar', `受委托人已接受的委托数“${String(p.holderProxiesSoFar)}”无效，应为 0 或正整数`, voterBasis.proxyLimit)
  } else if (p.holderProxiesSoFar + 1 > MAX_PROXIES_PER_HOLDER) {
    add('holderProxiesSoFar', `每位受委托人接受委托不得超过${MAX_PROXIES_PER_HOLDER}人，该受委托人已接受 ${p.holderProxiesSoFar} 人委托；请改为委托其他近亲属`, voterBasis.proxyLimit)
  }
  if (!isRealDate(p.electionDay)) add('electionDay', `选举日“${p.electionDay}”不是有效日期，请先确定选举日`, voterBasis.proxyDeadline)
  else if (!isRealDate(p.appliedOn)) add('appliedOn', `申请日期“${p.appliedOn}”不是有效日期，请按 YYYY-MM-DD 填写`, voterBasis.proxyDeadline)
  else {
    const last = proxyDeadline(p.electionDay)
    if (p.appliedOn > last) {
      add('appliedOn', `委托投票应在选举日的${PROXY_DAYS_BEFORE}日前书面申请（选举日 ${p.electionDay}，最迟 ${last}），所填 ${p.appliedOn} 晚了 ${daysBetween(last, p.appliedOn)} 日；逾期的委托不予登记`, voterBasis.proxyDeadline)
    }
  }
  return problems
}

export type StationKind = 'central' | 'station' | 'mobile'
export const stationKindLabels: Record<StationKind, string> = { central: '中心投票会场', station: '投票站', mobile: '流动票箱' }

/** Every ballot box — the central meeting's, a polling station's, a mobile one — needs at least 3 monitors. */
export function stationProblems(s: { kind: StationKind; monitors: number }): Problem[] {
  if (!Object.hasOwn(stationKindLabels, s.kind)) return [{ field: 'kind', message: `投票点类型“${String(s.kind)}”无效，请选择中心投票会场、投票站或流动票箱`, basis: voterBasis.monitors }]
  const label = stationKindLabels[s.kind]
  if (!Number.isInteger(s.monitors) || s.monitors < 0) return [{ field: 'monitors', message: `${label}的监票人数“${String(s.monitors)}”无效，应为 0 或正整数`, basis: voterBasis.monitors }]
  if (s.monitors >= MIN_MONITORS_PER_BOX) return []
  return [
    {
      field: 'monitors',
      message: `每个${label}至少应有${MIN_MONITORS_PER_BOX}名监票人，现有 ${s.monitors} 名，请再安排 ${MIN_MONITORS_PER_BOX - s.monitors} 名（候选人及其近亲属不得担任）`,
      basis: voterBasis.monitors,
    },
  ]
}

export type RoundChange = 'add_turned_18' | 'remove_deceased' | 'remove_moved'

export interface RoundPerson {
  key: string
  birthDate: string
  deceased: boolean
  movedAway: boolean
  onRoll: boolean
}

export interface RoundUpdate {
  key: string
  change: RoundChange
  reason: string
}

/**
 * Changes to propose between two rounds, for the township to confirm (never applied here): a person
 * in the household register, alive, not moved away, not on the roll and 18 by E is proposed for
 * adding; a person on the roll who has died or moved away for removal (death first when both).
 * With `since` (the previous round's election day) only those under 18 on that day are proposed
 * for adding: an adult left off the last roll (away and not opted in, registered elsewhere) was
 * left off for a reason the register cannot show. A birth date that is not a real date proposes no
 * addition, since nobody can say when that person turns 18; the import refuses such dates anyway.
 */
export function roundUpdates(voters: readonly RoundPerson[], electionDay: string, options: { since?: string | null } = {}): RoundUpdate[] {
  const out: RoundUpdate[] = []
  const since = options.since && isRealDate(options.since) ? options.since : null
  for (const v of voters) {
    if (v.onRoll) {
      if (v.deceased) out.push({ key: v.key, change: 'remove_deceased', reason: '已死亡（户籍登记已注销），应从选民名单中删除' })
      else if (v.movedAway) out.push({ key: v.key, change: 'remove_moved', reason: '户籍已迁出本村，应从选民名单中删除；如仍在本村居住满一年或本人表示参加本村选举，请按相应类别重新登记' })
      continue
    }
    if (v.deceased || v.movedAway || !isRealDate(v.birthDate) || !isRealDate(electionDay)) continue
    if (ageOn(v.birthDate, electionDay) < VOTER_MIN_AGE) continue
    if (since && ageOn(v.birthDate, since) >= VOTER_MIN_AGE) continue
    const turned = anniversary(v.birthDate, VOTER_MIN_AGE)
    const when = since ? `${turned} 年满${VOTER_MIN_AGE}周岁（上届选举日 ${since} 之后）` : `到本届选举日 ${electionDay} 已满${VOTER_MIN_AGE}周岁`
    out.push({ key: v.key, change: 'add_turned_18', reason: `${v.birthDate} 出生，${when}，户籍在本村但未列入选民名单，请核实后登记` })
  }
  return out
}
