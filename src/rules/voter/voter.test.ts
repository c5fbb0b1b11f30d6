import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ageOn } from '../age/index.ts'
import { addDays } from '../timeline/index.ts'
import {
  anniversary,
  latestBirthDate,
  latestLivingSince,
  latestPublicationDay,
  MAX_PROXIES_PER_HOLDER,
  objectionProblems,
  proxyDeadline,
  proxyProblems,
  publicationProblems,
  relationLabels,
  relationOf,
  relations,
  roundUpdates,
  stationProblems,
  voterCategories,
  voterProblems,
  type ProxyInput,
  type RoundPerson,
  type StationKind,
  type VoterInput,
} from './index.ts'

const fields = (ps: { field: string }[]) => ps.map((p) => p.field)

/** Any day from 1900 to 2099, with 29 February of a leap year drawn often enough to matter. */
const anyDay = fc.integer({ min: 0, max: 73_000 }).map((n) => addDays('1900-01-01', n))
const leapDay = fc.integer({ min: 1904, max: 2096 }).map((y) => `${y - (y % 4)}-02-29`).filter((d) => d !== '1900-02-29')
const day = fc.oneof({ arbitrary: anyDay, weight: 4 }, { arbitrary: leapDay, weight: 1 })

const resident = (birthDate: string, electionDay: string, more: Partial<VoterInput> = {}): VoterInput => ({ birthDate, electionDay, deprived: false, category: 'resident', ...more })

