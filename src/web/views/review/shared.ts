// Tag colours and short texts shared by the joint-review pages.
// It does NOT fetch anything; the pages and ../../api/review.ts do.
import type { BatchNominee, BatchStatus, ReviewRequest } from '../../api/review.ts'

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export const batchStatusTag: Record<BatchStatus, TagType> = {
  submitted: 'warning',
  in_review: 'primary',
  closed: 'success',
}

const nomineeStateTags: Record<BatchNominee['state'], TagType> = {
  draft: 'info',
  submitted: 'warning',
  under_review: 'primary',
  qualified: 'success',
  disqualified: 'danger',
  in_notice: 'primary',
  candidate: 'success',
  withdrawn: 'info',
}

export function nomineeStateTag(state: BatchNominee['state']): TagType {
  return nomineeStateTags[state]
}

/** 待反馈 / 逾期 / 已反馈 / 已撤回 of one request, as a tag. */
export function requestTag(r: Pick<ReviewRequest, 'status' | 'overdue'>): { type: TagType; label: string } {
  switch (r.status) {
    case 'pending':
      return r.overdue ? { type: 'danger', label: '逾期' } : { type: 'warning', label: '待反馈' }
    case 'answered':
      return { type: 'success', label: '已反馈' }
    case 'cancelled':
      return { type: 'info', label: '已撤回' }
  }
}

/** “村党组织委员会书记”, “村民委员会主任”: the post a nominee stands for (as the ledger writes it). */
export function postOf(r: { bodyLabel: string; postLabel: string }): string {
  return `${r.bodyLabel}${r.postLabel.replace(/^党组织/, '')}`
}

const weekdays = ['日', '一', '二', '三', '四', '五', '六']

/** 2026-03-06 → 2026-03-06（星期五）. */
export function withWeekday(day: string | null | undefined): string {
  if (!day) return ''
  const d = new Date(`${day}T00:00:00Z`)
  return Number.isNaN(d.getTime()) ? day : `${day}（星期${weekdays[d.getUTCDay()]}）`
}
