/**
 * Table-driven tests of the composition engine against shared/docs/rules.md "Decisions" 16–18 and
 * research §4. Every expected level, count and sentence is worked out by hand in the comment on its
 * case (ages in full years: the birthday counts from its own day; 29 Feb births turn a year older on
 * 1 March in common years); nothing is derived from the engine.
 *
 * The default reference date is REF = 2021-01-09. The neutral person m() is a man, 汉族, born
 * 1975-06-15 (45 on REF), 高中 (code 61, not college), a Party member, a member of the Party team.
 */
import { describe, expect, it } from 'vitest'
import {
  CompositionRulesError,
  addFigures,
  ageBand,
  areaWord,
  averageAge,
  checkSlate,
  checkTeams,
  crossFacts,
  dateSpan,
  defaultCompositionRules,
  emptyFigures,
  mergeCompositionRules,
  percent,
  resultsParagraph,
  ruleKeys,
  summarize,
  type CompositionRules,
  type Figures,
  type Finding,
  type Holding,
  type KindCount,
  type Level,
  type Member,
  type ParagraphInput,
  type RuleKey,
  type SlateBody,
  type TeamBody,
  type UnitTeams,
} from './index.ts'

// ---------------------------------------------------------------------------------------------
// helpers

const REF = '2021-01-09'
const D = defaultCompositionRules

function m(name: string, spec: Partial<Member> = {}): Member {
  return { personId: name, name, gender: '1', birthDate: '1975-06-15', education: '61', ethnicity: '01', partyMember: true, body: 'party', post: 'member', ...spec }
}

/** The same person's holding in the other (or a given) body. */
function hold(x: Member, body: TeamBody, post = 'member'): Member {
  return { ...x, body, post }
}

function unit(members: Member[], over: Partial<UnitTeams> = {}): UnitTeams {
  return { code: '150402001', name: '红旗村', kind: 'village', minorityEthnicity: null, fullPartyMembers: 30, referenceDate: REF, members, ...over }
}

/**
 * The baseline village team on REF, meeting every default target:
 *   张伟  man, 1975-06-15 (45), 本科 21: Party secretary and committee chair (一肩挑)
 *   李娜  woman, 1980-03-10 (40), 高中 61: Party member
 *   王军  man, 1970-05-05 (50), 初中 71: Party member and committee member
 *   刘洋  man, 1990-01-10 (30: birthday is tomorrow), 专科 31, not in the Party: committee member
 * Party 3 (张伟 李娜 王军), committee 3 (张伟 刘洋 王军), 4 distinct people, 2 on both.
 * Women 1 (李娜), under 35: 1 (刘洋), college 2 (张伟 21, 刘洋 31).
 */
const zhang = m('张伟', { education: '21', post: 'secretary' })
const li = m('李娜', { gender: '2', birthDate: '1980-03-10' })
const wang = m('王军', { birthDate: '1970-05-05', education: '71' })
const liu = m('刘洋', { birthDate: '1990-01-10', education: '31', partyMember: false, body: 'committee' })
const BASE: Member[] = [zhang, li, wang, hold(zhang, 'committee', 'chair'), liu, hold(wang, 'committee')]

/** BASE with 刘洋's (single) holding changed. */
function withLiu(spec: Partial<Member>): Member[] {
  return BASE.map((x) => (x.personId === '刘洋' ? { ...x, ...spec } : x))
}

const digits = (n: number) => new RegExp(`(?<!\\d)${n}(?!\\d)`)

/**
 * What every finding must carry: the unit's code and name, a known rule, a message naming the unit
 * and (where the finding counts something) its numbers, and a non-empty legal basis. One finding
 * per rule.
 */
function expectWellFormed(fs: Finding[], u: { code: string; name: string }) {
  expect(fs.map((f) => f.rule).sort()).toEqual([...ruleKeys].sort())
  for (const f of fs) {
    expect(f.unitCode).toBe(u.code)
    expect(f.unitName).toBe(u.name)
    expect(['ok', 'warn', 'fail', 'na']).toContain(f.level)
    expect(f.message).toContain(u.name)
    expect(f.basis.length).toBeGreaterThan(0)
    for (const b of f.basis) {
      expect(b.law).not.toBe('')
      expect(b.article).not.toBe('')
    }
    expect(f.people).toEqual([...f.people].sort())
    // one_shoulder's actual/required are a yes/no (1/0), not a count the sentence should spell out;
    // "新进成员均不超过45周岁" states its 0 in words; a target of 0 asks nothing.
    const counted = f.level !== 'na' && f.rule !== 'one_shoulder' && !(f.rule === 'new_member_age' && f.actual === 0)
    if (counted && f.actual !== null) expect(f.message).toMatch(digits(f.actual))
    if (counted && f.required && ['party_size', 'committee_size', 'women', 'youth', 'college', 'minority'].includes(f.rule)) expect(f.message).toMatch(digits(f.required))
  }
}

function teams(u: UnitTeams, r: CompositionRules = D): Finding[] {
  const fs = checkTeams(u, r)
  expectWellFormed(fs, u)
  return fs
}

function slate(u: Omit<UnitTeams, 'members'>, bodies: SlateBody[], r: CompositionRules = D): Finding[] {
  const fs = checkSlate(u, bodies, r)
  expectWellFormed(fs, u)
  return fs
}

function one(fs: Finding[], rule: RuleKey): Finding {
  const hits = fs.filter((f) => f.rule === rule)
  expect(hits).toHaveLength(1)
  return hits[0]!
}

/** A team of `party` Party holders (secretary first) and `committee` committee holders (chair first), all distinct people. */
function sized(party: number, committee: number): Member[] {
  const out: Member[] = []
  for (let i = 1; i <= party; i++) out.push(m(`党${i}`, { post: i === 1 ? 'secretary' : 'member' }))
  for (let i = 1; i <= committee; i++) out.push(m(`委${i}`, { body: 'committee', post: i === 1 ? 'chair' : 'member' }))
  return out
}

// ---------------------------------------------------------------------------------------------
// checkTeams

describe('checkTeams: the baseline team', () => {
  it('meets every default target; cross_holding, minority and new_member_age do not apply', () => {
    // See BASE: party 3 and committee 3 in range, 1 woman, 1 under 35, 2 college, 张伟 is both heads.
    // crossHoldingMinPercent null, not multi-ethnic, newMemberMaxAge null → na.
    const fs = teams(unit(BASE))
    const levels = Object.fromEntries(fs.map((f) => [f.rule, f.level]))
    expect(levels).toEqual({ party_size: 'ok', committee_size: 'ok', women: 'ok', youth: 'ok', college: 'ok', one_shoulder: 'ok', cross_holding: 'na', minority: 'na', new_member_age: 'na' })
  })
})

