import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { verifyChain } from '../audit/service.ts'
import { todayInChina } from '../person/service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherOrganiser: Session
let police: Session
let court: Session
let foreignPolice: Session
const circ: Record<string, string> = {}
const nominee: Record<string, { id: string; version: number }> = {}
let batch: { id: string; version: number }

const daysFromToday = (n: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

const audits = (action: string) => t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('action', '=', action).execute()

async function registerPerson(name: string, seq: number, unitCode: string) {
  const res = await organiser.post('/api/people', { name, idNumber: idNumberFor(seq), ethnicity: '01', education: '31', politicalStatus: '01', partyJoinedOn: '2005-07-01', unitCode })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}

async function nominate(key: string, personId: string, unitCode: string, body: string, post: string) {
  const res = await organiser.post('/api/nominees', { personId, unitCode, body, post, putForward: 'party_members' })
  expect(res.statusCode, res.body).toBe(201)
  nominee[key] = { id: res.json().id, version: res.json().version }
}

async function fresh(key: string) {
  const res = await admin.get(`/api/nominees/${nominee[key]!.id}`)
  expect(res.statusCode, res.body).toBe(200)
  nominee[key]!.version = res.json().version
  return res.json()
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  const other = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'r_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'r_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'r_org2' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.get('县公安局'), username: 'r_police' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.get('县人民法院'), username: 'r_court' })
  await t.make.user({ role: 'reviewer', territoryCode: other.county, departmentId: other.departments.get('县公安局'), username: 'r_police_x' })
  admin = await t.login('r_admin')
  organiser = await t.login('r_org')
  otherOrganiser = await t.login('r_org2')
  police = await t.login('r_police')
  court = await t.login('r_court')
  foreignPolice = await t.login('r_police_x')
  const p = c.departments.get('县公安局')!
  const k = c.departments.get('县人民法院')!
  for (const [key, text, severity, depts] of [
    ['crime', '因故意犯罪受过刑事处罚的', 'bar', [p]],
    ['debtor', '被列为失信被执行人的', 'discourage', [k]],
    ['gang', '涉黑涉恶受到处理的', 'bar', [p, k]],
  ] as const) {
    const res = await admin.post('/api/circumstances', { text, severity, departmentIds: depts })
    expect(res.statusCode, res.body).toBe(201)
    circ[key] = res.json().id
  }
  const [unitA, unitB] = [c.units[0][1]!, c.units[0][2]!]
  await nominate('zhang', await registerPerson('张三', 1, unitA), unitA, 'party', 'secretary')
  await nominate('li', await registerPerson('李四', 2, unitB), unitB, 'committee', 'chair')
  await nominate('wang', await registerPerson('王五', 3, unitB), unitB, 'party', 'member')
})
afterAll(() => t.close())

const answer = (s: Session, requestId: string, version: number, findings: { circumstanceId: string; found: boolean; note?: string }[]) =>
  s.post(`/api/review-requests/${requestId}/answer`, { version, findings })

async function requestOf(s: Session, key: string) {
  const res = await s.get('/api/review-requests?pageSize=100')
  expect(res.statusCode, res.body).toBe(200)
  const r = res.json().items.find((x: { nomineeId: string }) => x.nomineeId === nominee[key]!.id)
  expect(r).toBeDefined()
  return r as { id: string; version: number; departmentName: string }
}

