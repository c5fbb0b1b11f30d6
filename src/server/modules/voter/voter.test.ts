import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { checkCharOf } from '../../../rules/id-number/index.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { verifyChain } from '../audit/service.ts'
import { nameInitials } from './service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let auditor: Session
let reviewer: Session
/** u1: the cadre's unit; u2: same township, not the cadre's; u3: a unit of the other township. */
let u1: string
let u2: string
let u3: string
let unitName: (code: string) => Promise<string>

/** The election day of u1's roll; the campaign runs from 2026-01-01 with no end. */
const E = '2027-01-20'
let seq = 0
const newId = (birth = '1980-05-05', female = false) => idNumberFor(++seq, { birth, female })

type Voter = { id: string; unitCode: string; unitName: string; name: string; idNumber: string; gender: string; birthDate: string; age: number | null; villageGroup: string; category: string; status: string; removedReason: string | null; version: number }
type Roll = { unitCode: string; status: string; electionDay: string; voters: number; version: number }
type Page = { items: Voter[]; total: number; roll: Roll | null }
type Lookup = { result: string; message: string; voters: { name: string; idNumber: string; unitName: string; townshipName: string; villageGroup: string; category: string }[] }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const voter = (over: Record<string, unknown> = {}) => ({ unitCode: u1, name: '张三', idNumber: newId(), villageGroup: '第一组', category: 'resident', ...over })
const audits = async (action: string, objectId?: string) => {
  let q = t.db.selectFrom('audit_log').select(['digest', 'object_id']).where('county_code', '=', c.countyCode).where('action', '=', action as never)
  if (objectId) q = q.where('object_id', '=', objectId)
  return q.orderBy('seq').execute()
}
const voterRow = (id: string) => t.db.selectFrom('voter').selectAll().where('county_code', '=', c.countyCode).where('id', '=', id).executeTakeFirstOrThrow()
const voterCount = async () => Number((await t.db.selectFrom('voter').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const setRoll = (unit: string, patch: { status: 'draft' | 'published' | 'frozen'; published_on?: string | null; frozen_at?: Date | null }) =>
  t.db
    .updateTable('voter_roll')
    .set({ published_on: null, frozen_at: null, ...patch })
    .where('county_code', '=', c.countyCode)
    .where('unit_code', '=', unit)
    .execute()

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'vt_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'vt_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'vt_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'vt_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'vt_leader' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'vt_auditor' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.values().next().value, username: 'vt_reviewer' })
  admin = await t.login('vt_admin')
  organiser = await t.login('vt_org')
  otherTownship = await t.login('vt_org2')
  cadre = await t.login('vt_cadre')
  leader = await t.login('vt_leader')
  auditor = await t.login('vt_auditor')
  reviewer = await t.login('vt_reviewer')
  json(await admin.post('/api/campaigns', { year: 2026, name: '2026年换届', startsOn: '2026-01-01' }))
  const names = new Map((await t.db.selectFrom('territory').select(['code', 'name']).where('county_code', '=', c.countyCode).execute()).map((r) => [r.code, r.name]))
  unitName = async (code) => names.get(code)!
})
afterAll(() => t.close())

describe('the roll and its election day', () => {
  it('refuses a voter before the unit has an election day (422, field electionDay), writing nothing', async () => {
    const res = await organiser.post('/api/voters', voter())
    expect(res.statusCode).toBe(422)
    expect(res.json().details[0].field).toBe('electionDay')
    expect(res.json().message).toContain('选举日')
    expect(await voterCount()).toBe(0)
  })

  it('lets the township set it (version 0 creates the roll), audited; the cadre and leader 403, the other township 404', async () => {
    expect((await cadre.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: 0 })).statusCode).toBe(403)
    expect((await leader.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: 0 })).statusCode).toBe(403)
    // Scope is checked before the body: a broken body still answers 404.
    expect((await otherTownship.put(`/api/voters/rolls/${u1}`, { electionDay: 'x' })).statusCode).toBe(404)
    expect((await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: '2025-12-31', version: 0 })).statusCode).toBe(422)
    expect((await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: '2027-02-30', version: 0 })).statusCode).toBe(400)
    const roll = json<Roll>(await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: '2027-01-25', version: 0 }))
    expect(roll).toMatchObject({ unitCode: u1, status: 'draft', electionDay: '2027-01-25', voters: 0, version: 1 })
    const stale = await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: 0 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect(json<Roll>(await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: 1 }))).toMatchObject({ electionDay: E, version: 2 })
    const row = await t.db.selectFrom('voter_roll').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', u1).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'draft', election_day: E, version: 2, published_on: null })
    const a = await audits('voter.roll.election_day')
    expect(a).toHaveLength(2)
    expect(JSON.stringify(a[1]!.digest)).toContain(E)
  })

  it("takes a new roll's day from the timeline's villagers' committee day when the first voter is added", async () => {
    const campaign = await t.db.selectFrom('campaign').select('id').where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()
    await t.db.insertInto('unit_schedule').values({ county_code: c.countyCode, campaign_id: campaign.id, unit_code: u2, party_on: null, committee_on: '2027-01-22', updated_by: 'test' }).execute()
    const v = json<Voter>(await organiser.post('/api/voters', voter({ unitCode: u2, name: '李四' })), 201)
    expect(v.unitCode).toBe(u2)
    const roll = await t.db.selectFrom('voter_roll').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', u2).executeTakeFirstOrThrow()
    expect(roll).toMatchObject({ election_day: '2027-01-22', status: 'draft', version: 1 })
    // The other township's unit gets its day from the county admin.
    json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: E, version: 0 }))
  })
})

