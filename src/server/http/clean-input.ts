import { invalid } from './errors.ts'

/**
 * PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate has no UTF-8 form: either would
 * reach the database as a 500. Refuse them at the edge, naming the field.
 */
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
// (String.prototype.isWellFormed is ES2024; Node 20 has it but our lib target does not.)
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export function findBadText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000') || loneSurrogate.test(value)) return path || '请求'
    return null
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = findBadText(v, `${path}[${i}]`)
      if (bad) return bad
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = findBadText(k, path) ?? findBadText(v, path ? `${path}.${k}` : k)
      if (bad) return bad
    }
  }
  return null
}

export function assertCleanInput(...parts: unknown[]): void {
  for (const p of parts) {
    const bad = findBadText(p)
    if (bad) throw invalid(`${bad} 含有无法保存的字符（空字符或残缺的 Unicode 字符），请删除后重试`)
  }
}
