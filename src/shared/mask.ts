/** Masking used in lists, logs and audit digests (quality.md §2.2). Shared by server and web. */

/** `1101**********123X`: first 4 and last 4 characters, so the birth date never shows. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length)
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4)
}

/** `138****5678` */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length)
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4)
}

const idLike = /\b\d{17}[\dXx]\b/g
const phoneLike = /\b1[3-9]\d{9}\b/g

/** Masks anything that looks like an ID number or a mobile number inside free text. */
export function maskText(text: string): string {
  return text.replace(idLike, (m) => maskIdNumber(m)).replace(phoneLike, (m) => maskPhone(m))
}
