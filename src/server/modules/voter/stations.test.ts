import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
/** u1: the stations' unit (the cadre's); u2: same township; u3: the other township. */
let u1: string
let u2: string
let u3: string
const E = '2027-01-20'
let seq = 0

type Station = { id: string; unitCode: string; kind: string; kindLabel: string; name: string; monitors: number; note: string; voters: number; groups: { group: string; voters: number }[]; problems: unknown[]; version: number }
type List = { items: Station[]; units: { code: string; name: string; voters: number; unassigned: number }[] }
type Assign = { station: Station; moved: { stationId: string; name: string; voters: number }[]; skipped: number }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const byGroup = new Map<string, string[]>()
async function voter(name: string, group: string, unitCode = u1): Promise<string> {
  const v = json<{ id: string }>(await admin.post('/api/voters', { unitCode, name, idNumber: idNumberFor(++seq, { birth: '1950-06-06' }), villageGroup: group, category: 'resident' }), 201)
  if (unitCode === u1) byGroup.set(group, [...(byGroup.get(group) ?? []), v.id])
  return v.id
}
const station = (over: Record<string, unknown> = {}) => ({ unitCode: u1, kind: 'station', name: '投票站', monitors: 3, note: '', ...over })
const stationRow = (id: string) => t.db.selectFrom('polling_station').selectAll().where('county_code', '=', c.countyCode).where('id', '=', id).executeTakeFirst()
const assigned = async (id: string) =>
  (await t.db.selectFrom('polling_station_voter').select('voter_id').where('county_code', '=', c.countyCode).where('station_id', '=', id).orderBy('voter_id').execute()).map((r) => r.voter_id)
const stationCount = async () => Number((await t.db.selectFrom('polling_station').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const audits = (action: string) => t.db.selectFrom('audit_log').select(['object_id', 'digest']).where('county_code', '=', c.countyCode).where('action', '=', action as never).orderBy('seq').execute()
const del = (s: Session, url: string, payload: unknown) => s.inject({ method: 'DELETE', url, payload: payload as never })
const list = async (s: Session = organiser) => json<List>(await s.get(`/api/voters/stations?unitCode=${u1}`))

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'st_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'st_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'st_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'st_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'st_leader' })
  admin = await t.login('st_admin')
  organiser = await t.login('st_org')
  otherTownship = await t.login('st_org2')
  cadre = await t.login('st_cadre')
  leader = await t.login('st_leader')
  json(await admin.post('/api/campaigns', { year: 2026, name: '2026年换届', startsOn: '2026-01-01' }))
  for (const u of [u1, u2, u3]) json(await admin.put(`/api/voters/rolls/${u}`, { electionDay: E, version: 0 }))
  for (const [name, group] of [['张一', '第一组'], ['张二', '第一组'], ['张三', '第一组'], ['李一', '第二组'], ['李二', '第二组'], ['王一', '第三组'], ['王二', '第三组']] as const) await voter(name, group)
  await voter('邻村人', '第一组', u2)
})
afterAll(() => t.close())

