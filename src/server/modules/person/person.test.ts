import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let other: Session

// Valid numbers (check characters computed per GB 11643).
const ID_WOMAN = '11010519491231002X'

const person = (over: Record<string, unknown> = {}) => ({
  name: '阿不都•热合曼',
  idNumber: ' 110105 19491231 002x ',
  ethnicity: '05',
  education: '31',
  politicalStatus: '01',
  partyJoinedOn: '1975-07-01',
  phone: '13912345678',
  unitCode: c.units[0][1],
  ...over,
})

const lastAudit = () => t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).orderBy('seq', 'desc').executeTakeFirstOrThrow()

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'p_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'p_org2' })
  organiser = await t.login('p_org')
  other = await t.login('p_org2')
})
afterAll(() => t.close())

describe('people registry', () => {
  it('registers a person: name normalised, birth date and gender from the ID number, the number encrypted', async () => {
    const res = await organiser.post('/api/people', person())
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      name: '阿不都·热合曼',
      idNumber: '1101**********002X',
      birthDate: '1949-12-31',
      gender: '2',
      phone: '139****5678',
      unitName: expect.stringContaining('村') as unknown,
    })
    const row = await t.db.selectFrom('person').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(ID_WOMAN)
    expect(row.id_number_enc).toMatch(/^v1:/)
    const audit = await lastAudit()
    expect(audit.action).toBe('person.create')
    const text = JSON.stringify(audit)
    expect(text).not.toContain(ID_WOMAN)
    expect(text).not.toContain('13912345678')
  })

  it('refuses the same ID number twice in the county, whatever way it is typed', async () => {
    const res = await other.post('/api/people', person({ idNumber: ID_WOMAN.toLowerCase(), unitCode: c.units[1][1] }))
    expect(res.statusCode).toBe(409)
    expect(res.json().message).toBe('该身份证号已登记（在其他乡镇），同一人只能登记一次')
    expect(res.body).not.toContain(ID_WOMAN)
  })

  it('explains each bad field in Chinese and saves nothing', async () => {
    const before = (await t.db.selectFrom('person').select('id').execute()).length
    const res = await organiser.post('/api/people', person({ idNumber: '110101199003071234', ethnicity: '77', partyJoinedOn: '1940-01-01', politicalStatus: '13' }))
    expect(res.statusCode).toBe(400)
    const fields = res.json().details.map((d: { field: string }) => d.field)
    expect(fields).toEqual(['身份证号', '民族', '入党时间'])
    expect(res.json().message).toBe('身份证号校验位不正确，请核对每一位数字')
    const young = await organiser.post('/api/people', person({ idNumber: '110101201001010015', partyJoinedOn: null }))
    expect(young.json().message).toContain('未满 18 周岁')
    expect((await t.db.selectFrom('person').select('id').execute()).length).toBe(before)
  })

  it('reveals a full number only to a writer in scope, and audits every reveal', async () => {
    const id = (await organiser.get('/api/people')).json().items[0].id
    const res = await organiser.post(`/api/people/${id}/reveal-id-number`)
    expect(res.statusCode).toBe(200)
    expect(res.json().idNumber).toBe(ID_WOMAN)
    expect(res.headers['cache-control']).toBe('no-store')
    const audit = await lastAudit()
    expect(audit).toMatchObject({ action: 'person.id_number.reveal', object_id: id })
    expect(JSON.stringify(audit)).not.toContain(ID_WOMAN)
    expect((await other.post(`/api/people/${id}/reveal-id-number`)).statusCode).toBe(404)
    await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'p_leader' })
    const leader = await t.login('p_leader')
    expect((await leader.get(`/api/people/${id}`)).statusCode).toBe(200)
    expect((await leader.post(`/api/people/${id}/reveal-id-number`)).statusCode).toBe(403)
  })

  it('finds a person by ID number sent in the body, only within scope', async () => {
    const found = await organiser.post('/api/people/search', { idNumber: ID_WOMAN })
    expect(found.json().person.name).toBe('阿不都·热合曼')
    expect((await other.post('/api/people/search', { idNumber: ID_WOMAN })).json().person).toBeNull()
    const bad = await organiser.post('/api/people/search', { idNumber: '123' })
    expect(bad.statusCode).toBe(400)
  })

  it('edits with the version; the ID number cannot be changed', async () => {
    const cur = (await organiser.get('/api/people')).json().items[0]
    const res = await organiser.patch(`/api/people/${cur.id}`, { version: cur.version, education: '21', reserveCadre: true })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ education: '21', reserveCadre: true, version: cur.version + 1 })
    expect((await lastAudit()).digest).toMatchObject({ before: { education: '31' }, after: { education: '21' } })
    expect((await organiser.patch(`/api/people/${cur.id}`, { version: cur.version, education: '11' })).statusCode).toBe(409)
    expect((await organiser.patch(`/api/people/${cur.id}`, { version: cur.version + 1, idNumber: ID_WOMAN })).statusCode).toBe(400)
  })

  it('keeps people out of sight of other townships, unassigned cadres and reviewers', async () => {
    expect((await other.get('/api/people')).json().total).toBe(0)
    await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], username: 'p_cadre', unitCodes: [c.units[0][2]!] })
    const cadre = await t.login('p_cadre')
    expect((await cadre.get('/api/people')).json().total).toBe(0)
    await t.make.user({ role: 'reviewer', territoryCode: c.county, username: 'p_police', departmentId: c.departments.get('县公安局') })
    const police = await t.login('p_police')
    expect((await police.get('/api/people')).statusCode).toBe(403)
  })

  it('serves the national code lists', async () => {
    const res = await organiser.get('/api/dictionaries?type=ethnicity')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toHaveLength(58)
    expect(res.json()[1]).toMatchObject({ code: '02', label: '蒙古族', typeLabel: '民族（GB 3304）' })
  })

  it('deletes a mistaken registration with its version, audited', async () => {
    const res = await organiser.post('/api/people', person({ name: '误录', idNumber: '150999198001010017', partyJoinedOn: null, politicalStatus: '13' }))
    expect(res.statusCode, res.body).toBe(201)
    const created = res.json()
    expect((await organiser.del(`/api/people/${created.id}?version=9`)).statusCode).toBe(409)
    expect((await other.del(`/api/people/${created.id}?version=1`)).statusCode).toBe(404)
    expect((await organiser.del(`/api/people/${created.id}?version=1`)).statusCode).toBe(200)
    expect(await t.db.selectFrom('person').select('id').where('id', '=', created.id).executeTakeFirst()).toBeUndefined()
    expect((await lastAudit()).action).toBe('person.delete')
  })
})
