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
let admin: Session
let organiser: Session
let cadre: Session
/** u1: a village with a published roll and polling places; u2: a village whose roll is still a draft; uc: a community without a roll; u3: the other township's village. */
let u1: string
let u2: string
let uc: string
let u3: string

const T = todayInChina()
const E = addDays(T, 10)
let seq = 0

type Election = { id: string; entitled: number; heldOn: string; stations: { kind: string; kindLabel: string; name: string }[]; version: number }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const rollRow = (unit: string) => t.db.selectFrom('voter_roll').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', unit).executeTakeFirstOrThrow()
const electionCount = async () => Number((await t.db.selectFrom('election').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const committee = (over: Record<string, unknown> = {}) => ({ unitCode: u1, body: 'villager_committee', heldOn: E, place: '村委会', posts: [{ post: 'director', seats: 1 }, { post: 'member', seats: 2 }], ...over })

async function register(session: Session, unit: string, name: string) {
  return json<{ id: string; version: number }>(await session.post('/api/voters', { unitCode: unit, name, idNumber: idNumberFor(++seq, { birth: '1960-01-01' }), villageGroup: '第一组', category: 'resident' }), 201)
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  uc = c.units[0][0]!
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'ef_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'ef_org' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'ef_cadre' })
  admin = await t.login('ef_admin')
  organiser = await t.login('ef_org')
  cadre = await t.login('ef_cadre')
  json(await admin.post('/api/campaigns', { year: Number(T.slice(0, 4)), name: '本届', startsOn: addDays(T, -400) }))
  json(await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: 0 }))
  for (const name of ['张三', '李四', '王五']) await register(organiser, u1, name)
  const removed = await register(organiser, u1, '赵六')
  // A removed voter does not count.
  json(await organiser.inject({ method: 'DELETE', url: `/api/voters/${removed.id}`, payload: { version: removed.version, reason: '死亡' } }))
  json(await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: 1 }))
  const campaign = await t.db.selectFrom('campaign').select('id').where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()
  // The places and boxes the voter pages keep (stations.ts); written directly, as that module's routes are not needed here.
  await t.db
    .insertInto('polling_station')
    .values([
      { county_code: c.countyCode, campaign_id: campaign.id, unit_code: u1, kind: 'mobile', name: '流动票箱一', monitors: 3 },
      { county_code: c.countyCode, campaign_id: campaign.id, unit_code: u1, kind: 'station', name: '二组投票站', monitors: 3 },
      { county_code: c.countyCode, campaign_id: campaign.id, unit_code: u1, kind: 'central', name: '村委会大院', monitors: 5 },
    ])
    .execute()
  json(await organiser.put(`/api/voters/rolls/${u2}`, { electionDay: E, version: 0 }))
  await register(organiser, u2, '钱七')
})
afterAll(() => t.close())

describe('a committee election fed by the roll', () => {
  it('refuses a registered-voter count other than the roll’s, naming it, and writes nothing', async () => {
    const before = await rollRow(u1)
    const res = await organiser.post('/api/elections', committee({ entitled: 4 }))
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain('在册选民 3 人')
    expect(res.json().message).toContain('所填 4')
    expect(await electionCount()).toBe(0)
    expect(await rollRow(u1)).toEqual(before)
  })

  it('refuses an election day other than the roll’s (ages were counted on it)', async () => {
    const res = await organiser.post('/api/elections', committee({ heldOn: addDays(E, 1) }))
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain(`选举日是 ${E}`)
    expect(await electionCount()).toBe(0)
  })

  it('takes the count, freezes the roll and copies its polling places in one transaction', async () => {
    // The cadre of the unit may open its election: entitled left out, the same number given is fine too.
    const e = json<Election>(await cadre.post('/api/elections', committee({ entitled: 3 })), 201)
    expect(e.entitled).toBe(3)
    expect(e.stations.map((s) => [s.kind, s.name])).toEqual([
      ['main', '村委会大院'],
      ['sub', '二组投票站'],
      ['mobile', '流动票箱一'],
    ])
    const roll = await rollRow(u1)
    expect(roll.status).toBe('frozen')
    expect(roll.frozen_at).toBeInstanceOf(Date)
    const row = await t.db.selectFrom('election').select(['entitled', 'held_on']).where('id', '=', e.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ entitled: 3, held_on: E })
    const freeze = await t.db.selectFrom('audit_log').select('digest').where('county_code', '=', c.countyCode).where('action', '=', 'voter.roll.freeze').execute()
    expect(freeze).toHaveLength(1)
    expect(JSON.stringify(freeze[0]!.digest)).toContain(`"election_id":"${e.id}"`)
    expect(await t.db.selectFrom('audit_log').select('object_id').where('county_code', '=', c.countyCode).where('action', '=', 'election.stations').execute()).toEqual([{ object_id: e.id }])
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('leaves the roll frozen: no voter can be added, edited or removed', async () => {
    const add = await organiser.post('/api/voters', { unitCode: u1, name: '新人', idNumber: idNumberFor(++seq), villageGroup: '第一组', category: 'resident' })
    expect(add.statusCode).toBe(422)
    expect(add.json().message).toContain('冻结')
    const v = await t.db.selectFrom('voter').selectAll().where('county_code', '=', c.countyCode).where('name', '=', '张三').executeTakeFirstOrThrow()
    expect((await organiser.put(`/api/voters/${v.id}`, { version: v.version, name: '张三', villageGroup: '第二组', category: 'resident' })).statusCode).toBe(422)
    expect((await organiser.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: v.version, reason: '迁出' } })).statusCode).toBe(422)
    expect(await t.db.selectFrom('voter').selectAll().where('id', '=', v.id).executeTakeFirstOrThrow()).toEqual(v)
  })

  it('keeps the roll’s count and day on the election: a change of either is refused, the place may change', async () => {
    const e = (await t.db.selectFrom('election').select(['id', 'version', 'entitled', 'held_on']).where('county_code', '=', c.countyCode).where('unit_code', '=', u1).executeTakeFirstOrThrow())
    const count = await organiser.patch(`/api/elections/${e.id}`, { version: e.version, entitled: 5 })
    expect(count.statusCode).toBe(422)
    expect(count.json().message).toContain('取自')
    expect((await organiser.patch(`/api/elections/${e.id}`, { version: e.version, heldOn: addDays(E, 1) })).statusCode).toBe(422)
    expect(await t.db.selectFrom('election').select(['version', 'entitled', 'held_on']).where('id', '=', e.id).executeTakeFirstOrThrow()).toEqual({ version: e.version, entitled: e.entitled, held_on: e.held_on })
    // The same numbers again, or another field, are fine.
    expect((await organiser.patch(`/api/elections/${e.id}`, { version: e.version, entitled: e.entitled, place: '村委会会议室' })).statusCode).toBe(200)
  })

  it('feeds a second election from the already frozen roll without freezing it again', async () => {
    const e = json<Election>(await organiser.post('/api/elections', committee({ place: '村委会二楼' })), 201)
    expect(e.entitled).toBe(3)
    expect(e.stations).toHaveLength(3)
    expect(await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).where('action', '=', 'voter.roll.freeze').execute()).toHaveLength(1)
  })
})

