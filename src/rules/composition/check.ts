/**
 * The composition checks of rules.md "Decisions" 16–17, one engine for three uses: the incumbent
 * teams (选情, to plan), the slate before the vote (can every target still be met?), and the
 * elected teams. Pure: plain data in, findings out. Every count is over distinct people, so the
 * order of members never matters and a person on both committees counts once.
 */
import { ageOn } from '../age/index.ts'
import { isCollegeOrAbove } from '../codes/index.ts'
import { ruleBasis, ruleLabels } from './rules.ts'
import type { CompositionRules, Finding, Level, Member, RuleKey, SlateBody, UnitTeams } from './types.ts'

function distinct(members: Member[]): Member[] {
  const seen = new Map<string, Member>()
  for (const m of members) if (!seen.has(m.personId)) seen.set(m.personId, m)
  return [...seen.values()]
}

function finding(u: { code: string; name: string }, rule: RuleKey, level: Level, actual: number | null, required: number | null, message: string, people: string[] = []): Finding {
  return { unitCode: u.code, unitName: u.name, rule, level, actual, required, message, people: [...people].sort(), basis: ruleBasis[rule] }
}

export const committeeName = (kind: string) => (kind === 'community' ? '居民委员会' : kind === 'gacha' ? '嘎查村民委员会' : '村民委员会')

function committeeRange(kind: string, r: CompositionRules): [number, number] {
  return kind === 'community' ? [r.residentCommitteeMin, r.residentCommitteeMax] : [r.villagerCommitteeMin, r.villagerCommitteeMax]
}

/** Size of the Party team: 3–5 (warn up to 7) with a committee; 1–2 for a branch below 7 full members. */
export function partySizeLevel(n: number, fullPartyMembers: number | null, r: CompositionRules): { level: Level; range: string } {
  if (fullPartyMembers !== null && fullPartyMembers < r.smallBranchBelow) return { level: n >= 1 && n <= 2 ? 'ok' : 'fail', range: '1至2人（书记，可设副书记）' }
  const range = `${r.partyCommitteeMin}至${r.partyCommitteeMax}人`
  if (n < r.partyCommitteeMin || n > r.partyCommitteeLimit) return { level: 'fail', range }
  return { level: n > r.partyCommitteeMax ? 'warn' : 'ok', range }
}

/** The rules that span both committees, over a set of people (a team, or a slate's nominees). */
function countsOf(people: Member[], referenceDate: string, r: CompositionRules, minority: string | null) {
  return {
    women: people.filter((m) => m.gender === '2'),
    young: people.filter((m) => ageOn(m.birthDate, referenceDate) < r.youthAge),
    college: people.filter((m) => isCollegeOrAbove(m.education)),
    minority: minority ? people.filter((m) => m.ethnicity === minority) : [],
  }
}

const names = (ms: Member[]) => ms.map((m) => m.name).sort()

/** New to the two committees: none of the person's holdings (or candidacies) continues an incumbent's. */
function isNewPerson(members: Member[], personId: string): boolean {
  return members.filter((m) => m.personId === personId).every((m) => m.isNew)
}

