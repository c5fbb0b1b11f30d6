import { expect } from 'vitest'
import type { Session, TestApp } from './app.ts'
import type { CountyFixture } from './factories.ts'
import { idNumberFor } from './ids.ts'
import { todayInChina } from '../../src/server/modules/person/service.ts'

export interface ReviewScenario {
  personId: string
  holdingId: string
  /** Under review, its requests still pending. */
  pendingNomineeId: string
  /** Qualified, in a public notice, with one objection. */
  noticedNomineeId: string
  batchId: string
  /** The 公安 request of the pending nominee, with one evidence file. */
  requestId: string
  evidenceId: string
  noticeId: string
  objectionId: string
  /** A Party committee election of the unit, its count entered (waiting for confirmation). */
  electionId: string
  resultId: string
}

/** A minimal PDF: enough for the magic-byte check. */
export const tinyPdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

function multipartFile(name: string, content: Buffer, type: string) {
  const boundary = '----hjtest' + Math.random().toString(16).slice(2)
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export async function uploadEvidence(s: Session, requestId: string, name: string, content: Buffer, type = 'application/pdf') {
  const { payload, headers } = multipartFile(name, content, type)
  return s.inject({ method: 'POST', url: `/api/review-requests/${requestId}/evidence`, payload, headers })
}

const ok = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}

/**
 * Walks one township's nominees through the review through the HTTP API, leaving one object of
 * every kind behind: for scope tests that need real objects in another township.
 */
export async function reviewScenario(t: TestApp, c: CountyFixture, township: 0 | 1, seq: number): Promise<ReviewScenario> {
  const tag = `${c.countyCode}_${township}`
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: `sc_admin_${tag}` })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[township], username: `sc_org_${tag}` })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.get('县公安局'), username: `sc_police_${tag}` })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.get('县人民法院'), username: `sc_court_${tag}` })
  const admin = await t.login(`sc_admin_${tag}`)
  const org = await t.login(`sc_org_${tag}`)
  const police = await t.login(`sc_police_${tag}`)
  const court = await t.login(`sc_court_${tag}`)
  const existing = ok<{ id: string }[]>(await admin.get('/api/circumstances'))
  if (!existing.length) {
    ok(await admin.post('/api/circumstances', { text: '因故意犯罪受过刑事处罚的', severity: 'bar', departmentIds: [c.departments.get('县公安局')] }), 201)
    ok(await admin.post('/api/circumstances', { text: '被列为失信被执行人的', severity: 'discourage', departmentIds: [c.departments.get('县人民法院')] }), 201)
  }
  const unit = c.units[township][1]!
  const person = (n: number, name: string) =>
    org.post('/api/people', { name, idNumber: idNumberFor(seq + n), ethnicity: '01', education: '31', politicalStatus: '01', partyJoinedOn: '2001-07-01', unitCode: unit })
  const p1 = ok<{ id: string }>(await person(0, '甲某'), 201)
  const p2 = ok<{ id: string }>(await person(1, '乙某'), 201)
  const holding = ok<{ id: string }>(await org.post('/api/posts', { unitCode: unit, personId: p1.id, body: 'party', post: 'secretary', since: '2021-03-01' }), 201)
  const n1 = ok<{ id: string }>(await org.post('/api/nominees', { personId: p1.id, unitCode: unit, body: 'party', post: 'secretary', putForward: 'party_members' }), 201)
  const n2 = ok<{ id: string }>(await org.post('/api/nominees', { personId: p2.id, unitCode: unit, body: 'committee', post: 'chair', putForward: 'villagers' }), 201)
  const batch = ok<{ id: string; version: number }>(await org.post('/api/review-batches', { nomineeIds: [n1.id, n2.id] }), 201)
  ok(await admin.post(`/api/review-batches/${batch.id}/open`, { version: batch.version }))
  let requestId = ''
  for (const s of [police, court]) {
    const list = ok<{ items: { id: string; nomineeId: string; version: number }[] }>(await s.get(`/api/review-requests?batchId=${batch.id}`))
    for (const r of list.items) {
      if (r.nomineeId === n1.id) {
        if (s === police) requestId = r.id
        continue
      }
      const detail = ok<{ findings: { circumstanceId: string }[] }>(await s.get(`/api/review-requests/${r.id}`))
      ok(await s.post(`/api/review-requests/${r.id}/answer`, { version: r.version, findings: detail.findings.map((f) => ({ circumstanceId: f.circumstanceId, found: false })) }))
    }
  }
  const evidence = ok<{ id: string }>(await uploadEvidence(police, requestId, '户籍证明.pdf', tinyPdf), 201)
  const today = todayInChina()
  const notice = ok<{ id: string }>(await org.post('/api/notices', { unitCode: unit, nomineeIds: [n2.id], issuer: '中共测试镇委员会', startOn: today, endOn: today, contact: '组织办 0471-1234567' }), 201)
  const objection = ok<{ id: string }>(await org.post(`/api/nominees/${n2.id}/objections`, { receivedOn: today, content: '反映其长期不在村居住' }), 201)
  const election = ok<{ id: string; version: number }>(
    await org.post('/api/elections', { unitCode: unit, body: 'party_committee', heldOn: today, place: '会议室', entitled: 10, present: 9, posts: [{ post: 'member', seats: 1 }] }),
    201,
  )
  const withCandidates = ok<{ version: number; candidates: { id: string }[] }>(
    await org.inject({ method: 'PUT', url: `/api/elections/${election.id}/candidates`, payload: { version: election.version, candidates: [{ post: 'member', personId: p1.id }, { post: 'member', name: '丙某', gender: 'male' }] } }),
  )
  const result = ok<{ id: string; version: number }>(await org.post(`/api/elections/${election.id}/results`, { mode: 'totals' }), 201)
  const [a, b] = withCandidates.candidates.map((x) => x.id)
  const sheet = { printed: 9, issued: 9, returned: 9, spoiled: 0, unused: 0, stations: [], validBallots: 9, voidBallots: 0, candidates: { [a!]: { approve: 7, disapprove: 1, abstain: 1 }, [b!]: { approve: 2, disapprove: 5, abstain: 2 } }, writeIns: [] }
  const saved = ok<{ version: number }>(await org.inject({ method: 'PUT', url: `/api/tally-results/${result.id}/sheet`, payload: { version: result.version, sheet } }))
  ok(await org.post(`/api/tally-results/${result.id}/submit`, { version: saved.version }))
  return {
    electionId: election.id,
    resultId: result.id,
    personId: p1.id,
    holdingId: holding.id,
    pendingNomineeId: n1.id,
    noticedNomineeId: n2.id,
    batchId: batch.id,
    requestId,
    evidenceId: evidence.id,
    noticeId: notice.id,
    objectionId: objection.id,
  }
}
