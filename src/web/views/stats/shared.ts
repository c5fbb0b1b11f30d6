/**
 * What the 换届统计 pages share: the filters as they sit in the route query (so a link or a reload
 * keeps the view), the Chinese labels for bodies, checks, levels and posts, and the status colours.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { Level, RuleKey } from '../../../rules/composition/types.ts'
import type { CheckKind, Matrix, StatsBody } from '../../api/stats.ts'

export interface DashboardQuery {
  region?: string
  body: StatsBody
  campaign?: string
  check?: CheckKind
}

export const bodyOptions: { value: StatsBody; label: string }[] = [
  { value: 'party_committee', label: '党组织' },
  { value: 'villager_committee', label: '村民委员会' },
  { value: 'resident_committee', label: '居民委员会' },
]

/** The unit kinds each body is elected in: the matrix is per unit, the figures per body. */
export const bodyKinds: Record<StatsBody, string[]> = {
  party_committee: ['village', 'gacha', 'community'],
  villager_committee: ['village', 'gacha'],
  resident_committee: ['community'],
}

export const checkOptions: { value: CheckKind; label: string }[] = [
  { value: 'incumbent', label: '现任班子' },
  { value: 'slate', label: '拟任人选' },
  { value: 'elected', label: '新一届班子' },
]

const one = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined)
const isBody = (v: string | undefined): v is StatsBody => bodyOptions.some((o) => o.value === v)
const isCheck = (v: string | undefined): v is CheckKind => checkOptions.some((o) => o.value === v)

/** Reads the filters from the route query; anything unknown falls back to the default. */
export function readQuery(q: LocationQuery): DashboardQuery {
  const body = one(q.body)
  const check = one(q.check)
  const region = one(q.region)
  return {
    region: region && /^\d{12}$/.test(region) ? region : undefined,
    body: isBody(body) ? body : 'party_committee',
    campaign: one(q.campaign),
    check: isCheck(check) ? check : undefined,
  }
}

/** The filters as a route query, leaving out what is default or unset (shorter links). */
export function toQuery(q: DashboardQuery): LocationQueryRaw {
  const out: LocationQueryRaw = {}
  if (q.region) out.region = q.region
  if (q.body !== 'party_committee') out.body = q.body
  if (q.campaign) out.campaign = q.campaign
  if (q.check) out.check = q.check
  return out
}

export const statusLabels = { finished: '已完成', in_progress: '进行中', not_started: '未开始' } as const
export type UnitStatus = keyof typeof statusLabels
export const statusColors: Record<UnitStatus, string> = { finished: '#67c23a', in_progress: '#e6a23c', not_started: '#c0c4cc' }

export const levelLabels: Record<Level, string> = { ok: '达标', warn: '提示', fail: '未达标', na: '不适用' }
export const levelTags: Record<Level, 'success' | 'warning' | 'danger' | 'info'> = { ok: 'success', warn: 'warning', fail: 'danger', na: 'info' }

/** Column heads of the matrix: the full labels are too wide for nine columns on a phone. */
export const shortRuleLabels: Record<RuleKey, string> = {
  party_size: '党组织职数',
  committee_size: '村（居）委职数',
  women: '女性',
  youth: '青年',
  college: '大专以上',
  one_shoulder: '一肩挑',
  cross_holding: '交叉任职',
  minority: '少数民族',
  new_member_age: '新进年龄',
}

const posts: Record<string, string> = { secretary: '书记', deputy_secretary: '副书记', chair: '主任', vice_chair: '副主任', member: '委员' }
export const postText = (post: string) => posts[post] ?? post
export const teamBodyText = (body: string, unitKind: string) =>
  body === 'party' ? '党组织' : unitKind === 'community' ? '居委会' : '村委会'
export const genderText = (g: string) => (g === '2' ? '女' : g === '1' ? '男' : g)

/** A share in percent to one decimal, or null without a whole. */
export const share = (part: number, whole: number): number | null => (whole ? Math.round((part * 1000) / whole) / 10 : null)
export const shareText = (part: number, whole: number): string => {
  const s = share(part, whole)
  return s === null ? '—' : `${s}%`
}

/**
 * Units meeting a rule (ok or warn) out of the units it applies to (not na), over the units of the
 * given kinds: the matrix is per unit and both committees, the dashboard per body.
 */
export function ruleTally(matrix: Matrix, rule: RuleKey, kinds: string[]): { met: number; checked: number } {
  let met = 0
  let checked = 0
  for (const u of matrix.units) {
    if (!kinds.includes(u.kind)) continue
    const level = u.cells.find((c) => c.rule === rule)?.level ?? 'na'
    if (level === 'na') continue
    checked++
    if (level !== 'fail') met++
  }
  return { met, checked }
}