describe('when the roll cannot feed the election', () => {
  it('refuses a roll with voters that was never published, writing nothing', async () => {
    const res = await organiser.post('/api/elections', committee({ unitCode: u2 }))
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain('尚未公布')
    expect((await organiser.post('/api/elections', committee({ unitCode: u2, entitled: 1 }))).statusCode).toBe(422)
    expect((await rollRow(u2)).status).toBe('draft')
    expect(await t.db.selectFrom('election').select('id').where('unit_code', '=', u2).execute()).toEqual([])
  })

  it('refuses while objections may still be lodged, naming the day the period ends', async () => {
    const day = addDays(T, 20)
    json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: day, version: 0 }))
    await register(admin, u3, '吴十')
    json(await admin.post(`/api/voters/rolls/${u3}/publish`, { publishedOn: T, version: 1 }))
    const res = await admin.post('/api/elections', committee({ unitCode: u3, heldOn: day }))
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain(`申诉期至 ${addDays(T, 5)}`)
    expect((await rollRow(u3)).status).toBe('published')
    expect(await t.db.selectFrom('election').select('id').where('unit_code', '=', u3).execute()).toEqual([])
  })

  it('asks for the number where there is no roll (or nobody on it), and takes the number given', async () => {
    const none = await organiser.post('/api/elections', committee({ unitCode: uc, body: 'resident_committee' }))
    expect(none.statusCode).toBe(400)
    expect(none.json().message).toContain('请填写登记选民数')
    expect(json<Election>(await organiser.post('/api/elections', committee({ unitCode: uc, body: 'resident_committee', entitled: 1200 })), 201).entitled).toBe(1200)
    // A roll with only its day set counts as none.
    json(await organiser.put(`/api/voters/rolls/${uc}`, { electionDay: E, version: 0 }))
    expect(json<Election>(await organiser.post('/api/elections', committee({ unitCode: uc, body: 'resident_committee', entitled: 1300 })), 201).entitled).toBe(1300)
    expect((await rollRow(uc)).status).toBe('draft')
  })

  it('never reads a roll for a Party election, which still needs its own number', async () => {
    const party = { unitCode: u1, body: 'party_committee', heldOn: E, place: '党员活动室', present: 20, posts: [{ post: 'member', seats: 3 }] }
    const missing = await organiser.post('/api/elections', party)
    expect(missing.statusCode).toBe(400)
    expect(missing.json().message).toContain('应到会人数')
    expect(json<Election>(await organiser.post('/api/elections', { ...party, entitled: 23 }), 201).entitled).toBe(23)
  })

  it('does not feed an election outside every campaign’s window', async () => {
    const before = (await rollRow(u2)).status
    expect(json<Election>(await organiser.post('/api/elections', committee({ unitCode: u2, heldOn: addDays(T, -500), entitled: 800 })), 201).entitled).toBe(800)
    expect((await rollRow(u2)).status).toBe(before)
  })
})
