import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { reviewScenario, type ReviewScenario } from '../../../../test/helpers/scenario.ts'

let t: TestApp
let c: CountyFixture
let s: ReviewScenario
let admin: Session
let organiser: Session
let police: Session
let court: Session
let leader: Session
let cadre: Session
let auditor: Session

async function nominee(name: string, seq: number, body = 'committee', post = 'member') {
  const p = await organiser.post('/api/people', { name, idNumber: idNumberFor(seq), ethnicity: '01', education: '31', politicalStatus: '01', partyJoinedOn: '2001-07-01', unitCode: c.units[0][2] })
  expect(p.statusCode, p.body).toBe(201)
  const n = await organiser.post('/api/nominees', { personId: p.json().id, unitCode: c.units[0][2], body, post, putForward: 'joint', note: '村民代表 12 人联名' })
  expect(n.statusCode, n.body).toBe(201)
  return n.json<{ id: string; version: number }>()
}

/** Every circumstance of a request clear, except those named found. */
async function answerAll(session: Session, nomineeId: string, found: string[] = []) {
  const list = (await session.get('/api/review-requests?pageSize=100')).json<{ items: { id: string; nomineeId: string; version: number; status: string }[] }>().items
  const r = list.find((x) => x.nomineeId === nomineeId && x.status === 'pending')!
  const d = (await session.get(`/api/review-requests/${r.id}`)).json<{ findings: { circumstanceId: string; text: string }[] }>()
  const res = await session.post(`/api/review-requests/${r.id}/answer`, {
    version: r.version,
    findings: d.findings.map((f) => ({ circumstanceId: f.circumstanceId, found: found.some((x) => f.text.includes(x)), note: '经查属实' })),
  })
  expect(res.statusCode, res.body).toBe(200)
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  s = await reviewScenario(t, c, 0, 300)
  const tag = `${c.countyCode}_0`
  admin = await t.login(`sc_admin_${tag}`)
  organiser = await t.login(`sc_org_${tag}`)
  police = await t.login(`sc_police_${tag}`)
  court = await t.login(`sc_court_${tag}`)
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'nm_leader' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [c.units[0][2]!], username: 'nm_cadre' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'nm_auditor' })
  leader = await t.login('nm_leader')
  cadre = await t.login('nm_cadre')
  auditor = await t.login('nm_auditor')
})
afterAll(() => t.close())

