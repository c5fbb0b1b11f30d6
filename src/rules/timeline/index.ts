/**
 * The campaign's timeline (issue 6 §1; rules.md §6 and "Decisions" rule 19): the default phases
 * and their milestones, each unit's milestones planned from its own election days, and the check
 * of a date against the legal offsets. Pure; dates are 'YYYY-MM-DD' strings in China's calendar.
 *
 * An offset is a limit relative to an anchor: the Party election day (P), the villagers' or
 * residents' committee election day (E), or the day the new committees exist (F, the later of the
 * two). "≤ E−20" means at the latest 20 days before E. Legal limits are refused when broken;
 * practice limits (recommended lead times) only warn.
 */
import type { LegalBasis } from '../tally/types.ts'

export type Anchor = 'party' | 'committee' | 'formed'
export type PhaseKey = 'preparation' | 'party' | 'committee' | 'follow_up'

export interface MilestoneTemplate {
  key: string
  name: string
  phase: PhaseKey
  anchor: Anchor
  /** Planned day = anchor + offset (negative: before). */
  offset: number
  /** 'before': the milestone must fall on or before anchor + limit; 'after': on or after. */
  limit: { days: number; side: 'before' | 'after' } | null
  /** A legal limit is refused when broken; a practice limit only warns. */
  strict: boolean
  basis: LegalBasis[]
}

export const phaseLabels: Record<PhaseKey, string> = {
  preparation: '准备阶段',
  party: '党组织换届',
  committee: '村（居）民委员会换届',
  follow_up: '后续阶段',
}
export const phaseOrder: PhaseKey[] = ['preparation', 'party', 'committee', 'follow_up']

const villageLaw = (article: string): LegalBasis => ({ law: '中华人民共和国村民委员会组织法', version: '2018年修正文本条号（2026年1月1日起施行的修正文本请核对条号）', article })
const provincial = (article: string): LegalBasis => ({ law: '省级村民委员会选举办法（浙江、北京等）', version: '现行', article })
const townshipPlan = (article: string): LegalBasis => ({ law: '乡镇换届工作方案（土城子乡2025—2026年等）', version: '实践做法', article })
const decision: LegalBasis = { law: '本系统换届时间规则', version: '默认规则', article: '决定第19条' }

/** The default template: rules.md "Decisions" rule 19 with the practice lead times before them. */
export const defaultTemplate: readonly MilestoneTemplate[] = Object.freeze([
  { key: 'plan', name: '制定换届工作方案', phase: 'preparation', anchor: 'party', offset: -45, limit: { days: -30, side: 'before' }, strict: false, basis: [townshipPlan('准备阶段先行制定方案、成立领导小组'), decision] },
  { key: 'mobilise', name: '召开动员部署会', phase: 'preparation', anchor: 'party', offset: -40, limit: { days: -21, side: 'before' }, strict: false, basis: [townshipPlan('动员部署、业务培训在实施阶段之前'), decision] },
  { key: 'recommend', name: '党员群众推荐（两推）', phase: 'party', anchor: 'party', offset: -25, limit: { days: -10, side: 'before' }, strict: false, basis: [{ law: '中国共产党基层组织选举工作条例', version: '2020年7月印发', article: '第十四条（候选人预备人选经酝酿推荐产生）' }, decision] },
  { key: 'party_review', name: '资格联审', phase: 'party', anchor: 'party', offset: -18, limit: { days: -7, side: 'before' }, strict: false, basis: [townshipPlan('联审结果在公示前反馈'), decision] },
  { key: 'party_notice', name: '候选人预备人选公示', phase: 'party', anchor: 'party', offset: -10, limit: { days: -5, side: 'before' }, strict: false, basis: [townshipPlan('公示期一般不少于5个工作日'), decision] },
  { key: 'party_election', name: '党员大会选举', phase: 'party', anchor: 'party', offset: 0, limit: null, strict: true, basis: [decision] },
  { key: 'election_committee', name: '推选村（居）民选举委员会', phase: 'committee', anchor: 'committee', offset: -30, limit: { days: -21, side: 'before' }, strict: false, basis: [villageLaw('第十二条（村民选举委员会主持选举）'), decision] },
  { key: 'voter_list', name: '公布选民名单', phase: 'committee', anchor: 'committee', offset: -20, limit: { days: -20, side: 'before' }, strict: true, basis: [villageLaw('第十四条（选举日的二十日前公布登记参加选举的村民名单）'), decision] },
  { key: 'nomination', name: '提名候选人', phase: 'committee', anchor: 'committee', offset: -12, limit: { days: -5, side: 'before' }, strict: false, basis: [provincial('候选人提名在候选人名单公布之前'), decision] },
  { key: 'candidate_list', name: '公布正式候选人名单', phase: 'committee', anchor: 'committee', offset: -5, limit: { days: -5, side: 'before' }, strict: true, basis: [provincial('选举日的五日前公布正式候选人名单'), decision] },
  { key: 'committee_election', name: '投票选举', phase: 'committee', anchor: 'committee', offset: 0, limit: null, strict: true, basis: [decision] },
  { key: 'handover', name: '工作移交', phase: 'committee', anchor: 'committee', offset: 10, limit: { days: 10, side: 'before' }, strict: true, basis: [villageLaw('第二十条（新一届产生之日起十日内完成移交）'), decision] },
  { key: 'supervisory', name: '选举村（居）务监督委员会', phase: 'follow_up', anchor: 'formed', offset: 10, limit: { days: 10, side: 'before' }, strict: false, basis: [townshipPlan('新一届“两委”产生后10日内'), decision] },
  { key: 'talks', name: '换届后谈心谈话', phase: 'follow_up', anchor: 'formed', offset: 7, limit: { days: 7, side: 'before' }, strict: false, basis: [townshipPlan('换届后1周内'), decision] },
  { key: 'training', name: '新任干部集中培训', phase: 'follow_up', anchor: 'formed', offset: 30, limit: { days: 30, side: 'before' }, strict: false, basis: [townshipPlan('换届后1个月内'), decision] },
] satisfies MilestoneTemplate[])

