export interface Stats {
  min: number
  median: number
  max: number
  n: number
}

/** min / median / max, as performance.md reports every figure. */
export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
  return { min: s[0]!, median, max: s[s.length - 1]!, n: s.length }
}
