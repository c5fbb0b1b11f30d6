import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { summarize, type Holding } from '../../../rules/composition/index.ts'
import * as repo from './repo.ts'
import { toFigures } from './compute.ts'
import { zipEntry } from '../../../../test/helpers/zip.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let reviewer: Session
let auditor: Session
let unitA: string
let unitB: string
let seq = 600

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}

async function person(unit: string, name: string, birth: string, female: boolean, education: string, party = true, by = organiser) {
  // The registry reads birth date and gender from the ID number.
  const p = json<{ id: string }>(
    await by.post('/api/people', { name, idNumber: idNumberFor(seq++, { birth, female }), ethnicity: '01', education, politicalStatus: party ? '01' : '13', partyJoinedOn: party ? '2010-07-01' : null, unitCode: unit }),
    201,
  )
  return p.id
}

async function hold(unit: string, personId: string, body: 'party' | 'committee', post: string, since = '2021-03-01') {
  json(await organiser.post('/api/posts', { unitCode: unit, personId, body, post, since }), 201)
}

/** A Party committee or secretary election counted from totals, confirmed blind by the admin and announced. */
async function announced(unit: string, body: 'party_committee' | 'party_secretary', post: string, seats: number, personIds: string[], approvals: number[]) {
  const present = 9
  type E = { id: string; version: number; candidates: { id: string; personId: string }[] }
  let e = json<E>(
    await organiser.post('/api/elections', { unitCode: unit, body, heldOn: '2026-11-20', place: '会议室', entitled: 10, present, posts: [{ post, seats }] }),
    201,
  )
  if (body === 'party_secretary') e = json<E>(await organiser.patch(`/api/elections/${e.id}`, { version: e.version, approvalRef: '第1镇党委〔2026〕1号', approvedOn: '2026-11-22' }))
  e = json<E>(await organiser.put(`/api/elections/${e.id}/candidates`, { version: e.version, candidates: personIds.map((personId) => ({ post, personId })) }))
  // The ballot lists Party candidates in surname-stroke order: match the figures by person.
  const approve = (x: { personId: string }) => approvals[personIds.indexOf(x.personId)]!
  const candidates = Object.fromEntries(e.candidates.map((x) => [x.id, { approve: approve(x), disapprove: present - approve(x), abstain: 0 }]))
  const sheet = { printed: 10, issued: 9, returned: 9, spoiled: 0, unused: 1, stations: [], validBallots: 9, voidBallots: 0, candidates, writeIns: [] }
  type R = { id: string; version: number }
  let r = json<R>(await organiser.post(`/api/elections/${e.id}/results`, { mode: 'totals' }), 201)
  r = json<R>(await organiser.put(`/api/tally-results/${r.id}/sheet`, { version: r.version, sheet }))
  r = json<R>(await organiser.post(`/api/tally-results/${r.id}/submit`, { version: r.version }))
  r = json<R>(await admin.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'double', sheet }))
  json(await organiser.post(`/api/tally-results/${r.id}/announce`, { version: r.version }))
}

