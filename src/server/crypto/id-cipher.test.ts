import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CipherError, idCipher, loadOrCreateKey } from './id-cipher.ts'

const cipher = idCipher(randomBytes(80))

describe('ID number encryption (SM4-CBC + HMAC-SM3)', () => {
  it('round-trips any text, with a fresh IV each time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => {
        const a = cipher.encrypt(s)
        expect(cipher.decrypt(a)).toBe(s)
        expect(cipher.encrypt(s)).not.toBe(a)
      }),
    )
  })

  it('refuses a ciphertext with any byte changed instead of decrypting garbage', () => {
    const sealed = cipher.encrypt('11010519491231002X')
    expect(sealed).not.toContain('110105')
    const raw = Buffer.from(sealed.slice(3), 'base64')
    for (let i = 0; i < raw.length; i += 7) {
      const bad = Buffer.from(raw)
      bad[i] = bad[i]! ^ 0x01
      expect(() => cipher.decrypt(`v1:${bad.toString('base64')}`)).toThrow(CipherError)
    }
    expect(() => idCipher(randomBytes(80)).decrypt(sealed)).toThrow(/完整性/)
  })

  it('gives a stable blind index per key, different under another key', () => {
    expect(cipher.blindIndex('11010519491231002X')).toBe(cipher.blindIndex('11010519491231002X'))
    expect(cipher.blindIndex('11010519491231002X')).toMatch(/^[0-9a-f]{64}$/)
    expect(idCipher(randomBytes(80)).blindIndex('11010519491231002X')).not.toBe(cipher.blindIndex('11010519491231002X'))
  })

  it('creates the key file once, mode 600, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hj-key-'))
    const file = path.join(dir, 'keys', 'id-number.key')
    const k1 = loadOrCreateKey(file)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(loadOrCreateKey(file).equals(k1)).toBe(true)
    fs.writeFileSync(file, 'nonsense')
    expect(() => loadOrCreateKey(file)).toThrow(/内容不正确/)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
