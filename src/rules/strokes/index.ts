/**
 * 姓氏笔画排序: the order of member candidates on a Party ballot (《中国共产党基层组织选举工作条例》
 * 第二十四条, rules.md §1.3 rule 16). Names are compared character by character: fewer strokes
 * first; equal counts by the shape of the strokes in writing order, 横 → 竖 → 撇 → 点 → 折
 * (提 counts as 横, 竖钩 as 竖, 捺 as 点, every turning stroke as 折); then by the next character.
 * Stroke data from cnchar (MIT). Pure.
 */
import cncharLib from 'cnchar'
import order from 'cnchar-order'

// cnchar ships a UMD bundle whose typings declare an ES default export; under NodeNext the default
// import is the CommonJS module.exports, which is the library itself. Only these two calls are used.
interface CnChar {
  use(...plugins: unknown[]): void
  stroke(text: string, ...args: string[]): unknown
}
const cnchar = cncharLib as unknown as CnChar
cnchar.use(order)

const shapeClass = (name: string): number => {
  const n = name.split('|')[0]!
  if (n === '横' || n === '提') return 1
  if (n === '竖' || n === '竖钩') return 2
  if (n === '撇') return 3
  if (n === '点' || n === '捺') return 4
  return 5
}

interface Key {
  strokes: number
  shapes: number[]
}

const cache = new Map<string, Key>()

function keyOf(ch: string): Key {
  let k = cache.get(ch)
  if (!k) {
    const count = cnchar.stroke(ch) as number
    const names = (cnchar.stroke(ch, 'order', 'name') as string[][] | undefined)?.[0] ?? []
    // A character cnchar does not know (rare or outside CJK) sorts after every known one.
    k = count > 0 ? { strokes: count, shapes: names.map(shapeClass) } : { strokes: 999, shapes: [] }
    cache.set(ch, k)
  }
  return k
}

export function strokeCount(ch: string): number {
  return keyOf(ch).strokes
}

export function compareByStrokes(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue
    const p = keyOf(x[i]!)
    const q = keyOf(y[i]!)
    if (p.strokes !== q.strokes) return p.strokes - q.strokes
    for (let j = 0; j < Math.min(p.shapes.length, q.shapes.length); j++) if (p.shapes[j] !== q.shapes[j]) return p.shapes[j]! - q.shapes[j]!
    // Same count and shapes (rare): a stable, documented tie-break by code point.
    return x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
  }
  return x.length - y.length
}
