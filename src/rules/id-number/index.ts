import { isRealDate } from '../age/index.ts'

/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence whose
 * last digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check character.
 * The address code is not looked up: codes are retired all the time and numbers keep them.
 */

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkChars = '10X98765432'

export type IdKind = 'resident' | 'hk_macao_taiwan' | 'foreign_permanent'

export interface IdNumberInfo {
  number: string
  kind: IdKind
  birthDate: string
  gender: 'male' | 'female'
  addressCode: string
}

export type IdParse = { ok: true; info: IdNumberInfo } | { ok: false; message: string }

/** The check character for the first 17 digits. */
export function checkCharOf(body: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * weights[i]!
  return checkChars[sum % 11]!
}

/**
 * The forms people type are made canonical: full-width digits (NFKC is safe for ID numbers, never
 * for names), spaces, hyphens and zero-width characters dropped, a lower-case x raised.
 */
export function normalizeIdNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\-_\u200b-\u200d\u2060\ufeff]/g, '')
    .toUpperCase()
}

/**
 * Validates and reads a number. `today` ('YYYY-MM-DD') bounds the birth date. Every refusal says
 * in Chinese what is wrong, without repeating the number (it must not reach logs).
 */
export function parseIdNumber(raw: string, today: string): IdParse {
  const n = normalizeIdNumber(raw)
  if (n.length === 0) return { ok: false, message: '身份证号不能为空' }
  if (/^\d{15}$/.test(n)) return { ok: false, message: '这是 15 位的旧身份证号，请填写现行的 18 位号码' }
  if (n.length !== 18) return { ok: false, message: `身份证号应为 18 位，现在是 ${n.length} 位` }
  if (!/^\d{17}[\dX]$/.test(n)) {
    return { ok: false, message: n.slice(0, 17).includes('X') ? 'X 只能出现在身份证号最后一位' : '身份证号前 17 位应全为数字，最后一位为数字或 X' }
  }
  if (n[0] === '0') return { ok: false, message: '身份证号第 1 位不能为 0' }
  const birthDate = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`
  if (!isRealDate(birthDate)) return { ok: false, message: `身份证号中的出生日期 ${birthDate} 不存在` }
  if (birthDate < '1900-01-01') return { ok: false, message: '身份证号中的出生日期早于 1900 年' }
  if (birthDate > today) return { ok: false, message: '身份证号中的出生日期晚于今天' }
  if (checkCharOf(n) !== n[17]) return { ok: false, message: '身份证号校验位不正确，请核对每一位数字' }
  const kind: IdKind = n[0] === '9' ? 'foreign_permanent' : /^8[123]/.test(n) ? 'hk_macao_taiwan' : 'resident'
  return {
    ok: true,
    info: { number: n, kind, birthDate, gender: Number(n[16]) % 2 === 1 ? 'male' : 'female', addressCode: n.slice(0, 6) },
  }
}
