import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { zipEntry } from '../../../../test/helpers/zip.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session

type Group = { id: string; kind: string; name: string; members: { name: string; role: string; department: string }[]; unitCodes: string[]; version: number }
type Org = { leading: Group | null; guidance: Group[]; units: { code: string; leaders: string[]; cadres: string[]; guidance: string | null }[]; canEdit: boolean }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const member = (name: string, role: string, title = '', department = '') => ({ name, title, role, department })
const leading = (members = [member('王书记', 'first_responsible', '镇党委书记'), member('李镇长', 'head', '镇长'), member('赵委员', 'responsible', '纪委书记', '纪检'), member('钱主任', 'member', '主任', '党政综合办')]) => ({
  township: c.townships[0],
  kind: 'leading',
  name: '村（社区）“两委”换届工作领导小组',
  members,
  unitCodes: [],
  duties: '统筹协调全镇换届工作',
})
const count = async (action: string) => (await t.db.selectFrom('audit_log').select('seq').where('county_code', '=', c.countyCode).where('action', '=', action as never).execute()).length

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'og_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'og_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'og_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [c.units[0][1]!], username: 'og_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], unitCodes: [c.units[0][1]!, c.units[0][2]!], username: 'og_leader' })
  admin = await t.login('og_admin')
  organiser = await t.login('og_org')
  otherTownship = await t.login('og_org2')
  cadre = await t.login('og_cadre')
  leader = await t.login('og_leader')
})
afterAll(() => t.close())

describe('organisation', () => {
  it('needs a campaign, then shows each unit’s 包村 leader and cadre', async () => {
    expect((await organiser.get('/api/organisation')).statusCode).toBe(422)
    json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: '2026-01-01' }))
    const o = json<Org>(await organiser.get('/api/organisation'))
    expect(o).toMatchObject({ leading: null, guidance: [], canEdit: true })
    const u = o.units.find((x) => x.code === c.units[0][1])!
    expect(u.leaders).toHaveLength(1)
    expect(u.cadres).toHaveLength(1)
    expect(o.units.find((x) => x.code === c.units[0][0])).toMatchObject({ leaders: [], cadres: [] })
  })

  it('sets up the leading group with one first responsible person, once per township and round, audited', async () => {
    const none = await organiser.post('/api/organisation/groups', leading([member('李镇长', 'head')]))
    expect(none.statusCode).toBe(400)
    expect(none.json().message).toContain('第一责任人')
    const g = json<Group>(await organiser.post('/api/organisation/groups', leading()))
    expect(g.members.map((m) => m.role)).toEqual(['first_responsible', 'head', 'responsible', 'member'])
    expect(await count('group.create')).toBe(1)
    expect((await organiser.post('/api/organisation/groups', leading())).statusCode).toBe(409)
    const units = await organiser.post('/api/organisation/groups', { ...leading(), unitCodes: [c.units[0][1]] })
    expect(units.statusCode).toBe(400)
  })

  it('gives each guidance group its own units, and no unit to two groups', async () => {
    const base = { township: c.townships[0], kind: 'guidance', duties: '', members: [member('孙组长', 'head', '副镇长')] }
    const g1 = json<Group>(await organiser.post('/api/organisation/groups', { ...base, name: '第一指导组', unitCodes: [c.units[0][1], c.units[0][2]] }))
    expect(g1.unitCodes).toEqual([c.units[0][1], c.units[0][2]])
    const twice = await organiser.post('/api/organisation/groups', { ...base, name: '第二指导组', unitCodes: [c.units[0][2]] })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().message).toContain('已由其他指导组联系')
    expect((await organiser.post('/api/organisation/groups', { ...base, name: '第三指导组', unitCodes: [c.units[1][1]] })).statusCode).toBe(400)
    expect((await organiser.post('/api/organisation/groups', { ...base, name: '第四指导组', members: [member('某人', 'deputy')], unitCodes: [] })).statusCode).toBe(400)
    const o = json<Org>(await organiser.get('/api/organisation'))
    expect(o.units.find((x) => x.code === c.units[0][1])!.guidance).toBe('第一指导组')
    // Editing: a stale version is refused; a current one moves the units.
    const stale = await organiser.put(`/api/organisation/groups/${g1.id}`, { version: 9, name: g1.name, members: g1.members.map((m) => ({ ...m, title: '' })), unitCodes: [], duties: '' })
    expect(stale.statusCode).toBe(409)
    const moved = json<Group>(await organiser.put(`/api/organisation/groups/${g1.id}`, { version: 1, name: '第一指导组', members: [member('孙组长', 'head', '副镇长'), member('周干事', 'member')], unitCodes: [c.units[0][0]], duties: '指导联系村按时间节点推进' }))
    expect(moved).toMatchObject({ version: 2, unitCodes: [c.units[0][0]] })
  })

  it('writes the notice that sets the groups up, as Word', async () => {
    const d = await organiser.get('/api/organisation/notice.docx')
    expect(d.statusCode).toBe(200)
    const xml = zipEntry(d.rawPayload, 'word/document.xml') ?? ''
    expect(xml).toContain('关于成立第1镇村（社区）“两委”换届工作领导小组和指导组的通知')
    expect(xml).toContain('第一责任人：王书记（镇党委书记）')
    expect(xml).toContain('成员单位：纪检、党政综合办（共2个）')
    expect(xml).toContain('第一指导组：组长 孙组长（副镇长）；成员 周干事。联系 1镇001社区。')
  })

  it('keeps the leading group, removes a guidance group with an audit row, and keeps others out', async () => {
    const o = json<Org>(await organiser.get('/api/organisation'))
    expect((await organiser.del(`/api/organisation/groups/${o.leading!.id}`)).statusCode).toBe(409)
    expect((await otherTownship.del(`/api/organisation/groups/${o.guidance[0]!.id}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/organisation?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await cadre.post('/api/organisation/groups', leading())).statusCode).toBe(403)
    expect((await leader.put(`/api/organisation/groups/${o.leading!.id}`, { version: 1, name: 'x', members: [], unitCodes: [], duties: '' })).statusCode).toBe(403)
    expect(json<Org>(await leader.get('/api/organisation')).canEdit).toBe(false)
    json(await organiser.del(`/api/organisation/groups/${o.guidance[0]!.id}`))
    expect(await count('group.delete')).toBe(1)
    expect(json<Org>(await organiser.get('/api/organisation')).guidance).toEqual([])
  })
})