describe('nominee list and edits', () => {
  it('edits a draft under its version, and nothing once submitted', async () => {
    const n = await nominee('钱某', 401)
    const edited = await organiser.patch(`/api/nominees/${n.id}`, { version: n.version, post: 'vice_chair', note: '改为副主任人选' })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ post: 'vice_chair', postLabel: '副主任', note: '改为副主任人选', version: n.version + 1 })
    expect((await organiser.patch(`/api/nominees/${n.id}`, { version: n.version, note: '旧版本' })).statusCode).toBe(409)
    expect((await organiser.patch(`/api/nominees/${n.id}`, { version: n.version + 1, body: 'committee', post: 'secretary' })).statusCode).toBe(400)
    const pending = (await admin.get(`/api/nominees/${s.pendingNomineeId}`)).json()
    const res = await organiser.patch(`/api/nominees/${s.pendingNomineeId}`, { version: pending.version, note: 'x' })
    expect(res.statusCode).toBe(409)
    expect(res.json().message).toContain('只有草稿')
    const audit = await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('object_type', '=', 'nominee').where('object_id', '=', n.id).execute()
    expect(audit.map((a) => a.action)).toEqual(['nominee.create', 'nominee.update'])
  })

  it('filters by township, unit, state and name; read-only roles read, cannot write', async () => {
    const all = (await admin.get('/api/nominees?pageSize=100')).json()
    expect(all.total).toBe(3)
    expect((await admin.get(`/api/nominees?unitCode=${c.townships[0]}`)).json().total).toBe(3)
    expect((await admin.get(`/api/nominees?unitCode=${c.townships[1]}`)).json().total).toBe(0)
    expect((await admin.get(`/api/nominees?unitCode=${c.county}`)).json().total).toBe(3)
    expect((await admin.get('/api/nominees?state=in_notice')).json().items.map((x: { id: string }) => x.id)).toEqual([s.noticedNomineeId])
    expect((await admin.get(`/api/nominees?keyword=${encodeURIComponent('钱')}`)).json().total).toBe(1)
    expect((await leader.get('/api/nominees')).json().total).toBe(3)
    // The contact cadre sees the assigned unit only.
    expect((await cadre.get('/api/nominees')).json().total).toBe(1)
    expect((await cadre.get(`/api/nominees/${s.pendingNomineeId}`)).statusCode).toBe(404)
    expect((await auditor.get(`/api/nominees/${s.pendingNomineeId}`)).statusCode).toBe(200)
    for (const who of [leader, cadre, auditor]) {
      expect((await who.post('/api/nominees', { personId: s.personId, unitCode: c.units[0][1], body: 'committee', post: 'member', putForward: 'self' })).statusCode).toBe(403)
    }
  })

  it('refuses objections and talks outside their stage', async () => {
    expect((await organiser.post(`/api/nominees/${s.pendingNomineeId}/objections`, { receivedOn: '2026-01-05', content: '反映' })).statusCode).toBe(409)
    expect((await organiser.post(`/api/nominees/${s.noticedNomineeId}/talks`, { talkedOn: '2026-01-05', talkers: 'a', content: 'b', response: 'c' })).statusCode).toBe(409)
    const future = await organiser.post(`/api/nominees/${s.noticedNomineeId}/objections`, { receivedOn: '2099-01-01', content: '反映' })
    expect(future.statusCode).toBe(400)
  })
})

describe('worklists', () => {
  it('counts nominees waiting for the county’s decision and for a talk', async () => {
    const decide = await nominee('孙某', 411)
    const talk = await nominee('李某', 412)
    const batch = (await organiser.post('/api/review-batches', { nomineeIds: [decide.id, talk.id] })).json()
    expect((await admin.post(`/api/review-batches/${batch.id}/open`, { version: batch.version, deadlineWorkdays: 3 })).statusCode).toBe(200)
    await answerAll(police, decide.id)
    await answerAll(court, decide.id, ['失信'])
    await answerAll(police, talk.id, ['刑事处罚'])
    const summary = (await organiser.get('/api/nominees/summary')).json()
    expect(summary).toMatchObject({ awaitingDecision: 1, awaitingTalk: 1 })
    expect(summary.byState).toMatchObject({ draft: 1, under_review: 2, disqualified: 1, in_notice: 1 })
    expect((await admin.get('/api/nominees?awaiting=decision')).json().items.map((x: { id: string }) => x.id)).toEqual([decide.id])
    expect((await admin.get('/api/nominees?awaiting=talk')).json().items.map((x: { id: string }) => x.id)).toEqual([talk.id])
    await organiser.post(`/api/nominees/${talk.id}/talks`, { talkedOn: '2026-01-05', talkers: '镇组织委员', content: '说明情况', response: '无异议' })
    expect((await organiser.get('/api/nominees/summary')).json().awaitingTalk).toBe(0)
  })

  it('takes a withdrawn nominee’s requests off the departments’ queues', async () => {
    const before = (await police.get('/api/review-requests?status=pending')).json().total
    const n = (await admin.get(`/api/nominees/${s.pendingNomineeId}`)).json()
    const res = await organiser.post(`/api/nominees/${n.id}/withdraw`, { version: n.version, reason: '本人书面申请退出' })
    expect(res.statusCode, res.body).toBe(200)
    expect((await police.get('/api/review-requests?status=pending')).json().total).toBe(before - 1)
    const rows = await t.db.selectFrom('review_request').select('status').where('county_code', '=', c.countyCode).where('nominee_id', '=', n.id).execute()
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled'])
  })
})