describe('registering voters', () => {
  it('registers with birth date and gender from the ID number, stores the number only encrypted, masks it, audits the write', async () => {
    const idNumber = newId('1962-03-04', true)
    const v = json<Voter>(await organiser.post('/api/voters', voter({ name: '张三', idNumber, villageGroup: ' 第一组 ' })), 201)
    expect(v).toMatchObject({ unitCode: u1, unitName: await unitName(u1), name: '张三', gender: '2', birthDate: '1962-03-04', age: 64, villageGroup: '第一组', category: 'resident', status: 'active', version: 1 })
    expect(v.idNumber).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`)
    const row = await voterRow(v.id)
    expect(row).toMatchObject({ name_initials: 'zs', gender: '2', birth_date: '1962-03-04', deprived: false, status: 'active' })
    expect(row.id_number_enc).not.toContain(idNumber)
    expect(t.app.idCipher.decrypt(row.id_number_enc)).toBe(idNumber)
    expect(row.id_number_index.trim()).toBe(t.app.idCipher.blindIndex(idNumber))
    const [a] = await audits('voter.create', v.id)
    expect(JSON.stringify(a!.digest)).toContain(v.idNumber)
    expect(JSON.stringify(a!.digest)).not.toContain(idNumber)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('counts the age on the election day: 18 that day is in, one day short is refused (422 on the ID number) and nothing is written', async () => {
    const before = await voterCount()
    const young = await organiser.post('/api/voters', voter({ name: '王小', idNumber: newId('2009-01-21') }))
    expect(young.statusCode).toBe(422)
    expect(young.json().details[0].field).toBe('idNumber')
    expect(young.json().message).toContain('未满18周岁')
    expect(young.json().message).toContain('依据')
    expect(await voterCount()).toBe(before)
    const v = json<Voter>(await organiser.post('/api/voters', voter({ name: '王成', idNumber: newId('2009-01-20') })), 201)
    expect(v.age).toBe(18)
    // Born 29 February: 18 on 1 March of a common year.
    json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: '2026-02-28', version: 1 }))
    expect((await admin.post('/api/voters', voter({ unitCode: u3, name: '闰生', idNumber: newId('2008-02-29') }))).statusCode).toBe(422)
    json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: '2026-03-01', version: 2 }))
    json(await admin.post('/api/voters', voter({ unitCode: u3, name: '闰生', idNumber: newId('2008-02-29') })), 201)
    json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: E, version: 3 }))
  })

  it('checks the category rules, the deprived flag and the ID number, each naming its field', async () => {
    const before = await voterCount()
    const third = await organiser.post('/api/voters', voter({ name: '外来', category: 'non_hukou' }))
    expect(third.statusCode).toBe(422)
    expect(third.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['livingSince', 'meetingApprovedOn'])
    const short = await organiser.post('/api/voters', voter({ name: '外来', category: 'non_hukou', livingSince: '2026-01-21', meetingApprovedOn: '2026-12-01' }))
    expect(short.statusCode).toBe(422)
    expect(short.json().details[0].field).toBe('livingSince')
    const meeting = await organiser.post('/api/voters', voter({ name: '本地', meetingApprovedOn: '2026-12-01' }))
    expect(meeting.json().details[0].field).toBe('meetingApprovedOn')
    const deprived = await organiser.post('/api/voters', voter({ name: '刘某', deprived: true }))
    expect(deprived.statusCode).toBe(422)
    expect(deprived.json().details[0].field).toBe('deprived')
    const good = newId()
    const badId = await organiser.post('/api/voters', voter({ idNumber: good.slice(0, 17) + (good[17] === '0' ? '1' : '0') }))
    expect(badId.statusCode).toBe(400)
    expect(badId.json().details[0]).toMatchObject({ field: 'idNumber', message: '身份证号校验位不正确，请核对每一位数字' })
    const foreigner = '9' + '1010519800505001'
    expect((await organiser.post('/api/voters', voter({ idNumber: foreigner + checkCharOf(foreigner) }))).json().message).toContain('中国公民')
    const hk = '8' + '1000019800505001'
    const hkResident = await organiser.post('/api/voters', voter({ idNumber: hk + checkCharOf(hk) }))
    expect(hkResident.statusCode).toBe(422)
    expect(hkResident.json().details[0].field).toBe('category')
    expect((await organiser.post('/api/voters', voter({ name: '' }))).statusCode).toBe(400)
    expect((await organiser.post('/api/voters', voter({ category: 'tourist' }))).statusCode).toBe(400)
    expect((await organiser.post('/api/voters', { ...voter(), extra: 1 })).statusCode).toBe(400)
    expect(await voterCount()).toBe(before)
    const ok = json<Voter>(await organiser.post('/api/voters', voter({ name: '外来户', category: 'non_hukou', livingSince: '2026-01-20', meetingApprovedOn: '2026-12-01' })), 201)
    expect(ok.category).toBe('non_hukou')
  })

  it('keeps one person on one roll of the county per campaign, naming the unit (or only the township outside the actor’s territory)', async () => {
    const idNumber = newId('1975-07-07')
    const first = json<Voter>(await organiser.post('/api/voters', voter({ name: '赵迁', idNumber })), 201)
    const before = await voterCount()
    const again = await organiser.post('/api/voters', voter({ name: '赵迁', idNumber }))
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain(`该选民已在“${await unitName(u1)}”登记`)
    const moved = await organiser.post('/api/voters', voter({ unitCode: u2, name: '赵迁', idNumber }))
    expect(moved.statusCode).toBe(409)
    expect(moved.json().message).toContain(`该选民已在“${await unitName(u1)}”登记`)
    expect(moved.json().message).toContain('同一届次不能在两个村（社区）登记')
    // The county admin sees every unit; the other township learns only the township.
    expect((await admin.post('/api/voters', voter({ unitCode: u3, name: '赵迁', idNumber }))).json().message).toContain(`“${await unitName(u1)}”`)
    const far = await otherTownship.post('/api/voters', voter({ unitCode: u3, name: '赵迁', idNumber }))
    expect(far.statusCode).toBe(409)
    expect(far.json().message).toContain('该选民已在第1镇的村（社区）登记')
    expect(far.json().message).not.toContain(await unitName(u1))
    expect(await voterCount()).toBe(before)
    // Removed from the first roll, the person can be registered where they moved.
    json(await organiser.inject({ method: 'DELETE', url: `/api/voters/${first.id}`, payload: { version: 1, reason: '户籍迁出' } }))
    const there = json<Voter>(await otherTownship.post('/api/voters', voter({ unitCode: u3, name: '赵迁', idNumber })), 201)
    expect(there.unitCode).toBe(u3)
    // Behind the check, the database itself refuses a second active entry (two requests at once).
    const r = await voterRow(there.id)
    const copy = { ...r, id: undefined, created_at: undefined, updated_at: undefined, version: undefined, unit_code: u1 }
    await expect(t.db.insertInto('voter').values(copy).execute()).rejects.toThrow(/voter_person_uq/)
  })

  it('keeps writes in the actor’s reach: cadre only for the assigned unit, leader and auditor 403, reviewer 403', async () => {
    const before = await voterCount()
    expect((await cadre.post('/api/voters', voter({ unitCode: u2 }))).statusCode).toBe(404)
    expect((await otherTownship.post('/api/voters', voter({ unitCode: u1 }))).statusCode).toBe(404)
    expect((await leader.post('/api/voters', voter())).statusCode).toBe(403)
    expect((await auditor.post('/api/voters', voter())).statusCode).toBe(403)
    expect((await reviewer.post('/api/voters', voter())).statusCode).toBe(403)
    expect(await voterCount()).toBe(before)
    const v = json<Voter>(await cadre.post('/api/voters', voter({ name: '孙包村', villageGroup: '第二组' })), 201)
    expect(v.unitCode).toBe(u1)
  })

  it('answers a retried phone submission with the same Idempotency-Key once', async () => {
    const body = voter({ name: '钱重试', villageGroup: '第二组' })
    const headers = { 'idempotency-key': 'voter-retry-0001' }
    const first = json<Voter>(await cadre.inject({ method: 'POST', url: '/api/voters', payload: body, headers }), 201)
    const second = json<Voter>(await cadre.inject({ method: 'POST', url: '/api/voters', payload: body, headers }), 201)
    expect(second).toEqual(first)
    expect(await audits('voter.create', first.id)).toHaveLength(1)
  })
})

describe('searching the roll', () => {
  it('finds by pinyin initials, name prefix, group and category, masked, with the roll', async () => {
    const list = json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&q=zs`))
    expect(list.items.map((v) => v.name)).toEqual(['张三'])
    expect(list.items[0]!.idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/)
    expect(list.roll).toMatchObject({ unitCode: u1, electionDay: E, status: 'draft' })
    expect(json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&q=ZS`)).total).toBe(1)
    expect(json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&q=${encodeURIComponent('张')}`)).items.map((v) => v.name)).toEqual(['张三'])
    expect(json<Page>(await organiser.get(`/api/voters?q=${encodeURIComponent('王')}`)).items.map((v) => v.name)).toEqual(['王成'])
    const second = json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&group=${encodeURIComponent('第二组')}`))
    expect(second.items.map((v) => v.name).sort()).toEqual(['孙包村', '钱重试'])
    expect(json<Page>(await organiser.get(`/api/voters?category=non_hukou`)).items.map((v) => v.name)).toEqual(['外来户'])
    // A name whose initials differ from the common reading of its first character: 曾 as a surname is zeng.
    expect(nameInitials('曾小单')).toBe('zxd')
    expect(nameInitials('乌力吉·巴特尔')).toBe('wljbte')
    // A % typed by the user is a character, not a wildcard.
    expect(json<Page>(await organiser.get(`/api/voters?q=${encodeURIComponent('%')}`)).total).toBe(0)
  })

  it('lists within scope: the cadre only the assigned unit, the other township nothing of ours, the reviewer 403', async () => {
    const mine = json<Page>(await cadre.get('/api/voters'))
    expect(mine.total).toBeGreaterThan(0)
    expect(mine.items.every((v) => v.unitCode === u1)).toBe(true)
    expect((await cadre.get(`/api/voters?unitCode=${u2}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters?unitCode=${u1}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters?townshipCode=${c.townships[0]}`)).statusCode).toBe(404)
    expect(json<Page>(await otherTownship.get('/api/voters')).items.every((v) => v.unitCode.startsWith(c.townships[1].slice(0, 9)))).toBe(true)
    expect(json<Page>(await leader.get(`/api/voters?unitCode=${u2}`)).items.map((v) => v.name)).toEqual(['李四'])
    expect(json<Page>(await auditor.get('/api/voters')).total).toBeGreaterThan(mine.total)
    expect((await reviewer.get('/api/voters')).statusCode).toBe(403)
    const one = json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&q=zs`)).items[0]!
    expect(json<Voter>(await leader.get(`/api/voters/${one.id}`)).name).toBe('张三')
    expect((await otherTownship.get(`/api/voters/${one.id}`)).statusCode).toBe(404)
    expect((await reviewer.get(`/api/voters/${one.id}`)).statusCode).toBe(403)
  })
})

