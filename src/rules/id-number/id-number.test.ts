import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkCharOf, normalizeIdNumber, parseIdNumber } from './index.ts'
import { ageOn, isRealDate } from '../age/index.ts'

const TODAY = '2026-11-29'

/**
 * An independent check: ISO 7064 MOD 11-2 in its recursive form (p = (p + digit) × 2 mod 11),
 * not the weight table the engine uses.
 */
function referenceCheck(body: string): string {
  let p = 0
  for (const ch of body) p = ((p + Number(ch)) * 2) % 11
  const r = (12 - p) % 11
  return r === 10 ? 'X' : String(r)
}

const pad = (n: number, w: number) => String(n).padStart(w, '0')
const validId = fc
  .record({
    area: fc.integer({ min: 110000, max: 659999 }),
    day: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2026, 10, 29) }).map((t) => new Date(t - (t % 86400000)).toISOString().slice(0, 10)),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ area, day, seq }) => {
    const body = `${area}${day.replace(/-/g, '')}${pad(seq, 3)}`
    return { id: body + referenceCheck(body), day, male: seq % 2 === 1 }
  })

describe('ID numbers (GB 11643)', () => {
  it("accepts the standard's own examples", () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toMatchObject({ ok: true, info: { birthDate: '1949-12-31', gender: 'female', kind: 'resident' } })
    // The standard's second example is structurally right, but a person born in 1880 is refused.
    expect(checkCharOf('44052418800101001')).toBe('4')
    expect(parseIdNumber('440524188001010014', TODAY)).toMatchObject({ ok: false, message: '身份证号中的出生日期早于 1900 年' })
  })

  it('agrees with an independent implementation on every generated number, and reads birth date and gender', () => {
    fc.assert(
      fc.property(validId, ({ id, day, male }) => {
        expect(checkCharOf(id.slice(0, 17))).toBe(id[17])
        const r = parseIdNumber(id, TODAY)
        expect(r.ok).toBe(true)
        if (r.ok) {
          expect(r.info.birthDate).toBe(day)
          expect(r.info.gender).toBe(male ? 'male' : 'female')
        }
      }),
    )
  })

  it('catches any single changed digit', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), ({ id }, pos, delta) => {
        const digit = (Number(id[pos]) + delta) % 10
        const bad = id.slice(0, pos) + String(digit) + id.slice(pos + 1)
        expect(parseIdNumber(bad, TODAY).ok).toBe(false)
      }),
    )
  })

  it('catches two neighbouring digits swapped', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 15 }), ({ id }, pos) => {
        fc.pre(id[pos] !== id[pos + 1])
        const bad = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2)
        expect(parseIdNumber(bad, TODAY).ok).toBe(false)
      }),
    )
  })

  it.each([
    ['110101199003071234', '校验位不正确'],
    ['110101900307123', '15 位的旧身份证号'],
    ['11010119900307123', '应为 18 位，现在是 17 位'],
    ['1101011990030712345', '应为 18 位，现在是 19 位'],
    ['11010119900X071234', 'X 只能出现在身份证号最后一位'],
    ['11010119900A071234', '前 17 位应全为数字'],
    ['110101199002301234', '1990-02-30 不存在'],
    ['110101189912311234', '早于 1900 年'],
    ['110101203001011234', '晚于今天'],
    ['010101199003071234', '第 1 位不能为 0'],
    ['', '不能为空'],
  ])('refuses %s with a reason', (id, reason) => {
    const r = parseIdNumber(id, TODAY)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.message).toContain(reason)
      if (id.length > 8) expect(r.message).not.toContain(id)
    }
  })

  it('normalises what people type: lower-case x, full-width digits, spaces, hyphens, zero-width characters', () => {
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X')
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X')
    expect(normalizeIdNumber('110105-19491231-002\u200bX')).toBe('11010519491231002X')
  })

  it('tells residence permits and foreigners’ permanent-residence numbers apart', () => {
    const make = (prefix: string) => {
      const body = `${prefix}19900307123`
      return body + referenceCheck(body)
    }
    expect(parseIdNumber(make('810000'), TODAY)).toMatchObject({ ok: true, info: { kind: 'hk_macao_taiwan' } })
    expect(parseIdNumber(make('930000'), TODAY)).toMatchObject({ ok: true, info: { kind: 'foreign_permanent' } })
  })
})

describe('ages (周岁)', () => {
  it('counts full years on the given day', () => {
    expect(ageOn('1990-03-07', '2026-03-06')).toBe(35)
    expect(ageOn('1990-03-07', '2026-03-07')).toBe(36)
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25)
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26)
  })

  it('never decreases as the day moves on, and grows by one each year', () => {
    const day = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }).map((t) => new Date(t - (t % 86400000)).toISOString().slice(0, 10))
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [birth, on] = a <= b ? [a, b] : [b, a]
        const age = ageOn(birth, on)
        expect(age).toBeGreaterThanOrEqual(0)
        const next = `${Number(on.slice(0, 4)) + 1}${on.slice(4)}`
        if (isRealDate(next)) expect(ageOn(birth, next)).toBe(age + 1)
      }),
    )
  })

  it('knows real calendar days', () => {
    expect(isRealDate('2024-02-29')).toBe(true)
    expect(isRealDate('2026-02-29')).toBe(false)
    expect(isRealDate('1900-02-29')).toBe(false)
    expect(isRealDate('2000-02-29')).toBe(true)
    expect(isRealDate('2026-13-01')).toBe(false)
  })
})
