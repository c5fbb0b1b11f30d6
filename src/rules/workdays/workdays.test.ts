import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addWorkdays, isWorkday, workdaysBetween } from './index.ts'

const day = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))

describe('working days', () => {
  it('skips weekends: 5 working days from Friday 2026-11-27 is Friday 2026-12-04', () => {
    expect(addWorkdays('2026-11-27', 5)).toBe('2026-12-04')
    expect(addWorkdays('2026-11-28', 1)).toBe('2026-11-30')
    expect(addWorkdays('2026-11-30', 0)).toBe('2026-11-30')
  })

  it('honours holidays and working weekends', () => {
    const cal = { holidays: new Set(['2026-10-01', '2026-10-02']), workingWeekends: new Set(['2026-10-10']) }
    expect(isWorkday('2026-10-01', cal)).toBe(false)
    expect(isWorkday('2026-10-10', cal)).toBe(true)
    expect(addWorkdays('2026-09-30', 2, cal)).toBe('2026-10-06')
  })

  it('always lands on a working day exactly n working days later', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 30 }), (d, n) => {
        const end = addWorkdays(d, n)
        expect(isWorkday(end)).toBe(true)
        expect(workdaysBetween(d, end)).toBe(n)
        expect(end > d).toBe(true)
      }),
    )
  })
})
