import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { verifyChain } from '../audit/service.ts'
import { todayInChina } from '../person/service.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let admin: Session
/** u1: the cadre's village, published ten days ago; u2: published seven days ago; u3: the other township's. */
let u1: string
let u2: string
let u3: string

const T = todayInChina()
const d = (n: number) => addDays(T, n)
let seq = 0

type Objection = {
  id: string
  unitCode: string
  voterId: string | null
  subjectName: string
  villageGroup: string | null
  voterStatus: string | null
  receivedOn: string
  decisionDue: string
  upheld: boolean | null
  decision: string | null
  decidedOn: string | null
  decisionPublishedOn: string | null
  overdue: boolean
  version: number
}
type List = { items: Objection[]; total: number; overdue: number }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const objectionRow = (id: string) => t.db.selectFrom('voter_objection').selectAll().where('county_code', '=', c.countyCode).where('id', '=', id).executeTakeFirstOrThrow()
const objectionCount = async () => Number((await t.db.selectFrom('voter_objection').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const audits = (action: string, objectId?: string) => {
  let q = t.db.selectFrom('audit_log').select(['digest', 'object_id']).where('county_code', '=', c.countyCode).where('action', '=', action as never)
  if (objectId) q = q.where('object_id', '=', objectId)
  return q.orderBy('seq').execute()
}
const rollVersion = async (unit: string) => (await t.db.selectFrom('voter_roll').select('version').where('county_code', '=', c.countyCode).where('unit_code', '=', unit).executeTakeFirstOrThrow()).version

async function register(session: Session, unit: string, name: string, group = '第一组') {
  return json<{ id: string; version: number }>(await session.post('/api/voters', { unitCode: unit, name, idNumber: idNumberFor(++seq, { birth: '1966-06-06' }), villageGroup: group, category: 'resident' }), 201)
}
const objection = (over: Record<string, unknown>) => ({ unitCode: u1, objectorName: '李某', content: '此人已迁出本村，不应列入名单', receivedOn: d(-5), ...over })

let zhang: { id: string }
let onZhang: Objection
let missing: Objection

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'ob_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'ob_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'ob_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'ob_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'ob_leader' })
  admin = await t.login('ob_admin')
  organiser = await t.login('ob_org')
  otherTownship = await t.login('ob_org2')
  cadre = await t.login('ob_cadre')
  leader = await t.login('ob_leader')
  json(await admin.post('/api/campaigns', { year: Number(T.slice(0, 4)), name: '本届', startsOn: d(-400) }))
  // u1 votes in ten days (published on E − 20 = ten days ago), u2 in thirteen (published seven days ago).
  json(await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: d(10), version: 0 }))
  json(await organiser.put(`/api/voters/rolls/${u2}`, { electionDay: d(13), version: 0 }))
  json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: d(10), version: 0 }))
  zhang = await register(organiser, u1, '张三')
  await register(organiser, u1, '李四', '第二组')
  await register(organiser, u2, '赵六')
  await register(admin, u3, '吴十')
})
afterAll(() => t.close())