describe('who may be registered (age, rights, category)', () => {
  it('lists the three categories of 村民委员会组织法 第十三条 with their labels and basis', () => {
    expect(voterCategories.map((c) => [c.key, c.label])).toEqual([
      ['resident', '户籍在本村并在本村居住'],
      ['away_opt_in', '户籍在本村、不在本村居住、本人表示参加选举'],
      ['non_hukou', '户籍不在本村、在本村居住一年以上、经村民会议或村民代表会议同意'],
    ])
    for (const c of voterCategories) expect(c.basis).toContain('第十三条第二款')
  })

  // [birth date, election day, may vote]
  const ages: [string, string, boolean][] = [
    ['2008-03-01', '2026-03-01', true], // 18th birthday on E itself
    ['2008-03-02', '2026-03-01', false], // the day after
    ['2008-02-29', '2026-03-01', true], // leap-day birth: 18 on 1 March of a common year
    ['2008-02-29', '2026-02-28', false],
    ['2010-02-28', '2028-02-29', true], // E on a leap day
    ['2010-03-01', '2028-02-29', false],
    ['2008-01-01', '2026-01-01', true], // across a year end
    ['2008-01-02', '2026-01-01', false],
    ['2007-12-31', '2026-01-01', true],
    ['2008-04-30', '2026-04-30', true], // a month end
    ['2008-05-01', '2026-04-30', false],
    ['2030-01-01', '2026-04-30', false], // born after E
  ]
  it.each(ages)('born %s, election %s → may vote: %s', (birthDate, electionDay, ok) => {
    const ps = voterProblems(resident(birthDate, electionDay))
    expect(ps.length === 0).toBe(ok)
    if (!ok) {
      expect(ps).toHaveLength(1)
      expect(ps[0]).toMatchObject({ field: 'birthDate' })
      expect(ps[0]!.basis).toContain('第十三条第一款')
    }
  })

  it('says on which day a leap-day birth turns 18', () => {
    expect(voterProblems(resident('2008-02-29', '2026-02-28'))[0]!.message).toContain('2026-03-01 才满')
    expect(anniversary('2008-02-29', 18)).toBe('2026-03-01')
    expect(anniversary('2008-02-29', 20)).toBe('2028-02-29')
  })

  it('gives the latest birth date that may vote', () => {
    expect(latestBirthDate('2026-03-01')).toBe('2008-03-01')
    expect(latestBirthDate('2028-02-29')).toBe('2010-02-28')
    expect(latestBirthDate('2032-02-29')).toBe('2014-02-28')
    expect(latestBirthDate('2034-02-28')).toBe('2016-02-28')
  })

  it('refuses a person deprived of political rights, whatever else', () => {
    const ps = voterProblems(resident('1970-05-05', '2026-03-01', { deprived: true }))
    expect(fields(ps)).toEqual(['deprived'])
    expect(ps[0]!.message).toContain('剥夺政治权利')
  })

  it('refuses dates that are not real days and unknown categories', () => {
    expect(fields(voterProblems(resident('2001-02-29', '2026-03-01')))).toEqual(['birthDate'])
    expect(fields(voterProblems(resident('2001-01-01', '2026-02-30')))).toEqual(['electionDay'])
    expect(fields(voterProblems(resident('2001-01-01', '2026-03-01', { category: 'guest' as never })))).toEqual(['category'])
  })

  const nonHukou = (livingSince: string | null, meetingApprovedOn: string | null, electionDay = '2026-03-01', publishedOn: string | null = null): VoterInput => ({
    birthDate: '1980-06-01',
    electionDay,
    deprived: false,
    category: 'non_hukou',
    livingSince,
    meetingApprovedOn,
    publishedOn,
  })

  // [living since, election day, lived a year]
  const stays: [string, string, boolean][] = [
    ['2025-03-01', '2026-03-01', true],
    ['2025-03-02', '2026-03-01', false],
    ['2025-02-28', '2026-03-01', true],
    ['2027-02-28', '2028-02-29', true],
    ['2027-03-01', '2028-02-29', false],
    ['2024-02-29', '2025-02-28', false], // settled on a leap day: the year is full on 1 March
    ['2024-02-29', '2025-03-01', true],
    ['2025-01-01', '2025-12-31', false],
    ['2024-12-31', '2025-12-31', true],
  ]
  it.each(stays)('category 3: living since %s, election %s → a full year: %s', (since, E, ok) => {
    const ps = voterProblems(nonHukou(since, addDays(E, -30), E))
    expect(fields(ps)).toEqual(ok ? [] : ['livingSince'])
  })

  it('gives the latest living-since day for category 3', () => {
    expect(latestLivingSince('2026-03-01')).toBe('2025-03-01')
    expect(latestLivingSince('2028-02-29')).toBe('2027-02-28')
  })

  it('needs the meeting to agree before publication (or, without it, before the election)', () => {
    expect(fields(voterProblems(nonHukou('2020-01-01', '2026-02-01', '2026-03-01', '2026-02-01')))).toEqual([])
    expect(fields(voterProblems(nonHukou('2020-01-01', '2026-02-02', '2026-03-01', '2026-02-01')))).toEqual(['meetingApprovedOn'])
    expect(fields(voterProblems(nonHukou('2020-01-01', '2026-03-01')))).toEqual([])
    expect(fields(voterProblems(nonHukou('2020-01-01', '2026-03-02')))).toEqual(['meetingApprovedOn'])
    expect(fields(voterProblems(nonHukou(null, null)))).toEqual(['livingSince', 'meetingApprovedOn'])
    expect(fields(voterProblems(nonHukou('2020-13-01', '2026-02-31')))).toEqual(['livingSince', 'meetingApprovedOn'])
  })

  it('refuses a meeting date on a category that needs no meeting, and ignores living-since there', () => {
    const ps = voterProblems(resident('1980-01-01', '2026-03-01', { meetingApprovedOn: '2026-01-10' }))
    expect(fields(ps)).toEqual(['meetingApprovedOn'])
    expect(ps[0]!.message).toContain('改为“户籍不在本村')
    expect(voterProblems({ ...resident('1980-01-01', '2026-03-01', { livingSince: '2026-02-01' }), category: 'away_opt_in' })).toEqual([])
  })

  it('lets exactly those born on or before E − 18 years vote', () => {
    fc.assert(
      fc.property(day, day, (birthDate, electionDay) => {
        const ok = voterProblems(resident(birthDate, electionDay)).length === 0
        expect(ok).toBe(birthDate <= latestBirthDate(electionDay))
        expect(ok).toBe(ageOn(birthDate, electionDay) >= 18)
      }),
    )
  })

  it('finds the first day of each full year, for every day including 29 February', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 100 }), (d, n) => {
        const a = anniversary(d, n)
        expect(ageOn(d, a)).toBe(n)
        expect(ageOn(d, addDays(a, -1))).toBe(n - 1)
        const latest = latestBirthDate(d)
        expect(ageOn(latest, d)).toBe(18)
        expect(ageOn(addDays(latest, 1), d)).toBe(17)
      }),
    )
  })
})