describe('editing and removing', () => {
  let v: Voter
  beforeAll(async () => {
    v = json<Voter>(await organiser.post('/api/voters', voter({ name: '周改', villageGroup: '第三组' })), 201)
  })

  it('edits with the version, audited; a stale version is 409 and changes nothing', async () => {
    const edited = json<Voter>(await organiser.put(`/api/voters/${v.id}`, { version: 1, name: '周改名', villageGroup: '第四组', category: 'away_opt_in', note: '在外务工' }))
    expect(edited).toMatchObject({ name: '周改名', villageGroup: '第四组', category: 'away_opt_in', version: 2 })
    expect(await voterRow(v.id)).toMatchObject({ name: '周改名', name_initials: 'zgm', note: '在外务工', version: 2 })
    const [a] = await audits('voter.update', v.id)
    expect(JSON.stringify(a!.digest)).toContain('away_opt_in')
    const stale = await organiser.put(`/api/voters/${v.id}`, { version: 1, name: '周旧', category: 'resident' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect(await voterRow(v.id)).toMatchObject({ name: '周改名', version: 2 })
  })

  it('answers another township 404 whatever the body, and leaves the row unchanged', async () => {
    expect((await otherTownship.put(`/api/voters/${v.id}`, { version: 2, name: '越权', category: 'resident' })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/voters/${v.id}`, { nonsense: true })).statusCode).toBe(404)
    expect((await otherTownship.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: 2, reason: '越权' } })).statusCode).toBe(404)
    expect((await cadre.put(`/api/voters/${v.id}`, { version: 2, name: '越权', category: 'resident' })).statusCode).toBe(200)
    expect((await leader.put(`/api/voters/${v.id}`, { version: 3, name: '越权', category: 'resident' })).statusCode).toBe(403)
    expect(await voterRow(v.id)).toMatchObject({ name: '越权', version: 3, status: 'active' })
    json(await organiser.put(`/api/voters/${v.id}`, { version: 3, name: '周改名', villageGroup: '第四组', category: 'away_opt_in' }))
  })

  it('removes with a reason (the row stays, status removed), audited; no reason is 400', async () => {
    expect((await organiser.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: 4, reason: '' } })).statusCode).toBe(400)
    expect((await organiser.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: 3, reason: '死亡' } })).statusCode).toBe(409)
    const gone = json<Voter>(await organiser.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: 4, reason: '死亡' } }))
    expect(gone).toMatchObject({ status: 'removed', removedReason: '死亡', version: 5 })
    expect(await voterRow(v.id)).toMatchObject({ status: 'removed', removed_reason: '死亡' })
    expect(await audits('voter.remove', v.id)).toHaveLength(1)
    expect(json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&q=zgm`)).total).toBe(0)
    expect(json<Page>(await organiser.get(`/api/voters?unitCode=${u1}&q=zgm&status=removed`)).items.map((x) => x.id)).toEqual([v.id])
    expect((await organiser.put(`/api/voters/${v.id}`, { version: 5, name: '复活', category: 'resident' })).statusCode).toBe(409)
  })
})

describe('after publication and once frozen', () => {
  let v: Voter
  beforeAll(async () => {
    v = json<Voter>(await organiser.post('/api/voters', voter({ name: '吴公示', villageGroup: '第一组' })), 201)
  })
  afterAll(() => setRoll(u1, { status: 'draft' }))

  it('still allows edits after publication, marking them in the audit log; keeps the day lawful for the published roll', async () => {
    await setRoll(u1, { status: 'published', published_on: addDays(E, -25) })
    json(await organiser.put(`/api/voters/${v.id}`, { version: 1, name: '吴公示', villageGroup: '第二组', category: 'resident' }))
    const [a] = await audits('voter.update', v.id)
    expect(JSON.stringify(a!.digest)).toContain('"roll_status":"published"')
    const roll = await t.db.selectFrom('voter_roll').select('version').where('county_code', '=', c.countyCode).where('unit_code', '=', u1).executeTakeFirstOrThrow()
    // Published 25 days before E: moving E 10 days earlier breaks the 20-day rule.
    const late = await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: addDays(E, -10), version: roll.version })
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toContain('20日前公布')
  })

  it('refuses every write once the roll is frozen, and changes nothing', async () => {
    await setRoll(u1, { status: 'frozen', published_on: addDays(E, -25), frozen_at: new Date() })
    const before = await voterRow(v.id)
    const count = await voterCount()
    for (const res of [
      await organiser.post('/api/voters', voter({ name: '迟到' })),
      await organiser.put(`/api/voters/${v.id}`, { version: 2, name: '改', category: 'resident' }),
      await organiser.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: 2, reason: '迁出' } }),
      await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: addDays(E, 1), version: (await t.db.selectFrom('voter_roll').select('version').where('county_code', '=', c.countyCode).where('unit_code', '=', u1).executeTakeFirstOrThrow()).version }),
    ]) {
      expect(res.statusCode, res.body).toBe(422)
      expect(res.json().message).toContain('冻结')
    }
    expect(await voterRow(v.id)).toEqual(before)
    expect(await voterCount()).toBe(count)
  })
})