describe('receiving objections', () => {
  it('refuses an objection to a roll not yet published, writing nothing', async () => {
    const res = await organiser.post('/api/voters/objections', objection({ voterId: zhang.id }))
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain('尚未公布')
    expect(await objectionCount()).toBe(0)
    json(await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: d(-10), version: 1 }))
    json(await organiser.post(`/api/voters/rolls/${u2}/publish`, { publishedOn: d(-7), version: 1 }))
    json(await admin.post(`/api/voters/rolls/${u3}/publish`, { publishedOn: d(-10), version: 1 }))
  })

  it('receives from publication to publication + 5, refusing the day before, the sixth day and a day after today with the rule', async () => {
    const early = await organiser.post('/api/voters/objections', objection({ voterId: zhang.id, receivedOn: d(-11) }))
    expect(early.statusCode).toBe(422)
    expect(early.json().details[0].field).toBe('receivedOn')
    expect(early.json().message).toContain('早于名单公布日期')
    const late = await organiser.post('/api/voters/objections', objection({ voterId: zhang.id, receivedOn: d(-4) }))
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toContain(`最迟 ${d(-5)}`)
    expect(late.json().message).toContain('依据')
    expect((await organiser.post('/api/voters/objections', objection({ voterId: zhang.id, receivedOn: d(1) }))).json().message).toContain('晚于今天')
    expect(await objectionCount()).toBe(0)
    onZhang = json<Objection>(await cadre.post('/api/voters/objections', objection({ voterId: zhang.id, subjectName: '别人' })), 201)
    expect(onZhang).toMatchObject({ unitCode: u1, voterId: zhang.id, subjectName: '张三', villageGroup: '第一组', voterStatus: 'active', receivedOn: d(-5), decisionDue: d(-2), upheld: null, overdue: true, version: 1 })
    missing = json<Objection>(await organiser.post('/api/voters/objections', objection({ subjectName: ' 王漏 ', content: '王漏户籍在本村，年满十八周岁，名单遗漏', receivedOn: d(-10) })), 201)
    expect(missing).toMatchObject({ voterId: null, subjectName: '王漏', villageGroup: null, decisionDue: d(-7) })
    const [a] = await audits('voter.objection.create', onZhang.id)
    expect(JSON.stringify(a!.digest)).toContain('已迁出')
  })

  it('asks for the person objected to, and refuses a voter of another roll (400), writing nothing', async () => {
    const before = await objectionCount()
    const zhao = await t.db.selectFrom('voter').select('id').where('county_code', '=', c.countyCode).where('name', '=', '赵六').executeTakeFirstOrThrow()
    const other = await organiser.post('/api/voters/objections', objection({ voterId: zhao.id }))
    expect(other.statusCode).toBe(400)
    expect(other.json().details[0].field).toBe('voterId')
    const nobody = await organiser.post('/api/voters/objections', objection({ subjectName: '  ' }))
    expect(nobody.statusCode).toBe(400)
    expect(nobody.json().details[0].field).toBe('subjectName')
    expect((await organiser.post('/api/voters/objections', objection({ subjectName: '某', objectorName: '' }))).statusCode).toBe(400)
    expect((await organiser.post('/api/voters/objections', { ...objection({ subjectName: '某' }), upheld: true })).statusCode).toBe(400)
    expect(await objectionCount()).toBe(before)
  })

  it('keeps to the territory: the cadre only the assigned unit, another township 404, the leader 403', async () => {
    const before = await objectionCount()
    expect((await cadre.post('/api/voters/objections', objection({ unitCode: u2, subjectName: '某', receivedOn: d(-2) }))).statusCode).toBe(404)
    expect((await otherTownship.post('/api/voters/objections', objection({ subjectName: '某' }))).statusCode).toBe(404)
    expect((await leader.post('/api/voters/objections', objection({ subjectName: '某' }))).statusCode).toBe(403)
    expect(await objectionCount()).toBe(before)
  })

  it('records a retried submission with the same Idempotency-Key once', async () => {
    const before = await objectionCount()
    const send = () => organiser.inject({ method: 'POST', url: '/api/voters/objections', headers: { 'idempotency-key': 'ob-key-1' }, payload: objection({ unitCode: u2, subjectName: '钱漏', receivedOn: d(-2) }) })
    const first = json<Objection>(await send(), 201)
    const again = json<Objection>(await send(), 201)
    expect(again.id).toBe(first.id)
    expect(await objectionCount()).toBe(before + 1)
  })
})

describe('listing', () => {
  it('lists by unit or township within scope, flagging undecided objections past their 3 days', async () => {
    const one = json<List>(await organiser.get(`/api/voters/objections?unitCode=${u1}`))
    expect(one.items.map((o) => o.subjectName)).toEqual(['张三', '王漏'])
    expect(one.overdue).toBe(2)
    const town = json<List>(await leader.get(`/api/voters/objections?townshipCode=${c.townships[0]}`))
    expect(town.total).toBe(3)
    expect(town.items.find((o) => o.subjectName === '钱漏')).toMatchObject({ decisionDue: d(1), overdue: false })
    expect(town.overdue).toBe(2)
    const mine = json<List>(await cadre.get('/api/voters/objections'))
    expect(mine.items.every((o) => o.unitCode === u1)).toBe(true)
    expect(mine.total).toBe(2)
    expect((await cadre.get(`/api/voters/objections?unitCode=${u2}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/objections?unitCode=${u1}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/objections?townshipCode=${c.townships[0]}`)).statusCode).toBe(404)
    expect(json<List>(await otherTownship.get('/api/voters/objections')).total).toBe(0)
  })
})