describe('stations and their monitors', () => {
  it('creates the central place with 3 monitors, audited; refuses 2 monitors for any kind of box (422 on monitors, with the basis)', async () => {
    const central = json<Station>(await organiser.post('/api/voters/stations', station({ kind: 'central', name: '中心会场（村委会）' })), 201)
    expect(central).toMatchObject({ unitCode: u1, kind: 'central', kindLabel: '中心投票会场', monitors: 3, voters: 0, problems: [], version: 1 })
    expect((await audits('voter.station.create')).map((a) => a.object_id)).toEqual([central.id])
    const before = await stationCount()
    for (const kind of ['central', 'station', 'mobile']) {
      const res = await organiser.post('/api/voters/stations', station({ kind, name: `两人${kind}`, monitors: 2 }))
      expect(res.statusCode).toBe(422)
      expect(res.json().details[0]).toMatchObject({ field: 'monitors', message: expect.stringContaining('至少应有3名监票人') as unknown })
      expect(res.json().message).toContain('依据')
    }
    expect((await organiser.post('/api/voters/stations', station({ monitors: -1 }))).statusCode).toBe(400)
    expect((await organiser.post('/api/voters/stations', station({ kind: 'tent' }))).statusCode).toBe(400)
    expect((await organiser.post('/api/voters/stations', station({ name: '  ' }))).statusCode).toBe(400)
    expect(await stationCount()).toBe(before)
  })

  it('allows one central place per unit and unique names (409)', async () => {
    const before = await stationCount()
    const second = await organiser.post('/api/voters/stations', station({ kind: 'central', name: '第二会场' }))
    expect(second.statusCode).toBe(409)
    expect(second.json().message).toContain('中心会场（村委会）')
    json(await organiser.post('/api/voters/stations', station({ name: '第三组投票站' })), 201)
    const twin = await organiser.post('/api/voters/stations', station({ kind: 'mobile', name: '第三组投票站' }))
    expect(twin.statusCode).toBe(409)
    expect(twin.json().message).toContain('第三组投票站')
    json(await cadre.post('/api/voters/stations', station({ kind: 'mobile', name: '流动票箱一', monitors: 4 })), 201)
    expect(await stationCount()).toBe(before + 2)
    // The database keeps the rule when two requests race past the check.
    const central = (await list()).items.find((s) => s.kind === 'central')!
    const row = await stationRow(central.id)
    await expect(t.db.insertInto('polling_station').values({ county_code: c.countyCode, campaign_id: row!.campaign_id, unit_code: u1, kind: 'central', name: '并发会场' }).execute()).rejects.toThrow(/polling_station_central_uq/)
  })

  it('keeps writes in reach: another township 404 whatever the body, the leader 403, the cadre only their unit; nothing changes', async () => {
    const s = (await list()).items[0]!
    expect((await otherTownship.put(`/api/voters/stations/${s.id}`, { version: s.version, ...station({ name: '越权' }), unitCode: undefined })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/voters/stations/${s.id}`, { nonsense: true })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/voters/stations/${s.id}/voters`, { version: s.version, groups: ['第一组'] })).statusCode).toBe(404)
    expect((await del(otherTownship, `/api/voters/stations/${s.id}`, { version: s.version })).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/stations/${s.id}/voters.pdf`)).statusCode).toBe(404)
    expect((await otherTownship.post('/api/voters/stations', station({ name: '越权' }))).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/stations?unitCode=${u1}`)).statusCode).toBe(404)
    expect((await leader.post('/api/voters/stations', station({ name: '越权' }))).statusCode).toBe(403)
    expect((await cadre.post('/api/voters/stations', station({ unitCode: u2, name: '越权' }))).statusCode).toBe(404)
    expect(json<List>(await otherTownship.get('/api/voters/stations')).items).toEqual([])
    expect(await stationRow(s.id)).toMatchObject({ name: s.name, version: s.version })
  })

  it('edits with the version (stale 409), checking the monitors again', async () => {
    const s = (await list()).items.find((x) => x.name === '第三组投票站')!
    const edited = json<Station>(await organiser.put(`/api/voters/stations/${s.id}`, { version: s.version, kind: 'station', name: '第三组投票站（老学校）', monitors: 5, note: '老学校教室' }))
    expect(edited).toMatchObject({ name: '第三组投票站（老学校）', monitors: 5, note: '老学校教室', version: s.version + 1 })
    const stale = await organiser.put(`/api/voters/stations/${s.id}`, { version: s.version, kind: 'station', name: '旧', monitors: 3 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect((await organiser.put(`/api/voters/stations/${s.id}`, { version: edited.version, kind: 'station', name: '少人', monitors: 1 })).statusCode).toBe(422)
    const central = await organiser.put(`/api/voters/stations/${s.id}`, { version: edited.version, kind: 'central', name: '改成会场', monitors: 3 })
    expect(central.statusCode).toBe(409)
    expect(await stationRow(s.id)).toMatchObject({ name: '第三组投票站（老学校）', monitors: 5, version: edited.version })
    expect((await audits('voter.station.update')).map((a) => a.object_id)).toEqual([s.id])
  })
})

