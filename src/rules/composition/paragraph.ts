/**
 * The seed report's results paragraph, written from the figures: "2021年1月5日至9日，全镇26个村、
 * 2个社区圆满完成了党组织换届工作。此次选举，各村、社区全部产生党组织书记，委员88人，其中女性书记
 * 1人，女性委员19人，35周岁以下7人，大专及以上学历57人。" Counting as rule 18; pure.
 */
import { ruleLabels } from './rules.ts'
import type { Figures, RuleKey, UnitKind } from './types.ts'

export type StatsBody = 'party_committee' | 'villager_committee' | 'resident_committee'

export interface KindCount {
  kind: UnitKind
  total: number
  finished: number
  inProgress: number
}

export interface TargetLine {
  rule: RuleKey
  met: number
  checked: number
  missed: string[]
}

export interface ParagraphInput {
  /** 新营子镇, 青山旗 */
  areaName: string
  /** territory kind of the area: town, township, sumu, street, county, banner … */
  areaKind: string
  body: StatsBody
  /** The day the statement is made, for "截至…" when not every unit has finished. */
  asOf: string
  kinds: KindCount[]
  /** First and last election day of the finished units' rounds. */
  from: string | null
  to: string | null
  /** Finished units that have their head (书记 / 主任). */
  finishedWithHead: number
  figures: Figures
  youthAge: number
  /** Targets met and missed per unit (rule 17), for a second paragraph; empty to leave it out. */
  targets: TargetLine[]
}

const unitWord: Record<UnitKind, string> = { village: '村', gacha: '嘎查', community: '社区' }

export function areaWord(kind: string, name: string): string {
  const byKind: Record<string, string> = { town: '全镇', township: '全乡', ethnic_township: '全乡', sumu: '全苏木', ethnic_sumu: '全苏木', street: '全街道', county: '全县', banner: '全旗', district: '全区', city: '全市' }
  return byKind[kind] ?? `全${name.slice(-1)}`
}

const bodyWords: Record<StatsBody, { work: string; head: string; member: string; womanHead: string }> = {
  party_committee: { work: '党组织', head: '党组织书记', member: '委员', womanHead: '女性书记' },
  villager_committee: { work: '村民委员会', head: '村民委员会主任', member: '成员', womanHead: '女性主任' },
  resident_committee: { work: '居民委员会', head: '居民委员会主任', member: '成员', womanHead: '女性主任' },
}

function day(d: string, withYear: boolean, withMonth: boolean): string {
  const [y, m, dd] = d.split('-').map(Number)
  return `${withYear ? `${y}年` : ''}${withMonth ? `${m}月` : ''}${dd}日`
}

/** 2021年1月5日至9日 · 2021年1月30日至2月2日 · 2020年12月30日至2021年1月3日 · 2021年1月5日 */
export function dateSpan(from: string, to: string): string {
  if (from === to) return day(from, true, true)
  const sameYear = from.slice(0, 4) === to.slice(0, 4)
  const sameMonth = sameYear && from.slice(5, 7) === to.slice(5, 7)
  return `${day(from, true, true)}至${day(to, !sameYear, !sameMonth)}`
}

/** "26个村、2个社区" for the kinds with a non-zero count. */
function countList(kinds: KindCount[], pick: (k: KindCount) => number): string {
  return kinds
    .filter((k) => pick(k) > 0)
    .map((k) => `${pick(k)}个${unitWord[k.kind]}`)
    .join('、')
}

export function resultsParagraph(p: ParagraphInput): string {
  const w = bodyWords[p.body]
  const area = areaWord(p.areaKind, p.areaName)
  const kinds = p.kinds.filter((k) => k.total > 0)
  const total = kinds.reduce((s, k) => s + k.total, 0)
  const finished = kinds.reduce((s, k) => s + k.finished, 0)
  const f = p.figures
  const figures = `${w.member}${f.members}人，其中${w.womanHead}${f.womenHeads}人，女性${w.member}${f.women}人，${p.youthAge}周岁以下${f.under35}人，大专及以上学历${f.college}人`
  const every = kinds.map((k) => unitWord[k.kind]).join('、')

  if (!total) return `${p.areaName}没有需要进行${w.work}换届的村（社区）。`
  let text: string
  if (['village', 'gacha', 'community'].includes(p.areaKind)) {
    // One unit: say what it did, not "全村1个村".
    if (finished) {
      const when = p.from && p.to ? `${dateSpan(p.from, p.to)}，` : ''
      text = `${when}${p.areaName}完成了${w.work}换届工作。此次选举，${p.finishedWithHead ? `产生${w.head}` : `尚未产生${w.head}`}，${figures}。`
    } else text = `截至${day(p.asOf, true, true)}，${p.areaName}的${w.work}换届工作${kinds.some((k) => k.inProgress) ? '正在进行' : '尚未开始'}。`
    return text + targetText(p.targets)
  }
  if (finished === total) {
    const when = p.from && p.to ? `${dateSpan(p.from, p.to)}，` : ''
    const heads = p.finishedWithHead === finished ? `各${every}全部产生${w.head}` : `${p.finishedWithHead}个${every}产生${w.head}`
    text = `${when}${area}${countList(kinds, (k) => k.total)}圆满完成了${w.work}换届工作。此次选举，${heads}，${figures}。`
  } else {
    const progress = [
      finished ? `已有${countList(kinds, (k) => k.finished)}完成${w.work}换届工作` : `尚无${every}完成${w.work}换届工作`,
      kinds.some((k) => k.inProgress) ? `${countList(kinds, (k) => k.inProgress)}正在进行` : '',
      kinds.some((k) => k.total - k.finished - k.inProgress) ? `${countList(kinds, (k) => k.total - k.finished - k.inProgress)}尚未开始` : '',
    ].filter(Boolean)
    text = `截至${day(p.asOf, true, true)}，${area}${countList(kinds, (k) => k.total)}中，${progress.join('，')}。`
    if (finished) text += `已完成的${kinds.filter((k) => k.finished).map((k) => unitWord[k.kind]).join('、')}共产生${w.head}${p.finishedWithHead}人，${figures}。`
  }
  return text + targetText(p.targets)
}

function targetText(targets: TargetLine[]): string {
  const lines = targets
    .filter((t) => t.checked > 0)
    .map((t) => (t.missed.length ? `${ruleLabels[t.rule]}${t.met}个达标，${t.missed.join('、')}未达标` : `${ruleLabels[t.rule]}${t.checked}个全部达标`))
  return lines.length ? `\n对照结构指标：${lines.join('；')}。` : ''
}
