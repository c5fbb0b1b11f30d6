import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compareByStrokes, strokeCount } from './index.ts'

describe('姓氏笔画排序', () => {
  it('counts strokes of common surnames', () => {
    // 丁 2, 王 4, 白 5, 李 7, 张 7, 胡 9, 黄 11, 董 12
    expect(['丁', '王', '白', '李', '张', '胡', '黄', '董'].map(strokeCount)).toEqual([2, 4, 5, 7, 7, 9, 11, 12])
  })

  it('orders by stroke count first', () => {
    const names = ['张三', '王五', '丁一', '黄六']
    expect([...names].sort(compareByStrokes)).toEqual(['丁一', '王五', '张三', '黄六'])
  })

  it('breaks equal counts by the first stroke: 横 before 竖 before 撇 before 点 before 折', () => {
    // 李 (7, first stroke 横) before 吴 (7, first stroke 竖) before 何 (7, 撇) before 宋 (7, 点) before 张 (7, 折: 横折)
    expect(['张伟', '宋平', '何明', '吴刚', '李强'].sort(compareByStrokes)).toEqual(['李强', '吴刚', '何明', '宋平', '张伟'])
  })

  it('compares the given name when surnames are equal', () => {
    // 王一 (一: 1) before 王二 (二: 2) before 王五 (五: 4)
    expect(['王五', '王二', '王一'].sort(compareByStrokes)).toEqual(['王一', '王二', '王五'])
  })

  it('is a total order (antisymmetric, consistent)', () => {
    const han = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c))
    const name = fc.array(han, { minLength: 2, maxLength: 3 }).map((a) => a.join(''))
    fc.assert(
      fc.property(name, name, (a, b) => {
        const x = compareByStrokes(a, b)
        const y = compareByStrokes(b, a)
        return a === b ? x === 0 : Math.sign(x) === -Math.sign(y) && x !== 0
      }),
      { numRuns: 300, seed: 7 },
    )
  })
})