describe('publication of the roll (≤ E − 20)', () => {
  // [published, election day, in time]
  const cases: [string, string, boolean][] = [
    ['2026-02-17', '2026-03-10', true],
    ['2026-02-18', '2026-03-10', true], // E − 20 across the end of a 28-day February
    ['2026-02-19', '2026-03-10', false],
    ['2028-02-19', '2028-03-10', true], // a leap February
    ['2028-02-20', '2028-03-10', false],
    ['2026-12-26', '2027-01-15', true], // across a year end
    ['2026-12-27', '2027-01-15', false],
    ['2025-06-01', '2026-03-10', true], // much earlier is fine
    ['2026-03-11', '2026-03-10', false], // after the election
  ]
  it.each(cases)('published %s for election %s → in time: %s', (publishedOn, electionDay, ok) => {
    const ps = publicationProblems(publishedOn, electionDay)
    expect(ps.length === 0).toBe(ok)
    if (!ok) expect(ps[0]).toMatchObject({ field: 'publishedOn' })
  })

  it('says the last day and how late, with the rule', () => {
    expect(latestPublicationDay('2026-03-10')).toBe('2026-02-18')
    const [p] = publicationProblems('2026-02-21', '2026-03-10')
    expect(p!.message).toContain('最迟 2026-02-18')
    expect(p!.message).toContain('晚了 3 日')
    expect(p!.basis).toContain('第十四条第一款')
  })

  it('refuses dates that are not real days', () => {
    expect(fields(publicationProblems('2026-02-30', '2026-03-10'))).toEqual(['publishedOn'])
    expect(fields(publicationProblems('2026-02-01', '2026-3-10'))).toEqual(['electionDay'])
  })

  it('never gets a problem by publishing earlier, and has one exactly when later than E − 20', () => {
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 400 }), (publishedOn, electionDay, earlier) => {
        const now = publicationProblems(publishedOn, electionDay).length
        expect(publicationProblems(addDays(publishedOn, -earlier), electionDay).length).toBeLessThanOrEqual(now)
        expect(now === 0).toBe(publishedOn <= latestPublicationDay(electionDay))
      }),
    )
  })
})