describe('who votes where', () => {
  let central: Station
  let third: Station
  let mobile: Station
  beforeAll(async () => {
    const items = (await list()).items
    central = items.find((s) => s.kind === 'central')!
    third = items.find((s) => s.kind === 'station')!
    mobile = items.find((s) => s.kind === 'mobile')!
  })

  it('assigns by village group, with counts per station and per unit in the list', async () => {
    const r = json<Assign>(await organiser.put(`/api/voters/stations/${central.id}/voters`, { version: central.version, groups: ['第一组', '第二组'] }))
    expect(r.station).toMatchObject({ voters: 5, groups: [{ group: '第一组', voters: 3 }, { group: '第二组', voters: 2 }], version: central.version + 1 })
    expect(r).toMatchObject({ moved: [], skipped: 0 })
    expect(await assigned(central.id)).toEqual([...byGroup.get('第一组')!, ...byGroup.get('第二组')!].sort())
    const l = await list()
    expect(l.items.map((s) => [s.kind, s.voters])).toEqual([['central', 5], ['station', 0], ['mobile', 0]])
    expect(l.units).toEqual([{ code: u1, name: expect.any(String) as unknown, voters: 7, unassigned: 2 }])
    central = r.station
  })

  it('moves a voter named for the mobile box from the central place, saying so; the group then skips them', async () => {
    const old = byGroup.get('第一组')![0]!
    const r = json<Assign>(await cadre.put(`/api/voters/stations/${mobile.id}/voters`, { version: mobile.version, voterIds: [old] }))
    expect(r.station.voters).toBe(1)
    expect(r.moved).toEqual([{ stationId: central.id, name: '中心会场（村委会）', voters: 1 }])
    expect(await assigned(mobile.id)).toEqual([old])
    // The central place changed too: its version moved on, so a stale form there gets 409.
    const stale = await organiser.put(`/api/voters/stations/${central.id}/voters`, { version: central.version, groups: ['第一组', '第二组'] })
    expect(stale.statusCode).toBe(409)
    const now = (await stationRow(central.id))!
    const again = json<Assign>(await organiser.put(`/api/voters/stations/${central.id}/voters`, { version: now.version, groups: ['第一组', '第二组'] }))
    expect(again.station.voters).toBe(4)
    expect(again.skipped).toBe(1)
    expect(await assigned(mobile.id)).toEqual([old])
    central = again.station
    mobile = r.station
    const a = await audits('voter.station.assign')
    expect(JSON.stringify(a.find((x) => x.object_id === mobile.id)!.digest)).toContain('中心会场（村委会）')
  })

  it('replaces a station’s list: voters left out become unassigned; voterIds and groups together', async () => {
    const [w1, w2] = byGroup.get('第三组')!
    const r = json<Assign>(await organiser.put(`/api/voters/stations/${third.id}/voters`, { version: third.version, groups: ['第三组'] }))
    expect(r.station.voters).toBe(2)
    const fewer = json<Assign>(await organiser.put(`/api/voters/stations/${third.id}/voters`, { version: r.station.version, voterIds: [w1] }))
    expect(fewer.station.voters).toBe(1)
    expect(await assigned(third.id)).toEqual([w1])
    expect((await list()).units[0]!.unassigned).toBe(1)
    const both = json<Assign>(await organiser.put(`/api/voters/stations/${third.id}/voters`, { version: fewer.station.version, voterIds: [w2!], groups: ['第三组'] }))
    expect(await assigned(third.id)).toEqual([w1!, w2!].sort())
    third = both.station
  })

  it('refuses voters of another roll, removed voters and unknown groups (400 naming each), and an empty request, changing nothing', async () => {
    const before = await assigned(third.id)
    const neighbour = (await t.db.selectFrom('voter').select('id').where('county_code', '=', c.countyCode).where('unit_code', '=', u2).executeTakeFirstOrThrow()).id
    const res = await organiser.put(`/api/voters/stations/${third.id}/voters`, { version: third.version, voterIds: [neighbour, '999999999'], groups: ['第九组'] })
    expect(res.statusCode).toBe(400)
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['voterIds.0', 'voterIds.1', 'groups.0'])
    expect(res.json().details[2].message).toContain('第九组')
    expect((await organiser.put(`/api/voters/stations/${third.id}/voters`, { version: third.version })).statusCode).toBe(400)
    const gone = await voter('赵已故', '第三组')
    json(await organiser.inject({ method: 'DELETE', url: `/api/voters/${gone}`, payload: { version: 1, reason: '死亡' } }))
    const removed = await organiser.put(`/api/voters/stations/${third.id}/voters`, { version: third.version, voterIds: [gone] })
    expect(removed.statusCode).toBe(400)
    expect(removed.json().message).toContain('已移出')
    expect(await assigned(third.id)).toEqual(before)
    expect((await stationRow(third.id))!.version).toBe(third.version)
  })

  it('prints a mobile box’s voters for publication, audited', async () => {
    const res = await leader.get(`/api/voters/stations/${mobile.id}/voters.pdf`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    if (existsSync('/usr/bin/pdftotext')) {
      const dir = mkdtempSync(join(tmpdir(), 'station-pdf-'))
      try {
        writeFileSync(join(dir, 'in.pdf'), res.rawPayload)
        const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
        expect(text).toContain('流动票箱投票选民名单')
        expect(text).toContain('1张一男第一组')
        expect(text).toContain('由4名监票人负责')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    expect((await audits('voter.station.export')).map((a) => a.object_id)).toEqual([mobile.id])
  })

  it('deletes a station with its version: its voters become unassigned, audited with their number', async () => {
    expect((await del(organiser, `/api/voters/stations/${third.id}`, { version: third.version - 1 })).statusCode).toBe(409)
    json(await del(organiser, `/api/voters/stations/${third.id}`, { version: third.version }))
    expect(await stationRow(third.id)).toBeUndefined()
    expect(await assigned(third.id)).toEqual([])
    expect((await list()).units[0]!.unassigned).toBe(2)
    const [a] = await audits('voter.station.delete')
    expect(JSON.stringify(a!.digest)).toContain('"voters":2')
  })

  it('refuses every change once the roll is frozen', async () => {
    await t.db.updateTable('voter_roll').set({ status: 'frozen', published_on: '2026-12-20', frozen_at: new Date() }).where('county_code', '=', c.countyCode).where('unit_code', '=', u1).execute()
    try {
      const s = (await stationRow(central.id))!
      for (const res of [
        await organiser.post('/api/voters/stations', station({ name: '冻结后' })),
        await organiser.put(`/api/voters/stations/${s.id}`, { version: s.version, kind: 'central', name: '改', monitors: 3 }),
        await organiser.put(`/api/voters/stations/${s.id}/voters`, { version: s.version, groups: ['第三组'] }),
        await del(organiser, `/api/voters/stations/${s.id}`, { version: s.version }),
      ]) {
        expect(res.statusCode, res.body).toBe(422)
        expect(res.json().message).toContain('冻结')
      }
      expect(await stationRow(central.id)).toEqual(s)
    } finally {
      await t.db.updateTable('voter_roll').set({ status: 'draft', published_on: null, frozen_at: null }).where('county_code', '=', c.countyCode).where('unit_code', '=', u1).execute()
    }
  })
})
