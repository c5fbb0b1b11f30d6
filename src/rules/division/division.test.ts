import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { defaultUnitKind, divisionCodeProblem, kindFromLabel, levelOf, parentCodeOf } from './index.ts'

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''))
const county = fc.tuple(fc.integer({ min: 1, max: 8 }), digits(5)).map(([p, r]) => `${p}${r}`)
const part = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(3, '0'))

describe('division codes', () => {
  it('accepts the standard ranges', () => {
    expect(divisionCodeProblem('150999100000', 'town')).toBeNull()
    expect(divisionCodeProblem('150999001000', 'street')).toBeNull()
    expect(divisionCodeProblem('150999200000', 'sumu')).toBeNull()
    expect(divisionCodeProblem('150999100201', 'village')).toBeNull()
    expect(divisionCodeProblem('150999100201', 'gacha')).toBeNull()
    expect(divisionCodeProblem('150999100001', 'community')).toBeNull()
    expect(divisionCodeProblem('150999000000', 'banner')).toBeNull()
  })

  it.each([
    ['15099910020', 'village', '12 位数字'],
    ['950999100201', 'village', '第 1 位'],
    ['150999100201', 'community', '001–199'],
    ['150999100001', 'village', '200–399'],
    ['150999100000', 'village', '乡级代码'],
    ['150999150000', 'street', '001–099'],
    ['150999000201', 'village', '不能为 000'],
  ])('explains what is wrong with %s as %s', (code, kind, text) => {
    expect(divisionCodeProblem(code, kind as never)).toContain(text)
  })

  it('derives level and parent so that every unit nests under its township and county', () => {
    fc.assert(
      fc.property(county, part(1, 599), part(1, 599), (c, t, v) => {
        const unit = `${c}${t}${v}`
        expect(levelOf(unit)).toBe('unit')
        const township = parentCodeOf(unit)!
        expect(township).toBe(`${c}${t}000`)
        expect(levelOf(township)).toBe('township')
        expect(parentCodeOf(township)).toBe(`${c}000000`)
        expect(parentCodeOf(`${c}000000`)).toBeNull()
        // The kind the code implies is always one the code accepts.
        expect(divisionCodeProblem(unit, defaultUnitKind(unit))).toBeNull()
      }),
    )
  })

  it('reads kinds from labels users type', () => {
    expect(kindFromLabel('嘎查村')).toBe('gacha')
    expect(kindFromLabel(' 社区 ')).toBe('community')
    expect(kindFromLabel('居委会')).toBe('community')
    expect(kindFromLabel('苏木')).toBe('sumu')
    expect(kindFromLabel('城堡')).toBeUndefined()
  })
})
