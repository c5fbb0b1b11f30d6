import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { visitCategories } from '../../../rules/situation/index.ts'
import { todayInChina } from '../person/service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let countyLeader: Session
let auditor: Session
let reviewer: Session
/** u1 is the cadre's unit; u2 is in the same township but not the cadre's. */
let u1: string
let u2: string
const today = todayInChina()
const PHONE = '13912345678'
const OPINION = '希望新班子多为群众办实事，修好村东头的路'
const PETITIONER = '邢大勇'

type Assessment = { id: string; unitCode: string; computedLevel: string; raisedLevel: string | null; level: string; reasons: string[]; version: number }
type Risk = { id: string; unitCode: string; status: string; overdue: boolean; resolution: string; resolvedOn: string | null; version: number }
type Visit = { id: string; unitCode: string; category: string; visitee: string; opinions: string | null; followUp: string | null; followUpDoneOn: string | null; hidden: boolean; version: number; phone?: string | null }
type Talk = { id: string; opinions: string | null; followUp: string | null; hidden: boolean; intention: string; version: number }
type Coverage = {
  opinionsVisible: boolean
  canAssess: boolean
  units: { code: string; counts: Record<string, number>; visits: number; missing: string[]; talks: number; level: string | null; openRisks: number; overdueRisks: number }[]
  totals: { units: number; visits: number; byCategory: Record<string, number>; complete: number; incomplete: number; talks: number; assessed: number; byLevel: Record<string, number>; openRisks: number; overdueRisks: number }
}

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const audits = async (action: string) => (await t.db.selectFrom('audit_log').select('digest').where('county_code', '=', c.countyCode).where('action', '=', action as never).execute()).length
const rows = async (table: 'visit' | 'cadre_talk' | 'risk_item' | 'unit_assessment') => (await t.db.selectFrom(table).select('id').where('county_code', '=', c.countyCode).execute()).length

const assessment = (over: Record<string, unknown> = {}) => ({
  development: 'good',
  developmentNote: '集体经济年收入20万元',
  stability: 'poor',
  stabilityNote: '两大家族因土地流转有矛盾',
  credibility: 'fair',
  credibilityNote: '',
  raisedLevel: null,
  raiseReason: '',
  measures: '包村领导每周驻村',
  version: 0,
  ...over,
})
const risk = (over: Record<string, unknown> = {}) => ({ unitCode: u1, category: 'clan', description: '两大家族争当村主任', owner: '张志强', deadline: addDays(today, 10), status: 'open', resolution: '', resolvedOn: null, ...over })
const visit = (over: Record<string, unknown> = {}) => ({ unitCode: u1, category: 'party_veteran', visitee: '王老汉', phone: PHONE, visitedOn: today, opinions: OPINION, followUpNeeded: false, followUp: '', ...over })
const talk = (over: Record<string, unknown> = {}) => ({ unitCode: u1, talkedOn: today, cadreName: '孙国华', cadrePost: '村党支部书记', talker: '李秀兰', intention: 'continue', opinions: '身体还行，愿意再干一届', followUp: '', ...over })

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'sq_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'sq_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'sq_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'sq_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], unitCodes: [u1, u2], username: 'sq_leader' })
  await t.make.user({ role: 'leader', territoryCode: c.county, username: 'sq_cty_leader' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'sq_auditor' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.values().next().value, username: 'sq_reviewer' })
  admin = await t.login('sq_admin')
  organiser = await t.login('sq_org')
  otherTownship = await t.login('sq_org2')
  cadre = await t.login('sq_cadre')
  leader = await t.login('sq_leader')
  countyLeader = await t.login('sq_cty_leader')
  auditor = await t.login('sq_auditor')
  reviewer = await t.login('sq_reviewer')
})
afterAll(() => t.close())

describe('before a campaign exists', () => {
  it('asks for one first (422), and keeps the reviewer out (403)', async () => {
    expect((await organiser.get('/api/situation/coverage')).statusCode).toBe(422)
    expect((await reviewer.get('/api/situation/coverage')).statusCode).toBe(403)
    json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: addDays(today, -60) }))
  })
})

