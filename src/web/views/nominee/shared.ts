// Tag colours, short texts and date helpers shared by the 人选管理 and 人选公示 pages.
// It does NOT fetch anything; ../../api/nominee.ts and ../../api/notice.ts do.
import type { NomineeState, ReviewOutcome } from '../../api/nominee.ts'

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export const stateTags: Record<NomineeState, TagType> = {
  draft: 'info',
  submitted: 'warning',
  under_review: 'primary',
  qualified: 'success',
  disqualified: 'danger',
  in_notice: 'primary',
  candidate: 'success',
  withdrawn: 'info',
}

export const outcomeLabels: Record<ReviewOutcome, string> = {
  pending: '各部门尚未全部反馈',
  qualified: '各部门均未发现所列情形',
  disqualified: '查实“不得确定为候选人”情形',
  county_decision: '查实“不宜确定为候选人”情形，须县级决定',
}

/** “村党组织委员会书记”, “村民委员会主任”: the post a nominee stands for. */
export function postOf(r: { bodyLabel: string; postLabel: string }): string {
  return `${r.bodyLabel}${r.postLabel.replace(/^党组织/, '')}`
}

/** Today's date in China (YYYY-MM-DD), whatever the browser's zone: the server counts China's days. */
export function todayInChina(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

/** 2026-03-06 + 5 → 2026-03-11 (calendar days). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) return day
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The picker's day (local) as YYYY-MM-DD. */
export function dayOf(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** For el-date-picker: no day after today (objections received, talks held, objections handled). */
export function afterToday(d: Date): boolean {
  return dayOf(d) > todayInChina()
}
