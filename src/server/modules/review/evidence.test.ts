import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { reviewScenario, tinyPdf, uploadEvidence, type ReviewScenario } from '../../../../test/helpers/scenario.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'

let t: TestApp
let c: CountyFixture
let s: ReviewScenario
let admin: Session
let organiser: Session
let police: Session
let court: Session
let auditor: Session

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  s = await reviewScenario(t, c, 0, 200)
  const tag = `${c.countyCode}_0`
  admin = await t.login(`sc_admin_${tag}`)
  organiser = await t.login(`sc_org_${tag}`)
  police = await t.login(`sc_police_${tag}`)
  court = await t.login(`sc_court_${tag}`)
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'ev_auditor' })
  auditor = await t.login('ev_auditor')
})
afterAll(() => t.close())

describe('evidence files', () => {
  it('checks the content, not just the name', async () => {
    const renamed = await uploadEvidence(police, s.requestId, '判决书.pdf', png)
    expect(renamed.statusCode).toBe(400)
    expect(renamed.json().message).toContain('不是有效的 PDF')
    const exe = await uploadEvidence(police, s.requestId, 'tool.exe', Buffer.from('MZ'))
    expect(exe.statusCode).toBe(400)
    const ok = await uploadEvidence(police, s.requestId, '照片.png', png, 'image/png')
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({ fileName: '照片.png', contentType: 'image/png', size: png.length })
  })

  it('lets only the department, the county and auditors read it, each read audited', async () => {
    const url = `/api/review-requests/${s.requestId}/evidence/${s.evidenceId}`
    const res = await admin.get(url)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.rawPayload.equals(tinyPdf)).toBe(true)
    expect((await auditor.get(url)).statusCode).toBe(200)
    expect((await police.get(url)).statusCode).toBe(200)
    expect((await organiser.get(url)).statusCode).toBe(403)
    expect((await court.get(url)).statusCode).toBe(404)
    const reads = await t.db.selectFrom('audit_log').select('actor_name').where('county_code', '=', c.countyCode).where('action', '=', 'review.evidence.download').execute()
    expect(reads).toHaveLength(3)
  })

  it('can be removed before the answer, not after', async () => {
    const extra = await uploadEvidence(police, s.requestId, '多传的.pdf', tinyPdf)
    expect((await court.del(`/api/review-requests/${s.requestId}/evidence/${extra.json().id}`)).statusCode).toBe(404)
    expect((await police.del(`/api/review-requests/${s.requestId}/evidence/${extra.json().id}`)).statusCode).toBe(200)
    const r = (await police.get(`/api/review-requests/${s.requestId}`)).json()
    const answered = await police.post(`/api/review-requests/${s.requestId}/answer`, {
      version: r.version,
      findings: r.findings.map((f: { circumstanceId: string }) => ({ circumstanceId: f.circumstanceId, found: false })),
    })
    expect(answered.statusCode, answered.body).toBe(200)
    expect((await police.del(`/api/review-requests/${s.requestId}/evidence/${s.evidenceId}`)).statusCode).toBe(409)
    expect((await uploadEvidence(police, s.requestId, '迟到的.pdf', tinyPdf)).statusCode).toBe(409)
  })
})

describe('overdue requests', () => {
  it('flags requests past their deadline to the county and the township', async () => {
    await t.db.updateTable('review_request').set({ deadline: '2026-01-05' }).where('county_code', '=', c.countyCode).where('status', '=', 'pending').execute()
    const county = (await admin.get('/api/review-requests?overdue=true')).json()
    expect(county.total).toBe(1)
    expect(county.items[0]).toMatchObject({ overdue: true, departmentName: '县人民法院', nomineeId: s.pendingNomineeId })
    expect((await organiser.get('/api/review-requests?overdue=true')).json().total).toBe(1)
    const summary = (await admin.get('/api/review-requests/summary')).json()
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ departmentName: '县人民法院', pending: 1, overdue: 1 }),
        expect.objectContaining({ departmentName: '县公安局', pending: 0, overdue: 0 }),
      ]),
    )
    // The court's own queue shows it as overdue too.
    expect((await court.get('/api/review-requests?overdue=true')).json().total).toBe(1)
    expect((await police.get('/api/review-requests?overdue=true')).json().total).toBe(0)
  })
})

describe('a department’s reply on paper', () => {
  it('lets the county admin enter it, naming the letter, and nobody else', async () => {
    const list = (await admin.get(`/api/review-requests?batchId=${s.batchId}&status=pending`)).json<{ items: { id: string; version: number; departmentName: string }[] }>().items
    const r = list.find((x) => x.departmentName === '县人民法院')!
    const d = (await admin.get(`/api/review-requests/${r.id}`)).json<{ findings: { circumstanceId: string }[] }>()
    const findings = d.findings.map((f) => ({ circumstanceId: f.circumstanceId, found: false }))
    const without = await admin.post(`/api/review-requests/${r.id}/answer`, { version: r.version, findings })
    expect(without.statusCode).toBe(400)
    expect(without.json().message).toContain('函复')
    expect((await organiser.post(`/api/review-requests/${r.id}/answer`, { version: r.version, findings, paperReply: 'x' })).statusCode).toBe(403)
    const res = await admin.post(`/api/review-requests/${r.id}/answer`, { version: r.version, findings, paperReply: '县人民法院 2026年12月1日函复（法函〔2026〕8号）' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().answeredBy).toContain('代录县人民法院函复：县人民法院 2026年12月1日函复')
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_name']).where('county_code', '=', c.countyCode).where('action', '=', 'review.answer').where('object_id', '=', r.id).executeTakeFirstOrThrow()
    expect(audit.actor_name).not.toBe('')
  })
})

describe('returning a submitted nominee', () => {
  it('sends it back to the township as a draft with the reason, county only', async () => {
    const p = await organiser.post('/api/people', { name: '丙某', idNumber: idNumberFor(250), ethnicity: '01', education: '31', politicalStatus: '13', unitCode: c.units[0][2] })
    const n = await organiser.post('/api/nominees', { personId: p.json().id, unitCode: c.units[0][2], body: 'committee', post: 'member', putForward: 'self' })
    await organiser.post('/api/review-batches', { nomineeIds: [n.json().id] })
    const cur = (await admin.get(`/api/nominees/${n.json().id}`)).json()
    expect(cur.state).toBe('submitted')
    expect((await organiser.post(`/api/nominees/${cur.id}/return`, { version: cur.version, reason: '材料不全' })).statusCode).toBe(403)
    const res = await admin.post(`/api/nominees/${cur.id}/return`, { version: cur.version, reason: '缺少本人签字的承诺书' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ state: 'draft', returnReason: '缺少本人签字的承诺书', batchId: null })
    // A second return with the old version changes nothing.
    expect((await admin.post(`/api/nominees/${cur.id}/return`, { version: cur.version, reason: '再退' })).statusCode).toBe(409)
  })
})
