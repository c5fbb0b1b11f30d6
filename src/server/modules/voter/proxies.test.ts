import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { todayInChina } from '../person/service.ts'
import { verifyChain } from '../audit/service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
/** u1: the proxies' unit (the cadre's); u2: same township; u3: the other township. */
let u1: string
let u2: string
let u3: string

/**
 * E two days from today: E − 3 is yesterday (the last day a proxy may be applied for) and E − 2 is
 * today, so both boundary days are real application days (one after today is refused anyway).
 */
const today = todayInChina()
const E = addDays(today, 2)
const lastDay = addDays(E, -3)
let seq = 0

type Person = { voterId: string; name: string; idNumber: string; villageGroup: string; status: string }
type Proxy = { id: string; unitCode: string; giver: Person; holder: Person; relation: string; relationLabel: string; reason: string; appliedOn: string; approved: boolean; status: string; withdrawnReason: string | null; warnings: string[]; version: number }
type Page = { items: Proxy[]; total: number; roll: { electionDay: string; deadline: string } | null }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const ids = new Map<string, string>()
/** Registers a voter through the API and returns its id. */
async function voter(name: string, unitCode = u1, group = '第一组'): Promise<string> {
  const idNumber = idNumberFor(++seq, { birth: '1975-03-03' })
  const v = json<{ id: string }>(await admin.post('/api/voters', { unitCode, name, idNumber, villageGroup: group, category: 'resident' }), 201)
  ids.set(v.id, idNumber)
  return v.id
}
const proxy = (giverVoterId: string, holderVoterId: string, over: Record<string, unknown> = {}) => ({
  unitCode: u1,
  giverVoterId,
  holderVoterId,
  relation: '儿子',
  reason: '在外务工，选举日不能回村',
  appliedOn: lastDay,
  giverAway: true,
  ...over,
})
const proxyCount = async () => Number((await t.db.selectFrom('voter_proxy').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const proxyRow = (id: string) => t.db.selectFrom('voter_proxy').selectAll().where('county_code', '=', c.countyCode).where('id', '=', id).executeTakeFirstOrThrow()
const audits = (action: string) => t.db.selectFrom('audit_log').select(['object_id', 'digest']).where('county_code', '=', c.countyCode).where('action', '=', action as never).orderBy('seq').execute()
const withdraw = (s: Session, id: string, payload: unknown) => s.inject({ method: 'DELETE', url: `/api/voters/proxies/${id}`, payload: payload as never })
const setRoll = (unit: string, patch: { status: 'draft' | 'published' | 'frozen'; published_on?: string | null; frozen_at?: Date | null }) =>
  t.db.updateTable('voter_roll').set({ published_on: null, frozen_at: null, ...patch }).where('county_code', '=', c.countyCode).where('unit_code', '=', unit).execute()

function pdfText(pdf: Buffer): string | undefined {
  if (!existsSync('/usr/bin/pdftotext')) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'proxy-pdf-'))
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf)
    return execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'px_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'px_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'px_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'px_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'px_leader' })
  admin = await t.login('px_admin')
  organiser = await t.login('px_org')
  otherTownship = await t.login('px_org2')
  cadre = await t.login('px_cadre')
  leader = await t.login('px_leader')
  json(await admin.post('/api/campaigns', { year: 2026, name: '2026年换届', startsOn: '2026-01-01' }))
  for (const u of [u1, u2, u3]) json(await admin.put(`/api/voters/rolls/${u}`, { electionDay: E, version: 0 }))
})
afterAll(() => t.close())