describe('objections (received ≤ publication + 5, decided ≤ receipt + 3)', () => {
  // [published, received, accepted]
  const receipts: [string, string, boolean][] = [
    ['2026-02-26', '2026-02-25', false], // before publication
    ['2026-02-26', '2026-02-26', true], // the day itself
    ['2026-02-26', '2026-03-03', true], // day 5, across the end of February
    ['2026-02-26', '2026-03-04', false],
    ['2028-02-26', '2028-03-02', true], // a leap February
    ['2028-02-26', '2028-03-03', false],
    ['2026-12-29', '2027-01-03', true], // across a year end
    ['2026-12-29', '2027-01-04', false],
  ]
  it.each(receipts)('published %s, received %s → in time: %s', (publishedOn, receivedOn, ok) => {
    expect(fields(objectionProblems({ publishedOn, receivedOn }))).toEqual(ok ? [] : ['receivedOn'])
  })

  // [received, decided, in time]
  const decisions: [string, string, boolean][] = [
    ['2026-02-27', '2026-02-26', false],
    ['2026-02-27', '2026-02-27', true],
    ['2026-02-27', '2026-03-02', true], // day 3 across the month end
    ['2026-02-27', '2026-03-03', false],
    ['2028-02-27', '2028-03-01', true],
    ['2028-02-27', '2028-03-02', false],
  ]
  it.each(decisions)('received %s, decided %s → in time: %s', (receivedOn, decidedOn, ok) => {
    expect(fields(objectionProblems({ publishedOn: receivedOn, receivedOn, decidedOn }))).toEqual(ok ? [] : ['decidedOn'])
  })

  it('flags an undecided objection only once its decision deadline has passed', () => {
    const o = { publishedOn: '2026-02-26', receivedOn: '2026-02-27', decidedOn: null }
    expect(objectionProblems({ ...o, today: '2026-03-02' })).toEqual([])
    const late = objectionProblems({ ...o, today: '2026-03-03' })
    expect(fields(late)).toEqual(['decidedOn'])
    expect(late[0]!.message).toContain('最迟 2026-03-02')
    expect(objectionProblems(o)).toEqual([])
  })

  it('names the deadline, how late, and the rule', () => {
    const [p] = objectionProblems({ publishedOn: '2026-02-26', receivedOn: '2026-03-05' })
    expect(p!.message).toContain('最迟 2026-03-03')
    expect(p!.message).toContain('晚了 2 日')
    expect(p!.basis).toContain('第十四条第二款')
  })

  it('refuses an objection received outside [publication, publication + 5], and only then', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -30, max: 30 }), (publishedOn, offset) => {
        const receivedOn = addDays(publishedOn, offset)
        expect(objectionProblems({ publishedOn, receivedOn }).length === 0).toBe(offset >= 0 && offset <= 5)
      }),
    )
  })
})

