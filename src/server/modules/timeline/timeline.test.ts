import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { todayInChina } from '../person/service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let unit: string
let otherUnit: string
const today = todayInChina()
// The committee votes in ten days: the voter list was due ten days ago (E−20), so a done date can
// lie on either side of the limit without being in the future.
const committeeOn = addDays(today, 10)
const partyOn = addDays(today, 2)

type Timeline = {
  units: { code: string; partyOn: string | null; committeeOn: string | null; version: number; warnings: string[]; milestones: { key: string; plannedOn: string | null; deadline: string | null; status: string; doneOn: string | null; late: string | null }[] }[]
  phases: { phase: string; startsOn: string | null; endsOn: string | null }[]
  template: { key: string }[]
  canEdit: boolean
}

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const unitOf = (tl: Timeline, code: string) => tl.units.find((u) => u.code === code)!
const milestone = (tl: Timeline, code: string, key: string) => unitOf(tl, code).milestones.find((m) => m.key === key)!

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  unit = c.units[0][1]!
  otherUnit = c.units[0][2]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'tl_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'tl_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'tl_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [unit], username: 'tl_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'tl_leader' })
  admin = await t.login('tl_admin')
  organiser = await t.login('tl_org')
  otherTownship = await t.login('tl_org2')
  cadre = await t.login('tl_cadre')
  leader = await t.login('tl_leader')
})
afterAll(() => t.close())