/** Check (a) and (c): a unit's two committees as they are (incumbent) or as elected. */
export function checkTeams(u: UnitTeams, r: CompositionRules): Finding[] {
  const party = distinct(u.members.filter((m) => m.body === 'party'))
  const committee = distinct(u.members.filter((m) => m.body === 'committee'))
  const all = distinct(u.members)
  const out: Finding[] = []
  const cname = committeeName(u.kind)

  if (!party.length) out.push(finding(u, 'party_size', 'na', 0, null, `${u.name}党组织班子没有数据`))
  else {
    const { level, range } = partySizeLevel(party.length, u.fullPartyMembers, r)
    out.push(finding(u, 'party_size', level, party.length, u.fullPartyMembers !== null && u.fullPartyMembers < r.smallBranchBelow ? 1 : r.partyCommitteeMin, `${u.name}党组织班子${party.length}人，应为${range}${level === 'warn' ? `（一般不超过${r.partyCommitteeMax}人，最多${r.partyCommitteeLimit}人）` : ''}`))
  }
  if (!committee.length) out.push(finding(u, 'committee_size', 'na', 0, null, `${u.name}${cname}没有数据`))
  else {
    const [lo, hi] = committeeRange(u.kind, r)
    const ok = committee.length >= lo && committee.length <= hi
    out.push(finding(u, 'committee_size', ok ? 'ok' : 'fail', committee.length, lo, `${u.name}${cname}${committee.length}人，应为${lo}至${hi}人`))
  }

  if (!all.length) {
    for (const rule of ['women', 'youth', 'college', 'one_shoulder', 'cross_holding', 'minority', 'new_member_age'] as const) out.push(finding(u, rule, 'na', null, null, `${u.name}“两委”班子没有数据`))
    return out
  }
  const c = countsOf(all, u.referenceDate, r, u.minorityEthnicity)
  const scope = `${u.name}“两委”班子${all.length}人中`
  const atLeast = (rule: RuleKey, have: Member[], need: number, what: string) =>
    out.push(finding(u, rule, have.length >= need ? 'ok' : 'fail', have.length, need, `${scope}${what}${have.length}人，${have.length >= need ? '达到' : '未达到'}至少${need}人的指标`, names(have)))
  atLeast('women', c.women, r.minWomen, '女性')
  atLeast('youth', c.young, r.minYouth, `${r.youthAge}周岁以下（按${u.referenceDate}计）`)
  atLeast('college', c.college, r.minCollege, '大专及以上学历')

  const secretary = party.find((m) => m.post === 'secretary')
  const chair = committee.find((m) => m.post === 'chair')
  if (!r.oneShoulder) out.push(finding(u, 'one_shoulder', 'na', null, null, `${u.name}：本县未要求“一肩挑”`))
  else if (!secretary || !chair) out.push(finding(u, 'one_shoulder', 'na', null, null, `${u.name}${!secretary ? '党组织书记' : `${cname}主任`}尚无人选，无法判断“一肩挑”`))
  else {
    const same = secretary.personId === chair.personId
    out.push(finding(u, 'one_shoulder', same ? 'ok' : 'fail', same ? 1 : 0, 1, same ? `${u.name}书记${secretary.name}兼任${cname}主任（“一肩挑”）` : `${u.name}书记${secretary.name}与${cname}主任${chair.name}不是同一人，未实现“一肩挑”`, same ? [secretary.name] : [secretary.name, chair.name]))
  }

  const both = party.filter((m) => committee.some((x) => x.personId === m.personId))
  const pct = r.crossHoldingMinPercent
  const share = `交叉任职${both.length}人，占“两委”成员${all.length}人的${Math.round((both.length * 1000) / all.length) / 10}%`
  if (pct === null || !party.length || !committee.length) out.push(finding(u, 'cross_holding', 'na', both.length, null, `${u.name}${share}${pct === null ? '（本县未设比例指标）' : '（缺一个班子的数据）'}`, names(both)))
  else {
    const ok = both.length * 100 >= pct * all.length
    out.push(finding(u, 'cross_holding', ok ? 'ok' : 'fail', both.length, Math.ceil((pct * all.length) / 100), `${u.name}${share}，${ok ? '达到' : '未达到'}${pct}%的指标`, names(both)))
  }

  if (!r.minorityMember || !u.minorityEthnicity) out.push(finding(u, 'minority', 'na', null, null, !r.minorityMember ? `${u.name}：本县未要求少数民族成员` : `${u.name}不是多民族聚居村（社区），不适用`))
  else atLeast('minority', c.minority, 1, '人数较少民族成员')

  const cap = r.newMemberMaxAge
  if (cap === null) out.push(finding(u, 'new_member_age', 'na', null, null, `${u.name}：本县未设新进成员年龄上限`))
  else {
    const over = all.filter((m) => isNewPerson(u.members, m.personId) && ageOn(m.birthDate, u.referenceDate) > cap)
    out.push(finding(u, 'new_member_age', over.length ? 'fail' : 'ok', over.length, 0, over.length ? `${u.name}新进成员中${over.length}人超过${cap}周岁：${over.map((m) => `${m.name}${ageOn(m.birthDate, u.referenceDate)}岁`).sort().join('、')}` : `${u.name}新进成员均不超过${cap}周岁`, names(over)))
  }
  return out
}

