/**
 * Working-day arithmetic for review deadlines. Saturdays and Sundays are rest days; the State
 * Council's yearly holiday arrangement moves some of them, so the caller passes the dates that
 * differ from the plain week (rest days that fall on a weekday, and 调休 working weekends).
 * Dates are 'YYYY-MM-DD' strings in China's calendar; no time zone is involved.
 */
export interface Calendar {
  /** Weekdays that are public holidays. */
  holidays?: ReadonlySet<string>
  /** Weekend days that are working days (调休). */
  workingWeekends?: ReadonlySet<string>
}

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export function isWorkday(date: string, cal: Calendar = {}): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  if (day === 0 || day === 6) return cal.workingWeekends?.has(date) ?? false
  return !(cal.holidays?.has(date) ?? false)
}

/** The n-th working day after `date` (the day itself never counts): 5 working days from a Friday is the next Friday. */
export function addWorkdays(date: string, n: number, cal: Calendar = {}): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number ≥ 0')
  let d = date
  for (let left = n; left > 0; ) {
    d = shift(d, 1)
    if (isWorkday(d, cal)) left--
  }
  return d
}

/** Working days after `from` up to and including `to` (0 when `to` is not later). */
export function workdaysBetween(from: string, to: string, cal: Calendar = {}): number {
  let n = 0
  for (let d = shift(from, 1); d <= to; d = shift(d, 1)) if (isWorkday(d, cal)) n++
  return n
}
