import { describe, expect, it } from 'vitest'
import { generatePassword, passwordProblem } from './password.ts'

describe('password policy', () => {
  it.each([
    ['123456', '至少需要 8 位'],
    ['Aa123456', '过于常见'],
    ['huanjie2026', '至少三类'],
    ['Huanjie@2026', '过于常见'],
    ['Dangwei#2026x', '“dangwei”'],
    ['Aaaa!aaaa1', '连续或重复'],
    ['abcdefgh', '至少三类'],
    ['Abc@123456', '连续或重复'],
    ['Lm4!rq8Tzw', null],
  ])('judges %s', (pw, reason) => {
    const problem = passwordProblem(pw)
    if (reason === null) expect(problem).toBeNull()
    else expect(problem).toContain(reason)
  })

  it('refuses the county name in pinyin, the username, the phone and the own name', () => {
    expect(passwordProblem('Qingshan@2026', { placeNames: ['青山旗'] })).toContain('qingshan')
    expect(passwordProblem('Xyz_cadre#77', { username: 'xyz_cadre' })).toBe('密码不能包含用户名')
    expect(passwordProblem('Pw#13812345678', { phone: '13812345678' })).toBe('密码不能包含手机号')
    expect(passwordProblem('Wangjianguo#1', { displayName: '王建国' })).toBe('密码不能包含本人姓名的拼音')
  })

  it('accepts 3 classes at 8 characters and a 64-character passphrase', () => {
    expect(passwordProblem('Tq7$wnB4')).toBeNull()
    expect(passwordProblem('correct horse battery staple and a long walk to the river bank ok')).toBeNull()
    expect(passwordProblem('x'.repeat(129))).toContain('不能超过')
  })

  it('generates initial passwords that pass the policy', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword()
      expect(p).toHaveLength(12)
      expect(passwordProblem(p)).toBeNull()
    }
  })
})
