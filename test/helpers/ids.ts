import { checkCharOf } from '../../src/rules/id-number/index.ts'

/**
 * A valid 18-digit citizen ID number for test data: a Beijing area code, a birth date and a
 * sequence number (odd for men, even for women), with the GB 11643 check character.
 */
export function idNumberFor(seq: number, opts: { birth?: string; female?: boolean } = {}): string {
  const birth = (opts.birth ?? '1980-01-01').replaceAll('-', '')
  let order = (seq % 500) * 2 + (opts.female ? 0 : 1)
  if (order > 999) order -= 1000
  const body = `110105${birth}${String(order).padStart(3, '0')}`
  return body + checkCharOf(body)
}