/**
 * Check (b), before the vote: given each body's seats and its qualified nominees, can every target
 * still be met, and which cannot. A target that holds only if particular nominees win a 差额 vote
 * is a warning that names them; one no choice of winners can meet is a violation.
 */
export function checkSlate(u: Omit<UnitTeams, 'members'>, slate: SlateBody[], r: CompositionRules): Finding[] {
  const out: Finding[] = []
  const party = slate.find((b) => b.body === 'party')
  const committee = slate.find((b) => b.body === 'committee')
  const cname = committeeName(u.kind)

  const sizeOf = (b: SlateBody | undefined, rule: RuleKey, label: string, check: (n: number) => { level: Level; range: string }) => {
    if (!b) return out.push(finding(u, rule, 'na', null, null, `${u.name}${label}尚未确定职数和人选`))
    const people = distinct(b.nominees).length
    const { level, range } = check(b.seats)
    if (level === 'fail') return out.push(finding(u, rule, 'fail', b.seats, null, `${u.name}${label}计划职数${b.seats}名，应为${range}`))
    if (people < b.seats) return out.push(finding(u, rule, 'fail', people, b.seats, `${u.name}${label}${b.seats}个职数只有${people}名人选`))
    return out.push(finding(u, rule, level, b.seats, null, `${u.name}${label}${b.seats}个职数，人选${people}名`))
  }
  sizeOf(party, 'party_size', '党组织委员会', (n) => partySizeLevel(n, u.fullPartyMembers, r))
  sizeOf(committee, 'committee_size', cname, (n) => {
    const [lo, hi] = committeeRange(u.kind, r)
    return { level: n >= lo && n <= hi ? 'ok' : 'fail', range: `${lo}至${hi}人` }
  })

  const bodies = [party, committee].filter((b): b is SlateBody => !!b && b.seats > 0)
  const seats = bodies.reduce((s, b) => s + b.seats, 0)
  const nominees = distinct(bodies.flatMap((b) => b.nominees))
  const what = `${u.name}“两委”${seats}个职数的${nominees.length}名人选中`
  const counts = countsOf(nominees, u.referenceDate, r, u.minorityEthnicity)
  // A nominee is sure to be elected only where the body is 等额; a woman-only seat always goes to a woman.
  const sure = (ms: Member[]) => ms.filter((m) => bodies.some((b) => !b.competitive && b.nominees.some((x) => x.personId === m.personId)))

  // How many of `ms` can win at once: each body elects at most its seats, so those standing for one
  // body only fill its seats first and those standing for both take what is left.
  const electable = (ms: Member[]) => {
    const on = (b: SlateBody | undefined, m: Member) => !!b && b.seats > 0 && b.nominees.some((x) => x.personId === m.personId)
    const p = Math.min(ms.filter((m) => on(party, m) && !on(committee, m)).length, party?.seats ?? 0)
    const c = Math.min(ms.filter((m) => !on(party, m) && on(committee, m)).length, committee?.seats ?? 0)
    return p + c + Math.min(ms.filter((m) => on(party, m) && on(committee, m)).length, (party?.seats ?? 0) - p + (committee?.seats ?? 0) - c)
  }

  const feasible = (rule: RuleKey, have: Member[], need: number, label: string, guaranteed = false, unknown = 0) => {
    if (!bodies.length) return out.push(finding(u, rule, 'na', null, need, `${u.name}尚未确定人选`))
    if (need === 0) return out.push(finding(u, rule, 'ok', have.length, need, `${what}${label}${have.length}人`, names(have)))
    // Candidates typed by name only (not in the registry) have no birth date, education or ethnicity:
    // the target may still be met through them, so that is a question to check, not a violation.
    if (have.length < need && unknown > 0 && seats >= need) {
      return out.push(finding(u, rule, 'warn', have.length, need, `${what}${label}已知${have.length}人，另有${unknown}名人选未关联人员库、无法判断，请核实能否达到至少${need}人的指标`, names(have)))
    }
    if (have.length < need || seats < need) return out.push(finding(u, rule, 'fail', have.length, need, `${what}${label}只有${have.length}人，至少${need}人的指标无法实现`, names(have)))
    const most = electable(have)
    if (most < need) return out.push(finding(u, rule, 'fail', have.length, need, `${what}${label}${have.length}人，但按各班子职数最多只能当选${most}人，至少${need}人的指标无法实现`, names(have)))
    if (guaranteed || sure(have).length >= need) return out.push(finding(u, rule, 'ok', have.length, need, `${what}${label}${have.length}人，至少${need}人的指标可以实现`, names(have)))
    if (have.length === need) return out.push(finding(u, rule, 'warn', have.length, need, `${what}${label}仅${have.length}人且为差额选举，须${names(have).join('、')}全部当选才能达到至少${need}人的指标`, names(have)))
    return out.push(finding(u, rule, 'ok', have.length, need, `${what}${label}${have.length}人，至少${need}人的指标可以实现`, names(have)))
  }
  feasible('women', counts.women, r.minWomen, '女性', r.minWomen <= 1 && bodies.some((b) => b.womanSeat))
  feasible('youth', counts.young, r.minYouth, `${r.youthAge}周岁以下（按${u.referenceDate}计）`, false, nominees.filter((m) => !m.birthDate).length)
  feasible('college', counts.college, r.minCollege, '大专及以上学历', false, nominees.filter((m) => !m.education).length)

  if (!r.oneShoulder) out.push(finding(u, 'one_shoulder', 'na', null, null, `${u.name}：本县未要求“一肩挑”`))
  else if (!party || !committee) out.push(finding(u, 'one_shoulder', 'na', null, null, `${u.name}两个班子的人选尚未齐全，无法判断“一肩挑”`))
  else {
    const heads = party.nominees.filter((m) => m.post === 'secretary' && committee.nominees.some((x) => x.personId === m.personId && x.post === 'chair'))
    out.push(
      finding(u, 'one_shoulder', heads.length ? 'ok' : 'fail', heads.length, 1, heads.length ? `${u.name}书记人选${names(heads).join('、')}同时是${cname}主任人选` : `${u.name}没有同时作为书记和${cname}主任的人选，无法实现“一肩挑”`, names(heads)),
    )
  }

  const both = party && committee ? distinct(party.nominees).filter((m) => committee.nominees.some((x) => x.personId === m.personId)) : []
  const pct = r.crossHoldingMinPercent
  if (pct === null || !party || !committee) out.push(finding(u, 'cross_holding', 'na', both.length, null, `${u.name}两个班子共同人选${both.length}人${pct === null ? '（本县未设比例指标）' : ''}`, names(both)))
  else {
    // The share is best when as many common nominees win as the seats allow (at most the smaller
    // body's seats) and the team is as small as that makes it.
    const most = Math.min(both.length, party.seats, committee.seats)
    const need = Math.ceil((pct * Math.max(seats - most, 1)) / 100)
    const level: Level = most >= need ? 'ok' : 'fail'
    out.push(finding(u, 'cross_holding', level, both.length, need, `${u.name}两个班子共同人选${both.length}人${most < both.length ? `（按职数最多${most}人交叉任职）` : ''}，交叉任职${pct}%的指标约需${need}人`, names(both)))
  }

  if (!r.minorityMember || !u.minorityEthnicity) out.push(finding(u, 'minority', 'na', null, null, !r.minorityMember ? `${u.name}：本县未要求少数民族成员` : `${u.name}不是多民族聚居村（社区），不适用`))
  else feasible('minority', counts.minority, 1, '人数较少民族', false, nominees.filter((m) => !m.ethnicity).length)

  const cap = r.newMemberMaxAge
  if (cap === null) out.push(finding(u, 'new_member_age', 'na', null, null, `${u.name}：本县未设新进成员年龄上限`))
  else {
    const over = nominees.filter((m) => isNewPerson(bodies.flatMap((b) => b.nominees), m.personId) && ageOn(m.birthDate, u.referenceDate) > cap)
    out.push(finding(u, 'new_member_age', over.length ? 'warn' : 'ok', over.length, 0, over.length ? `${u.name}新进人选中${over.length}人超过${cap}周岁：${over.map((m) => `${m.name}${ageOn(m.birthDate, u.referenceDate)}岁`).sort().join('、')}` : `${u.name}新进人选均不超过${cap}周岁`, names(over)))
  }
  return out
}

export { ruleLabels }