describe('party_size (rule 16)', () => {
  // With a committee (branch of ≥ 7 full members, or size unknown): 3–5 ok; 6–7 warn (一般不超过5,
  // 最多7); below 3 or above 7 fail. Below 7 full members there is no committee: 1–2 people (a
  // secretary, optionally a deputy) ok, anything else fail; the minimum asked is then 1.
  const cases: [string, number, number | null, Level, number, string][] = [
    ['2 people, branch of 30: below 3', 2, 30, 'fail', 3, '红旗村党组织班子2人，应为3至5人'],
    ['3 people: the minimum', 3, 30, 'ok', 3, '红旗村党组织班子3人，应为3至5人'],
    ['5 people: the usual maximum', 5, 30, 'ok', 3, '红旗村党组织班子5人，应为3至5人'],
    ['6 people: above 5 but within 7 → warn', 6, 30, 'warn', 3, '红旗村党组织班子6人，应为3至5人（一般不超过5人，最多7人）'],
    ['7 people: the limit itself → warn', 7, 30, 'warn', 3, '红旗村党组织班子7人，应为3至5人（一般不超过5人，最多7人）'],
    ['8 people: above the limit', 8, 30, 'fail', 3, '红旗村党组织班子8人，应为3至5人'],
    ['branch of exactly 7 full members has a committee: 3 ok', 3, 7, 'ok', 3, '红旗村党组织班子3人，应为3至5人'],
    ['branch of exactly 7, 2 people: committee rules → fail', 2, 7, 'fail', 3, '红旗村党组织班子2人，应为3至5人'],
    ['branch size unknown: committee rules, 1 person → fail', 1, null, 'fail', 3, '红旗村党组织班子1人，应为3至5人'],
    ['small branch (6 full members): a secretary alone', 1, 6, 'ok', 1, '红旗村党组织班子1人，应为1至2人（书记，可设副书记）'],
    ['small branch: secretary and deputy', 2, 6, 'ok', 1, '红旗村党组织班子2人，应为1至2人（书记，可设副书记）'],
    ['small branch of 6 with 3 people: no committee below 7 → fail', 3, 6, 'fail', 1, '红旗村党组织班子3人，应为1至2人（书记，可设副书记）'],
    ['small branch of 3 with 5 people → fail', 5, 3, 'fail', 1, '红旗村党组织班子5人，应为1至2人（书记，可设副书记）'],
  ]
  it.each(cases)('%s', (_, n, full, level, required, message) => {
    const f = one(teams(unit(sized(n, 3), { fullPartyMembers: full })), 'party_size')
    expect(f).toMatchObject({ level, actual: n, required, message, people: [] })
  })

  it('counts a person listed twice in the Party team once', () => {
    // 党1 secretary and a stray second row for 党1: still 3 distinct people → ok, actual 3.
    const ms = [...sized(3, 3), m('党1', { post: 'member' })]
    expect(one(teams(unit(ms)), 'party_size')).toMatchObject({ level: 'ok', actual: 3 })
  })

  it('is na without Party team data', () => {
    // No party holdings at all: nothing to count.
    expect(one(teams(unit(sized(0, 3))), 'party_size')).toMatchObject({ level: 'na', message: '红旗村党组织班子没有数据' })
  })

  it('follows a county that moves the limits', () => {
    // partyCommitteeMax 7, limit 9: 7 is ok, 9 warn, 10 fail.
    const r = mergeCompositionRules({ partyCommitteeMax: 7, partyCommitteeLimit: 9 })
    expect(one(teams(unit(sized(7, 3)), r), 'party_size').level).toBe('ok')
    expect(one(teams(unit(sized(9, 3)), r), 'party_size').level).toBe('warn')
    expect(one(teams(unit(sized(10, 3)), r), 'party_size').level).toBe('fail')
  })
})

describe('committee_size (rule 16: villages 3–7, communities 5–9)', () => {
  const cases: [string, UnitTeams['kind'], string, number, Level, number, string][] = [
    ['village of 2: below 3', 'village', '红旗村', 2, 'fail', 3, '红旗村村民委员会2人，应为3至7人'],
    ['village of 3: the minimum', 'village', '红旗村', 3, 'ok', 3, '红旗村村民委员会3人，应为3至7人'],
    ['village of 7: the maximum', 'village', '红旗村', 7, 'ok', 3, '红旗村村民委员会7人，应为3至7人'],
    ['village of 8: above 7', 'village', '红旗村', 8, 'fail', 3, '红旗村村民委员会8人，应为3至7人'],
    ['gacha of 3 counts as a village', 'gacha', '乌兰嘎查', 3, 'ok', 3, '乌兰嘎查嘎查村民委员会3人，应为3至7人'],
    ['gacha of 8', 'gacha', '乌兰嘎查', 8, 'fail', 3, '乌兰嘎查嘎查村民委员会8人，应为3至7人'],
    ['community of 4: below 5', 'community', '幸福社区', 4, 'fail', 5, '幸福社区居民委员会4人，应为5至9人'],
    ['community of 5: the minimum', 'community', '幸福社区', 5, 'ok', 5, '幸福社区居民委员会5人，应为5至9人'],
    ['community of 9: the maximum', 'community', '幸福社区', 9, 'ok', 5, '幸福社区居民委员会9人，应为5至9人'],
    ['community of 10: above 9', 'community', '幸福社区', 10, 'fail', 5, '幸福社区居民委员会10人，应为5至9人'],
  ]
  it.each(cases)('%s', (_, kind, name, n, level, required, message) => {
    const f = one(teams(unit(sized(3, n), { kind, name })), 'committee_size')
    expect(f).toMatchObject({ level, actual: n, required, message })
  })

  it('is na without committee data', () => {
    expect(one(teams(unit(sized(3, 0))), 'committee_size')).toMatchObject({ level: 'na', message: '红旗村村民委员会没有数据' })
  })
})

describe('women (rule 17: at least 1 across both committees)', () => {
  it('is met by one woman Party member', () => {
    // BASE: 李娜 is the only woman; 4 distinct people.
    expect(one(teams(unit(BASE)), 'women')).toMatchObject({ level: 'ok', actual: 1, required: 1, people: ['李娜'], message: '红旗村“两委”班子4人中女性1人，达到至少1人的指标' })
  })

  it('fails with no woman, naming the unit and the numbers', () => {
    // 李娜 replaced by a man: 0 women of 4 people.
    const ms = BASE.map((x) => (x.personId === '李娜' ? { ...x, gender: '1' as const } : x))
    expect(one(teams(unit(ms)), 'women')).toMatchObject({ level: 'fail', actual: 0, required: 1, people: [], message: '红旗村“两委”班子4人中女性0人，未达到至少1人的指标' })
  })

  it('counts a woman on both committees (secretary and chair) once', () => {
    // The only woman is 张伟's place taken by 王芳, secretary and chair: two holdings, one woman.
    const fang = m('王芳', { gender: '2', post: 'secretary' })
    const ms = [fang, hold(fang, 'committee', 'chair'), wang, liu, hold(wang, 'committee'), m('赵刚')]
    expect(one(teams(unit(ms)), 'women')).toMatchObject({ level: 'ok', actual: 1, people: ['王芳'] })
  })

  it('follows minWomen 2: one woman is not enough', () => {
    // 1 woman < 2.
    expect(one(teams(unit(BASE), mergeCompositionRules({ minWomen: 2 })), 'women')).toMatchObject({ level: 'fail', actual: 1, required: 2, message: '红旗村“两委”班子4人中女性1人，未达到至少2人的指标' })
  })
})

