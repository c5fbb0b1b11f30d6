import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { zipEntry } from '../../../../test/helpers/zip.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { todayInChina } from '../person/service.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let unit: string
let otherUnit: string
const today = todayInChina()

type Report = { id: string; unitCode: string; reportDate: string; nothingNew: boolean; progress: string; figures: Record<string, number>; milestones: string[]; version: number; photos: { id: string; name: string }[] }
type Summary = {
  days: number
  text: string
  units: { code: string; reports: Report[]; reportedDays: number; missingDays: number; milestonesDone: string[]; overdue: string[] }[]
  totals: { units: number; reported: number; reports: number; missing: string[]; milestonesDone: number; overdue: number; figures: Record<string, number> }
}

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const body = (over: Record<string, unknown> = {}) => ({ unitCode: unit, nothingNew: false, progress: '召开党员大会，推荐人选', problems: '', nextSteps: '资格联审', figures: { meetings: 1, visits: 12 }, milestones: [], ...over })
const count = async (table: 'progress_report' | 'idempotency_key' | 'report_photo') => (await t.db.selectFrom(table).select('county_code').where('county_code', '=', c.countyCode).execute()).length
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])

async function upload(s: Session, id: string, name: string, content: Buffer, type = 'image/png') {
  const boundary = '----hjphoto'
  const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)])
  return s.inject({ method: 'POST', url: `/api/reports/${id}/photos`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  unit = c.units[0][1]!
  otherUnit = c.units[0][2]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'rp_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'rp_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'rp_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [unit], username: 'rp_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'rp_leader' })
  const admin = await t.login('rp_admin')
  organiser = await t.login('rp_org')
  otherTownship = await t.login('rp_org2')
  cadre = await t.login('rp_cadre')
  leader = await t.login('rp_leader')
  json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: addDays(today, -60) }))
  // The committee votes in 25 days: the election committee (≤ E−21, practice) can be ticked today.
  json(await organiser.put(`/api/timeline/units/${unit}/schedule`, { partyOn: addDays(today, 5), committeeOn: addDays(today, 25), version: 0 }))
})
afterAll(() => t.close())

