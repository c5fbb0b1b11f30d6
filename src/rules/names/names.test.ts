import { describe, expect, it } from 'vitest'
import { nameLength, nameProblem, normalizeName } from './index.ts'

describe('names', () => {
  it.each(['•', '・', '･', '‧', '∙', '⋅', '．', '.'])('turns the look-alike %s into the middle dot U+00B7', (dot) => {
    expect(normalizeName(`阿不都${dot}热合曼`)).toBe('阿不都·热合曼')
    expect(normalizeName(`阿不都 ${dot} 热合曼`)).toBe('阿不都·热合曼')
  })

  it('keeps characters outside the BMP and counts them as one', () => {
    expect(normalizeName(' 𠈌 明 ')).toBe('𠈌 明')
    expect(nameLength('𠈌明')).toBe(2)
  })

  it('never applies Unicode normalisation', () => {
    const decomposed = 'e\u0301'
    expect(normalizeName(decomposed)).toBe(decomposed)
  })

  it('accepts a 50-character name and refuses what cannot be a name', () => {
    expect(nameProblem('买买提'.repeat(16) + '·艾')).toBeNull()
    expect(nameProblem('')).toBe('姓名不能为空')
    expect(nameProblem('甲'.repeat(65))).toContain('不能超过')
    expect(nameProblem('·张三')).toContain('间隔号')
    expect(nameProblem('<b>张三</b>')).toContain('不允许的字符')
  })
})
