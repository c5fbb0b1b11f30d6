import { describe, expect, it } from 'vitest'
import { educationLevel, educations, ethnicities, isCollegeOrAbove, isPartyMember, labelOf, politicalStatuses } from './index.ts'

describe('national code lists', () => {
  it('has all 56 ethnic groups plus 其他 and 外国血统, with unique codes', () => {
    expect(ethnicities).toHaveLength(58)
    expect(new Set(ethnicities.map(([c]) => c)).size).toBe(58)
    expect(labelOf(ethnicities, '02')).toBe('蒙古族')
    expect(labelOf(ethnicities, '56')).toBe('基诺族')
  })

  it('counts 大专及以上 as codes 11–33 and rolls education up for dashboards', () => {
    expect(educations.filter(([c]) => isCollegeOrAbove(c)).map(([, l]) => l)).toContain('大学专科肄业')
    expect(isCollegeOrAbove('41')).toBe(false)
    expect(educationLevel('28')).toBe('大学本科')
    expect(educationLevel('47')).toBe('中专·中技')
    expect(educationLevel('83')).toBe('小学及以下')
    for (const [code] of educations) expect(educationLevel(code)).toBeTruthy()
  })

  it('counts party members with probationary members', () => {
    expect(politicalStatuses.filter(([c]) => isPartyMember(c)).map(([, l]) => l)).toEqual(['中国共产党党员', '中国共产党预备党员'])
  })
})
