/**
 * Statistical division codes (统计用区划代码, 12 digits): the 6-digit GB/T 2260 county code, a
 * 3-digit township part and a 3-digit village part. The ranges of the parts say what kind of
 * unit a code names (stack.md §2.2); a 村 and a 社区 elect under different laws, so it matters.
 */
export type Level = 'county' | 'township' | 'unit'

export const kindLabels = {
  county: '县',
  banner: '旗',
  district: '区',
  city: '县级市',
  street: '街道',
  town: '镇',
  township: '乡',
  sumu: '苏木',
  other_township: '其他乡级单位',
  village: '村',
  gacha: '嘎查村',
  community: '社区',
} as const

export type Kind = keyof typeof kindLabels

export const kindsByLevel: Record<Level, Kind[]> = {
  county: ['county', 'banner', 'district', 'city'],
  township: ['town', 'township', 'sumu', 'street', 'other_township'],
  unit: ['village', 'gacha', 'community'],
}

export function isKind(k: string): k is Kind {
  return Object.hasOwn(kindLabels, k)
}

/** Finds a kind by its Chinese label or its code name ("嘎查村" or "gacha"). */
export function kindFromLabel(text: string): Kind | undefined {
  const t = text.trim()
  if (isKind(t)) return t
  const hit = (Object.entries(kindLabels) as [Kind, string][]).find(([, label]) => label === t)
  if (hit) return hit[0]
  if (t === '嘎查') return 'gacha'
  if (t === '居委会' || t === '居民委员会') return 'community'
  if (t === '村委会' || t === '村民委员会') return 'village'
  return undefined
}

export function levelOf(code: string): Level {
  if (code.endsWith('000000')) return 'county'
  if (code.endsWith('000')) return 'township'
  return 'unit'
}

/** The code of the node directly above: a unit's township, a township's county. */
export function parentCodeOf(code: string): string | null {
  const level = levelOf(code)
  if (level === 'county') return null
  if (level === 'township') return `${code.slice(0, 6)}000000`
  return `${code.slice(0, 9)}000`
}

/** Returns what is wrong with `code` for a node of `kind`, in Chinese, or null. */
export function divisionCodeProblem(code: string, kind: Kind): string | null {
  if (!/^\d{12}$/.test(code)) return '区划代码应为 12 位数字（统计用区划代码）'
  if (!/^[1-8]/.test(code)) return '区划代码的第 1 位应为 1–8（省级代码）'
  const level = levelOf(code)
  if (!kindsByLevel[level].includes(kind)) {
    const expected = kindsByLevel[level].map((k) => kindLabels[k]).join('、')
    return `代码 ${code} 是${level === 'county' ? '县级' : level === 'township' ? '乡级' : '村级'}代码，类别应为：${expected}`
  }
  const town = Number(code.slice(6, 9))
  const village = Number(code.slice(9, 12))
  if (level === 'township') {
    if (kind === 'street' && town > 99) return '街道的乡级代码（第 7–9 位）应在 001–099 之间'
    if (kind !== 'street' && (town < 100 || town > 599)) return '镇、乡、苏木的乡级代码（第 7–9 位）应在 100–599 之间'
  }
  if (level === 'unit') {
    if (town === 0) return '村级代码的第 7–9 位（所属乡镇）不能为 000'
    const communityRange = (village >= 1 && village <= 199) || (village >= 400 && village <= 499)
    const villageRange = (village >= 200 && village <= 399) || (village >= 500 && village <= 599)
    if (kind === 'community' && !communityRange) return '社区（居委会）的村级代码（第 10–12 位）应在 001–199 或 400–499 之间'
    if (kind !== 'community' && !villageRange) return '村、嘎查村（村委会）的村级代码（第 10–12 位）应在 200–399 或 500–599 之间'
  }
  return null
}

/** The kind a unit code implies when none is given: 社区 or 村. */
export function defaultUnitKind(code: string): Kind {
  const v = Number(code.slice(9, 12))
  return (v >= 1 && v <= 199) || (v >= 400 && v <= 499) ? 'community' : 'village'
}
