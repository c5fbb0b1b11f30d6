import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../helpers/app.ts'
import type { CountyFixture } from '../helpers/factories.ts'
import { hashToken } from '../../src/server/modules/auth/service.ts'
import { reviewScenario, type ReviewScenario } from '../helpers/scenario.ts'
import { multipart } from '../helpers/upload.ts'
import { idNumberFor } from '../helpers/ids.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let cadre: Session
let otherUserId: string
let otherSessionId: string
let theirs: ReviewScenario
/** A daily report of the other township, with one photo. */
const theirReport = { id: '', photoId: '' }
/** A guidance group of the other township. */
let theirGroupId = ''
/** Issue 6's records of the other township (or its unit): meeting and decision, document, publicity, 三情. */
const theirWork = { meeting: '', decision: '', document: '', activity: '', risk: '', visit: '', talk: '', voter: '' }

interface Op {
  method: string
  url: string
  payload?: Record<string, unknown>
}

const samples: Record<string, unknown> = {
  version: 1,
  name: '越权',
  status: 'retired',
  displayName: '越权',
  reason: '越权',
  verdict: 'qualified',
  receivedOn: '2026-01-05',
  handledOn: '2026-01-05',
  talkedOn: '2026-01-05',
  content: '越权',
  handling: '越权',
  upheld: true,
  talkers: '越权',
  response: '越权',
  findings: [],
  deadlineWorkdays: 5,
  format: 'pdf',
  mode: 'totals',
  candidates: [],
  staff: [],
  stations: [],
  ballots: [{}],
  basis: '越权',
  overrides: {},
  partyOn: null,
  committeeOn: null,
  doneOn: '2026-01-05',
  evidence: '越权',
  members: [],
  unitCodes: [],
  duties: '越权',
  sheet: { printed: 0, issued: 0, returned: 0, spoiled: 0, unused: 0, stations: [], validBallots: 0, voidBallots: 0, candidates: {}, writeIns: [] },
}

/** A body the route's schema accepts, so that only the scope check can refuse it. */
function bodyFor(op: { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown>; anyOf?: { properties?: Record<string, unknown> }[] } }> }; parameters?: { in: string; name: string; required?: boolean }[] }) {
  const schema = op.requestBody?.content?.['application/json']?.schema
  // A union body (e.g. confirm by scan | by double entry): its first form.
  const props = schema?.properties ?? schema?.anyOf?.[0]?.properties
  if (!props) return undefined
  const pick = (k: string, schema: unknown) => {
    const s = schema as { const?: unknown; enum?: unknown[] }
    if (s.const !== undefined) return s.const
    if (s.enum?.length === 1) return s.enum[0]
    const options = (schema as { anyOf?: { const?: unknown; enum?: unknown[] }[] }).anyOf
    const consts = options?.map((o) => o.const ?? o.enum?.[0]).filter((x) => x !== undefined)
    return consts?.length ? consts[consts.length - 1] : samples[k]
  }
  return Object.fromEntries(Object.entries(props).filter(([k]) => k in samples).map(([k, v]) => [k, pick(k, v)]))
}