describe('youth (rule 17: at least 1 under 35 on the reference date)', () => {
  // Only 刘洋's birth date and the reference date vary; 张伟 (1975), 李娜 (1980) and 王军 (1970) are
  // over 40 on every reference date used, so 刘洋 alone decides the count.
  const cases: [string, string, string, CompositionRules, Level, number][] = [
    ['born 1990-01-10: 30 on REF', '1990-01-10', REF, D, 'ok', 1],
    ['35th birthday is the reference date itself: 35, not under 35', '1986-01-09', REF, D, 'fail', 0],
    ['35th birthday is the day after: still 34', '1986-01-10', REF, D, 'ok', 1],
    ['35th birthday was the day before: 35', '1986-01-08', REF, D, 'fail', 0],
    ['born 29 Feb 1988, common year 2023, on 28 Feb: 34 (birthday not yet reached)', '1988-02-29', '2023-02-28', D, 'ok', 1],
    ['born 29 Feb 1988, common year 2023, on 1 Mar: turns 35 that day', '1988-02-29', '2023-03-01', D, 'fail', 0],
    ['born 29 Feb 1988, leap year 2024, on 28 Feb: 35 (since 1 Mar 2023)', '1988-02-29', '2024-02-28', D, 'fail', 0],
    ['youthAge 40, born 29 Feb 1984, leap year 2024, on 28 Feb: 39', '1984-02-29', '2024-02-28', mergeCompositionRules({ youthAge: 40 }), 'ok', 1],
    ['youthAge 40, born 29 Feb 1984, leap year 2024, on 29 Feb: 40 on the birthday itself', '1984-02-29', '2024-02-29', mergeCompositionRules({ youthAge: 40 }), 'fail', 0],
  ]
  it.each(cases)('%s', (_, birthDate, referenceDate, r, level, actual) => {
    const f = one(teams(unit(withLiu({ birthDate }), { referenceDate }), r), 'youth')
    expect(f).toMatchObject({ level, actual, required: 1, people: actual ? ['刘洋'] : [] })
    expect(f.message).toBe(`红旗村“两委”班子4人中${r.youthAge}周岁以下（按${referenceDate}计）${actual}人，${actual ? '达到' : '未达到'}至少1人的指标`)
  })
})

describe('college (rule 17: at least 2 with 大专 or above, codes 11–33)', () => {
  // 张伟 has 21 (本科); 刘洋's code varies.
  const cases: [string, string, Level, number, string[]][] = [
    ['31 大学专科毕业 and 21: 2', '31', 'ok', 2, ['刘洋', '张伟']],
    ['33 大学专科肄业 still counts: 2', '33', 'ok', 2, ['刘洋', '张伟']],
    ['11 博士研究生毕业: 2', '11', 'ok', 2, ['刘洋', '张伟']],
    ['28 大学普通班毕业: 2', '28', 'ok', 2, ['刘洋', '张伟']],
    ['41 中等专科毕业 does not count: 1', '41', 'fail', 1, ['张伟']],
    ['90 其他 does not count: 1', '90', 'fail', 1, ['张伟']],
  ]
  it.each(cases)('%s', (_, education, level, actual, people) => {
    const f = one(teams(unit(withLiu({ education }))), 'college')
    expect(f).toMatchObject({ level, actual, required: 2, people, message: `红旗村“两委”班子4人中大专及以上学历${actual}人，${level === 'ok' ? '达到' : '未达到'}至少2人的指标` })
  })

  it('counts a college-educated person on both committees once', () => {
    // 张伟 (21) holds two posts and 刘洋 has 41: 1 person, not 2 holdings.
    expect(one(teams(unit(withLiu({ education: '41' }))), 'college').actual).toBe(1)
  })
})

describe('one_shoulder (rule 17: the secretary is also the chair)', () => {
  it('is ok when one person holds both', () => {
    expect(one(teams(unit(BASE)), 'one_shoulder')).toMatchObject({ level: 'ok', actual: 1, required: 1, people: ['张伟'], message: '红旗村书记张伟兼任村民委员会主任（“一肩挑”）' })
  })

  it('fails when the chair is someone else, naming both', () => {
    // 刘洋 is chair, 张伟 a plain committee member.
    const ms = [zhang, li, wang, hold(zhang, 'committee'), { ...liu, post: 'chair' }, hold(wang, 'committee')]
    expect(one(teams(unit(ms)), 'one_shoulder')).toMatchObject({ level: 'fail', actual: 0, required: 1, people: ['刘洋', '张伟'], message: '红旗村书记张伟与村民委员会主任刘洋不是同一人，未实现“一肩挑”' })
  })

  it('names the residents committee in a community', () => {
    const ms = [...BASE, m('甲', { body: 'committee' }), m('乙', { body: 'committee' })]
    expect(one(teams(unit(ms, { kind: 'community', name: '幸福社区' })), 'one_shoulder').message).toBe('幸福社区书记张伟兼任居民委员会主任（“一肩挑”）')
  })

  it('is na without a chair, or without a secretary', () => {
    const noChair = BASE.map((x) => (x.post === 'chair' ? { ...x, post: 'member' } : x))
    expect(one(teams(unit(noChair)), 'one_shoulder')).toMatchObject({ level: 'na', message: '红旗村村民委员会主任尚无人选，无法判断“一肩挑”' })
    const noSecretary = BASE.map((x) => (x.post === 'secretary' ? { ...x, post: 'member' } : x))
    expect(one(teams(unit(noSecretary)), 'one_shoulder')).toMatchObject({ level: 'na', message: '红旗村党组织书记尚无人选，无法判断“一肩挑”' })
  })

  it('is na where the county does not ask for it', () => {
    const ms = [zhang, li, wang, hold(zhang, 'committee'), { ...liu, post: 'chair' }, hold(wang, 'committee')]
    expect(one(teams(unit(ms), mergeCompositionRules({ oneShoulder: false })), 'one_shoulder').level).toBe('na')
  })
})