let ids: Record<string, string> = {}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  unitA = c.units[0][1]!
  unitB = c.units[0][2]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'st_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'st_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'st_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [unitA], username: 'st_cadre' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.get('县公安局'), username: 'st_police' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'st_auditor' })
  admin = await t.login('st_admin')
  organiser = await t.login('st_org')
  otherTownship = await t.login('st_org2')
  cadre = await t.login('st_cadre')
  reviewer = await t.login('st_police')
  auditor = await t.login('st_auditor')

  json(await admin.post('/api/campaigns', { year: 2026, name: '2026年村（社区）“两委”换届', startsOn: '2026-09-01' }))
  // Unit A's incumbents since 2021: 甲 secretary and chair, 乙 (woman) and 丙 on the Party committee, 丁 on the committee.
  ids = {
    甲: await person(unitA, '甲一', '1965-05-05', false, '61'),
    乙: await person(unitA, '乙二', '1980-08-08', true, '31'),
    丙: await person(unitA, '丙三', '1972-02-02', false, '71'),
    丁: await person(unitA, '丁四', '1985-10-10', false, '41', false),
    戊: await person(unitA, '戊五', '1995-02-28', true, '21'),
    己: await person(unitA, '己六', '1970-06-06', false, '21'),
  }
  await hold(unitA, ids.甲!, 'party', 'secretary')
  await hold(unitA, ids.乙!, 'party', 'member')
  await hold(unitA, ids.丙!, 'party', 'member')
  await hold(unitA, ids.甲!, 'committee', 'chair')
  await hold(unitA, ids.丁!, 'committee', 'member')
  // 2026, 9 present, threshold floor(9/2)+1 = 5: 甲 8, 乙 7, 戊 6 elected; 己 3 not.
  await announced(unitA, 'party_committee', 'member', 3, [ids.甲!, ids.乙!, ids.戊!, ids.己!], [8, 7, 6, 3])
  await announced(unitA, 'party_secretary', 'secretary', 1, [ids.甲!], [9])
})
afterAll(() => t.close())

type Stats = {
  progress: { total: number; finished: number; inProgress: number; notStarted: number; byKind: { kind: string; total: number; finished: number }[] }
  elected: { members: number; women: number; heads: number; womenHeads: number; under35: number; college: number; partyMembers: number; ageSum: number; averageAge: number | null }
  incumbent: { members: number; women: number }
  cross: { oneShoulder: number; unitsWithBothHeads: number; both: number; people: number }
  incumbentCross: { oneShoulder: number; unitsWithBothHeads: number; both: number; people: number }
  children: { code: string; status: string | null; elected: { members: number } }[]
}

describe('campaigns', () => {
  it('refuses overlapping windows and a second campaign for a year, with the reason in Chinese', async () => {
    const overlap = await admin.post('/api/campaigns', { year: 2027, name: '重叠', startsOn: '2026-12-01' })
    expect(overlap.statusCode).toBe(422)
    expect(overlap.json().message).toContain('重叠')
    const list = json<{ items: { year: number; current: boolean }[] }>(await organiser.get('/api/campaigns'))
    expect(list.items.map((x) => x.year)).toEqual([2026])
    expect((await organiser.post('/api/campaigns', { year: 2031, name: 'x', startsOn: '2031-01-01' })).statusCode).toBe(403)
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('county_code', '=', c.countyCode).where('action', '=', 'campaign.create').execute()
    expect(audit).toHaveLength(1)
  })
})

