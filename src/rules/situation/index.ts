/**
 * 三情 (issue 6 §6): the words the township uses for a unit's situation, and the rule that turns
 * the three ratings of a unit assessment (村情研判) into its risk level. Pure: no I/O, shared by the
 * server, the web app and the tests.
 *
 * Ratings: 好 / 一般 / 差 for 发展情况, 稳定情况 and 班子威信.
 * Levels: 一般村（低风险）, 重点村（中风险）, 难点村（高风险） — the names townships use for the
 * units they must watch during a re-election.
 *
 * The rule (stability weighs most: unrest is what disturbs an election):
 *   高风险 (难点村): 稳定情况 差, or two or more ratings 差;
 *   中风险 (重点村): otherwise, one rating 差, or two or more 一般, or 稳定情况 一般;
 *   低风险 (一般村): otherwise — all 好, or only 发展情况 or only 班子威信 一般.
 * The township may raise the computed level (never lower it), giving a reason; the level that
 * counts is the higher of the two.
 */

export type Rating = 'good' | 'fair' | 'poor'
export type RiskLevel = 'low' | 'medium' | 'high'
export type Dimension = 'development' | 'stability' | 'credibility'

export const ratings: Rating[] = ['good', 'fair', 'poor']
export const ratingLabels: Record<Rating, string> = { good: '好', fair: '一般', poor: '差' }
export const riskLevels: RiskLevel[] = ['low', 'medium', 'high']
export const riskLabels: Record<RiskLevel, string> = { low: '一般村（低风险）', medium: '重点村（中风险）', high: '难点村（高风险）' }
export const riskShortLabels: Record<RiskLevel, string> = { low: '低风险', medium: '中风险', high: '高风险' }
export const dimensions: Dimension[] = ['development', 'stability', 'credibility']
export const dimensionLabels: Record<Dimension, string> = { development: '发展情况', stability: '稳定情况', credibility: '班子威信' }

export type RiskCategory = 'clan' | 'petition' | 'vote_buying' | 'disunity' | 'other'
export const riskCategories: RiskCategory[] = ['clan', 'petition', 'vote_buying', 'disunity', 'other']
export const riskCategoryLabels: Record<RiskCategory, string> = { clan: '宗族派性', petition: '信访矛盾', vote_buying: '拉票贿选苗头', disunity: '班子不团结', other: '其他' }

/** 四必访: the four groups every unit must visit. */
export type VisitCategory = 'party_veteran' | 'villager' | 'hardship' | 'petitioner'
export const visitCategories: VisitCategory[] = ['party_veteran', 'villager', 'hardship', 'petitioner']
export const visitCategoryLabels: Record<VisitCategory, string> = { party_veteran: '老党员', villager: '村民（群众）代表', hardship: '困难群众', petitioner: '信访户' }

/** What a cadre said in a heart-to-heart talk (谈心谈话) about the coming election. */
export type TalkIntention = 'continue' | 'other_post' | 'withdraw' | 'undecided'
export const talkIntentions: TalkIntention[] = ['continue', 'other_post', 'withdraw', 'undecided']
export const talkIntentionLabels: Record<TalkIntention, string> = { continue: '拟继续参选', other_post: '拟参选其他职务', withdraw: '拟退出', undecided: '未表态' }

export interface Ratings {
  development: Rating
  stability: Rating
  credibility: Rating
}

export interface RiskVerdict {
  level: RiskLevel
  /** Why, in the township's words: 稳定情况差 …; empty for a low level. */
  reasons: string[]
}

const rank: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 }

export function compareLevels(a: RiskLevel, b: RiskLevel): number {
  return rank[a] - rank[b]
}

/** The risk level the three ratings give, with the reasons that decided it. */
export function riskOf(r: Ratings): RiskVerdict {
  const poor = dimensions.filter((d) => r[d] === 'poor')
  const fair = dimensions.filter((d) => r[d] === 'fair')
  const named = (ds: Dimension[], rating: Rating) => ds.map((d) => `${dimensionLabels[d]}${ratingLabels[rating]}`)
  if (r.stability === 'poor') return { level: 'high', reasons: named(poor, 'poor') }
  if (poor.length >= 2) return { level: 'high', reasons: named(poor, 'poor') }
  if (poor.length === 1) return { level: 'medium', reasons: [...named(poor, 'poor'), ...named(fair, 'fair')] }
  if (fair.length >= 2) return { level: 'medium', reasons: named(fair, 'fair') }
  if (r.stability === 'fair') return { level: 'medium', reasons: named(fair, 'fair') }
  return { level: 'low', reasons: [] }
}

/** The level that counts: the computed one, or the township's raised one if higher. */
export function effectiveLevel(computed: RiskLevel, raised: RiskLevel | null): RiskLevel {
  return raised && compareLevels(raised, computed) > 0 ? raised : computed
}

/** A risk item still open after its deadline (the deadline day itself is not late). */
export function isOverdue(item: { status: 'open' | 'resolved'; deadline: string }, today: string): boolean {
  return item.status === 'open' && item.deadline < today
}

/** The 四必访 categories a unit has no visit of yet, in the fixed order. */
export function missingCategories(counts: Partial<Record<VisitCategory, number>>): VisitCategory[] {
  return visitCategories.filter((c) => !(counts[c] ?? 0))
}