describe('units to file for', () => {
  it('gives a contact cadre the assigned units, the township its own, the county all', async () => {
    type Units = { units: { code: string; townshipName: string }[]; today: string }
    expect(json<Units>(await cadre.get('/api/situation/units')).units.map((u) => u.code)).toEqual([u1])
    expect(json<Units>(await organiser.get('/api/situation/units')).units).toHaveLength(3)
    const all = json<Units>(await admin.get('/api/situation/units'))
    expect(all.units).toHaveLength(6)
    expect(all.units[0]!.townshipName).toBe('第1镇')
    expect(json<Units>(await admin.get(`/api/situation/units?township=${c.townships[1]}`)).units.map((u) => u.code)).toEqual(c.units[1])
    expect((await otherTownship.get(`/api/situation/units?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await reviewer.get('/api/situation/units')).statusCode).toBe(403)
  })
})

describe('unit assessments (村情研判)', () => {
  it('computes the risk level from the three ratings, one per unit and campaign, audited', async () => {
    const a = json<Assessment>(await organiser.put(`/api/situation/assessments/${u1}`, assessment()))
    expect(a).toMatchObject({ unitCode: u1, computedLevel: 'high', raisedLevel: null, level: 'high', reasons: ['稳定情况差'], version: 1 })
    const row = await t.db.selectFrom('unit_assessment').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', u1).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ stability: 'poor', computed_level: 'high', stability_note: '两大家族因土地流转有矛盾', assessed_on: today })
    expect(await audits('situation.assess')).toBe(1)
    // A second "new" assessment of the same unit is a conflict, not a second row.
    const again = await organiser.put(`/api/situation/assessments/${u1}`, assessment())
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('VERSION_CONFLICT')
    expect(await rows('unit_assessment')).toBe(1)
  })

  it('lets the township raise the level with a reason but never lower it; the history stays in the audit log', async () => {
    const lower = await organiser.put(`/api/situation/assessments/${u1}`, assessment({ raisedLevel: 'low', raiseReason: '已调解', version: 1 }))
    expect(lower.statusCode).toBe(422)
    expect(lower.json().message).toContain('只能调高')
    const noReason = await organiser.put(`/api/situation/assessments/${u1}`, assessment({ stability: 'good', credibility: 'good', raisedLevel: 'medium', version: 1 }))
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().details[0].field).toBe('raiseReason')
    const a = json<Assessment>(await organiser.put(`/api/situation/assessments/${u1}`, assessment({ stability: 'good', credibility: 'good', raisedLevel: 'medium', raiseReason: '有人串联拉票', version: 1 })))
    expect(a).toMatchObject({ computedLevel: 'low', raisedLevel: 'medium', level: 'medium', reasons: [], version: 2 })
    const stale = await organiser.put(`/api/situation/assessments/${u1}`, assessment({ version: 1 }))
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    const history = await t.db.selectFrom('audit_log').select('digest').where('county_code', '=', c.countyCode).where('action', '=', 'situation.assess' as never).orderBy('seq').execute()
    expect(history).toHaveLength(2)
    expect(JSON.stringify(history[1]!.digest)).toContain('"stability":"poor"')
    const list = json<{ items: Assessment[] }>(await leader.get('/api/situation/assessments'))
    expect(list.items.map((x) => [x.unitCode, x.level])).toEqual([[u1, 'medium']])
  })

  it('refuses bad input with the field named, and writes nothing', async () => {
    expect((await organiser.put(`/api/situation/assessments/${u2}`, assessment({ stability: 'bad' }))).statusCode).toBe(400)
    const future = await organiser.put(`/api/situation/assessments/${u2}`, assessment({ assessedOn: addDays(today, 1) }))
    expect(future.statusCode).toBe(400)
    expect(future.json().message).toContain('研判日期')
    expect((await organiser.put(`/api/situation/assessments/${u2}`, assessment({ version: 3 }))).statusCode).toBe(404)
    expect(await rows('unit_assessment')).toBe(1)
  })

  it('keeps writes to the township and county: cadre and leader 403, other township 404, reviewer 403', async () => {
    expect((await cadre.put(`/api/situation/assessments/${u1}`, assessment())).statusCode).toBe(403)
    expect((await leader.put(`/api/situation/assessments/${u2}`, assessment())).statusCode).toBe(403)
    expect((await otherTownship.put(`/api/situation/assessments/${u2}`, assessment())).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/situation/assessments?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await reviewer.get('/api/situation/assessments')).statusCode).toBe(403)
    // The county admin assesses too (any township of the county).
    expect(json<Assessment>(await admin.put(`/api/situation/assessments/${u2}`, assessment({ stability: 'fair' }))).level).toBe('medium')
  })
})

describe('risk items (风险隐患)', () => {
  let late: Risk
  it('records items with owner and deadline, and flags an open one past its deadline', async () => {
    late = json<Risk>(await organiser.post('/api/situation/risk-items', risk({ category: 'petition', description: '老上访户扬言选举日闹事', deadline: addDays(today, -2) })))
    expect(late).toMatchObject({ status: 'open', overdue: true, version: 1 })
    json<Risk>(await organiser.post('/api/situation/risk-items', risk()))
    const settled = json<Risk>(await admin.post('/api/situation/risk-items', risk({ unitCode: u2, category: 'disunity', status: 'resolved', resolution: '镇党委书记约谈两人，已和解', resolvedOn: today })))
    expect(settled).toMatchObject({ status: 'resolved', overdue: false, resolvedOn: today })
    expect(await audits('situation.risk.create')).toBe(3)
    const overdue = json<{ items: Risk[] }>(await leader.get('/api/situation/risk-items?overdue=true'))
    expect(overdue.items.map((r) => r.id)).toEqual([late.id])
    expect(json<{ items: Risk[] }>(await organiser.get('/api/situation/risk-items?status=resolved')).items).toHaveLength(1)
    // The cadre reads only the assigned unit's items.
    expect(json<{ items: Risk[] }>(await cadre.get('/api/situation/risk-items')).items.every((r) => r.unitCode === u1)).toBe(true)
    expect(json<{ items: Risk[] }>(await cadre.get('/api/situation/risk-items')).items).toHaveLength(2)
    expect((await cadre.get(`/api/situation/risk-items?unit=${u2}`)).statusCode).toBe(404)
  })

  it('refuses incomplete items with the field named', async () => {
    const before = await rows('risk_item')
    const unresolved = await organiser.post('/api/situation/risk-items', risk({ status: 'resolved', resolvedOn: today }))
    expect(unresolved.statusCode).toBe(400)
    expect(unresolved.json().details[0].field).toBe('resolution')
    expect((await organiser.post('/api/situation/risk-items', risk({ status: 'resolved', resolution: '已化解', resolvedOn: null }))).json().details[0].field).toBe('resolvedOn')
    expect((await organiser.post('/api/situation/risk-items', risk({ owner: '   ' }))).json().message).toContain('责任人')
    expect((await organiser.post('/api/situation/risk-items', risk({ deadline: '2026-02-30' }))).json().message).toContain('化解时限')
    expect((await organiser.post('/api/situation/risk-items', risk({ category: 'gossip' }))).statusCode).toBe(400)
    expect(await rows('risk_item')).toBe(before)
  })

  it('resolves an item with its version, and keeps others out', async () => {
    const done = json<Risk>(await organiser.put(`/api/situation/risk-items/${late.id}`, { ...risk({ category: 'petition', description: '老上访户扬言选举日闹事', deadline: addDays(today, -2) }), status: 'resolved', resolution: '信访办上门答复，签订息访承诺', resolvedOn: today, unitCode: undefined, version: 1 }))
    expect(done).toMatchObject({ status: 'resolved', overdue: false, version: 2 })
    const stale = await organiser.put(`/api/situation/risk-items/${late.id}`, { ...risk(), unitCode: undefined, version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect((await otherTownship.put(`/api/situation/risk-items/${late.id}`, { ...risk(), unitCode: undefined, version: 2 })).statusCode).toBe(404)
    expect((await leader.del(`/api/situation/risk-items/${late.id}`)).statusCode).toBe(403)
    expect((await cadre.post('/api/situation/risk-items', risk())).statusCode).toBe(403)
    expect((await otherTownship.del(`/api/situation/risk-items/${late.id}`)).statusCode).toBe(404)
    const gone = json<Risk>(await organiser.post('/api/situation/risk-items', risk({ description: '登记重复' })))
    json(await organiser.del(`/api/situation/risk-items/${gone.id}`))
    expect(await t.db.selectFrom('risk_item').select('id').where('county_code', '=', c.countyCode).where('id', '=', gone.id).executeTakeFirst()).toBeUndefined()
    expect(await audits('situation.risk.delete')).toBe(1)
  })
})

describe('visits (四必访) and privacy', () => {
  let filed: Visit
  it('lets a contact cadre file a visit for an assigned unit and see what was just filed', async () => {
    filed = json<Visit>(await cadre.post('/api/situation/visits', visit({ followUpNeeded: true, followUp: '协调交通局看路' })))
    expect(filed).toMatchObject({ unitCode: u1, opinions: OPINION, phone: PHONE, followUp: '协调交通局看路', hidden: false, version: 1 })
    const row = await t.db.selectFrom('visit').selectAll().where('county_code', '=', c.countyCode).where('id', '=', filed.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ visitee: '王老汉', phone: PHONE, opinions: OPINION, follow_up_needed: true, visited_on: today })
    expect(await audits('situation.visit.create')).toBe(1)
    expect((await cadre.post('/api/situation/visits', visit({ unitCode: u2 }))).statusCode).toBe(404)
    expect((await leader.post('/api/situation/visits', visit())).statusCode).toBe(403)
    expect((await auditor.post('/api/situation/visits', visit())).statusCode).toBe(403)
    expect((await reviewer.post('/api/situation/visits', visit())).statusCode).toBe(403)
    expect((await otherTownship.post('/api/situation/visits', visit())).statusCode).toBe(404)
  })

  it('answers a retried submission with the same visit and records it once (Idempotency-Key)', async () => {
    const before = await rows('visit')
    const send = () => cadre.inject({ method: 'POST', url: '/api/situation/visits', payload: visit({ category: 'petitioner', visitee: PETITIONER, phone: null }), headers: { 'idempotency-key': 'visit-retry-0001' } })
    const first = json<Visit>(await send())
    const second = json<Visit>(await send())
    expect(second).toEqual(first)
    expect(await rows('visit')).toBe(before + 1)
    expect(await audits('situation.visit.create')).toBe(2)
    // The talk route's key space is its own: the same key there is refused, not answered with the visit.
    expect((await cadre.inject({ method: 'POST', url: '/api/situation/talks', payload: talk(), headers: { 'idempotency-key': 'visit-retry-0001' } })).statusCode).toBe(422)
  })

  it('refuses bad visits with the field named, and writes nothing', async () => {
    const before = await rows('visit')
    const cases: [Record<string, unknown>, string][] = [
      [{ visitedOn: addDays(today, 1) }, 'visitedOn'],
      [{ visitedOn: addDays(today, -61) }, 'visitedOn'],
      [{ visitedOn: '2026-13-01' }, 'visitedOn'],
      [{ opinions: '  ' }, 'opinions'],
      [{ followUpNeeded: true, followUp: '' }, 'followUp'],
      [{ visitee: '王<b>' }, 'visitee'],
    ]
    for (const [over, field] of cases) {
      const res = await cadre.post('/api/situation/visits', visit(over))
      expect(res.statusCode, JSON.stringify(over)).toBe(400)
      expect(res.json().details?.[0]?.field, JSON.stringify(over)).toBe(field)
    }
    expect((await cadre.post('/api/situation/visits', visit({ phone: '12345' }))).statusCode).toBe(400)
    expect((await cadre.post('/api/situation/visits', visit({ category: 'neighbour' }))).statusCode).toBe(400)
    expect(await rows('visit')).toBe(before)
  })

  it('shows opinions to the township and the auditor only, and a phone in no list at all', async () => {
    json<Visit>(await organiser.post('/api/situation/visits', visit({ unitCode: u2, category: 'hardship', visitee: '赵大娘', phone: '13700001111' })))
    const q = `/api/situation/visits?township=${c.townships[0]}`
    for (const s of [organiser, leader, auditor]) {
      const res = await s.get(q)
      const page = json<{ opinionsVisible: boolean; items: Visit[]; total: number }>(res)
      expect(page.opinionsVisible).toBe(true)
      expect(page.total).toBe(3)
      expect(page.items.every((v) => !v.hidden && v.opinions === OPINION)).toBe(true)
      expect(page.items.map((v) => v.visitee)).toContain(PETITIONER)
    }
    for (const s of [admin, countyLeader, cadre]) {
      const res = await s.get(q)
      const page = json<{ opinionsVisible: boolean; items: Visit[] }>(res)
      expect(page.opinionsVisible).toBe(false)
      expect(page.items.length).toBeGreaterThan(0)
      expect(page.items.every((v) => v.hidden && v.opinions === null && v.followUp === null)).toBe(true)
      expect(res.body).not.toContain(OPINION)
      expect(res.body).not.toContain('协调交通局看路')
      // A petitioner's name is masked for them.
      expect(res.body).not.toContain(PETITIONER)
      expect(page.items.find((v) => v.category === 'petitioner')!.visitee).toBe('邢**')
    }
    // No list carries a phone number, for anyone.
    for (const s of [organiser, leader, auditor, admin, countyLeader, cadre]) {
      const res = await s.get(q)
      expect(res.body).not.toContain(PHONE)
      expect(res.body).not.toContain('13700001111')
      expect(res.body).not.toContain('"phone"')
    }
    // The cadre sees only the assigned unit's visits.
    expect(json<{ items: Visit[] }>(await cadre.get(q)).items.every((v) => v.unitCode === u1)).toBe(true)
    expect(json<{ total: number }>(await organiser.get(`${q}&category=hardship`)).total).toBe(1)
    expect(json<{ total: number }>(await organiser.get(`${q}&followUp=open`)).total).toBe(1)
    expect(json<{ items: Visit[]; total: number }>(await organiser.get(`${q}&page=1&pageSize=1`)).items).toHaveLength(1)
  })

  it('shows the phone only in the single record, to those who may read it', async () => {
    const whole = json<Visit>(await organiser.get(`/api/situation/visits/${filed.id}`))
    expect(whole).toMatchObject({ phone: PHONE, opinions: OPINION, hidden: false })
    expect(json<Visit>(await auditor.get(`/api/situation/visits/${filed.id}`)).phone).toBe(PHONE)
    for (const s of [admin, cadre]) {
      const res = await s.get(`/api/situation/visits/${filed.id}`)
      expect(json<Visit>(res)).toMatchObject({ phone: null, opinions: null, hidden: true })
      expect(res.body).not.toContain(PHONE)
    }
    expect((await otherTownship.get(`/api/situation/visits/${filed.id}`)).statusCode).toBe(404)
    expect((await reviewer.get(`/api/situation/visits/${filed.id}`)).statusCode).toBe(403)
  })

  it('lets only the township organiser correct a visit or close its follow-up, with its version', async () => {
    const patch = (over: Record<string, unknown> = {}) => ({ ...visit({ followUpNeeded: true, followUp: '协调交通局看路' }), unitCode: undefined, followUpDoneOn: today, followUpResult: '交通局已列入明年计划', version: 1, ...over })
    expect((await admin.put(`/api/situation/visits/${filed.id}`, patch())).statusCode).toBe(403)
    expect((await cadre.put(`/api/situation/visits/${filed.id}`, patch())).statusCode).toBe(403)
    expect((await otherTownship.put(`/api/situation/visits/${filed.id}`, patch())).statusCode).toBe(404)
    expect((await organiser.put(`/api/situation/visits/${filed.id}`, patch({ followUpNeeded: false, followUp: '' }))).json().details[0].field).toBe('followUpDoneOn')
    expect((await organiser.put(`/api/situation/visits/${filed.id}`, patch({ followUpResult: '' }))).json().details[0].field).toBe('followUpResult')
    const v = json<Visit>(await organiser.put(`/api/situation/visits/${filed.id}`, patch()))
    expect(v).toMatchObject({ followUpDoneOn: today, version: 2 })
    const stale = await organiser.put(`/api/situation/visits/${filed.id}`, patch())
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect(await audits('situation.visit.update')).toBe(1)
    expect(json<{ total: number }>(await organiser.get(`/api/situation/visits?followUp=done`)).total).toBe(1)
  })

  it('lets only the township organiser remove a visit filed by mistake', async () => {
    const wrong = json<Visit>(await cadre.post('/api/situation/visits', visit({ visitee: '重复登记' })))
    expect((await cadre.del(`/api/situation/visits/${wrong.id}`)).statusCode).toBe(403)
    expect((await otherTownship.del(`/api/situation/visits/${wrong.id}`)).statusCode).toBe(404)
    json(await organiser.del(`/api/situation/visits/${wrong.id}`))
    expect((await organiser.get(`/api/situation/visits/${wrong.id}`)).statusCode).toBe(404)
    expect(await audits('situation.visit.delete')).toBe(1)
  })
})

describe('heart-to-heart talks (谈心谈话)', () => {
  let filed: Talk
  it('files a talk with a cadre, links a person only of that unit, and hides the opinions from the county', async () => {
    const person = await t.db
      .insertInto('person')
      .values({ county_code: c.countyCode, name: '孙国华', id_number_enc: 'x', id_number_index: `idx-${u1}`, id_number_masked: '1501**********0011', birth_date: '1970-01-01', gender: '1', ethnicity: '01', education: '21', political_status: '01', party_joined_on: null, phone: null, unit_code: u1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const elsewhere = await cadre.post('/api/situation/talks', talk({ personId: '999999' }))
    expect(elsewhere.statusCode).toBe(400)
    expect(elsewhere.json().details[0].field).toBe('personId')
    filed = json<Talk>(await cadre.post('/api/situation/talks', talk({ personId: person.id })))
    expect(filed).toMatchObject({ opinions: '身体还行，愿意再干一届', hidden: false, intention: 'continue' })
    expect(await audits('situation.talk.create')).toBe(1)
    json<Talk>(await organiser.post('/api/situation/talks', talk({ unitCode: u2, cadreName: '周丽娟', intention: 'withdraw', opinions: '家里老人需要照顾' })))
    expect((await organiser.post('/api/situation/talks', talk({ talker: ' ' }))).json().details[0].field).toBe('talker')
    expect((await organiser.post('/api/situation/talks', talk({ intention: 'maybe' }))).statusCode).toBe(400)
    expect((await leader.post('/api/situation/talks', talk())).statusCode).toBe(403)
    expect((await cadre.post('/api/situation/talks', talk({ unitCode: u2 }))).statusCode).toBe(404)

    const mine = json<{ opinionsVisible: boolean; items: Talk[] }>(await organiser.get('/api/situation/talks'))
    expect(mine.opinionsVisible).toBe(true)
    expect(mine.items.map((x) => x.opinions).sort()).toEqual(['家里老人需要照顾', '身体还行，愿意再干一届'])
    expect(json<{ items: Talk[] }>(await auditor.get(`/api/situation/talks?township=${c.townships[0]}`)).items.every((x) => x.opinions !== null)).toBe(true)
    for (const s of [admin, cadre, countyLeader]) {
      const res = await s.get(`/api/situation/talks?township=${c.townships[0]}`)
      expect(json<{ items: Talk[] }>(res).items.every((x) => x.hidden && x.opinions === null && x.followUp === null)).toBe(true)
      expect(res.body).not.toContain('愿意再干一届')
      expect(res.body).not.toContain('家里老人需要照顾')
    }
    expect(json<{ items: Talk[] }>(await cadre.get('/api/situation/talks')).items).toHaveLength(1)
    expect(json<{ items: Talk[] }>(await organiser.get('/api/situation/talks?intention=withdraw')).items).toHaveLength(1)
    expect((await reviewer.get('/api/situation/talks')).statusCode).toBe(403)
  })

  it('records a retried talk once, and lets only the organiser edit or remove it', async () => {
    const before = await rows('cadre_talk')
    const send = () => organiser.inject({ method: 'POST', url: '/api/situation/talks', payload: talk({ cadreName: '吴振东' }), headers: { 'idempotency-key': 'talk-retry-0001' } })
    expect(json<Talk>(await send())).toEqual(json<Talk>(await send()))
    expect(await rows('cadre_talk')).toBe(before + 1)
    const patch = { ...talk({ intention: 'undecided', followUp: '一周后再谈' }), unitCode: undefined, version: 1 }
    expect((await admin.put(`/api/situation/talks/${filed.id}`, patch)).statusCode).toBe(403)
    expect((await otherTownship.put(`/api/situation/talks/${filed.id}`, patch)).statusCode).toBe(404)
    expect(json<Talk>(await organiser.put(`/api/situation/talks/${filed.id}`, patch))).toMatchObject({ intention: 'undecided', followUp: '一周后再谈', version: 2 })
    expect((await organiser.put(`/api/situation/talks/${filed.id}`, patch)).json().code).toBe('VERSION_CONFLICT')
    expect((await cadre.del(`/api/situation/talks/${filed.id}`)).statusCode).toBe(403)
    json(await organiser.del(`/api/situation/talks/${filed.id}`))
    expect(await rows('cadre_talk')).toBe(before)
    expect(await audits('situation.talk.delete')).toBe(1)
  })
})

describe('coverage (走访覆盖)', () => {
  it('adds up exactly the rows behind it: visits per unit and category, talks, levels and risks', async () => {
    const cov = json<Coverage>(await organiser.get('/api/situation/coverage'))
    expect(cov).toMatchObject({ opinionsVisible: true, canAssess: true })
    const visits = await t.db.selectFrom('visit').select(['unit_code', 'category']).where('county_code', '=', c.countyCode).execute()
    const talks = await t.db.selectFrom('cadre_talk').select('unit_code').where('county_code', '=', c.countyCode).execute()
    const risks = await t.db.selectFrom('risk_item').select(['unit_code', 'status', 'deadline']).where('county_code', '=', c.countyCode).execute()
    expect(cov.units.map((u) => u.code)).toEqual(c.units[0])
    for (const u of cov.units) {
      for (const k of visitCategories) expect(u.counts[k], `${u.code} ${k}`).toBe(visits.filter((v) => v.unit_code === u.code && v.category === k).length)
      expect(u.visits).toBe(visits.filter((v) => v.unit_code === u.code).length)
      expect(u.missing).toEqual(visitCategories.filter((k) => !u.counts[k]))
      expect(u.talks).toBe(talks.filter((x) => x.unit_code === u.code).length)
      expect(u.openRisks).toBe(risks.filter((r) => r.unit_code === u.code && r.status === 'open').length)
      expect(u.overdueRisks).toBe(risks.filter((r) => r.unit_code === u.code && r.status === 'open' && r.deadline < today).length)
    }
    expect(cov.units.map((u) => u.level)).toEqual([null, 'medium', 'medium'])
    expect(cov.totals).toMatchObject({ units: 3, visits: visits.length, talks: talks.length, assessed: 2, byLevel: { low: 0, medium: 2, high: 0 }, complete: 0, incomplete: 3 })
    expect(cov.totals.byCategory).toEqual(Object.fromEntries(visitCategories.map((k) => [k, visits.filter((v) => v.category === k).length])))
    // u1 has 老党员 and 信访户, so 村民代表 and 困难群众 are missing (red).
    expect(cov.units.find((u) => u.code === u1)!.missing).toEqual(['villager', 'hardship'])
  })

  it('limits a contact cadre to the assigned unit and other townships to theirs', async () => {
    const mine = json<Coverage>(await cadre.get('/api/situation/coverage'))
    expect(mine.units.map((u) => u.code)).toEqual([u1])
    expect(mine).toMatchObject({ opinionsVisible: false, canAssess: false })
    expect((await otherTownship.get(`/api/situation/coverage?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect(json<Coverage>(await otherTownship.get('/api/situation/coverage')).totals.visits).toBe(0)
    expect(json<Coverage>(await admin.get(`/api/situation/coverage?township=${c.townships[0]}`)).opinionsVisible).toBe(false)
  })

  it('exports the same numbers as xlsx, zero cells in red, with no personal text', async () => {
    const res = await admin.get(`/api/situation/coverage.xlsx?township=${c.townships[0]}`)
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getCell(1, 1).text).toBe('第1镇三情研判及走访覆盖情况表')
    expect((ws.getRow(3).values as unknown[]).slice(1, 7)).toEqual(['序号', '村（社区）', '老党员', '村民（群众）代表', '困难群众', '信访户'])
    const cov = json<Coverage>(await admin.get(`/api/situation/coverage?township=${c.townships[0]}`))
    const u = cov.units.find((x) => x.code === u1)!
    const row = ws.getRow(5)
    expect(row.getCell(2).text).toBe('1镇201村')
    expect(visitCategories.map((_, j) => row.getCell(3 + j).value)).toEqual(visitCategories.map((k) => u.counts[k]))
    expect((row.getCell(4).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFDE2E2')
    expect(row.getCell(3).fill?.type).toBeUndefined()
    expect(row.getCell(8).text).toBe('村民（群众）代表、困难群众')
    expect(ws.getRow(ws.rowCount).getCell(1).text).toBe('合计')
    expect(ws.getRow(ws.rowCount).getCell(7).value).toBe(cov.totals.visits)
    const all = JSON.stringify(ws.getSheetValues())
    expect(all).not.toContain(OPINION)
    expect(all).not.toContain(PHONE)
    expect((await reviewer.get('/api/situation/coverage.xlsx')).statusCode).toBe(403)
  })
})