describe('proxies (委托投票)', () => {
  const ok: ProxyInput = {
    giverAway: true,
    relation: 'spouse',
    holderSameUnit: true,
    holderIsVoter: true,
    holderIsCandidate: false,
    holderProxiesSoFar: 0,
    appliedOn: '2026-02-20',
    electionDay: '2026-03-02',
  }

  it('accepts a proxy that meets every rule', () => {
    expect(proxyProblems(ok)).toEqual([])
  })

  // [applied on, election day, in time]
  const dates: [string, string, boolean][] = [
    ['2026-02-26', '2026-03-02', true],
    ['2026-02-27', '2026-03-02', true], // E − 3 across the end of February
    ['2026-02-28', '2026-03-02', false],
    ['2028-02-28', '2028-03-02', true], // a leap February
    ['2028-02-29', '2028-03-02', false],
    ['2026-12-29', '2027-01-01', true], // across a year end
    ['2026-12-30', '2027-01-01', false],
    ['2026-03-02', '2026-03-02', false], // on the day: no on-the-spot proxies
  ]
  it.each(dates)('applied %s for election %s → in time: %s', (appliedOn, electionDay, inTime) => {
    expect(fields(proxyProblems({ ...ok, appliedOn, electionDay }))).toEqual(inTime ? [] : ['appliedOn'])
  })

  it('allows at most 3 proxies per holder', () => {
    expect(MAX_PROXIES_PER_HOLDER).toBe(3)
    expect(proxyProblems({ ...ok, holderProxiesSoFar: 2 })).toEqual([])
    const ps = proxyProblems({ ...ok, holderProxiesSoFar: 3 })
    expect(fields(ps)).toEqual(['holderProxiesSoFar'])
    expect(ps[0]!.message).toContain('已接受 3 人')
    expect(fields(proxyProblems({ ...ok, holderProxiesSoFar: -1 }))).toEqual(['holderProxiesSoFar'])
    expect(fields(proxyProblems({ ...ok, holderProxiesSoFar: 1.5 }))).toEqual(['holderProxiesSoFar'])
  })

  it('takes only near relatives (民法典 第一千零四十五条), by key or by word', () => {
    for (const r of relations) expect(proxyProblems({ ...ok, relation: r })).toEqual([])
    for (const w of ['妻子', '丈夫', '父亲', '母亲', '养母', '儿子', '女儿', '哥哥', '妹妹', '爷爷', '外婆', '姥姥', '孙女', '外孙', '祖父母、外祖父母', ' 配偶 ']) {
      expect(relationOf(w), w).not.toBeNull()
    }
    expect(relationOf('外婆')).toBe('grandparent')
    expect(relationOf('外孙女')).toBe('grandchild')
    expect(relationOf(relationLabels.sibling)).toBe('sibling')
    for (const w of ['儿媳', '女婿', '公公', '岳母', '叔叔', '堂兄', '表妹', '侄子', '继父', '朋友', '']) {
      expect(relationOf(w), w).toBeNull()
      expect(fields(proxyProblems({ ...ok, relation: w }))).toEqual(['relation'])
    }
    const [p] = proxyProblems({ ...ok, relation: '儿媳' })
    expect(p!.basis).toContain('第一千零四十五条')
    expect(p!.message).toContain('姻亲')
  })

  it('refuses a giver who is not away, a holder who is not a voter here, a candidate, and the giver himself', () => {
    expect(fields(proxyProblems({ ...ok, giverAway: false }))).toEqual(['giverAway'])
    expect(fields(proxyProblems({ ...ok, holderIsVoter: false }))).toEqual(['holderIsVoter'])
    expect(fields(proxyProblems({ ...ok, holderSameUnit: false }))).toEqual(['holderSameUnit'])
    expect(fields(proxyProblems({ ...ok, holderIsCandidate: true }))).toEqual(['holderIsCandidate'])
    expect(fields(proxyProblems({ ...ok, giverIsHolder: true }))).toEqual(['giverIsHolder'])
    expect(proxyDeadline('2026-03-02')).toBe('2026-02-27')
  })

  const proxy = fc.record({
    giverAway: fc.boolean(),
    relation: fc.constantFrom<string>(...relations, '儿媳', '叔叔', '妻子'),
    holderSameUnit: fc.boolean(),
    holderIsVoter: fc.boolean(),
    holderIsCandidate: fc.boolean(),
    holderProxiesSoFar: fc.integer({ min: 0, max: 6 }),
    appliedOn: day,
    electionDay: day,
    giverIsHolder: fc.boolean(),
  })

  it('never loses a problem when the holder has one more proxy, or the request comes later', () => {
    fc.assert(
      fc.property(proxy, fc.integer({ min: 1, max: 60 }), (p, later) => {
        const before = fields(proxyProblems(p))
        for (const after of [proxyProblems({ ...p, holderProxiesSoFar: p.holderProxiesSoFar + 1 }), proxyProblems({ ...p, appliedOn: addDays(p.appliedOn, later) })]) {
          expect(fields(after)).toEqual(expect.arrayContaining(before))
        }
      }),
    )
  })

  it('has a problem exactly when some rule is broken', () => {
    fc.assert(
      fc.property(proxy, (p) => {
        const broken = p.giverIsHolder || !p.giverAway || relationOf(p.relation) === null || !p.holderIsVoter || !p.holderSameUnit || p.holderIsCandidate || p.holderProxiesSoFar >= 3 || p.appliedOn > addDays(p.electionDay, -3)
        expect(proxyProblems(p).length > 0).toBe(broken)
      }),
    )
  })
})

