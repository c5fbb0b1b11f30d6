/**
 * The time axis of the Gantt view: which days it spans, how wide a day is, and the month and
 * day/week labels. Pure, so the layout can be reasoned about without a browser.
 */
import type { Timeline, TimelineUnit } from '../../../api/timeline.ts'
import { addDays, daysBetween } from '../shared.ts'

export interface Axis {
  from: string
  to: string
  /** Pixels per day. */
  px: number
  /** Days are labelled one by one when there is room, else only Mondays. */
  mode: 'day' | 'week'
  width: number
  months: { key: string; label: string; left: number; width: number }[]
  ticks: { key: string; label: string; left: number }[]
}

/** Today is drawn only when it is this close to the planned dates; else it would stretch the axis. */
const TODAY_REACH = 60
const MARGIN = 3
/** A few dates close together would otherwise make an axis a few days wide. */
const MIN_SPAN = 42

/** Every day the view has to show: phase windows, election days and planned milestones. */
function datesOf(t: Timeline, units: TimelineUnit[]): string[] {
  const out: string[] = []
  for (const p of t.phases) {
    if (p.startsOn) out.push(p.startsOn)
    if (p.endsOn) out.push(p.endsOn)
  }
  for (const u of units) {
    if (u.partyOn) out.push(u.partyOn)
    if (u.committeeOn) out.push(u.committeeOn)
    for (const m of u.milestones) if (m.plannedOn) out.push(m.plannedOn)
  }
  return out.sort()
}

/**
 * The axis over every day the view has to show. With nothing planned yet it still spans the weeks
 * from today, so the rows are there to click and give a unit its election days.
 */
export function axisOf(t: Timeline, units: TimelineUnit[]): Axis {
  const dates = datesOf(t, units)
  let first = dates[0] ?? t.today
  let last = dates[dates.length - 1] ?? t.today
  if (t.today < first && daysBetween(t.today, first) <= TODAY_REACH) first = t.today
  if (t.today > last && daysBetween(last, t.today) <= TODAY_REACH) last = t.today
  const from = addDays(first, -MARGIN)
  const to = addDays(from, Math.max(daysBetween(from, addDays(last, MARGIN)), MIN_SPAN - 1))
  const span = daysBetween(from, to) + 1
  const px = span <= 90 ? 18 : span <= 200 ? 8 : 5
  const mode = px >= 14 ? 'day' : 'week'
  const months: Axis['months'] = []
  const ticks: Axis['ticks'] = []
  for (let i = 0; i < span; i++) {
    const d = addDays(from, i)
    const dom = Number(d.slice(8))
    if (i === 0 || dom === 1) months.push({ key: d, label: '', left: i * px, width: 0 })
    if (mode === 'day' || new Date(`${d}T00:00:00Z`).getUTCDay() === 1) ticks.push({ key: d, label: String(dom), left: i * px })
  }
  months.forEach((m, i) => {
    const next = months[i + 1]
    m.width = (next ? next.left : span * px) - m.left
    // A month cut short at either end gets a short label, or none if even that would not fit.
    const month = Number(m.key.slice(5, 7))
    m.label = m.width >= 90 ? `${m.key.slice(0, 4)}年${month}月` : m.width >= 30 ? `${month}月` : ''
  })
  return { from, to, px, mode, width: span * px, months, ticks }
}

/** The left edge of a day on the axis, in pixels. */
export const xOf = (a: Axis, day: string) => daysBetween(a.from, day) * a.px

/** Whether a day falls inside the axis (today may not). */
export const within = (a: Axis, day: string) => day >= a.from && day <= a.to