describe('daily reports', () => {
  it('files the day’s report, audited, and marks the milestones ticked as done that day', async () => {
    const r = json<Report>(await cadre.post('/api/reports', body({ milestones: ['election_committee'] })))
    expect(r).toMatchObject({ unitCode: unit, reportDate: today, nothingNew: false, figures: { meetings: 1, visits: 12 }, milestones: ['election_committee'], version: 1 })
    const row = await t.db.selectFrom('progress_report').selectAll().where('county_code', '=', c.countyCode).where('id', '=', r.id).executeTakeFirstOrThrow()
    expect(row.progress).toBe('召开党员大会，推荐人选')
    const m = await t.db.selectFrom('milestone').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', unit).where('key', '=', 'election_committee').executeTakeFirstOrThrow()
    expect(m.done_on).toBe(today)
    const audit = await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('action', 'in', ['report.file', 'milestone.done']).execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['milestone.done', 'report.file'])
  })

  it('keeps one report per unit and day: filing again replaces it', async () => {
    const r = json<Report>(await cadre.post('/api/reports', body({ progress: '下午完成党员推荐', figures: { meetings: 2 } })))
    expect(r).toMatchObject({ progress: '下午完成党员推荐', version: 2 })
    expect(await count('progress_report')).toBe(1)
  })

  it('answers a retried submission with the same report and writes it once (Idempotency-Key)', async () => {
    const key = 'retry-0001-abcdef'
    const send = () => cadre.inject({ method: 'POST', url: '/api/reports', payload: body({ reportDate: addDays(today, -1), progress: '昨日补报' }), headers: { 'idempotency-key': key } })
    const first = json<Report>(await send())
    const second = json<Report>(await send())
    expect(second).toEqual(first)
    expect(second.version).toBe(1)
    expect(await count('progress_report')).toBe(2)
    expect((await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('action', '=', 'report.file').execute()).length).toBe(3)
    // A key used for something else is refused; a key still being handled answers 409.
    await t.db.insertInto('idempotency_key').values({ county_code: c.countyCode, user_id: (await t.db.selectFrom('app_user').select('id').where('username', '=', 'rp_cadre').executeTakeFirstOrThrow()).id, key: 'in-flight-0001', route: 'POST /api/reports', status: null, response: null }).execute()
    const busy = await cadre.inject({ method: 'POST', url: '/api/reports', payload: body(), headers: { 'idempotency-key': 'in-flight-0001' } })
    expect(busy.statusCode).toBe(409)
    expect((await cadre.inject({ method: 'POST', url: '/api/reports', payload: body(), headers: { 'idempotency-key': 'bad key!' } })).statusCode).toBe(400)
    // A failed attempt frees its key: the retry with the corrected body succeeds.
    const failing = await cadre.inject({ method: 'POST', url: '/api/reports', payload: body({ reportDate: addDays(today, 1) }), headers: { 'idempotency-key': 'fix-then-retry-1' } })
    expect(failing.statusCode).toBe(400)
    json<Report>(await cadre.inject({ method: 'POST', url: '/api/reports', payload: body(), headers: { 'idempotency-key': 'fix-then-retry-1' } }))
  })

  it('files a report once when the same key arrives twice at the same time, and stores its answer with it', async () => {
    const key = 'twice-at-once-01'
    const send = () => cadre.inject({ method: 'POST', url: '/api/reports', payload: body({ reportDate: addDays(today, -2), progress: '前日补报' }), headers: { 'idempotency-key': key } })
    const answers = await Promise.all([send(), send()])
    const ok = answers.filter((r) => r.statusCode === 200)
    expect(ok.length).toBeGreaterThanOrEqual(1)
    for (const r of answers) if (r.statusCode !== 200) expect(json<{ message: string }>(r, r.statusCode).message).toContain('正在处理中')
    const reports = await t.db.selectFrom('progress_report').select(['id', 'version']).where('county_code', '=', c.countyCode).where('report_date', '=', addDays(today, -2)).execute()
    expect(reports).toEqual([{ id: json<Report>(ok[0]!).id, version: 1 }])
    const stored = await t.db.selectFrom('idempotency_key').select(['status', 'response']).where('county_code', '=', c.countyCode).where('key', '=', key).executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 200, response: json<Report>(ok[0]!) })
    expect(json<Report>(await send())).toEqual(json<Report>(ok[0]!))
    // The summaries below count this unit's days: leave them as they were.
    await t.db.deleteFrom('progress_report').where('county_code', '=', c.countyCode).where('id', '=', reports[0]!.id).execute()
  })

  it('forgets a user’s keys after a week, at their next login, and keeps the fresh ones', async () => {
    const keys = () => t.db.selectFrom('idempotency_key').select('key').where('county_code', '=', c.countyCode).execute()
    const before = (await keys()).map((k) => k.key)
    expect(before).toContain('retry-0001-abcdef')
    await t.db.updateTable('idempotency_key').set({ created_at: sql`now() - interval '8 days'` }).where('county_code', '=', c.countyCode).where('key', '=', 'retry-0001-abcdef').execute()
    await t.login('rp_cadre')
    const after = (await keys()).map((k) => k.key)
    expect(after).not.toContain('retry-0001-abcdef')
    expect(after).toHaveLength(before.length - 1)
  })

  it('refuses bad input in Chinese and writes nothing', async () => {
    const before = await count('progress_report')
    const empty = await cadre.post('/api/reports', body({ progress: '  ' }))
    expect(empty.statusCode).toBe(400)
    expect(empty.json().message).toContain('今日无新进展')
    expect((await cadre.post('/api/reports', body({ reportDate: addDays(today, -4) }))).json().message).toContain('补报')
    expect((await cadre.post('/api/reports', body({ milestones: ['no_such'] }))).statusCode).toBe(404)
    // In the other unit the committee votes in 5 days: its voter list was due 15 days ago, so ticking it today is refused.
    json(await organiser.put(`/api/timeline/units/${otherUnit}/schedule`, { partyOn: null, committeeOn: addDays(today, 5), version: 0 }))
    const late = await organiser.post('/api/reports', body({ unitCode: otherUnit, milestones: ['voter_list'] }))
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toContain('公布选民名单')
    expect(await count('progress_report')).toBe(before)
    // 零报告: nothing new is a report too.
    json<Report>(await organiser.post('/api/reports', { ...body({ unitCode: otherUnit, nothingNew: true, progress: '', nextSteps: '', figures: {} }) }))
  })

  it('takes photos checked by their bytes, at most six, and serves them to the township only', async () => {
    const r = json<Report>(await cadre.post('/api/reports', body({ progress: '张贴公告' })))
    const withPhoto = json<Report>(await upload(cadre, r.id, '公告栏.png', png))
    expect(withPhoto.photos.map((p) => p.name)).toEqual(['公告栏.png'])
    expect((await upload(cadre, r.id, 'fake.png', Buffer.from('not a png'))).json().message).toContain('PNG')
    const img = await organiser.get(`/api/reports/${r.id}/photos/${withPhoto.photos[0]!.id}`)
    expect(img.statusCode).toBe(200)
    expect(img.headers['content-type']).toBe('image/png')
    expect((await otherTownship.get(`/api/reports/${r.id}/photos/${withPhoto.photos[0]!.id}`)).statusCode).toBe(404)
    expect((await upload(otherTownship, r.id, 'x.png', png)).statusCode).toBe(404)
    for (let i = 0; i < 5; i++) json<Report>(await upload(cadre, r.id, `p${i}.png`, png))
    expect((await upload(cadre, r.id, 'seventh.png', png)).json().message).toContain('最多 6 张')
  })

  it('keeps each unit to its own people: a cadre files only for assigned units, a leader only reads', async () => {
    expect((await cadre.post('/api/reports', body({ unitCode: otherUnit }))).statusCode).toBe(404)
    expect((await leader.post('/api/reports', body())).statusCode).toBe(403)
    expect((await otherTownship.post('/api/reports', body())).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/reports/summary?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect(json<Summary>(await leader.get('/api/reports/summary')).units).toHaveLength(3)
  })
})