describe('polling stations and mobile boxes (≥ 3 monitors)', () => {
  const kinds: StationKind[] = ['central', 'station', 'mobile']
  it.each(kinds)('%s: 2 monitors refused, 3 accepted', (kind) => {
    const ps = stationProblems({ kind, monitors: 2 })
    expect(fields(ps)).toEqual(['monitors'])
    expect(ps[0]!.message).toContain('再安排 1 名')
    expect(stationProblems({ kind, monitors: 3 })).toEqual([])
    expect(stationProblems({ kind, monitors: 7 })).toEqual([])
  })

  it('refuses an unknown kind and a count that is not a whole number', () => {
    expect(fields(stationProblems({ kind: 'boat' as never, monitors: 3 }))).toEqual(['kind'])
    expect(fields(stationProblems({ kind: 'toString' as never, monitors: 3 }))).toEqual(['kind'])
    expect(fields(stationProblems({ kind: 'mobile', monitors: -1 }))).toEqual(['monitors'])
    expect(fields(stationProblems({ kind: 'mobile', monitors: 3.5 }))).toEqual(['monitors'])
  })

  it('never gets a problem from one more monitor', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 20 }), (kind, monitors) => {
        expect(stationProblems({ kind, monitors: monitors + 1 }).length).toBeLessThanOrEqual(stationProblems({ kind, monitors }).length)
        expect(stationProblems({ kind, monitors }).length === 0).toBe(monitors >= 3)
      }),
    )
  })
})

describe('updates between rounds', () => {
  const E = '2026-03-01'
  const person = (key: string, birthDate: string, more: Partial<RoundPerson> = {}): RoundPerson => ({ key, birthDate, deceased: false, movedAway: false, onRoll: false, ...more })

  it('proposes adding those 18 by E who are not on the roll, and removing the dead and the moved from it', () => {
    const updates = roundUpdates(
      [
        person('a', '2008-03-01'), // 18 on E
        person('b', '2008-03-02'), // 18 the day after E
        person('c', '2008-02-29'), // leap-day birth, 18 on 1 March
        person('d', '1950-01-01', { onRoll: true, deceased: true }),
        person('e', '1980-01-01', { onRoll: true, movedAway: true }),
        person('f', '1980-01-01', { onRoll: true, deceased: true, movedAway: true }),
        person('g', '1990-01-01', { onRoll: true }),
        person('h', '1990-01-01', { deceased: true }), // not on the roll: nothing to remove
        person('i', '1990-01-01', { movedAway: true }),
        person('j', 'unknown'),
      ],
      E,
    )
    expect(updates.map((u) => [u.key, u.change])).toEqual([
      ['a', 'add_turned_18'],
      ['c', 'add_turned_18'],
      ['d', 'remove_deceased'],
      ['e', 'remove_moved'],
      ['f', 'remove_deceased'],
    ])
    expect(updates[1]!.reason).toContain('2008-02-29 出生')
  })

  it('with the previous round, proposes only those who turned 18 since', () => {
    const since = '2021-03-01'
    const updates = roundUpdates([person('new', '2003-03-02'), person('adult', '2003-03-01'), person('old', '1970-01-01')], E, { since })
    expect(updates.map((u) => u.key)).toEqual(['new'])
    expect(updates[0]!.reason).toContain('2021-03-02 年满18周岁')
  })

  const people = fc.array(
    fc.record({ key: fc.uuid(), birthDate: day, deceased: fc.boolean(), movedAway: fc.boolean(), onRoll: fc.boolean() }),
    { maxLength: 30 },
  )

  it('proposes each change exactly where its condition holds', () => {
    fc.assert(
      fc.property(people, day, (ps, electionDay) => {
        const updates = roundUpdates(ps, electionDay)
        const byKey = new Map(updates.map((u) => [u.key, u.change]))
        expect(byKey.size).toBe(updates.length)
        for (const p of ps) {
          const expected = p.onRoll
            ? p.deceased
              ? 'remove_deceased'
              : p.movedAway
                ? 'remove_moved'
                : undefined
            : !p.deceased && !p.movedAway && ageOn(p.birthDate, electionDay) >= 18
              ? 'add_turned_18'
              : undefined
          expect(byKey.get(p.key)).toBe(expected)
        }
      }),
    )
  })
})
