import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compareLevels, effectiveLevel, isOverdue, missingCategories, ratings, riskOf, type Rating, type RiskLevel } from './index.ts'

const R = { 好: 'good', 一般: 'fair', 差: 'poor' } as const
type Word = keyof typeof R

describe('risk level of a unit assessment', () => {
  // 发展, 稳定, 威信 → level, reasons.
  const table: [Word, Word, Word, RiskLevel, string[]][] = [
    ['好', '好', '好', 'low', []],
    ['一般', '好', '好', 'low', []],
    ['好', '好', '一般', 'low', []],
    ['好', '一般', '好', 'medium', ['稳定情况一般']],
    ['一般', '好', '一般', 'medium', ['发展情况一般', '班子威信一般']],
    ['一般', '一般', '一般', 'medium', ['发展情况一般', '稳定情况一般', '班子威信一般']],
    ['差', '好', '好', 'medium', ['发展情况差']],
    ['好', '好', '差', 'medium', ['班子威信差']],
    ['差', '一般', '好', 'medium', ['发展情况差', '稳定情况一般']],
    ['好', '差', '好', 'high', ['稳定情况差']],
    ['好', '差', '差', 'high', ['稳定情况差', '班子威信差']],
    ['差', '好', '差', 'high', ['发展情况差', '班子威信差']],
    ['差', '差', '差', 'high', ['发展情况差', '稳定情况差', '班子威信差']],
  ]
  it.each(table)('发展%s 稳定%s 威信%s → %s', (d, s, c, level, reasons) => {
    expect(riskOf({ development: R[d], stability: R[s], credibility: R[c] })).toEqual({ level, reasons })
  })

  const rating = fc.constantFrom<Rating>(...ratings)
  const worse = (r: Rating): Rating => (r === 'good' ? 'fair' : 'poor')

  it('never lowers the level when any rating gets worse', () => {
    fc.assert(
      fc.property(rating, rating, rating, fc.constantFrom('development', 'stability', 'credibility' as const), (development, stability, credibility, which) => {
        const before = { development, stability, credibility }
        const after = { ...before, [which]: worse(before[which]) }
        expect(compareLevels(riskOf(after).level, riskOf(before).level)).toBeGreaterThanOrEqual(0)
      }),
    )
  })

  it('gives a reason for every level above low', () => {
    fc.assert(
      fc.property(rating, rating, rating, (development, stability, credibility) => {
        const v = riskOf({ development, stability, credibility })
        expect(v.reasons.length > 0).toBe(v.level !== 'low')
      }),
    )
  })

  it('lets the township raise the computed level but never lower it', () => {
    expect(effectiveLevel('low', 'high')).toBe('high')
    expect(effectiveLevel('medium', 'high')).toBe('high')
    expect(effectiveLevel('high', 'low')).toBe('high')
    expect(effectiveLevel('medium', 'medium')).toBe('medium')
    expect(effectiveLevel('medium', null)).toBe('medium')
  })
})

describe('risk items and visit coverage', () => {
  it('counts an open item as overdue only after its deadline day', () => {
    expect(isOverdue({ status: 'open', deadline: '2026-11-30' }, '2026-12-01')).toBe(true)
    expect(isOverdue({ status: 'open', deadline: '2026-11-30' }, '2026-11-30')).toBe(false)
    expect(isOverdue({ status: 'resolved', deadline: '2026-10-01' }, '2026-12-01')).toBe(false)
  })

  it('names the 四必访 categories a unit has not visited, in order', () => {
    expect(missingCategories({})).toEqual(['party_veteran', 'villager', 'hardship', 'petitioner'])
    expect(missingCategories({ villager: 3, petitioner: 0, party_veteran: 1 })).toEqual(['hardship', 'petitioner'])
    expect(missingCategories({ party_veteran: 1, villager: 1, hardship: 2, petitioner: 1 })).toEqual([])
  })
})