describe('statistics', () => {
  it('counts the township as rule 18 defines, with progress and the incumbent teams beside it', async () => {
    const s = json<Stats>(await organiser.get(`/api/stats?region=${c.townships[0]}&body=party_committee`))
    expect(s.progress).toMatchObject({ total: 3, finished: 1, inProgress: 0, notStarted: 2 })
    // 甲 (secretary, 61), 乙 (woman, 31 专科), 戊 (woman, 31 on 2026-11-20, 21 本科): the secretary counts as a member.
    expect(s.elected).toMatchObject({ members: 3, women: 2, heads: 1, womenHeads: 0, under35: 1, college: 2, partyMembers: 3 })
    expect(s.elected.ageSum).toBe(61 + 46 + 31)
    expect(s.elected.averageAge).toBe(46)
    // The 2021 team in office on 2026-09-01: 甲, 乙, 丙.
    expect(s.incumbent).toMatchObject({ members: 3, women: 1 })
    // 甲 is secretary (2026) and chair (the committee still in office): 一肩挑; 甲 sits on both.
    expect(s.cross).toMatchObject({ oneShoulder: 1, unitsWithBothHeads: 1, both: 1, people: 4 })
    // Before the round: 甲 secretary and chair, on both committees with 乙, 丙 (Party) and 丁 (committee).
    expect(s.incumbentCross).toMatchObject({ oneShoulder: 1, unitsWithBothHeads: 1, both: 1, people: 4 })
    expect(s.children.find((x) => x.code === unitA)).toMatchObject({ status: 'finished', elected: { members: 3 } })
  })

  it('rolls a county up by township', async () => {
    const s = json<Stats>(await admin.get('/api/stats'))
    expect(s.children.map((x) => x.code)).toEqual(c.townships)
    expect(s.elected.members).toBe(3)
    const villagers = json<Stats>(await admin.get('/api/stats?body=villager_committee'))
    expect(villagers.progress.total).toBe(4)
    expect(villagers.progress.finished).toBe(0)
  })

  it('writes the paragraph in the seed report’s form', async () => {
    const p = json<{ text: string; targets: { rule: string; met: number; checked: number; missed: string[] }[] }>(await organiser.get(`/api/stats/paragraph?region=${c.townships[0]}`))
    expect(p.text).toMatch(/^截至\d{4}年\d{1,2}月\d{1,2}日，全镇2个村、1个社区中，已有1个村完成党组织换届工作，1个村、1个社区尚未开始。/)
    expect(p.text).toContain('已完成的村共产生党组织书记1人，委员3人，其中女性书记0人，女性委员2人，35周岁以下1人，大专及以上学历2人。')
    expect(p.targets.find((x) => x.rule === 'women')).toMatchObject({ met: 1, checked: 1, missed: [] })
    // One unit speaks for itself.
    const one = json<{ text: string }>(await organiser.get(`/api/stats/paragraph?region=${unitA}`))
    expect(one.text).toMatch(/^2026年11月20日，1镇201村完成了党组织换届工作。此次选举，产生党组织书记，委员3人，其中女性书记0人，女性委员2人/)
  })

  it('is the same count in SQL as in the engine, ages across birthdays and 29 February included', async () => {
    // Hand-entered holdings in the window count as elected, their age taken on `since`.
    const unit = c.units[1][1]!
    const births = ['1992-02-29', '1991-02-28', '1991-03-01', '1988-12-31', '1990-01-01', '1960-07-15', '1996-02-29', '1984-02-29']
    const sinces = ['2026-02-28', '2026-03-01', '2027-02-28', '2028-02-29', '2026-12-31', '2026-09-01']
    const educations = ['11', '21', '28', '31', '33', '41', '61', '71', '83', '90']
    let n = 0
    for (const [i, birth] of births.entries()) {
      const id = await person(unit, `样本${i}`, birth, i % 3 === 0, educations[i % educations.length]!, i % 2 === 0, admin)
      for (const [j, since] of sinces.entries()) {
        if (since < '2026-09-01') continue
        const body = j % 2 ? 'party' : 'committee'
        await t.db.insertInto('post_holding').values({ county_code: c.countyCode, unit_code: unit, person_id: id, body, post: n++ % 5 === 0 ? (body === 'party' ? 'secretary' : 'chair') : 'member', since, ended_on: j < 4 ? '2028-12-31' : null }).execute()
      }
    }
    const region = { countyCode: c.countyCode, prefix: unit }
    const rows = await t.db
      .selectFrom('post_holding as h')
      .innerJoin('person as p', (j) => j.onRef('p.county_code', '=', 'h.county_code').onRef('p.id', '=', 'h.person_id'))
      .select(['h.body', 'h.post', 'h.person_id', 'h.since', 'p.name', 'p.gender', 'p.birth_date', 'p.education', 'p.ethnicity', 'p.political_status'])
      .where('h.county_code', '=', c.countyCode)
      .where('h.unit_code', '=', unit)
      .execute()
    for (const body of ['party', 'committee'] as const) {
      const holdings: Holding[] = rows
        .filter((r) => r.body === body)
        .map((r) => ({ personId: r.person_id, name: r.name, gender: r.gender, birthDate: r.birth_date, education: r.education, ethnicity: r.ethnicity, partyMember: ['01', '02'].includes(r.political_status), body, post: r.post, referenceDate: r.since! }))
      for (const youth of [35, 40]) {
        const [sqlRow] = await repo.figures(t.db, region, await repo.windows(t.db, region, 2026), ['elected'], { body, kinds: ['village'] }, 'unit', youth)
        expect(toFigures(sqlRow)).toEqual(summarize(holdings, youth))
      }
    }
  })

  it('exports the 换届统计表 with a totals row and the summary as Word', async () => {
    const x = await organiser.get(`/api/stats/export.xlsx?region=${c.townships[0]}`)
    expect(x.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('换届统计表')!
    const values = (r: number) => (ws.getRow(r).values as unknown[]).slice(1)
    expect(values(3).slice(0, 6)).toEqual(['序号', '乡镇（苏木）', '村（社区）', '类型', '换届状态', '班子成员（人）'])
    const total = [...Array(ws.rowCount).keys()].map((i) => values(i + 1)).find((v) => v[0] === '合计')!
    expect(total[5]).toBe(3)
    const w = await organiser.get(`/api/stats/summary.docx?region=${c.townships[0]}`)
    expect(w.statusCode).toBe(200)
    expect(w.rawPayload.subarray(0, 2).toString()).toBe('PK')
    const xml = zipEntry(w.rawPayload, 'word/document.xml') ?? ''
    expect(xml).toContain('委员3人')
    expect(xml).toContain('各村（社区）结构指标完成情况')
  })

  it('lists the winners’ particulars on the 选举结果报告单', async () => {
    const e = json<{ items: { id: string; body: string }[] }>(await organiser.get(`/api/elections?unitCode=${unitA}&page=1&pageSize=20`)).items.find((x) => x.body === 'party_committee')!
    const d = json<{ results: { id: string }[] }>(await organiser.get(`/api/elections/${e.id}`))
    const docx = await organiser.get(`/api/tally-results/${d.results[0]!.id}/report.docx`)
    const xml = zipEntry(docx.rawPayload, 'word/document.xml') ?? ''
    expect(xml).toContain('当选人基本情况')
    // 甲一 61, 乙二 46 (woman, 专科), 戊五 31 (woman, 本科): two women, one under 35, two college.
    expect(xml).toContain('当选 3 人，其中女性 2 人，35周岁以下 1 人，大专及以上学历 2 人，中共党员 3 人。')
  })
})

describe('the timeline sees the elections', () => {
  it('counts an announced Party election as its milestone done on the election day', async () => {
    const tl = json<{ units: { code: string; partyOn: string | null; milestones: { key: string; status: string; doneOn: string | null; doneBy: string | null }[] }[] }>(await organiser.get('/api/timeline'))
    const a = tl.units.find((u) => u.code === unitA)!
    expect(a.partyOn).toBe('2026-11-20')
    expect(a.milestones.find((m) => m.key === 'party_election')).toMatchObject({ status: 'done', doneOn: '2026-11-20', doneBy: '系统（选举计票）' })
  })
})

describe('composition checks', () => {
  it('shows each unit × rule, naming the unit, the rule and the numbers', async () => {
    const m = json<{ units: { code: string; cells: { rule: string; level: string; message: string }[] }[]; summary: { rule: string; fail: number }[] }>(await organiser.get(`/api/stats/matrix?region=${c.townships[0]}&check=elected`))
    const a = m.units.find((u) => u.code === unitA)!
    const cell = (rule: string) => a.cells.find((x) => x.rule === rule)!
    expect(cell('women')).toMatchObject({ level: 'ok' })
    expect(cell('youth').message).toContain('35周岁以下')
    expect(cell('one_shoulder').level).toBe('ok')
    // The committee in office (甲, 丁) is 2 people: below 3 for a village.
    expect(cell('committee_size')).toMatchObject({ level: 'fail' })
    expect(cell('committee_size').message).toMatch(/2人，应为3至7人/)
    // Today's teams: 甲 61, 乙, 丙, 丁: nobody under 35.
    const today = json<typeof m>(await organiser.get(`/api/stats/matrix?region=${c.townships[0]}&check=incumbent`))
    expect(today.units.find((u) => u.code === unitA)!.cells.find((x) => x.rule === 'youth')!.level).toBe('ok')
  })

  it('warns before the vote when the slate cannot meet a target', async () => {
    // Unit B: a villagers' committee with three men for three seats → no woman can be elected.
    const e = json<{ id: string; version: number }>(
      await organiser.post('/api/elections', { unitCode: unitB, body: 'villager_committee', heldOn: '2026-12-20', place: '村委会', entitled: 500, posts: [{ post: 'director', seats: 1 }, { post: 'member', seats: 2 }] }),
      201,
    )
    json(await organiser.put(`/api/elections/${e.id}/candidates`, { version: e.version, candidates: ['赵甲', '钱乙', '孙丙', '李丁', '周戊'].map((name, i) => ({ post: i < 2 ? 'director' : 'member', name, gender: 'male' })) }))
    const m = json<{ units: { code: string; cells: { rule: string; level: string; message: string }[] }[] }>(await organiser.get(`/api/stats/matrix?region=${c.townships[0]}&check=slate`))
    const women = m.units.find((u) => u.code === unitB)!.cells.find((x) => x.rule === 'women')!
    expect(women.level).toBe('fail')
    expect(women.message).toContain('3个职数的5名人选中女性只有0人')
    // Typed by name only: their ages are unknown, so the under-35 target is a question, not a violation.
    const youth = m.units.find((u) => u.code === unitB)!.cells.find((x) => x.rule === 'youth')!
    expect(youth.level).toBe('warn')
    expect(youth.message).toContain('5名人选未关联人员库')
    const d = json<{ checks: { slate: { rule: string; level: string; basis: unknown[] }[] }; reserveCadres: unknown[] }>(await organiser.get(`/api/stats/units/${unitB}`))
    expect(d.checks.slate.find((f) => f.rule === 'women')).toMatchObject({ level: 'fail' })
    expect(d.checks.slate.every((f) => f.basis.length > 0)).toBe(true)
  })

  it('lets the county admin set the targets, audited, and refuses bad values in Chinese', async () => {
    const r = json<{ rules: { minYouth: number }; version: number }>(await admin.put('/api/composition-rules', { overrides: { minYouth: 2, newMemberMaxAge: 55 } }))
    expect(r.rules.minYouth).toBe(2)
    const row = await t.db.selectFrom('composition_rule_set').selectAll().where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()
    expect(row.params).toEqual({ minYouth: 2, newMemberMaxAge: 55 })
    const audit = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('action', '=', 'composition.rules').execute()
    expect(audit).toHaveLength(1)
    const bad = await admin.put('/api/composition-rules', { overrides: { partyCommitteeMin: 6 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toContain('不能大于')
    expect((await admin.put('/api/composition-rules', { overrides: { nonsense: 1 } })).json().message).toContain('没有名为')
    expect((await organiser.put('/api/composition-rules', { overrides: {} })).statusCode).toBe(403)
    // The stricter rule now applies: one under 35 is no longer enough.
    const m = json<{ units: { code: string; cells: { rule: string; level: string }[] }[] }>(await organiser.get(`/api/stats/matrix?region=${unitA}&check=elected`))
    expect(m.units[0]!.cells.find((x) => x.rule === 'youth')!.level).toBe('fail')
    json(await admin.put('/api/composition-rules', { overrides: {} }))
  })
})

describe('scope', () => {
  it('keeps every statistic inside the actor’s territory', async () => {
    expect((await otherTownship.get(`/api/stats?region=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/stats/units/${unitA}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/stats/matrix?region=${unitA}`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/stats?region=${unitA}`)).statusCode).toBe(200)
    expect((await cadre.get(`/api/stats?region=${unitB}`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/stats?region=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await reviewer.get('/api/stats')).statusCode).toBe(403)
    expect((await auditor.get(`/api/stats/paragraph?region=${c.townships[1]}`)).statusCode).toBe(200)
  })
})