describe('moving the election day', () => {
  it('refuses a day on which a registered voter would be under 18, naming them', async () => {
    const roll = await t.db.selectFrom('voter_roll').select('version').where('county_code', '=', c.countyCode).where('unit_code', '=', u1).executeTakeFirstOrThrow()
    const res = await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: addDays(E, -1), version: roll.version })
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain('王成（2009-01-20 出生）')
    const later = json<Roll>(await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: addDays(E, 1), version: roll.version }))
    expect(later.electionDay).toBe(addDays(E, 1))
    json(await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: later.version }))
  })
})

describe('am I registered (door-step lookup)', () => {
  let idNumber: string
  beforeAll(async () => {
    idNumber = newId('1990-09-09')
    json(await organiser.post('/api/voters', voter({ unitCode: u2, name: '郑门口', idNumber, villageGroup: '第五组' })), 201)
  })

  it('tells the unit, group and category inside the territory', async () => {
    const r = json<Lookup>(await organiser.post('/api/voters/lookup', { idNumber: idNumber.toLowerCase().replace(/(\d{6})/, '$1 ') }))
    expect(r.result).toBe('registered')
    expect(r.voters).toEqual([{ name: '郑门口', idNumber: expect.stringMatching(/^\d{4}\*{10}/) as unknown, unitCode: u2, unitName: await unitName(u2), townshipName: '第1镇', villageGroup: '第五组', category: 'resident' }])
    expect(json<Lookup>(await leader.post('/api/voters/lookup', { idNumber })).result).toBe('registered')
  })

  it('tells someone outside the territory only the township, and a name finds nothing outside it', async () => {
    const far = json<Lookup>(await otherTownship.post('/api/voters/lookup', { idNumber }))
    expect(far).toEqual({ result: 'elsewhere', message: expect.stringContaining('第1镇') as unknown, voters: [] })
    expect(far.message).not.toContain(await unitName(u2))
    expect(json<Lookup>(await cadre.post('/api/voters/lookup', { idNumber })).result).toBe('elsewhere')
    expect(json<Lookup>(await otherTownship.post('/api/voters/lookup', { name: '郑门口' })).result).toBe('none')
    const byName = json<Lookup>(await organiser.post('/api/voters/lookup', { name: '郑门口' }))
    expect(byName.voters.map((v) => v.villageGroup)).toEqual(['第五组'])
  })

  it('answers none for someone not registered, 400 for a bad number or nothing asked, 403 for the reviewer', async () => {
    expect(json<Lookup>(await organiser.post('/api/voters/lookup', { idNumber: newId('1991-01-01') })).result).toBe('none')
    expect((await organiser.post('/api/voters/lookup', { idNumber: '123' })).statusCode).toBe(400)
    expect((await organiser.post('/api/voters/lookup', {})).statusCode).toBe(400)
    expect((await reviewer.post('/api/voters/lookup', { idNumber })).statusCode).toBe(403)
  })
})

