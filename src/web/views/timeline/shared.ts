/**
 * What the 换届时间表 components share: the status labels and colours, and calendar arithmetic on
 * 'YYYY-MM-DD' strings (UTC, so no zone shifts a day).
 */
import type { PhaseKey, Timeline, TimelineMilestone, TimelineUnit } from '../../api/timeline.ts'

export type MilestoneStatus = TimelineMilestone['status']
export const statusLabels: Record<MilestoneStatus, string> = { done: '已完成', overdue: '已逾期', due: '即将到期', planned: '未到期', unscheduled: '待定选举日' }
export const statusTags: Record<MilestoneStatus, 'success' | 'danger' | 'warning' | 'primary' | 'info'> = {
  done: 'success',
  overdue: 'danger',
  due: 'warning',
  planned: 'primary',
  unscheduled: 'info',
}
export const statusColors: Record<MilestoneStatus, string> = { done: '#67c23a', overdue: '#f56c6c', due: '#e6a23c', planned: '#409eff', unscheduled: '#c0c4cc' }
/** Light, see-through fills for the phase bands: phases may overlap, and both should show. */
export const phaseColors: Record<PhaseKey, string> = {
  preparation: 'rgba(144, 147, 153, 0.12)',
  party: 'rgba(245, 108, 108, 0.1)',
  committee: 'rgba(64, 158, 255, 0.1)',
  follow_up: 'rgba(103, 194, 58, 0.12)',
}

/** 党 for the Party election; 居 for a community's residents' committee, 村 otherwise (嘎查村 too). */
export const committeeMark = (kind: string) => (kind === 'community' ? '居' : '村')
export const committeeLabel = (kind: string) => (kind === 'community' ? '居委会选举日' : '村委会选举日')

// Day arithmetic is the engine's own, so the chart and the server agree on every date.
export { addDays, daysBetween } from '../../../rules/timeline/index.ts'

/** 2026-12-08 → 12-08: the year is the campaign's and only costs width. */
export const short = (d: string | null | undefined) => (d ? d.slice(5) : '—')

/** One line for a title attribute: name, planned day, deadline, done day, the late message. */
export function milestoneTip(m: TimelineMilestone): string {
  const parts = [`${m.name}（${statusLabels[m.status]}）`, `计划 ${m.plannedOn ?? '待定'}`]
  if (m.deadline) parts.push(`${m.strict ? '法定期限' : '建议'}最迟 ${m.deadline}`)
  if (m.doneOn) parts.push(`完成于 ${m.doneOn}`)
  if (m.late) parts.push(m.late)
  return parts.join('\n')
}

/** A unit's open milestones in planned order, the undated ones last. */
export function openMilestones(u: TimelineUnit): TimelineMilestone[] {
  return u.milestones.filter((m) => m.status !== 'done').sort((a, b) => (a.plannedOn ?? '9999').localeCompare(b.plannedOn ?? '9999'))
}

export const hasOverdue = (u: TimelineUnit) => u.milestones.some((m) => m.status === 'overdue')

export interface Counts {
  overdue: number
  due: number
  done: number
  total: number
}

export function countsOf(t: Timeline): Counts {
  const c: Counts = { overdue: 0, due: 0, done: 0, total: 0 }
  for (const u of t.units) {
    for (const m of u.milestones) {
      c.total++
      if (m.status === 'overdue') c.overdue++
      else if (m.status === 'due') c.due++
      else if (m.status === 'done') c.done++
    }
  }
  return c
}