describe('deciding', () => {
  it('answers another township 404 whatever the body, and leaves the objection unchanged', async () => {
    const before = await objectionRow(onZhang.id)
    expect((await otherTownship.put(`/api/voters/objections/${onZhang.id}/decision`, { upheld: 'x' })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/voters/objections/${onZhang.id}/decision`, { upheld: true, decision: '成立', decidedOn: d(-2), version: 1 })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/voters/objections/${onZhang.id}/published`, { decisionPublishedOn: d(-2), version: 1 })).statusCode).toBe(404)
    const theirs = json<Objection>(await admin.post('/api/voters/objections', objection({ unitCode: u3, subjectName: '某', receivedOn: d(-6) })), 201)
    expect((await organiser.put(`/api/voters/objections/${theirs.id}/decision`, { upheld: false, decision: '不成立', decidedOn: d(-4), version: 1 })).statusCode).toBe(404)
    expect(await objectionRow(theirs.id)).toMatchObject({ decided_on: null, version: 1 })
    expect(await objectionRow(onZhang.id)).toEqual(before)
  })

  it('decides within 3 days of receipt: receipt + 3 is accepted, + 4 refused with the rule, before receipt or after today refused', async () => {
    const put = (body: Record<string, unknown>) => organiser.put(`/api/voters/objections/${onZhang.id}/decision`, { upheld: true, decision: '申诉成立：张三已于去年迁出，移出名单', version: 1, ...body })
    const late = await put({ decidedOn: d(-1) })
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toContain(`最迟 ${d(-2)}`)
    expect(late.json().details[0].field).toBe('decidedOn')
    expect((await put({ decidedOn: d(-6) })).json().message).toContain('早于收到申诉日期')
    expect((await put({ decidedOn: d(1) })).json().message).toContain('晚于今天')
    expect((await put({ decidedOn: d(-2), upheld: false, removeVoter: true })).statusCode).toBe(400)
    const stale = await put({ decidedOn: d(-2), version: 7 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect(await objectionRow(onZhang.id)).toMatchObject({ decided_on: null, upheld: null, version: 1 })
    expect((await t.db.selectFrom('voter').select('status').where('id', '=', zhang.id).executeTakeFirstOrThrow()).status).toBe('active')
  })

  it('takes the voter off the roll with the decision when asked, in one transaction, both audited', async () => {
    const o = json<Objection>(await organiser.put(`/api/voters/objections/${onZhang.id}/decision`, { upheld: true, decision: '申诉成立：张三已于去年迁出，移出名单', decidedOn: d(-2), removeVoter: true, version: 1 }))
    expect(o).toMatchObject({ upheld: true, decidedOn: d(-2), overdue: false, voterStatus: 'removed', version: 2 })
    const v = await t.db.selectFrom('voter').selectAll().where('id', '=', zhang.id).executeTakeFirstOrThrow()
    expect(v.status).toBe('removed')
    expect(v.removed_reason).toContain('申诉成立')
    expect(v.removed_reason).toContain(d(-5))
    const [removal] = await audits('voter.remove', zhang.id)
    expect(JSON.stringify(removal!.digest)).toContain(`"objection_id":"${onZhang.id}"`)
    const [decided] = await audits('voter.objection.decide', onZhang.id)
    expect(JSON.stringify(decided!.digest)).toContain(`"removed_voter_id":"${zhang.id}"`)
    const again = await organiser.put(`/api/voters/objections/${onZhang.id}/decision`, { upheld: false, decision: '改为不成立', decidedOn: d(-2), version: 2 })
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('不能更改')
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('cannot remove anyone for an objection about a person missing from the roll; the township registers them instead', async () => {
    // The cadre decides for the assigned unit.
    json(await cadre.put(`/api/voters/objections/${missing.id}/decision`, { upheld: true, decision: '成立，补登', decidedOn: d(-8), version: 1 }))
    expect(await objectionRow(missing.id)).toMatchObject({ upheld: true, decided_on: d(-8), version: 2 })
    const other = json<Objection>(await organiser.post('/api/voters/objections', objection({ subjectName: '孙漏', receivedOn: d(-6) })), 201)
    const res = await organiser.put(`/api/voters/objections/${other.id}/decision`, { upheld: true, decision: '成立', decidedOn: d(-4), removeVoter: true, version: 1 })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('removeVoter')
    json(await organiser.put(`/api/voters/objections/${other.id}/decision`, { upheld: true, decision: '成立，补登', decidedOn: d(-4), version: 1 }))
    await register(organiser, u1, '孙漏')
  })
})

describe('publishing the decision', () => {
  it('is refused before the decision, before its day and after receipt + 3; corrected with the version', async () => {
    const open = json<List>(await organiser.get(`/api/voters/objections?unitCode=${u2}`)).items[0]!
    const undecided = await organiser.put(`/api/voters/objections/${open.id}/published`, { decisionPublishedOn: T, version: open.version })
    expect(undecided.statusCode).toBe(409)
    expect(undecided.json().message).toContain('请先作出处理决定')
    const put = (day: string, version = 2) => organiser.put(`/api/voters/objections/${onZhang.id}/published`, { decisionPublishedOn: day, version })
    expect((await put(d(-3))).json().message).toContain('早于处理决定日期')
    const late = await put(d(-1))
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toContain(`最迟 ${d(-2)}`)
    expect((await put(d(1))).statusCode).toBe(422)
    expect(json<Objection>(await put(d(-2)))).toMatchObject({ decisionPublishedOn: d(-2), version: 3 })
    expect((await put(d(-2), 2)).statusCode).toBe(409)
    expect(await objectionRow(onZhang.id)).toMatchObject({ decision_published_on: d(-2), version: 3 })
    expect(await audits('voter.objection.publish', onZhang.id)).toHaveLength(1)
  })
})

describe('objections and freezing', () => {
  it('keeps the roll open while an objection awaits its decision within 3 days; an overdue one does not hold it', async () => {
    const state = json<{ freezeBlocked: string | null; undecidedObjections: number }>(await organiser.get(`/api/voters/rolls/${u2}`))
    expect(state.undecidedObjections).toBe(1)
    expect(state.freezeBlocked).toContain('尚未作出处理决定')
    const refused = await organiser.post(`/api/voters/rolls/${u2}/freeze`, { version: await rollVersion(u2) })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().message).toContain('“钱漏”')
    const open = json<List>(await organiser.get(`/api/voters/objections?unitCode=${u2}`)).items[0]!
    json(await organiser.put(`/api/voters/objections/${open.id}/decision`, { upheld: false, decision: '经核实，钱漏户籍不在本村，申诉不成立', decidedOn: T, version: open.version }))
    expect(json<{ status: string }>(await organiser.post(`/api/voters/rolls/${u2}/freeze`, { version: await rollVersion(u2) })).status).toBe('frozen')
    // A frozen roll takes no new objection, but the decision's publication can still be recorded.
    expect((await organiser.post('/api/voters/objections', objection({ unitCode: u2, subjectName: '某', receivedOn: d(-2) }))).statusCode).toBe(422)
    expect(json<Objection>(await organiser.put(`/api/voters/objections/${open.id}/published`, { decisionPublishedOn: T, version: open.version + 1 })).decisionPublishedOn).toBe(T)

    // u1: an objection received six days ago and never decided is overdue and no longer holds the roll.
    const stuck = json<Objection>(await organiser.post('/api/voters/objections', objection({ subjectName: '周漏', receivedOn: d(-6) })), 201)
    expect(stuck.overdue).toBe(true)
    const s1 = json<{ freezeBlocked: string | null; overdueObjections: number }>(await organiser.get(`/api/voters/rolls/${u1}`))
    expect(s1).toMatchObject({ freezeBlocked: null, overdueObjections: 1 })
    json(await organiser.post(`/api/voters/rolls/${u1}/freeze`, { version: await rollVersion(u1) }))
    // Too late to decide now: the 3 days are over, and the roll is frozen besides.
    expect((await organiser.put(`/api/voters/objections/${stuck.id}/decision`, { upheld: false, decision: '不成立', decidedOn: T, version: 1 })).statusCode).toBe(422)
    expect(json<List>(await organiser.get(`/api/voters/objections?unitCode=${u1}`)).items.find((o) => o.id === stuck.id)).toMatchObject({ overdue: true, decidedOn: null })
  })
})