describe('cross_holding (交叉任职)', () => {
  // BASE: 张伟 and 王军 sit on both; 4 distinct people → 2/4 = 50%.
  it('is counted but not judged with crossHoldingMinPercent null', () => {
    expect(one(teams(unit(BASE)), 'cross_holding')).toMatchObject({ level: 'na', actual: 2, required: null, people: ['张伟', '王军'], message: '红旗村交叉任职2人，占“两委”成员4人的50%（本县未设比例指标）' })
  })

  const cases: [string, number, Level, number][] = [
    // 2 × 100 = 200 ≥ 50 × 4 = 200 → ok; 2 people needed = ceil(50 × 4 / 100) = 2.
    ['50%: exactly met', 50, 'ok', 2],
    // 200 < 51 × 4 = 204 → fail; needed ceil(2.04) = 3.
    ['51%: just missed', 51, 'fail', 3],
    // 0%: always met; needed 0.
    ['0%: always met', 0, 'ok', 0],
    // 100%: 200 < 400 → fail; needed 4.
    ['100%: everyone on both', 100, 'fail', 4],
  ]
  it.each(cases)('%s', (_, pct, level, required) => {
    const f = one(teams(unit(BASE), mergeCompositionRules({ crossHoldingMinPercent: pct })), 'cross_holding')
    expect(f).toMatchObject({ level, actual: 2, required, message: `红旗村交叉任职2人，占“两委”成员4人的50%，${level === 'ok' ? '达到' : '未达到'}${pct}%的指标` })
  })

  it('compares in integers: 1 of 3 people meets 33% but not 34%', () => {
    // Party 张伟 (secretary) + 李娜; committee 张伟 (chair) + 刘洋: 3 people, 1 (张伟) on both.
    // 1 × 100 = 100 ≥ 33 × 3 = 99 → ok; 100 < 34 × 3 = 102 → fail. Share shown 33.3%.
    const ms = [zhang, li, hold(zhang, 'committee', 'chair'), liu]
    const at33 = one(teams(unit(ms), mergeCompositionRules({ crossHoldingMinPercent: 33 })), 'cross_holding')
    expect(at33).toMatchObject({ level: 'ok', actual: 1, required: 1, message: '红旗村交叉任职1人，占“两委”成员3人的33.3%，达到33%的指标' })
    const at34 = one(teams(unit(ms), mergeCompositionRules({ crossHoldingMinPercent: 34 })), 'cross_holding')
    expect(at34).toMatchObject({ level: 'fail', actual: 1, required: 2 })
  })

  it('is na with a target but one committee missing', () => {
    // Party only: 0 on both of 3 people; the share cannot be judged.
    const f = one(teams(unit(sized(3, 0)), mergeCompositionRules({ crossHoldingMinPercent: 30 })), 'cross_holding')
    expect(f).toMatchObject({ level: 'na', actual: 0, message: '红旗村交叉任职0人，占“两委”成员3人的0%（缺一个班子的数据）' })
  })
})

describe('minority (rule 17: a member of the smaller group where the unit is multi-ethnic)', () => {
  const mongol = withLiu({ ethnicity: '02' })
  it('is ok in a multi-ethnic unit with a member of that group', () => {
    // Unit's smaller group 02 蒙古族; 刘洋 is 02 → 1.
    expect(one(teams(unit(mongol, { minorityEthnicity: '02' })), 'minority')).toMatchObject({ level: 'ok', actual: 1, required: 1, people: ['刘洋'] })
  })

  it('fails in a multi-ethnic unit without one', () => {
    // Everyone is 01 汉族 → 0 of 4.
    expect(one(teams(unit(BASE, { minorityEthnicity: '02' })), 'minority')).toMatchObject({
      level: 'fail',
      actual: 0,
      required: 1,
      message: '红旗村“两委”班子4人中人数较少民族成员0人，未达到至少1人的指标',
    })
  })

  it('counts only the unit’s smaller group', () => {
    // 刘洋 is 03 回族 but the unit's smaller group is 02 → 0.
    expect(one(teams(unit(withLiu({ ethnicity: '03' }), { minorityEthnicity: '02' })), 'minority')).toMatchObject({ level: 'fail', actual: 0 })
  })

  it('is na where the unit is not multi-ethnic', () => {
    // minorityEthnicity null: a 02 member changes nothing.
    expect(one(teams(unit(mongol)), 'minority')).toMatchObject({ level: 'na', actual: null, required: null, message: '红旗村不是多民族聚居村（社区），不适用' })
  })

  it('is na where the county switches the target off, without calling the unit single-ethnic', () => {
    const f = one(teams(unit(BASE, { minorityEthnicity: '02' }), mergeCompositionRules({ minorityMember: false })), 'minority')
    expect(f.level).toBe('na')
    expect(f.message).not.toContain('不是多民族')
    expect(f.message).toBe('红旗村：本县未要求少数民族成员')
  })
})

describe('new_member_age (a cap on new members only)', () => {
  const cap45 = mergeCompositionRules({ newMemberMaxAge: 45 })
  it('is na without a cap', () => {
    const ms = withLiu({ isNew: true, birthDate: '1950-01-01' })
    expect(one(teams(unit(ms)), 'new_member_age')).toMatchObject({ level: 'na', message: '红旗村：本县未设新进成员年龄上限' })
  })

  it('flags a new member over the cap, by name and age', () => {
    // 刘洋 new, born 1975-01-09: 46 on REF (birthday that day) > 45.
    const f = one(teams(unit(withLiu({ isNew: true, birthDate: '1975-01-09' })), cap45), 'new_member_age')
    expect(f).toMatchObject({ level: 'fail', actual: 1, required: 0, people: ['刘洋'], message: '红旗村新进成员中1人超过45周岁：刘洋46岁' })
  })

  it('does not flag a new member exactly at the cap', () => {
    // Born 1975-01-10: 45 on REF (46 tomorrow); 45 is not over 45.
    expect(one(teams(unit(withLiu({ isNew: true, birthDate: '1975-01-10' })), cap45), 'new_member_age')).toMatchObject({ level: 'ok', actual: 0, message: '红旗村新进成员均不超过45周岁' })
  })

  it('never flags an incumbent, however old', () => {
    // 王军 (50) and 张伟 (45) are not new; 刘洋 new at 30.
    expect(one(teams(unit(withLiu({ isNew: true })), cap45), 'new_member_age').level).toBe('ok')
  })

  it('counts a new member on both committees once', () => {
    // 赵刚 new, 1960-01-01 (61), Party member and committee member: 1 person over 45.
    const zhao = m('赵刚', { isNew: true, birthDate: '1960-01-01' })
    const f = one(teams(unit([...BASE, zhao, hold(zhao, 'committee')]), cap45), 'new_member_age')
    expect(f).toMatchObject({ level: 'fail', actual: 1, people: ['赵刚'], message: '红旗村新进成员中1人超过45周岁：赵刚61岁' })
  })
})