describe('township summary', () => {
  it('adds up the day from the reports and milestones behind it', async () => {
    const s = json<Summary>(await organiser.get('/api/reports/summary'))
    expect(s.days).toBe(1)
    const reports = await t.db.selectFrom('progress_report').selectAll().where('county_code', '=', c.countyCode).where('report_date', '=', today).execute()
    expect(s.totals.reports).toBe(reports.length)
    expect(s.totals.reported).toBe(new Set(reports.map((r) => r.unit_code)).size)
    expect(s.totals.figures.visits).toBe(reports.reduce((n, r) => n + (r.figures.visits ?? 0), 0))
    const done = await t.db.selectFrom('milestone').selectAll().where('county_code', '=', c.countyCode).where('done_on', '=', today).execute()
    expect(s.totals.milestonesDone).toBe(done.length)
    expect(s.totals.missing).toEqual(['1镇001社区'])
    expect(s.text).toContain(`${today}，第1镇3个村（社区）中2个报送了日报告，1镇001社区未报送`)
  })

  it('makes the week from the same reports, and exports both as xlsx and Word', async () => {
    const w = json<Summary>(await organiser.get(`/api/reports/summary?from=${addDays(today, -6)}&to=${today}`))
    expect(w.days).toBe(7)
    expect(w.units.find((u) => u.code === unit)).toMatchObject({ reportedDays: 2, missingDays: 5 })
    const x = await organiser.get('/api/reports/summary.xlsx')
    expect(x.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getCell(1, 1).text).toContain('日报汇总表')
    expect((ws.getRow(3).values as unknown[]).slice(1, 4)).toEqual(['序号', '村（社区）', '报送情况'])
    const rows = [...Array(ws.rowCount).keys()].map((i) => (ws.getRow(i + 1).values as unknown[]).slice(1))
    expect(rows.find((r) => r[1] === '1镇201村')?.[3]).toBe('张贴公告')
    expect(rows.at(-1)?.[0]).toBe('合计')
    const d = await organiser.get(`/api/reports/summary.docx?from=${addDays(today, -6)}&to=${today}`)
    expect(zipEntry(d.rawPayload, 'word/document.xml')).toContain('周报')
    expect((await organiser.get(`/api/reports/summary?to=${addDays(today, 1)}`)).statusCode).toBe(400)
  })
})