/** Every route of the OpenAPI document that names one object, filled with another township's ids. */
async function objectRoutes(): Promise<Op[]> {
  const doc = (await organiser.get('/api/docs/json')).json<{ paths: Record<string, Record<string, Parameters<typeof bodyFor>[0]>> }>()
  const ops: Op[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.includes('{')) continue
    for (const [method, op] of Object.entries(methods)) {
      // Each path names a real object of the other township, so only the scope check can refuse it.
      const idFor: [string, string][] = [
        ['/api/auth/sessions', otherSessionId],
        ['/api/people', theirs.personId],
        ['/api/posts', theirs.holdingId],
        ['/api/nominees', theirs.noticedNomineeId],
        ['/api/review-batches', theirs.batchId],
        ['/api/review-requests', theirs.requestId],
        ['/api/notices', theirs.noticeId],
        ['/api/elections', theirs.electionId],
        ['/api/tally-results', theirs.resultId],
        ['/api/reports', theirReport.id],
        ['/api/organisation/groups', theirGroupId],
        ['/api/deployment/meetings', theirWork.meeting],
        ['/api/deployment/documents', theirWork.document],
        ['/api/publicity', theirWork.activity],
        ['/api/situation/risk-items', theirWork.risk],
        ['/api/situation/visits', theirWork.visit],
        ['/api/situation/talks', theirWork.talk],
        ['/api/voters', theirWork.voter],
      ]
      const url = path
        .replace('{code}', c.units[1][1]!)
        .replace('{id}', idFor.find(([p]) => path.startsWith(p))?.[1] ?? otherUserId)
        .replace('{objectionId}', theirs.objectionId)
        .replace('{evidenceId}', theirs.evidenceId)
        .replace('{kind}', 'report')
        .replace('{key}', 'voter_list')
        .replace('{photoId}', theirReport.photoId)
        .replace('{decisionId}', theirWork.decision)
        .replace('{unitCode}', c.units[1][1]!)
        .replace('{format}', 'pdf')
      if (url.includes('{')) continue
      // Required query parameters get a valid value too (a DELETE's version).
      const query = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required && p.name in samples).map((p) => `${p.name}=${String(samples[p.name])}`)
      ops.push({ method: method.toUpperCase(), url: query.length ? `${url}?${query.join('&')}` : url, payload: bodyFor(op) })
    }
  }
  return ops
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 's_org' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], username: 's_cadre', unitCodes: [c.units[0][1]!] })
  otherUserId = (await t.make.user({ role: 'leader', territoryCode: c.townships[1], username: 's_other' })).id
  organiser = await t.login('s_org')
  const other = await t.login('s_other')
  otherSessionId = hashToken(other.cookie.split('.')[1]!).slice(0, 16)
  cadre = await t.login('s_cadre')
  theirs = await reviewScenario(t, c, 1, 100)
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 's_admin' })
  const admin = await t.login('s_admin')
  expect((await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: '2026-01-01' })).statusCode).toBe(200)
  const report = await admin.post('/api/reports', { unitCode: c.units[1][1]!, nothingNew: false, progress: '越权测试用', problems: '', nextSteps: '', figures: {}, milestones: [] })
  theirReport.id = report.json<{ id: string }>().id
  const boundary = '----hjscope'
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 1)])
  const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${boundary}--\r\n`)])
  const photo = await admin.inject({ method: 'POST', url: `/api/reports/${theirReport.id}/photos`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
  theirReport.photoId = photo.json<{ photos: { id: string }[] }>().photos[0]!.id
  const group = await admin.post('/api/organisation/groups', { township: c.townships[1], kind: 'guidance', name: '指导组', members: [], unitCodes: [c.units[1][1]!], duties: '' })
  theirGroupId = group.json<{ id: string }>().id
  const unit = c.units[1][1]!
  const day = '2026-01-05'
  const made = async (res: { statusCode: number; body: string; json: <T>() => T }) => {
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ id: string; decisions?: { id: string }[] }>()
  }
  const meeting = await made(
    await admin.post('/api/deployment/meetings', { territory: c.townships[1], kind: 'mobilisation', title: '动员会', heldOn: day, place: '', host: '', attendees: [], attendeeCount: 20, minutes: '', decisions: [{ content: '制定方案', owner: '各村书记', deadline: null }] }),
  )
  theirWork.meeting = meeting.id
  theirWork.decision = meeting.decisions![0]!.id
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
  const docForm = multipart(pdf, { meta: JSON.stringify({ territory: c.townships[1], kind: 'plan', title: '实施方案', docNumber: '', issuedOn: day, summary: '', toAll: true, unitCodes: [] }) }, '方案.pdf')
  theirWork.document = (await made(await admin.inject({ method: 'POST', url: '/api/deployment/documents', payload: docForm.payload, headers: docForm.headers }))).id
  theirWork.activity = (await made(await admin.post('/api/publicity', { unitCode: unit, channel: 'banner', heldOn: day, theme: '横幅', reach: 10, place: '' }))).id
  theirWork.risk = (await made(await admin.post('/api/situation/risk-items', { unitCode: unit, category: 'clan', description: '矛盾', owner: '某人', deadline: day, status: 'open', resolution: '', resolvedOn: null }))).id
  theirWork.visit = (await made(await admin.post('/api/situation/visits', { unitCode: unit, category: 'party_veteran', visitee: '某人', phone: '', visitedOn: day, opinions: '意见', followUpNeeded: false, followUp: '' }))).id
  theirWork.talk = (await made(await admin.post('/api/situation/talks', { unitCode: unit, talkedOn: day, cadreName: '某人', cadrePost: '书记', talker: '某人', intention: 'continue', opinions: '意见', followUp: '' }))).id
  expect((await admin.put(`/api/voters/rolls/${unit}`, { electionDay: '2027-01-25', version: 0 })).statusCode).toBe(200)
  const voter = await admin.post('/api/voters', { unitCode: unit, name: '某人', idNumber: idNumberFor(9001, { birth: '1970-01-01' }), villageGroup: '第一组', category: 'resident' })
  expect(voter.statusCode, voter.body).toBe(201)
  theirWork.voter = voter.json<{ id: string }>().id
})
afterAll(() => t.close())

describe('territory scope', () => {
  it('gives a township organiser 403 or 404 on every object route for another township', async () => {
    const ops = await objectRoutes()
    expect(ops.length).toBeGreaterThanOrEqual(95)
    // Routes that take the territory as ?region= (statistics) are walked with the other township and its unit.
    for (const path of ['/api/stats', '/api/stats/paragraph', '/api/stats/matrix', '/api/stats/export.xlsx', '/api/stats/summary.docx']) {
      for (const region of [c.townships[1], c.units[1][1]!, c.county]) ops.push({ method: 'GET', url: `${path}?region=${region}` })
    }
    ops.push({ method: 'GET', url: `/api/timeline?township=${c.townships[1]}` })
    ops.push({ method: 'PUT', url: '/api/timeline/phases', payload: { township: c.townships[1], phases: [] } })
    ops.push({ method: 'POST', url: '/api/reports', payload: { unitCode: c.units[1][1]!, nothingNew: true, progress: '', problems: '', nextSteps: '', figures: {}, milestones: [] } })
    for (const path of ['/api/reports/summary', '/api/reports/summary.xlsx', '/api/reports/summary.docx', '/api/organisation', '/api/organisation/notice.docx']) ops.push({ method: 'GET', url: `${path}?township=${c.townships[1]}` })
    ops.push({ method: 'POST', url: '/api/organisation/groups', payload: { township: c.townships[1], kind: 'guidance', name: '越权', members: [], unitCodes: [], duties: '' } })
    for (const op of ops) {
      const res = await organiser.inject({ method: op.method, url: op.url, payload: op.payload })
      expect([403, 404], `${op.method} ${op.url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode)
    }
    // Nothing changed.
    const v = await t.db.selectFrom('voter').select(['status', 'version']).where('id', '=', theirWork.voter).executeTakeFirstOrThrow()
    expect(v).toEqual({ status: 'active', version: 1 })
    const row = await t.db.selectFrom('territory').selectAll().where('code', '=', c.units[1][1]!).executeTakeFirstOrThrow()
    expect(row.version).toBe(1)
    expect(row.status).toBe('active')
    const u = await t.db.selectFrom('app_user').selectAll().where('id', '=', otherUserId).executeTakeFirstOrThrow()
    expect(u.version).toBe(1)
    const n = await t.db.selectFrom('nominee').select(['state', 'version']).where('id', '=', theirs.noticedNomineeId).executeTakeFirstOrThrow()
    expect(n.state).toBe('in_notice')
    const o = await t.db.selectFrom('nominee_objection').select('upheld').where('id', '=', theirs.objectionId).executeTakeFirstOrThrow()
    expect(o.upheld).toBeNull()
    expect((await t.db.selectFrom('review_evidence').select('id').where('id', '=', theirs.evidenceId).execute()).length).toBe(1)
    expect((await t.db.selectFrom('post_holding').select('id').where('id', '=', theirs.holdingId).execute()).length).toBe(1)
    const b = await t.db.selectFrom('review_batch').select('status').where('id', '=', theirs.batchId).executeTakeFirstOrThrow()
    expect(b.status).toBe('in_review')
    const r = await t.db.selectFrom('tally_result').select(['state', 'version']).where('id', '=', theirs.resultId).executeTakeFirstOrThrow()
    expect(r).toEqual({ state: 'entered', version: 3 })
    expect((await t.db.selectFrom('election').select('version').where('id', '=', theirs.electionId).executeTakeFirstOrThrow()).version).toBe(2)
    // Issue 6's records of the other township: each still there, unchanged, and no receipt signed for it.
    for (const [table, id] of [['meeting', theirWork.meeting], ['library_document', theirWork.document], ['publicity_activity', theirWork.activity], ['risk_item', theirWork.risk], ['visit', theirWork.visit], ['cadre_talk', theirWork.talk]] as const) {
      const row = await t.db.selectFrom(table).select('version').where('county_code', '=', c.countyCode).where('id', '=', id).executeTakeFirstOrThrow()
      expect(row.version, table).toBe(1)
    }
    expect(await t.db.selectFrom('document_receipt').select('unit_code').where('county_code', '=', c.countyCode).execute()).toEqual([])
    expect(await t.db.selectFrom('unit_assessment').select('unit_code').where('county_code', '=', c.countyCode).execute()).toEqual([])
    expect((await t.db.selectFrom('progress_report').select(['progress', 'version']).where('id', '=', theirReport.id).executeTakeFirstOrThrow())).toEqual({ progress: '越权测试用', version: 1 })
    expect((await t.db.selectFrom('report_photo').select('id').where('report_id', '=', theirReport.id).execute()).length).toBe(1)
    expect((await t.db.selectFrom('work_group').select(['name', 'version']).where('id', '=', theirGroupId).executeTakeFirstOrThrow())).toEqual({ name: '指导组', version: 1 })
    expect((await t.db.selectFrom('work_group').select('id').execute()).length).toBe(1)
  })

  it('shows an organiser no list row of another township', async () => {
    const terr = (await organiser.get('/api/territories?pageSize=200')).json()
    expect(terr.items.every((x: { code: string }) => x.code.startsWith(c.townships[0].slice(0, 9)))).toBe(true)
    const users = (await organiser.get('/api/users?pageSize=200')).json()
    expect(users.items.some((x: { id: string }) => x.id === otherUserId)).toBe(false)
    const filtered = (await organiser.get(`/api/users?territoryCode=${c.townships[1]}`)).json()
    expect(filtered.total).toBe(0)
  })

  it('shows a contact cadre only the assigned units, in lists, the tree and by code', async () => {
    const tree = (await cadre.get('/api/territories/tree')).json()
    expect(tree.map((x: { code: string }) => x.code)).toEqual([c.units[0][1]])
    const page = (await cadre.get('/api/territories?pageSize=200')).json()
    expect(page.total).toBe(1)
    expect((await cadre.get(`/api/territories/${c.units[0][1]}`)).statusCode).toBe(200)
    expect((await cadre.get(`/api/territories/${c.units[0][2]}`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/territories/${c.townships[0]}`)).statusCode).toBe(404)
    expect((await cadre.post('/api/territories', { code: `${c.countyCode}100209`, name: '甲村', kind: 'village' })).statusCode).toBe(403)
  })

  it('applies a reassignment at the next request (no cached permissions)', async () => {
    const cadreRow = await t.db.selectFrom('app_user').select('id').where('username', '=', 's_cadre').executeTakeFirstOrThrow()
    await t.db.updateTable('user_unit').set({ unit_code: c.units[0][2]! }).where('user_id', '=', cadreRow.id).execute()
    expect((await cadre.get(`/api/territories/${c.units[0][1]}`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/territories/${c.units[0][2]}`)).statusCode).toBe(200)
  })

  it('keeps another county entirely out of sight', async () => {
    const c2 = await t.make.county()
    const admin2 = await t.make.user({ role: 'county_admin', territoryCode: c2.county, username: 's_admin2' })
    const s = await t.login(admin2.username)
    expect((await s.get(`/api/territories/${c.units[0][1]}`)).statusCode).toBe(404)
    const list = (await s.get('/api/territories?pageSize=200')).json()
    expect(list.items.every((x: { code: string }) => x.code.startsWith(c2.countyCode))).toBe(true)
    const orgId = (await t.db.selectFrom('app_user').select('id').where('username', '=', 's_org').executeTakeFirstOrThrow()).id
    expect((await s.get(`/api/users/${orgId}`)).statusCode).toBe(404)
  })
})
