import { hash, verify } from '@node-rs/argon2'
import { randomInt } from 'node:crypto'
import { pinyin } from 'pinyin-pro'

// argon2id at the OWASP minimum (m = 19 MiB, t = 2, p = 1): about 43 ms a hash on our 2-core box.
const options = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal names. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('dummy-password-for-timing')
  return dummyHash
}

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128

// Common passwords and their shapes; compared after lower-casing. Not exhaustive: the rules
// below (sequences, repeats, context words) catch most variants of these.
const common = new Set(
  `123456 1234567 12345678 123456789 1234567890 111111 11111111 000000 00000000 888888 88888888 666666
   666666666 123123 123321 654321 112233 121212 147258 147258369 159357 520520 5201314 1314520 woaini
   woaini1314 iloveyou password passw0rd password1 password123 p@ssw0rd p@ssword qwerty qwerty123
   qwertyuiop asdfgh asdfghjkl zxcvbnm 1qaz2wsx 1q2w3e4r 1q2w3e4r5t qazwsx qazwsxedc abc123 abc12345
   abcd1234 aa123456 a123456 a1234567 a12345678 admin admin123 admin888 root root123 test test123
   welcome welcome1 sunshine monkey dragon letmein football baseball master superman trustno1 huanjie
   xuanju zhongguo china beijing aini1314 wang123456 li123456 zhang123 changeme default`
    .split(/\s+/)
    .filter(Boolean),
)

// Words of this system's own context: a password built on them is the first thing tried.
const contextWords = ['huanjie', 'xuanju', 'liangwei', 'cunwei', 'zuzhibu', 'dangwei', 'admin', 'password']

function isSequenceOrRepeat(core: string): boolean {
  if (core.length < 4) return false
  if (/^(.)\1+$/.test(core)) return true
  const rows = ['0123456789', '9876543210', 'abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm']
  return rows.some((r) => r.includes(core))
}

export interface PasswordContext {
  username?: string
  phone?: string | null
  displayName?: string
  /** Place names of the deployment (the county's name), checked in pinyin too. */
  placeNames?: string[]
}

function classes(p: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length
}

/**
 * The county's password rules (quality.md §1 conflict box): 8+ characters, 3 of 4 character
 * classes, no common or context-built password, nothing containing the user's own name or phone.
 * Returns the reason in Chinese, or null when the password is acceptable.
 */
export function passwordProblem(password: string, ctx: PasswordContext = {}): string | null {
  const chars = [...password]
  if (chars.length < PASSWORD_MIN) return `密码至少需要 ${PASSWORD_MIN} 位`
  if (chars.length > PASSWORD_MAX) return `密码不能超过 ${PASSWORD_MAX} 位`
  // Long passphrases are strong by length; class rules apply to short passwords only.
  if (chars.length < 16 && classes(password) < 3) return '密码需包含大写字母、小写字母、数字、特殊字符中的至少三类'
  const lower = password.toLowerCase()
  if (common.has(lower)) return '该密码过于常见，请换一个'
  // Strip the letters and symbols people wrap around a weak core ("Aa123456", "abc@123456").
  const digits = lower.replace(/[^0-9]/g, '')
  const letters = lower.replace(/[^a-z]/g, '')
  if ((digits.length >= 6 && isSequenceOrRepeat(digits)) || (letters.length >= 6 && isSequenceOrRepeat(letters))) {
    return '密码不能以连续或重复的字符为主（如 123456、abcdef）'
  }
  if (common.has(letters) && digits.length <= 4 && letters.length >= 4) return '该密码过于常见，请换一个'
  const words = [...contextWords]
  for (const place of ctx.placeNames ?? []) {
    const py = pinyin(place, { toneType: 'none', type: 'array' }).join('').toLowerCase()
    if (py.length >= 3) words.push(py)
    const bare = place.replace(/(县|旗|区|市|镇|乡|苏木)$/, '')
    if (bare && bare !== place) {
      const short = pinyin(bare, { toneType: 'none', type: 'array' }).join('').toLowerCase()
      if (short.length >= 3) words.push(short)
    }
    if (password.includes(place) || (bare.length >= 2 && password.includes(bare))) return '密码不能包含本地地名'
  }
  for (const w of words) if (lower.includes(w)) return `密码不能包含 “${w}” 这类容易被猜到的词`
  if (ctx.username && ctx.username.length >= 3 && lower.includes(ctx.username.toLowerCase())) return '密码不能包含用户名'
  if (ctx.phone && ctx.phone.length >= 7 && password.includes(ctx.phone.slice(-7))) return '密码不能包含手机号'
  if (ctx.displayName) {
    const py = pinyin(ctx.displayName, { toneType: 'none', type: 'array', surname: 'head' }).join('').toLowerCase()
    if (py.length >= 3 && lower.includes(py)) return '密码不能包含本人姓名的拼音'
  }
  return null
}

const passwordAlphabet = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnpqrstuvwxyz',
  digit: '23456789',
  symbol: '@#%+=?',
}

/** A random initial password that passes the policy (no look-alike characters, easy to read out). */
export function generatePassword(length = 12): string {
  const all = Object.values(passwordAlphabet).join('')
  for (;;) {
    const chars = [
      passwordAlphabet.upper[randomInt(passwordAlphabet.upper.length)]!,
      passwordAlphabet.lower[randomInt(passwordAlphabet.lower.length)]!,
      passwordAlphabet.digit[randomInt(passwordAlphabet.digit.length)]!,
      passwordAlphabet.symbol[randomInt(passwordAlphabet.symbol.length)]!,
    ]
    while (chars.length < length) chars.push(all[randomInt(all.length)]!)
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1)
      ;[chars[i], chars[j]] = [chars[j]!, chars[i]!]
    }
    const p = chars.join('')
    if (!passwordProblem(p)) return p
  }
}
