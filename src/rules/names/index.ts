/**
 * Personal names as the state records them (民委发〔2016〕33号): the separator is U+00B7 "·",
 * a name may be long (Uyghur, Kazakh, Mongolian names in Chinese script), and every GB 18030
 * character counts — including those outside the BMP. Never Unicode-normalised: NFC/NFKC would
 * change characters some names are written with.
 */
export const NAME_MAX = 64

// The middle dot and the look-alikes keyboards and input methods produce, with any spaces around.
const dot = /\s*[\u2022\u30fb\uff65\u2027\u2219\u22c5\uff0e.\u00b7\u0387\u16eb\u2e31]\s*/g

export function normalizeName(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').replace(dot, '·')
}

/** Length in characters as people count them: a character outside the BMP is one, not two. */
export function nameLength(name: string): number {
  return [...name].length
}

export function nameProblem(name: string): string | null {
  if (!name) return '姓名不能为空'
  if (nameLength(name) > NAME_MAX) return `姓名不能超过 ${NAME_MAX} 个字`
  if (/^·|·$|··/.test(name)) return '姓名中的间隔号“·”位置不正确'
  if (/[<>{}\\]|[\u0000-\u001f\u007f]/.test(name)) return '姓名中含有不允许的字符'
  return null
}