describe('checkTeams with no members at all', () => {
  it('reports every rule as na', () => {
    const fs = teams(unit([]))
    expect(fs.every((f) => f.level === 'na')).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// checkSlate

function body(b: TeamBody, seats: number, nominees: Member[], opts: { competitive?: boolean; womanSeat?: boolean } = {}): SlateBody {
  return { body: b, seats, competitive: opts.competitive ?? nominees.length > seats, womanSeat: opts.womanSeat ?? false, nominees: nominees.map((x) => ({ ...x, body: b })) }
}
const SU: Omit<UnitTeams, 'members'> = { code: '150402001', name: '红旗村', kind: 'village', minorityEthnicity: null, fullPartyMembers: 30, referenceDate: REF }
/** Four older men, 高中, 汉族. */
const men = ['赵一', '钱二', '孙三', '周四', '吴五', '郑六', '冯七', '陈八'].map((n) => m(n))

describe('checkSlate', () => {
  it('fails the women target when no woman is nominated for 3 seats, naming the unit and the numbers', () => {
    // Committee: 3 seats, 4 men (差额). 0 women < 1: no choice of winners helps.
    const fs = slate(SU, [body('committee', 3, men.slice(0, 4))])
    expect(one(fs, 'women')).toMatchObject({ level: 'fail', actual: 0, required: 1, people: [], message: '红旗村“两委”3个职数的4名人选中女性只有0人，至少1人的指标无法实现' })
    // No Party body yet: its size and 一肩挑 cannot be judged.
    expect(one(fs, 'party_size')).toMatchObject({ level: 'na', message: '红旗村党组织委员会尚未确定职数和人选' })
    expect(one(fs, 'one_shoulder').level).toBe('na')
  })

  it('warns, naming them, when the only under-35 nominee stands in a 差额 body', () => {
    // Committee: 3 seats, 4 nominees (差额): 刘洋 (30) and three men of 45. 1 young = 1 needed, and he may lose.
    const fs = slate(SU, [body('committee', 3, [liu, ...men.slice(0, 3)])])
    expect(one(fs, 'youth')).toMatchObject({
      level: 'warn',
      actual: 1,
      required: 1,
      people: ['刘洋'],
      message: '红旗村“两委”3个职数的4名人选中35周岁以下（按2021-01-09计）仅1人且为差额选举，须刘洋全部当选才能达到至少1人的指标',
    })
  })

  it('is ok when the only under-35 nominee stands 等额, or when there are two', () => {
    // 等额 (3 seats, 3 nominees): 刘洋 is sure to be elected.
    expect(one(slate(SU, [body('committee', 3, [liu, ...men.slice(0, 2)], { competitive: false })]), 'youth')).toMatchObject({ level: 'ok', message: '红旗村“两委”3个职数的3名人选中35周岁以下（按2021-01-09计）1人，至少1人的指标可以实现' })
    // 差额 with two young nominees for one needed: no single name is indispensable.
    const young2 = m('孙丽', { gender: '2', birthDate: '1995-05-05' })
    expect(one(slate(SU, [body('committee', 3, [liu, young2, ...men.slice(0, 2)])]), 'youth').level).toBe('ok')
    // 刘洋 in an 等额 Party body and the 差额 committee: sure through the Party body.
    const fs = slate(SU, [body('party', 3, [zhang, liu, wang], { competitive: false }), body('committee', 3, [liu, ...men.slice(0, 3)])])
    expect(one(fs, 'youth').level).toBe('ok')
  })

  it('makes the women target certain with a woman-only seat', () => {
    // Committee 5 seats, 6 nominees (差额), one woman 李娜.
    const six = [li, ...men.slice(0, 5)]
    // Without a 妇女委员 seat she may lose: have 1 = need 1 → warn naming her.
    expect(one(slate(SU, [body('committee', 5, six)]), 'women')).toMatchObject({ level: 'warn', people: ['李娜'] })
    // With it, a woman is elected whatever happens → ok.
    expect(one(slate(SU, [body('committee', 5, six, { womanSeat: true })]), 'women')).toMatchObject({ level: 'ok', actual: 1, required: 1, message: '红旗村“两委”5个职数的6名人选中女性1人，至少1人的指标可以实现' })
    // minWomen 2: the seat guarantees only one; two women, both needed → warn.
    const fang = m('王芳', { gender: '2' })
    const w2 = slate(SU, [body('committee', 5, [li, fang, ...men.slice(0, 4)], { womanSeat: true })], mergeCompositionRules({ minWomen: 2 }))
    expect(one(w2, 'women')).toMatchObject({ level: 'warn', actual: 2, required: 2, people: ['李娜', '王芳'] })
    // A woman-only seat with no woman nominated cannot be filled → fail.
    expect(one(slate(SU, [body('committee', 5, men.slice(0, 6), { womanSeat: true })]), 'women').level).toBe('fail')
  })

  it('fails a body with fewer nominees than seats', () => {
    // Party: 3 seats, 2 nominees.
    const fs = slate(SU, [body('party', 3, [zhang, li], { competitive: false }), body('committee', 5, [hold(zhang, 'committee', 'chair'), liu, ...men.slice(0, 2)], { competitive: false })])
    expect(one(fs, 'party_size')).toMatchObject({ level: 'fail', actual: 2, required: 3, message: '红旗村党组织委员会3个职数只有2名人选' })
    // Committee: 5 seats, 4 nominees.
    expect(one(fs, 'committee_size')).toMatchObject({ level: 'fail', actual: 4, required: 5, message: '红旗村村民委员会5个职数只有4名人选' })
  })

  it('counts how many qualifying nominees each body can seat, not only the total seats', () => {
    // Branch of 5 (no committee): 1 Party seat, 差额 between 李娜 (本科 21) and 王芳 (专科 31); the
    // committee has 3 seats, 等额, three men with 高中. College: 2 nominees, 4 seats in all, but both
    // compete for the single Party seat → at most 1 can win → the target of 2 cannot be met.
    const small = { ...SU, fullPartyMembers: 5 }
    const a = m('李娜', { gender: '2', education: '21' })
    const b = m('王芳', { gender: '2', education: '31' })
    const fs = slate(small, [body('party', 1, [a, b]), body('committee', 3, men.slice(0, 3), { competitive: false })])
    expect(one(fs, 'college')).toMatchObject({
      level: 'fail',
      actual: 2,
      required: 2,
      people: ['李娜', '王芳'],
      message: '红旗村“两委”4个职数的5名人选中大专及以上学历2人，但按各班子职数最多只能当选1人，至少2人的指标无法实现',
    })
    // 王芳 also stands for the committee (3 seats, 4 nominees, 差额): 李娜 can take the Party seat
    // and 王芳 a committee seat → 2 can win, but only if both do → warn naming both.
    const fs2 = slate(small, [body('party', 1, [a, b]), body('committee', 3, [b, ...men.slice(0, 3)])])
    expect(one(fs2, 'college')).toMatchObject({ level: 'warn', people: ['李娜', '王芳'], message: '红旗村“两委”4个职数的5名人选中大专及以上学历仅2人且为差额选举，须李娜、王芳全部当选才能达到至少2人的指标' })
  })

  it('judges the planned seats against rule 16', () => {
    // Committee 8 seats in a village: above 7.
    expect(one(slate(SU, [body('committee', 8, men)]), 'committee_size')).toMatchObject({ level: 'fail', actual: 8, required: null, message: '红旗村村民委员会计划职数8名，应为3至7人' })
    // Party 6 seats with 7 nominees: the 6–7 warning.
    expect(one(slate(SU, [body('party', 6, men.slice(0, 7))]), 'party_size')).toMatchObject({ level: 'warn', actual: 6, message: '红旗村党组织委员会6个职数，人选7名' })
    // Branch of 5 full members: 2 seats ok, 3 seats fail.
    const small = { ...SU, fullPartyMembers: 5 }
    expect(one(slate(small, [body('party', 2, men.slice(0, 2))]), 'party_size').level).toBe('ok')
    expect(one(slate(small, [body('party', 3, men.slice(0, 3))]), 'party_size')).toMatchObject({ level: 'fail', message: '红旗村党组织委员会计划职数3名，应为1至2人（书记，可设副书记）' })
  })

  it('finds 一肩挑 in a nominee for both secretary and chair', () => {
    const party = body('party', 3, [zhang, li, wang], { competitive: false })
    // 张伟 nominated secretary (Party) and chair (committee).
    const ok = slate(SU, [party, body('committee', 3, [hold(zhang, 'committee', 'chair'), liu, hold(wang, 'committee')], { competitive: false })])
    expect(one(ok, 'one_shoulder')).toMatchObject({ level: 'ok', actual: 1, required: 1, people: ['张伟'], message: '红旗村书记人选张伟同时是村民委员会主任人选' })
    // 张伟 only a committee member, 刘洋 the chair nominee: nobody stands for both heads.
    const no = slate(SU, [party, body('committee', 3, [hold(zhang, 'committee'), { ...liu, post: 'chair' }, hold(wang, 'committee')], { competitive: false })])
    expect(one(no, 'one_shoulder')).toMatchObject({ level: 'fail', actual: 0, people: [], message: '红旗村没有同时作为书记和村民委员会主任的人选，无法实现“一肩挑”' })
  })

  it('judges cross-holding on the best case the seats allow', () => {
    const r50 = mergeCompositionRules({ crossHoldingMinPercent: 50 })
    // Party 3 seats, committee 3 seats, 2 common nominees: best team 3 + 3 − 2 = 4 people, 2 on
    // both: 2 × 100 ≥ 50 × 4 → ok; needed ceil(50 × 4 / 100) = 2.
    const p = body('party', 3, [zhang, wang, li], { competitive: false })
    const c2 = body('committee', 3, [hold(zhang, 'committee', 'chair'), hold(wang, 'committee'), liu], { competitive: false })
    expect(one(slate(SU, [p, c2], r50), 'cross_holding')).toMatchObject({ level: 'ok', actual: 2, required: 2, message: '红旗村两个班子共同人选2人，交叉任职50%的指标约需2人' })
    // 1 common nominee: team 5, 1 × 100 < 50 × 5 → fail; needed ceil(2.5) = 3.
    const c1 = body('committee', 3, [hold(zhang, 'committee', 'chair'), liu, men[0]!], { competitive: false })
    expect(one(slate(SU, [p, c1], r50), 'cross_holding')).toMatchObject({ level: 'fail', actual: 1, required: 3 })
    // Party 3 seats (5 nominees), committee 7 seats (8 nominees), 5 common. At most 3 can sit on
    // both (the Party has 3 seats): team 3 + 7 − 3 = 7, share 3/7 ≈ 42.9% < 50% → fail, although 5
    // common nominees exceed the ceil(50 × 7 / 100) = 4 needed.
    const five = men.slice(0, 5)
    const party5 = body('party', 3, five)
    const comm8 = body('committee', 7, [...five, liu, li, m('王芳', { gender: '2' })])
    expect(one(slate(SU, [party5, comm8], r50), 'cross_holding')).toMatchObject({ level: 'fail', actual: 5, required: 4, message: '红旗村两个班子共同人选5人（按职数最多3人交叉任职），交叉任职50%的指标约需4人' })
    // Without a target: counted, na.
    expect(one(slate(SU, [p, c2]), 'cross_holding')).toMatchObject({ level: 'na', actual: 2, message: '红旗村两个班子共同人选2人（本县未设比例指标）' })
  })

  it('checks the minority target and the new-member cap on the nominees', () => {
    const r = mergeCompositionRules({ newMemberMaxAge: 45 })
    const mu = { ...SU, minorityEthnicity: '02' }
    // One 02 nominee in a 差额 committee: he must win → warn naming him.
    const bator = m('巴特尔', { ethnicity: '02', isNew: true, birthDate: '1970-01-01' })
    const fs = slate(mu, [body('committee', 3, [bator, ...men.slice(0, 3)])], r)
    expect(one(fs, 'minority')).toMatchObject({ level: 'warn', people: ['巴特尔'] })
    // 巴特尔 new and 51 on REF (born 1970-01-01) > 45 → warn (before the vote), naming him and his age.
    expect(one(fs, 'new_member_age')).toMatchObject({ level: 'warn', actual: 1, people: ['巴特尔'], message: '红旗村新进人选中1人超过45周岁：巴特尔51岁' })
    // No 02 nominee at all → fail.
    expect(one(slate(mu, [body('committee', 3, men.slice(0, 4))]), 'minority')).toMatchObject({ level: 'fail', actual: 0 })
    // Not multi-ethnic → na.
    expect(one(slate(SU, [body('committee', 3, [bator, ...men.slice(0, 3)])]), 'minority').level).toBe('na')
  })

  it('reports every rule as na before any body is planned', () => {
    expect(slate(SU, []).every((f) => f.level === 'na')).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// mergeCompositionRules

describe('mergeCompositionRules', () => {
  it('returns the defaults (a copy) for no overrides, and applies valid ones', () => {
    const r = mergeCompositionRules({})
    expect(r).toEqual(defaultCompositionRules)
    expect(r).not.toBe(defaultCompositionRules)
    // Nulls are allowed where a parameter means "no target"; min = max is allowed.
    expect(mergeCompositionRules({ crossHoldingMinPercent: 100, newMemberMaxAge: 120, minWomen: 0, villagerCommitteeMin: 7, youthAge: 18 })).toMatchObject({
      crossHoldingMinPercent: 100,
      newMemberMaxAge: 120,
      minWomen: 0,
      villagerCommitteeMin: 7,
      youthAge: 18,
    })
    expect(mergeCompositionRules({ crossHoldingMinPercent: 30 }).crossHoldingMinPercent).toBe(30)
    expect(mergeCompositionRules({ crossHoldingMinPercent: null, newMemberMaxAge: null })).toMatchObject({ crossHoldingMinPercent: null, newMemberMaxAge: null })
  })

  // Each refusal names the field and says why in Chinese.
  const refused: [string, Record<string, unknown>, string, string][] = [
    ['an unknown name (typo)', { minWoman: 1 }, 'minWoman', '没有名为“minWoman”的结构指标参数'],
    ['a name inherited from Object.prototype', { toString: 1 }, 'toString', '没有名为“toString”的结构指标参数'],
    ['constructor', { constructor: 1 }, 'constructor', '没有名为“constructor”的结构指标参数'],
    ['__proto__ from parsed JSON', JSON.parse('{"__proto__": 1}') as Record<string, unknown>, '__proto__', '没有名为“__proto__”的结构指标参数'],
    ['a string for a boolean', { oneShoulder: 'yes' }, 'oneShoulder', '“要求书记、主任“一肩挑””应为是或否'],
    ['null for a boolean', { minorityMember: null }, 'minorityMember', '“多民族村要求少数民族成员”应为是或否'],
    ['a fraction', { minWomen: 1.5 }, 'minWomen', '““两委”至少女性人数”应为0 到 120之间的整数'],
    ['a negative number', { minCollege: -1 }, 'minCollege', '““两委”至少大专及以上人数”应为0 到 120之间的整数'],
    ['a numeric string', { minYouth: '1' }, 'minYouth', '““两委”至少青年人数”应为0 到 120之间的整数'],
    ['NaN', { youthAge: Number.NaN }, 'youthAge', '“青年年龄线（周岁以下）”应为0 到 120之间的整数'],
    ['above 120', { newMemberMaxAge: 121 }, 'newMemberMaxAge', '“新进成员年龄上限（周岁）”应为0 到 120之间的整数'],
    ['a percentage above 100', { crossHoldingMinPercent: 101 }, 'crossHoldingMinPercent', '“交叉任职最低比例（%）”应为0 到 100之间的整数'],
    ['null where a number is required', { minWomen: null }, 'minWomen', '“两委”至少女性人数'],
    ['null for a committee size', { villagerCommitteeMax: null }, 'villagerCommitteeMax', '“村民委员会最多人数”不能为空'],
    ['villager min above max', { villagerCommitteeMin: 8 }, 'villagerCommitteeMin', '“村民委员会最少人数”不能大于“村民委员会最多人数”'],
    ['resident min above max', { residentCommitteeMin: 6, residentCommitteeMax: 5 }, 'residentCommitteeMin', '“居民委员会最少人数”不能大于“居民委员会最多人数”'],
    ['party min above the usual max', { partyCommitteeMin: 6 }, 'partyCommitteeMin', '“党组织委员会最少人数”不能大于“党组织委员会一般最多人数”'],
    ['party usual max above the limit', { partyCommitteeMax: 8 }, 'partyCommitteeMax', '“党组织委员会一般最多人数”不能大于“党组织委员会人数上限”'],
    ['a youth line below 18', { youthAge: 17 }, 'youthAge', '青年年龄线不能小于18周岁'],
  ]
  it.each(refused)('refuses %s', (_, overrides, field, message) => {
    let err: unknown
    try {
      mergeCompositionRules(overrides)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(CompositionRulesError)
    const e = err as CompositionRulesError
    expect(e.field).toBe(field)
    expect(e.message).toContain(message)
    expect(e.message).toMatch(/[\u4e00-\u9fff]/)
  })

  it('the null refusal for minWomen says it cannot be empty', () => {
    expect(() => mergeCompositionRules({ minWomen: null })).toThrow('“两委”至少女性人数”不能为空')
  })
})

// ---------------------------------------------------------------------------------------------
// figures (rule 18)

function h(x: Member, referenceDate = REF): Holding {
  return { ...x, referenceDate }
}

describe('summarize (rule 18)', () => {
  it('counts the secretary as a member, and a woman secretary in women and womenHeads', () => {
    // Party committee on REF:
    //   李娜  woman secretary, 1980-03-10 → 40, 本科 21
    //   张伟  man, 1975-06-15 → 45, 高中 61
    //   刘洋  man, 1990-01-10 → 30, 专科 31
    //   王芳  woman deputy secretary, 1986-01-09 → 35 on REF exactly (not under 35), 硕士 14
    // members 4 (secretary included); women 2 (李娜 counted); heads 1 (deputy is not a head);
    // womenHeads 1; under35 1 (刘洋); college 3 (21, 31, 14); ageSum 40 + 45 + 30 + 35 = 150.
    const hs = [
      h(m('李娜', { gender: '2', birthDate: '1980-03-10', education: '21', post: 'secretary' })),
      h(m('张伟')),
      h(m('刘洋', { birthDate: '1990-01-10', education: '31' })),
      h(m('王芳', { gender: '2', birthDate: '1986-01-09', education: '14', post: 'deputy_secretary' })),
    ]
    const f = summarize(hs)
    expect(f).toEqual({
      members: 4,
      women: 2,
      heads: 1,
      womenHeads: 1,
      under35: 1,
      college: 3,
      partyMembers: 4,
      ageSum: 150,
      // 30 | 40, 35 | 45
      ageBands: { under35: 1, '35to44': 2, '45to54': 1, '55to59': 0, '60plus': 0 },
      educationLevels: { 研究生: 1, 大学本科: 1, 大学专科: 1, '中专·中技': 0, 高中: 1, 初中: 0, 小学及以下: 0 },
    })
    // 150 / 4 = 37.5.
    expect(averageAge(f)).toBe(37.5)
  })

  it('counts a woman chair as a head and a woman head; holdings, not people', () => {
    // Villagers' committee: 孙丽 (woman chair, Party member) and 赵一 (member, not in the Party); plus
    // 孙丽's Party holding as secretary → 3 holdings, 2 of them hers: members 3, women 2, heads 2,
    // womenHeads 2, Party members 2 (her two holdings).
    const sun = m('孙丽', { gender: '2', body: 'committee', post: 'chair', birthDate: '1961-01-09', education: '44' })
    const f = summarize([h(sun), h(m('赵一', { body: 'committee', partyMember: false })), h({ ...sun, body: 'party', post: 'secretary' })])
    expect(f).toMatchObject({ members: 3, women: 2, heads: 2, womenHeads: 2, partyMembers: 2 })
    // 孙丽 60 on REF (birthday that day) twice, 赵一 45: bands 60plus 2, 45to54 1; 中专·中技 (44) 2.
    expect(f.ageBands).toEqual({ under35: 0, '35to44': 0, '45to54': 1, '55to59': 0, '60plus': 2 })
    expect(f.educationLevels['中专·中技']).toBe(2)
    expect(f.ageSum).toBe(165)
  })

  it('counts under 35 on each holding’s own reference date, with the youthAge line', () => {
    // Born 1988-02-29: 34 on 2023-02-28, 35 on 2023-03-01.
    const x = m('周敏', { birthDate: '1988-02-29' })
    expect(summarize([h(x, '2023-02-28')]).under35).toBe(1)
    expect(summarize([h(x, '2023-03-01')]).under35).toBe(0)
    // youthAge 40: 35 is under the line and lands in the first band.
    expect(summarize([h(x, '2023-03-01')], 40)).toMatchObject({ under35: 1, ageBands: { under35: 1, '35to44': 0 } })
  })

  it('adds figures field by field', () => {
    const a = summarize([h(m('甲', { gender: '2', post: 'secretary' }))])
    const b = summarize([h(m('乙', { birthDate: '1995-01-01', education: '21' }))])
    const s = addFigures(a, b)
    expect(s).toMatchObject({ members: 2, women: 1, heads: 1, womenHeads: 1, under35: 1, college: 1, ageSum: 45 + 26 })
    expect(addFigures(emptyFigures(), a)).toEqual(a)
  })
})

describe('ageBand, averageAge, percent', () => {
  it.each([
    [34, 'under35'],
    [35, '35to44'],
    [44, '35to44'],
    [45, '45to54'],
    [54, '45to54'],
    [55, '55to59'],
    [59, '55to59'],
    [60, '60plus'],
  ] as const)('age %i is in band %s', (age, band) => expect(ageBand(age)).toBe(band))

  it('averages to one decimal from integers', () => {
    const f = (ageSum: number, members: number): Figures => ({ ...emptyFigures(), ageSum, members })
    expect(averageAge(emptyFigures())).toBeNull()
    expect(averageAge(f(124, 3))).toBe(41.3) // 41.33…
    expect(averageAge(f(125, 3))).toBe(41.7) // 41.66…
    expect(averageAge(f(83, 2))).toBe(41.5)
  })

  it('gives shares in percent to one decimal, null of nothing', () => {
    expect(percent(19, 88)).toBe(21.6) // 21.59…
    expect(percent(1, 3)).toBe(33.3)
    expect(percent(2, 3)).toBe(66.7)
    expect(percent(1, 8)).toBe(12.5)
    expect(percent(0, 5)).toBe(0)
    expect(percent(88, 88)).toBe(100)
    expect(percent(3, 0)).toBeNull()
  })
})

describe('crossFacts', () => {
  it('tells 一肩挑 and counts people on both committees once', () => {
    // BASE: 张伟 secretary and chair; 张伟 and 王军 on both; 4 people.
    expect(crossFacts(BASE)).toEqual({ oneShoulder: true, both: 2, people: 4 })
    // A duplicated row for 王军 changes no count.
    expect(crossFacts([...BASE, hold(wang, 'committee')])).toEqual({ oneShoulder: true, both: 2, people: 4 })
  })

  it('is false with a different chair and null without one', () => {
    const other = [zhang, li, hold(zhang, 'committee'), { ...liu, post: 'chair' }]
    expect(crossFacts(other)).toEqual({ oneShoulder: false, both: 1, people: 3 })
    expect(crossFacts([zhang, li, liu])).toEqual({ oneShoulder: null, both: 0, people: 3 })
  })
})

// ---------------------------------------------------------------------------------------------
// paragraph

function figs(p: Partial<Figures>): Figures {
  return { ...emptyFigures(), ...p }
}
const kind = (k: KindCount['kind'], total: number, finished: number, inProgress = 0): KindCount => ({ kind: k, total, finished, inProgress })

const SEED: ParagraphInput = {
  areaName: '新营子镇',
  areaKind: 'town',
  body: 'party_committee',
  asOf: '2021-01-10',
  kinds: [kind('village', 26, 26), kind('community', 2, 2)],
  from: '2021-01-05',
  to: '2021-01-09',
  finishedWithHead: 28,
  figures: figs({ members: 88, womenHeads: 1, women: 19, under35: 7, college: 57 }),
  youthAge: 35,
  targets: [],
}

describe('resultsParagraph', () => {
  it('writes the seed’s sentence exactly', () => {
    expect(resultsParagraph(SEED)).toBe(
      '2021年1月5日至9日，全镇26个村、2个社区圆满完成了党组织换届工作。此次选举，各村、社区全部产生党组织书记，委员88人，其中女性书记1人，女性委员19人，35周岁以下7人，大专及以上学历57人。',
    )
  })

  it('says how many units have their head when some lack one', () => {
    // 27 of 28 finished units have a secretary.
    expect(resultsParagraph({ ...SEED, finishedWithHead: 27 })).toContain('此次选举，27个村、社区产生党组织书记，委员88人')
  })

  it('uses the committee words for a villagers’ committee round and leaves out unknown dates', () => {
    // Only villages; no dates; 成员 / 女性主任 / 村民委员会主任.
    const p: ParagraphInput = { ...SEED, body: 'villager_committee', kinds: [kind('village', 26, 26), kind('community', 0, 0)], from: null, to: null, finishedWithHead: 26 }
    expect(resultsParagraph(p)).toBe('全镇26个村圆满完成了村民委员会换届工作。此次选举，各村全部产生村民委员会主任，成员88人，其中女性主任1人，女性成员19人，35周岁以下7人，大专及以上学历57人。')
  })

  it('writes the partial “截至…” form while units are still working', () => {
    // Villages: 26 = 20 finished + 6 in progress; communities: 2 = 0 finished + 1 in progress + 1 not started.
    const p: ParagraphInput = {
      ...SEED,
      asOf: '2021-01-07',
      kinds: [kind('village', 26, 20, 6), kind('community', 2, 0, 1)],
      finishedWithHead: 20,
      figures: figs({ members: 62, womenHeads: 1, women: 13, under35: 5, college: 40 }),
    }
    expect(resultsParagraph(p)).toBe(
      '截至2021年1月7日，全镇26个村、2个社区中，已有20个村完成党组织换届工作，6个村、1个社区正在进行，1个社区尚未开始。' +
        '已完成的村共产生党组织书记20人，委员62人，其中女性书记1人，女性委员13人，35周岁以下5人，大专及以上学历40人。',
    )
  })

  it('writes the partial form before any unit has finished, without figures', () => {
    // 26 villages: 3 in progress, 23 not started; communities none.
    const p: ParagraphInput = { ...SEED, areaKind: 'township', areaName: '榆树乡', asOf: '2020-12-31', kinds: [kind('village', 26, 0, 3)], finishedWithHead: 0, figures: emptyFigures() }
    expect(resultsParagraph(p)).toBe('截至2020年12月31日，全乡26个村中，尚无村完成党组织换届工作，3个村正在进行，23个村尚未开始。')
  })

  it('says so when there is nothing to elect', () => {
    expect(resultsParagraph({ ...SEED, kinds: [kind('village', 0, 0)] })).toBe('新营子镇没有需要进行党组织换届的村（社区）。')
  })

  it('adds a targets paragraph when asked', () => {
    // women: 27 met, 红旗村 missed; youth: all 28 met; a line with nothing checked is left out.
    const p: ParagraphInput = {
      ...SEED,
      targets: [
        { rule: 'women', met: 27, checked: 28, missed: ['红旗村'] },
        { rule: 'youth', met: 28, checked: 28, missed: [] },
        { rule: 'minority', met: 0, checked: 0, missed: [] },
      ],
    }
    expect(resultsParagraph(p)).toBe(`${resultsParagraph(SEED)}\n对照结构指标：女性成员27个达标，红旗村未达标；35周岁以下成员28个全部达标。`)
  })
})

describe('dateSpan and areaWord', () => {
  it.each([
    ['one day', '2021-01-05', '2021-01-05', '2021年1月5日'],
    ['within a month', '2021-01-05', '2021-01-09', '2021年1月5日至9日'],
    ['across months', '2021-01-30', '2021-02-02', '2021年1月30日至2月2日'],
    ['across years', '2020-12-30', '2021-01-03', '2020年12月30日至2021年1月3日'],
    ['same month number, different years', '2020-01-05', '2021-01-03', '2020年1月5日至2021年1月3日'],
  ])('%s', (_, from, to, text) => expect(dateSpan(from, to)).toBe(text))

  it('names the area by its kind, else by its last character', () => {
    expect(areaWord('town', '新营子镇')).toBe('全镇')
    expect(areaWord('sumu', '巴彦苏木')).toBe('全苏木')
    expect(areaWord('banner', '青山旗')).toBe('全旗')
    expect(areaWord('other', '青山旗')).toBe('全旗')
  })
})