describe('timeline', () => {
  it('needs a campaign, then lists the township’s units with the default template', async () => {
    const none = await organiser.get('/api/timeline')
    expect(none.statusCode).toBe(422)
    expect(none.json().message).toContain('换届届次')
    json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: addDays(today, -60) }))
    const tl = json<Timeline>(await organiser.get('/api/timeline'))
    expect(tl.units.map((u) => u.code)).toEqual(c.units[0])
    expect(tl.template.map((m) => m.key)).toContain('voter_list')
    expect(milestone(tl, unit, 'voter_list')).toMatchObject({ plannedOn: null, status: 'unscheduled' })
    // A contact cadre sees only the assigned unit; a county admin must be able to pick the township.
    expect(json<Timeline>(await cadre.get('/api/timeline')).units.map((u) => u.code)).toEqual([unit])
    expect(json<Timeline>(await admin.get(`/api/timeline?township=${c.townships[1]}`)).units.map((u) => u.code)).toEqual(c.units[1])
  })

  it('lets the township set its phases, within the campaign, audited', async () => {
    const phases = [
      { phase: 'party', startsOn: today, endsOn: addDays(today, 5) },
      { phase: 'committee', startsOn: addDays(today, 6), endsOn: addDays(today, 20) },
    ]
    const tl = json<Timeline>(await organiser.put('/api/timeline/phases', { township: c.townships[0], phases }))
    expect(tl.phases.find((p) => p.phase === 'committee')).toMatchObject({ startsOn: addDays(today, 6), endsOn: addDays(today, 20) })
    expect((await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).where('action', '=', 'timeline.phases').execute()).length).toBe(1)
    const backwards = await organiser.put('/api/timeline/phases', { township: c.townships[0], phases: [{ phase: 'party', startsOn: today, endsOn: addDays(today, -1) }] })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().message).toContain('结束日期早于开始日期')
    const outside = await organiser.put('/api/timeline/phases', { township: c.townships[0], phases: [{ phase: 'preparation', startsOn: addDays(today, -90), endsOn: today }] })
    expect(outside.statusCode).toBe(422)
    expect((await cadre.put('/api/timeline/phases', { township: c.townships[0], phases: [] })).statusCode).toBe(403)
    expect((await otherTownship.put('/api/timeline/phases', { township: c.townships[0], phases: [] })).statusCode).toBe(404)
    // Nothing of the refused attempts was written.
    expect((await t.db.selectFrom('campaign_phase').select('phase').where('county_code', '=', c.countyCode).execute()).length).toBe(2)
  })

  it('plans each milestone from the unit’s election days, across month ends', async () => {
    const tl = json<Timeline>(await cadre.put(`/api/timeline/units/${unit}/schedule`, { partyOn, committeeOn, version: 0 }))
    const u = unitOf(tl, unit)
    expect(u).toMatchObject({ partyOn, committeeOn, version: 1, warnings: [] })
    expect(milestone(tl, unit, 'voter_list')).toMatchObject({ plannedOn: addDays(committeeOn, -20), deadline: addDays(committeeOn, -20), status: 'overdue' })
    expect(milestone(tl, unit, 'candidate_list')).toMatchObject({ deadline: addDays(committeeOn, -5) })
    expect(milestone(tl, unit, 'handover')).toMatchObject({ deadline: addDays(committeeOn, 10) })
    // The new 两委 exist on the later of the two days.
    expect(milestone(tl, unit, 'training')).toMatchObject({ deadline: addDays(committeeOn, 30) })
    // Stale version → 409; another unit → 404 for the cadre; the leader reads only.
    expect((await cadre.put(`/api/timeline/units/${unit}/schedule`, { partyOn, committeeOn, version: 0 })).statusCode).toBe(409)
    expect((await cadre.put(`/api/timeline/units/${otherUnit}/schedule`, { partyOn, committeeOn, version: 0 })).statusCode).toBe(404)
    expect((await leader.put(`/api/timeline/units/${unit}/schedule`, { partyOn, committeeOn, version: 1 })).statusCode).toBe(403)
    const outside = await organiser.put(`/api/timeline/units/${otherUnit}/schedule`, { partyOn: addDays(today, -90), committeeOn: null, version: 0 })
    expect(outside.statusCode).toBe(422)
    // A committee vote before the Party vote, or outside the township's phase, is a warning.
    const odd = json<Timeline>(await organiser.put(`/api/timeline/units/${otherUnit}/schedule`, { partyOn: addDays(today, 12), committeeOn: addDays(today, 8), version: 0 }))
    expect(unitOf(odd, otherUnit).warnings.join()).toContain('早于党组织选举日')
  })

  it('refuses a done date past a legal limit with the rule and its basis, and keeps a practice one with a warning', async () => {
    const late = await cadre.put(`/api/timeline/units/${unit}/milestones/voter_list`, { doneOn: addDays(today, -5), evidence: '村委会公告栏' })
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toMatch(/公布选民名单.*前20日.*晚了 5 日.*二十日前公布/)
    expect((await t.db.selectFrom('milestone').select('key').where('county_code', '=', c.countyCode).execute()).length).toBe(0)
    expect((await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).where('action', '=', 'milestone.done').execute()).length).toBe(0)

    const ok = json<{ warning: string | null; timeline: Timeline }>(await cadre.put(`/api/timeline/units/${unit}/milestones/voter_list`, { doneOn: addDays(today, -15), evidence: '村委会公告栏，照片已存档' }))
    expect(ok.warning).toBeNull()
    expect(milestone(ok.timeline, unit, 'voter_list')).toMatchObject({ status: 'done', doneOn: addDays(today, -15), late: null })
    // The Party notice was due five days before the Party vote (practice): kept, with a warning.
    const warned = json<{ warning: string | null }>(await cadre.put(`/api/timeline/units/${unit}/milestones/party_notice`, { doneOn: today, evidence: '' }))
    expect(warned.warning).toContain('候选人预备人选公示')
    expect((await cadre.put(`/api/timeline/units/${unit}/milestones/voter_list`, { doneOn: addDays(today, 1), evidence: '' })).statusCode).toBe(400)
    expect((await cadre.put(`/api/timeline/units/${unit}/milestones/no_such`, { doneOn: today, evidence: '' })).statusCode).toBe(404)
    expect((await leader.put(`/api/timeline/units/${unit}/milestones/voter_list`, { doneOn: today, evidence: '' })).statusCode).toBe(403)
  })

  it('records a milestone once when a phone retries the same submission with its Idempotency-Key', async () => {
    const audits = async () => (await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).where('action', '=', 'milestone.done').execute()).length
    const before = await audits()
    const send = (k: string, code = unit) =>
      cadre.inject({ method: 'PUT', url: `/api/timeline/units/${code}/milestones/election_committee`, payload: { doneOn: today, evidence: '推选会议记录' }, headers: { 'idempotency-key': k } })
    const first = await send('retry-milestone-1')
    expect(first.statusCode, first.body).toBe(200)
    const again = await send('retry-milestone-1')
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(first.json())
    expect(await audits()).toBe(before + 1)
    // The same key for another unit's milestone is another operation, refused rather than answered from the first.
    expect((await send('retry-milestone-1', otherUnit)).statusCode).toBe(422)
  })

  it('will not move an election day so that a done milestone breaks the law, and undoes a milestone with an audit row', async () => {
    // Moving the committee vote ten days earlier would make the voter list (done today−15) late.
    const moved = await organiser.put(`/api/timeline/units/${unit}/schedule`, { partyOn, committeeOn: addDays(committeeOn, -10), version: 1 })
    expect(moved.statusCode).toBe(422)
    expect(moved.json().message).toContain('公布选民名单')
    const undone = json<Timeline>(await organiser.del(`/api/timeline/units/${unit}/milestones/voter_list`))
    expect(milestone(undone, unit, 'voter_list').status).toBe('overdue')
    expect((await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).where('action', '=', 'milestone.undo').execute()).length).toBe(1)
    expect((await organiser.del(`/api/timeline/units/${unit}/milestones/voter_list`)).statusCode).toBe(404)
  })

  it('takes a unit’s election days from the elections entered when no plan was set', async () => {
    const unit3 = c.units[0][0]!
    json(await organiser.post('/api/elections', { unitCode: unit3, body: 'party_committee', heldOn: addDays(today, 3), place: '会议室', entitled: 10, present: 9, posts: [{ post: 'member', seats: 3 }] }), 201)
    const tl = json<Timeline>(await organiser.get('/api/timeline'))
    expect(unitOf(tl, unit3)).toMatchObject({ partyOn: addDays(today, 3), committeeOn: null, version: 0 })
    expect(milestone(tl, unit3, 'party_notice').plannedOn).toBe(addDays(today, -7))
  })

  it('keeps another township out', async () => {
    expect((await otherTownship.get(`/api/timeline?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/timeline/units/${unit}/schedule`, { partyOn: null, committeeOn: null, version: 1 })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/timeline/units/${unit}/milestones/talks`, { doneOn: today, evidence: '' })).statusCode).toBe(404)
  })
})