describe('summary by category and village group', () => {
  it('counts active voters per unit, group and category within scope', async () => {
    type Summary = { units: { code: string; total: number; byCategory: Record<string, number>; groups: { group: string; total: number }[]; roll: { electionDay: string } | null }[]; totals: { units: number; voters: number; byCategory: Record<string, number> } }
    const s = json<Summary>(await organiser.get(`/api/voters/summary?townshipCode=${c.townships[0]}`))
    expect(s.units.map((u) => u.code)).toEqual(c.units[0])
    const active = await t.db
      .selectFrom('voter')
      .select(['unit_code', 'village_group', 'category'])
      .where('county_code', '=', c.countyCode)
      .where('status', '=', 'active')
      .where('unit_code', 'in', c.units[0])
      .execute()
    const one = s.units.find((u) => u.code === u1)!
    expect(one.total).toBe(active.filter((r) => r.unit_code === u1).length)
    expect(one.byCategory.non_hukou).toBe(1)
    expect(one.groups.find((g) => g.group === '第二组')!.total).toBe(active.filter((r) => r.unit_code === u1 && r.village_group === '第二组').length)
    expect(one.roll!.electionDay).toBe(E)
    expect(s.totals.voters).toBe(active.length)
    expect(s.units.find((u) => u.code === c.units[0][0])).toMatchObject({ total: 0, roll: null })
    expect(json<Summary>(await cadre.get('/api/voters/summary')).units.map((u) => u.code)).toEqual([u1])
    expect(json<Summary>(await organiser.get(`/api/voters/summary?unitCode=${u2}`)).units.map((u) => u.code)).toEqual([u2])
    expect((await otherTownship.get(`/api/voters/summary?townshipCode=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await reviewer.get('/api/voters/summary')).statusCode).toBe(403)
    expect(json<Summary>(await admin.get('/api/voters/summary')).units).toHaveLength(6)
  })
})
