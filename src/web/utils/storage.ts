/**
 * localStorage for what a phone keeps between visits (drafts, the last unit chosen). Storage can be
 * full, disabled (private mode) or hold rubbish: a stored value is a convenience, never an error.
 */
export function readStored<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key)
    return raw ? (JSON.parse(raw) as T) : null
  } catch {
    return null
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // no room or no storage: the form still works, only without a draft
  }
}

export function removeStored(key: string): void {
  try {
    localStorage.removeItem(key)
  } catch {
    // nothing to clear
  }
}

/** Idempotency-Key: 8–100 of [A-Za-z0-9_-]; randomUUID is missing on plain-http intranet sites. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