/** 'YYYY-MM-DD' plus n days, across month and year ends. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}

export interface ElectionDays {
  /** The Party committee's election day (P). */
  party: string | null
  /** The villagers' or residents' committee's election day (E). */
  committee: string | null
}

/** The day an anchor stands for, or null when that election day is not set. */
export function anchorDay(anchor: Anchor, days: ElectionDays): string | null {
  if (anchor === 'party') return days.party
  if (anchor === 'committee') return days.committee
  // The new 两委 exist once both are elected: the later day, or the only one set.
  const set = [days.party, days.committee].filter((d): d is string => !!d).sort()
  return set.at(-1) ?? null
}

export interface PlannedMilestone {
  key: string
  name: string
  phase: PhaseKey
  /** The planned day; null until the anchoring election day is set. */
  plannedOn: string | null
  /** The latest (or earliest) day the limit allows, with its side; null without a limit or anchor. */
  deadline: string | null
  strict: boolean
}

/** A unit's milestones planned from its election days. */
export function planMilestones(days: ElectionDays, template: readonly MilestoneTemplate[] = defaultTemplate): PlannedMilestone[] {
  return template.map((m) => {
    const a = anchorDay(m.anchor, days)
    return {
      key: m.key,
      name: m.name,
      phase: m.phase,
      plannedOn: a ? addDays(a, m.offset) : null,
      deadline: a && m.limit ? addDays(a, m.limit.days) : null,
      strict: m.strict,
    }
  })
}

const anchorLabels: Record<Anchor, string> = { party: '党组织选举日', committee: '村（居）委会选举日', formed: '新一届“两委”产生之日' }

/** "选举日前20日" / "产生之日起10日内". */
function limitText(m: MilestoneTemplate): string {
  const l = m.limit!
  const n = Math.abs(l.days)
  if (l.days < 0) return `${anchorLabels[m.anchor]}前${n}日`
  if (l.days === 0) return anchorLabels[m.anchor]
  return `${anchorLabels[m.anchor]}起${n}日内`
}

export interface DateVerdict {
  level: 'ok' | 'warn' | 'refuse'
  message: string
  basis: LegalBasis[]
}

/**
 * Whether `date` is allowed for the milestone given the unit's election days. A strict (legal)
 * limit broken is 'refuse'; a practice one 'warn'. Without the anchoring day nothing can be said.
 */
export function checkMilestoneDate(key: string, date: string, days: ElectionDays, template: readonly MilestoneTemplate[] = defaultTemplate): DateVerdict {
  const m = template.find((x) => x.key === key)
  if (!m) throw new RangeError(`unknown milestone ${key}`)
  const a = anchorDay(m.anchor, days)
  if (!m.limit || !a) return { level: 'ok', message: a ? '' : `${anchorLabels[m.anchor]}尚未确定，暂不能检查期限`, basis: m.basis }
  const bound = addDays(a, m.limit.days)
  const broken = m.limit.side === 'before' ? date > bound : date < bound
  if (!broken) return { level: 'ok', message: '', basis: m.basis }
  const over = Math.abs(daysBetween(bound, date))
  const late = m.limit.side === 'before'
  const message = `“${m.name}”应在${limitText(m)}完成（${anchorLabels[m.anchor]} ${a}，${late ? '最迟' : '最早'} ${bound}），所填 ${date} ${late ? '晚' : '早'}了 ${over} 日`
  return { level: m.strict ? 'refuse' : 'warn', message, basis: m.basis }
}

/**
 * Checks a unit's election days against each other and the township's phase window: the Party
 * committee is elected before the villagers' committee (order party → 村委会, rules.md §6.2), and
 * each day falls in its phase's dates when the township has set them.
 */
export function checkElectionDays(days: ElectionDays, phases: Partial<Record<PhaseKey, { startsOn: string; endsOn: string }>>): DateVerdict[] {
  const out: DateVerdict[] = []
  if (days.party && days.committee && days.committee < days.party) {
    out.push({ level: 'warn', message: `村（居）委会选举日 ${days.committee} 早于党组织选举日 ${days.party}：一般先选党组织，再选村（居）委会`, basis: [townshipPlan('先党组织、后村（居）委会、再村（居）务监督委员会'), decision] })
  }
  for (const [phase, day] of [['party', days.party], ['committee', days.committee]] as const) {
    const w = phases[phase]
    if (day && w && (day < w.startsOn || day > w.endsOn)) {
      out.push({ level: 'warn', message: `${phaseLabels[phase]}选举日 ${day} 不在乡镇安排的${phaseLabels[phase]}时间（${w.startsOn}至${w.endsOn}）内`, basis: [decision] })
    }
  }
  return out
}