describe('nominees and the joint review', () => {
  it('refuses illegal steps with 409 and changes nothing', async () => {
    const before = await fresh('zhang')
    const res = await admin.post(`/api/nominees/${nominee.zhang!.id}/decision`, { version: before.version, verdict: 'qualified', reason: '试图跳过联审' })
    expect(res.statusCode).toBe(409)
    const notice = await organiser.post('/api/notices', { unitCode: c.units[0][1], nomineeIds: [nominee.zhang!.id], issuer: '中共第1镇委员会', startOn: daysFromToday(0), endOn: daysFromToday(5), contact: '组织办 0471-1234567' })
    expect(notice.statusCode).toBe(409)
    expect(notice.json().message).toContain('草稿')
    const after = await fresh('zhang')
    expect(after).toMatchObject({ state: 'draft', version: before.version })
  })

  it('refuses a second live nomination of the same person to the same body, and a non-member for the Party committee', async () => {
    const dup = await organiser.post('/api/nominees', { personId: (await fresh('zhang')).personId, unitCode: c.units[0][1], body: 'party', post: 'member', putForward: 'self' })
    expect(dup.statusCode).toBe(409)
    const masses = await organiser.post('/api/people', { name: '赵六', idNumber: idNumberFor(9), ethnicity: '01', education: '21', politicalStatus: '13', unitCode: c.units[0][1] })
    const res = await organiser.post('/api/nominees', { personId: masses.json().id, unitCode: c.units[0][1], body: 'party', post: 'member', putForward: 'self' })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('中共党员')
  })

  it('lets a township submit only its own nominees', async () => {
    const res = await otherOrganiser.post('/api/review-batches', { nomineeIds: [nominee.zhang!.id] })
    expect(res.statusCode).toBe(404)
    expect((await fresh('zhang')).state).toBe('draft')
  })

  it('submits a batch, and the county opens one request per nominee per department', async () => {
    const res = await organiser.post('/api/review-batches', { nomineeIds: [nominee.zhang!.id, nominee.li!.id, nominee.wang!.id] })
    expect(res.statusCode, res.body).toBe(201)
    batch = { id: res.json().id, version: res.json().version }
    expect(res.json()).toMatchObject({ status: 'submitted', nomineeCount: 3, townshipCode: c.townships[0] })
    expect((await fresh('li')).state).toBe('submitted')
    expect((await organiser.post(`/api/review-batches/${batch.id}/open`, { version: batch.version })).statusCode).toBe(403)
    const open = await admin.post(`/api/review-batches/${batch.id}/open`, { version: batch.version })
    expect(open.statusCode, open.body).toBe(200)
    expect(open.json()).toMatchObject({ status: 'in_review', pendingCount: 6 })
    // Five working days from today.
    expect(open.json().deadline > todayInChina()).toBe(true)
    batch.version = open.json().version
    const rows = await t.db.selectFrom('review_request').selectAll().where('county_code', '=', c.countyCode).execute()
    expect(rows).toHaveLength(6)
    const findings = await t.db.selectFrom('review_finding').selectAll().where('county_code', '=', c.countyCode).execute()
    // 公安 checks crime + gang, 法院 checks debtor + gang: 4 findings per nominee.
    expect(findings).toHaveLength(12)
    expect((await audits('review.batch.open'))[0]).toMatchObject({ object_id: batch.id })
    expect((await fresh('zhang')).state).toBe('under_review')
  })

  it('shows a reviewer only their own department’s requests in their own county', async () => {
    const mine = await police.get('/api/review-requests?pageSize=100')
    expect(mine.json().total).toBe(3)
    expect(mine.json().items.every((r: { departmentName: string }) => r.departmentName === '县公安局')).toBe(true)
    const courtReq = await requestOf(court, 'zhang')
    expect((await police.get(`/api/review-requests/${courtReq.id}`)).statusCode).toBe(404)
    expect((await foreignPolice.get(`/api/review-requests/${courtReq.id}`)).statusCode).toBe(404)
    expect((await foreignPolice.get('/api/review-requests')).json().total).toBe(0)
    expect((await police.get(`/api/nominees/${nominee.zhang!.id}`)).statusCode).toBe(403)
    // A reviewer cannot answer another department's request either.
    expect((await answer(police, courtReq.id, courtReq.version, [])).statusCode).toBe(404)
  })

  it('needs every circumstance answered, and a note for what was found', async () => {
    const r = await requestOf(police, 'zhang')
    const partial = await answer(police, r.id, r.version, [{ circumstanceId: circ.crime!, found: false }])
    expect(partial.statusCode).toBe(400)
    expect(partial.json().message).toContain('涉黑涉恶')
    const noNote = await answer(police, r.id, r.version, [
      { circumstanceId: circ.crime!, found: true },
      { circumstanceId: circ.gang!, found: false },
    ])
    expect(noNote.statusCode).toBe(400)
    expect(noNote.json().message).toContain('写明')
  })

  it('disqualifies at once when a bar is found', async () => {
    const r = await requestOf(police, 'zhang')
    const res = await answer(police, r.id, r.version, [
      { circumstanceId: circ.crime!, found: true, note: '2015 年因故意伤害罪被判处有期徒刑一年' },
      { circumstanceId: circ.gang!, found: false },
    ])
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'answered', nomineeState: 'disqualified' })
    expect((await answer(police, r.id, res.json().version, [])).statusCode).toBe(400)
    const detail = await fresh('zhang')
    expect(detail).toMatchObject({ state: 'disqualified', needsTalk: true, outcome: 'disqualified' })
    expect((await audits('nominee.conclude')).map((a) => a.object_id)).toContain(nominee.zhang!.id)
  })

  it('qualifies when every department is clear, and waits for the county on a “discourage” finding', async () => {
    for (const key of ['li', 'wang']) {
      const p = await requestOf(police, key)
      expect((await answer(police, p.id, p.version, [{ circumstanceId: circ.crime!, found: false }, { circumstanceId: circ.gang!, found: false }])).statusCode).toBe(200)
    }
    expect((await fresh('li')).state).toBe('under_review')
    const k1 = await requestOf(court, 'li')
    expect((await answer(court, k1.id, k1.version, [{ circumstanceId: circ.debtor!, found: false }, { circumstanceId: circ.gang!, found: false }])).statusCode).toBe(200)
    expect((await fresh('li')).state).toBe('qualified')
    const k2 = await requestOf(court, 'wang')
    const res = await answer(court, k2.id, k2.version, [
      { circumstanceId: circ.debtor!, found: true, note: '2024 年被列为失信被执行人，已于 2025 年履行完毕' },
      { circumstanceId: circ.gang!, found: false },
    ])
    expect(res.statusCode).toBe(200)
    const wang = await fresh('wang')
    expect(wang).toMatchObject({ state: 'under_review', outcome: 'county_decision', needsDecision: true })
    expect((await organiser.post(`/api/nominees/${nominee.wang!.id}/decision`, { version: wang.version, verdict: 'qualified', reason: 'x' })).statusCode).toBe(403)
    const decided = await admin.post(`/api/nominees/${nominee.wang!.id}/decision`, { version: wang.version, verdict: 'qualified', reason: '失信记录已履行完毕并移出名单，经研究同意' })
    expect(decided.statusCode, decided.body).toBe(200)
    expect(decided.json()).toMatchObject({ state: 'qualified', decision: 'qualified' })
  })

  it('keeps the batch open until every disqualified nominee has a talk record', async () => {
    const blocked = await admin.post(`/api/review-batches/${batch.id}/close`, { version: batch.version })
    expect(blocked.statusCode).toBe(422)
    expect(blocked.json().message).toContain('谈话')
    const detail = await admin.get(`/api/review-batches/${batch.id}`)
    expect(detail.json().blockers).toEqual([expect.stringContaining('张三')])
    const talk = await organiser.post(`/api/nominees/${nominee.zhang!.id}/talks`, {
      talkedOn: todayInChina(),
      talkers: '镇党委副书记 刘某、组织委员 陈某',
      content: '告知其因受过刑事处罚不能确定为候选人人选，并说明政策依据',
      response: '本人表示理解，服从组织决定',
    })
    expect(talk.statusCode, talk.body).toBe(201)
    expect((await organiser.post(`/api/nominees/${nominee.li!.id}/talks`, { talkedOn: todayInChina(), talkers: 'a', content: 'b', response: 'c' })).statusCode).toBe(409)
    const closed = await admin.post(`/api/review-batches/${batch.id}/close`, { version: batch.version })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().status).toBe('closed')
  })

  it('exports the ledger with each department’s findings, ID numbers masked', async () => {
    const res = await admin.get(`/api/review-batches/ledger?batchId=${batch.id}`)
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const text = JSON.stringify(ws.getSheetValues())
    expect(ws.rowCount).toBe(4)
    expect(text).toContain('县公安局意见')
    expect(text).toContain('发现：因故意犯罪受过刑事处罚的')
    expect(text).toContain('失信记录已履行完毕')
    expect(text).toContain('1101**********')
    expect(text).not.toContain(idNumberFor(1))
  })

  it('publishes the notice as Word and PDF, takes an objection and makes formal candidates when it ends', async () => {
    const unit = c.units[0][2]!
    const body = { unitCode: unit, nomineeIds: [nominee.li!.id, nominee.wang!.id], issuer: '中共第1镇委员会', startOn: daysFromToday(-8), endOn: daysFromToday(-1), contact: '镇组织办 王某 0471-1234567' }
    const created = await organiser.post('/api/notices', body)
    expect(created.statusCode, created.body).toBe(201)
    const notice = created.json()
    expect((await fresh('li')).state).toBe('in_notice')
    const docx = await organiser.get(`/api/notices/${notice.id}/document?format=docx`)
    expect(docx.statusCode).toBe(200)
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK')
    expect(docx.headers['content-disposition']).toContain("filename*=UTF-8''")
    const pdf = await organiser.get(`/api/notices/${notice.id}/document?format=pdf`)
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200)
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')

    const objection = await organiser.post(`/api/nominees/${nominee.wang!.id}/objections`, { receivedOn: todayInChina(), content: '群众来信反映其曾被列为失信被执行人' })
    expect(objection.statusCode, objection.body).toBe(201)
    const early = await organiser.post(`/api/notices/${notice.id}/close`, { version: notice.version })
    expect(early.statusCode).toBe(422)
    expect(early.json().message).toContain('异议')
    const handled = await organiser.patch(`/api/nominees/${nominee.wang!.id}/objections/${objection.json().id}`, {
      version: objection.json().version,
      handling: '经核查，失信记录已履行完毕并移出名单，县级联审时已研究，异议不成立',
      upheld: false,
      handledOn: todayInChina(),
    })
    expect(handled.statusCode, handled.body).toBe(200)
    const closed = await organiser.post(`/api/notices/${notice.id}/close`, { version: notice.version })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json()).toMatchObject({ status: 'closed', candidates: 2, disqualified: 0 })
    expect((await fresh('wang')).state).toBe('candidate')
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('keeps a nominee’s person registered and withdraws with a reason', async () => {
    const li = await fresh('li')
    expect((await organiser.del(`/api/people/${li.personId}?version=1`)).statusCode).toBe(409)
    expect((await organiser.post(`/api/nominees/${nominee.li!.id}/withdraw`, { version: li.version, reason: '' })).statusCode).toBe(400)
    const res = await organiser.post(`/api/nominees/${nominee.li!.id}/withdraw`, { version: li.version, reason: '本人因身体原因申请退出' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ state: 'withdrawn', withdrawReason: '本人因身体原因申请退出' })
  })
})
