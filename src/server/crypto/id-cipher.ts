import fs from 'node:fs'
import path from 'node:path'
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Field encryption for ID numbers with the national algorithms (quality.md §2, 数据保密性):
 * SM4-CBC with a random IV, then HMAC-SM3 over version, IV and ciphertext (encrypt-then-MAC), so a
 * changed byte is refused rather than decrypted to garbage. Equality lookups use a keyed blind
 * index (HMAC-SM3 of the normalised number) under a separate key: the database never holds a
 * value from which the number can be computed without the key file.
 */
const VERSION = 'v1'
const KEY_BYTES = 16 + 32 + 32

export class CipherError extends Error {}

export interface IdCipher {
  encrypt(plain: string): string
  decrypt(sealed: string): string
  blindIndex(plain: string): string
}

export function idCipher(key: Buffer): IdCipher {
  if (key.length !== KEY_BYTES) throw new CipherError(`身份证号加密密钥长度应为 ${KEY_BYTES} 字节`)
  const encKey = key.subarray(0, 16)
  const macKey = key.subarray(16, 48)
  const indexKey = key.subarray(48, 80)
  const mac = (iv: Buffer, ct: Buffer) => createHmac('sm3', macKey).update(VERSION).update(iv).update(ct).digest()
  return {
    encrypt(plain) {
      const iv = randomBytes(16)
      const c = createCipheriv('sm4-cbc', encKey, iv)
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return `${VERSION}:${Buffer.concat([iv, ct, mac(iv, ct)]).toString('base64')}`
    },
    decrypt(sealed) {
      const [version, body] = sealed.split(':')
      if (version !== VERSION || !body) throw new CipherError('密文格式不正确')
      const raw = Buffer.from(body, 'base64')
      if (raw.length < 16 + 16 + 32) throw new CipherError('密文长度不正确')
      const iv = raw.subarray(0, 16)
      const ct = raw.subarray(16, raw.length - 32)
      const tag = raw.subarray(raw.length - 32)
      if (!timingSafeEqual(tag, mac(iv, ct))) throw new CipherError('密文完整性校验失败（数据可能被篡改）')
      const d = createDecipheriv('sm4-cbc', encKey, iv)
      return Buffer.concat([d.update(ct), d.final()]).toString('utf8')
    },
    blindIndex(plain) {
      return createHmac('sm3', indexKey).update(plain).digest('hex')
    },
  }
}

/**
 * The key lives in a file outside the database (mode 600), named by ID_KEY_FILE or kept in the
 * data directory. It is generated on first start when absent; losing it makes every stored ID
 * number unreadable, so backups of the database must be paired with a copy of this file.
 */
export function loadOrCreateKey(file: string): Buffer {
  if (fs.existsSync(file)) {
    const hex = fs.readFileSync(file, 'utf8').trim()
    if (!/^[0-9a-f]+$/.test(hex) || hex.length !== KEY_BYTES * 2) throw new CipherError(`密钥文件 ${file} 内容不正确（应为 ${KEY_BYTES * 2} 位十六进制）`)
    return Buffer.from(hex, 'hex')
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const key = randomBytes(KEY_BYTES)
  // 'wx': never overwrite a key another process wrote a moment ago.
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  return key
}