describe('registering a proxy', () => {
  it('registers a proxy to a near relative on the same roll, applied on E − 3: stored approved with the relation key, audited with masked numbers', async () => {
    const giver = await voter('王外出')
    const holder = await voter('王在家', u1, '第二组')
    const p = json<Proxy>(await cadre.post('/api/voters/proxies', proxy(giver, holder, { relation: ' 儿子 ', appliedOn: lastDay })), 201)
    expect(p).toMatchObject({ unitCode: u1, relation: 'child', relationLabel: '子女', appliedOn: lastDay, approved: true, status: 'active', warnings: [], version: 1 })
    expect(p.giver).toMatchObject({ voterId: giver, name: '王外出', villageGroup: '第一组', status: 'active' })
    expect(p.holder.idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/)
    expect(await proxyRow(p.id)).toMatchObject({ giver_voter_id: giver, holder_voter_id: holder, relation: 'child', approved: true, status: 'active', withdrawn_reason: null })
    const [a] = await audits('voter.proxy.create')
    expect(a!.object_id).toBe(p.id)
    const digest = JSON.stringify(a!.digest)
    expect(digest).toContain(p.holder.idNumber)
    expect(digest).not.toContain(ids.get(holder)!)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('refuses an application made on E − 2 (422 on appliedOn, naming the last day) and one dated after today, writing nothing', async () => {
    const giver = await voter('李迟到')
    const holder = await voter('李家人')
    const before = await proxyCount()
    const late = await organiser.post('/api/voters/proxies', proxy(giver, holder, { appliedOn: addDays(E, -2) }))
    expect(late.statusCode).toBe(422)
    expect(late.json().details).toEqual([{ field: 'appliedOn', message: expect.stringContaining(`最迟 ${lastDay}`) as unknown }])
    expect(late.json().message).toContain('依据')
    const future = await organiser.post('/api/voters/proxies', proxy(giver, holder, { appliedOn: addDays(today, 1) }))
    expect(future.statusCode).toBe(422)
    expect(future.json().details.map((d: { field: string }) => d.field)).toContain('appliedOn')
    expect(future.json().details.some((d: { message: string }) => d.message.includes('晚于今天'))).toBe(true)
    expect(await proxyCount()).toBe(before)
    // The same pair a day earlier is accepted.
    json(await organiser.post('/api/voters/proxies', proxy(giver, holder, { appliedOn: addDays(lastDay, -1) })), 201)
  })

  it('lets a holder take 3 proxies and refuses the 4th, naming the holder field', async () => {
    const holder = await voter('赵受托')
    for (const name of ['赵一', '赵二', '赵三']) json(await organiser.post('/api/voters/proxies', proxy(await voter(name), holder, { relation: '父亲' })), 201)
    const fourth = await voter('赵四')
    const before = await proxyCount()
    const res = await organiser.post('/api/voters/proxies', proxy(fourth, holder, { relation: '父亲' }))
    expect(res.statusCode).toBe(422)
    expect(res.json().details).toEqual([{ field: 'holderVoterId', message: expect.stringContaining('不得超过3人') as unknown }])
    expect(res.json().message).toContain('依据')
    expect(await proxyCount()).toBe(before)
  })

  it('refuses a holder registered in another unit of the township or another township (not a 404: the unit is the giver’s)', async () => {
    const giver = await voter('孙外出')
    const before = await proxyCount()
    for (const holder of [await voter('孙邻村', u2), await voter('孙外镇', u3)]) {
      const res = await organiser.post('/api/voters/proxies', proxy(giver, holder))
      expect(res.statusCode, res.body).toBe(422)
      expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['holderVoterId', 'holderVoterId'])
      expect(res.json().message).toContain('本村')
    }
    expect(await proxyCount()).toBe(before)
  })

  it('refuses a giver not away, a relation that is not near, the giver as holder, and an unknown giver', async () => {
    const giver = await voter('周在村')
    const holder = await voter('周女婿')
    const notAway = await organiser.post('/api/voters/proxies', proxy(giver, holder, { giverAway: false }))
    expect(notAway.statusCode).toBe(422)
    expect(notAway.json().details[0].field).toBe('giverAway')
    const inLaw = await organiser.post('/api/voters/proxies', proxy(giver, holder, { relation: '女婿' }))
    expect(inLaw.statusCode).toBe(422)
    expect(inLaw.json().details[0]).toMatchObject({ field: 'relation' })
    const self = await organiser.post('/api/voters/proxies', proxy(giver, giver))
    expect(self.statusCode).toBe(422)
    expect(self.json().details.map((d: { field: string }) => d.field)).toContain('holderVoterId')
    const elsewhere = await organiser.post('/api/voters/proxies', proxy(await voter('周外村', u2), holder))
    expect(elsewhere.statusCode).toBe(400)
    expect(elsewhere.json().details[0].field).toBe('giverVoterId')
    expect((await organiser.post('/api/voters/proxies', proxy(giver, holder, { reason: '   ' }))).statusCode).toBe(400)
    expect((await organiser.post('/api/voters/proxies', { ...proxy(giver, holder), giverAway: undefined })).statusCode).toBe(400)
    expect((await organiser.post('/api/voters/proxies', { ...proxy(giver, holder), extra: 1 })).statusCode).toBe(400)
  })

  it('keeps one active proxy per giver (409), and no sub-delegation either way', async () => {
    const giver = await voter('吴出门')
    const first = json<Proxy>(await organiser.post('/api/voters/proxies', proxy(giver, await voter('吴大'))), 201)
    const again = await organiser.post('/api/voters/proxies', proxy(giver, await voter('吴二')))
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('吴大')
    // The holder of one proxy is away too: they cannot pass it on.
    const holderAway = await organiser.post('/api/voters/proxies', proxy(first.holder.voterId, await voter('吴三')))
    expect(holderAway.statusCode).toBe(422)
    expect(holderAway.json().details[0]).toMatchObject({ field: 'giverVoterId', message: expect.stringContaining('不得转委托') as unknown })
    // Someone who gave a proxy (away) cannot hold one.
    const awayHolder = await organiser.post('/api/voters/proxies', proxy(await voter('吴四'), giver))
    expect(awayHolder.statusCode).toBe(422)
    expect(awayHolder.json().details[0]).toMatchObject({ field: 'holderVoterId', message: expect.stringContaining('本人已委托他人投票') as unknown })
  })

  it('answers a retried submission with the same Idempotency-Key once', async () => {
    const body = proxy(await voter('钱重试'), await voter('钱家人'))
    const headers = { 'idempotency-key': 'proxy-retry-0001' }
    const a = json<Proxy>(await cadre.inject({ method: 'POST', url: '/api/voters/proxies', payload: body, headers }), 201)
    const b = json<Proxy>(await cadre.inject({ method: 'POST', url: '/api/voters/proxies', payload: body, headers }), 201)
    expect(b).toEqual(a)
    expect((await audits('voter.proxy.create')).filter((x) => x.object_id === a.id)).toHaveLength(1)
  })
})

describe('candidates may not hold proxies', () => {
  let holder: string
  let proxyId: string

  it('counts a committee nominee of this unit once the joint review has cleared them, matched by ID number', async () => {
    holder = await voter('郑候选')
    const p = json<{ id: string }>(await organiser.post('/api/people', { name: '郑候选', idNumber: ids.get(holder)!, ethnicity: '01', education: '31', politicalStatus: '13', unitCode: u1 }), 201)
    const n = json<{ id: string }>(await organiser.post('/api/nominees', { personId: p.id, unitCode: u1, body: 'committee', post: 'member', putForward: 'villagers' }), 201)
    // A draft nominee is not yet a candidate: the proxy is taken.
    const taken = json<Proxy>(await organiser.post('/api/voters/proxies', proxy(await voter('郑外出'), holder, { relation: '配偶' })), 201)
    proxyId = taken.id
    expect(taken.warnings).toEqual([])
    await t.db.updateTable('nominee').set({ state: 'candidate' }).where('county_code', '=', c.countyCode).where('id', '=', n.id).execute()
    const before = await proxyCount()
    const res = await organiser.post('/api/voters/proxies', proxy(await voter('郑二'), holder, { relation: '配偶' }))
    expect(res.statusCode).toBe(422)
    expect(res.json().details).toEqual([{ field: 'holderVoterId', message: expect.stringContaining('候选人不能接受委托') as unknown }])
    expect(await proxyCount()).toBe(before)
  })

  it('flags the proxy taken before the holder became a candidate in the list', async () => {
    const page = json<Page>(await organiser.get(`/api/voters/proxies?unitCode=${u1}&pageSize=200`))
    const p = page.items.find((x) => x.id === proxyId)!
    expect(p.warnings).toEqual([expect.stringContaining('候选人')])
  })

  it('ignores a nominee for the Party committee, and one in another unit', async () => {
    const partyMember = await voter('冯党员')
    const p = json<{ id: string }>(await organiser.post('/api/people', { name: '冯党员', idNumber: ids.get(partyMember)!, ethnicity: '01', education: '31', politicalStatus: '01', partyJoinedOn: '2001-07-01', unitCode: u1 }), 201)
    const party = json<{ id: string }>(await organiser.post('/api/nominees', { personId: p.id, unitCode: u1, body: 'party', post: 'member', putForward: 'party_members' }), 201)
    const neighbour = json<{ id: string }>(await organiser.post('/api/nominees', { personId: p.id, unitCode: u2, body: 'committee', post: 'member', putForward: 'villagers' }), 201)
    await t.db.updateTable('nominee').set({ state: 'candidate' }).where('county_code', '=', c.countyCode).where('id', 'in', [party.id, neighbour.id]).execute()
    json(await organiser.post('/api/voters/proxies', proxy(await voter('冯外出'), partyMember)), 201)
  })

  it('counts a candidate of the unit’s villagers’ committee election linked to no person by name', async () => {
    const named = await voter('陈同名')
    const e = await t.db
      .insertInto('election')
      .values({ county_code: c.countyCode, unit_code: u1, body: 'villager_committee', round: 'first', held_on: E, entitled: 100, created_by: 'test' } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.db.insertInto('election_candidate').values({ county_code: c.countyCode, election_id: e.id, post: 'member', person_id: null, nominee_id: null, name: '陈同名', gender: 'male', position: 1 } as never).execute()
    const res = await organiser.post('/api/voters/proxies', proxy(await voter('陈外出'), named))
    expect(res.statusCode).toBe(422)
    expect(res.json().details[0].field).toBe('holderVoterId')
  })
})

describe('withdrawing, scope and the frozen roll', () => {
  let p: Proxy

  beforeAll(async () => {
    p = json<Proxy>(await organiser.post('/api/voters/proxies', proxy(await voter('何外出'), await voter('何家人'))), 201)
  })

  it('answers another township 404 on the proxy whatever the body, and on its unit; the leader 403; nothing changes', async () => {
    expect((await withdraw(otherTownship, p.id, { version: 1, reason: '越权' })).statusCode).toBe(404)
    expect((await withdraw(otherTownship, p.id, { nonsense: true })).statusCode).toBe(404)
    expect((await otherTownship.post('/api/voters/proxies', proxy(p.giver.voterId, p.holder.voterId))).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/proxies?unitCode=${u1}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/proxies/list.pdf?unitCode=${u1}`)).statusCode).toBe(404)
    expect((await leader.post('/api/voters/proxies', proxy(p.giver.voterId, p.holder.voterId))).statusCode).toBe(403)
    expect((await withdraw(leader, p.id, { version: 1, reason: '越权' })).statusCode).toBe(403)
    expect((await cadre.post('/api/voters/proxies', proxy(await voter('何邻村', u2), await voter('何邻家', u2), { unitCode: u2 }))).statusCode).toBe(404)
    expect(json<Page>(await otherTownship.get('/api/voters/proxies')).total).toBe(0)
    expect(await proxyRow(p.id)).toMatchObject({ status: 'active', version: 1 })
  })

  it('withdraws with the version and a reason, keeping the row; a stale version is 409; the giver may then give a new proxy', async () => {
    const stale = await withdraw(organiser, p.id, { version: 2, reason: '已返村' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect((await withdraw(organiser, p.id, { version: 1, reason: '' })).statusCode).toBe(400)
    const w = json<Proxy>(await withdraw(organiser, p.id, { version: 1, reason: '已返村，本人投票' }))
    expect(w).toMatchObject({ status: 'withdrawn', withdrawnReason: '已返村，本人投票', version: 2 })
    expect(await proxyRow(p.id)).toMatchObject({ status: 'withdrawn', withdrawn_reason: '已返村，本人投票', version: 2 })
    expect((await audits('voter.proxy.withdraw')).map((a) => a.object_id)).toEqual([p.id])
    expect((await withdraw(organiser, p.id, { version: 2, reason: '再撤' })).statusCode).toBe(409)
    const listed = json<Page>(await organiser.get(`/api/voters/proxies?unitCode=${u1}&status=withdrawn`))
    expect(listed.items.map((x) => x.id)).toEqual([p.id])
    json(await organiser.post('/api/voters/proxies', proxy(p.giver.voterId, await voter('何另一人'), { relation: '兄弟' })), 201)
  })

  it('refuses every change once the roll is frozen (422), and changes nothing', async () => {
    const active = json<Page>(await organiser.get(`/api/voters/proxies?unitCode=${u1}&pageSize=1`)).items[0]!
    const giver = await voter('晚来者')
    const holder = await voter('晚家人')
    await setRoll(u1, { status: 'frozen', published_on: addDays(E, -25), frozen_at: new Date() })
    try {
      const before = await proxyCount()
      for (const res of [await organiser.post('/api/voters/proxies', proxy(giver, holder)), await withdraw(organiser, active.id, { version: active.version, reason: '冻结后' })]) {
        expect(res.statusCode, res.body).toBe(422)
        expect(res.json().message).toContain('冻结')
      }
      expect(await proxyCount()).toBe(before)
      expect(await proxyRow(active.id)).toMatchObject({ status: 'active', version: active.version })
    } finally {
      await setRoll(u1, { status: 'draft' })
    }
  })
})

describe('the list and the published notice', () => {
  it('lists a unit’s active proxies with the roll’s deadline; a township; the cadre only their unit', async () => {
    const page = json<Page>(await organiser.get(`/api/voters/proxies?unitCode=${u1}&pageSize=200`))
    const active = await t.db.selectFrom('voter_proxy').select('id').where('county_code', '=', c.countyCode).where('unit_code', '=', u1).where(sql<boolean>`status = 'active'`).execute()
    expect(page.total).toBe(active.length)
    expect(page.items.every((x) => x.status === 'active')).toBe(true)
    expect(page.roll).toMatchObject({ electionDay: E, deadline: lastDay })
    expect(json<Page>(await organiser.get(`/api/voters/proxies?townshipCode=${c.townships[0]}&pageSize=5`)).items).toHaveLength(5)
    expect(json<Page>(await cadre.get('/api/voters/proxies?pageSize=200')).items.every((x) => x.unitCode === u1)).toBe(true)
  })

  it('prints the notice with givers, holders and relations, and exports the register as xlsx with masked numbers, both audited', async () => {
    const page = json<Page>(await organiser.get(`/api/voters/proxies?unitCode=${u1}&pageSize=200`))
    const pdf = await leader.get(`/api/voters/proxies/list.pdf?unitCode=${u1}`)
    expect(pdf.statusCode, pdf.body).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = pdfText(pdf.rawPayload)
    if (text !== undefined) {
      const flat = text.replace(/\s+/g, '')
      expect(flat).toContain('委托投票公告')
      expect(flat).toContain(`共有${page.total}名选民办理了委托投票`)
      for (const p of page.items.slice(0, 3)) expect(flat).toContain(`${p.giver.name}${p.giver.villageGroup}${p.holder.name}${p.relationLabel}`)
      expect(flat).not.toContain(ids.get(page.items[0]!.giver.voterId)!)
    }
    const xlsx = await organiser.get(`/api/voters/proxies/list.xlsx?unitCode=${u1}`)
    expect(xlsx.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as never)
    const ws = wb.worksheets[0]!
    expect(ws.rowCount).toBe(page.total + 1)
    expect(ws.getRow(1).getCell(2).value).toBe('委托人')
    const giverIds = new Set<string>()
    ws.eachRow((r, n) => {
      if (n > 1) giverIds.add(r.getCell(3).text)
    })
    expect([...giverIds].every((x) => /^\d{4}\*{10}/.test(x))).toBe(true)
    expect((await audits('voter.proxy.export')).length).toBe(2)
  })

  it('prints an empty notice for a unit without proxies, and refuses a unit without a roll', async () => {
    const pdf = await organiser.get(`/api/voters/proxies/list.pdf?unitCode=${u2}`)
    expect(pdf.statusCode).toBe(200)
    const text = pdfText(pdf.rawPayload)
    if (text !== undefined) expect(text.replace(/\s+/g, '')).toContain('没有办理委托投票的选民')
    expect((await organiser.get(`/api/voters/proxies/list.pdf?unitCode=${c.units[0][0]}`)).statusCode).toBe(422)
  })
})
