import ExcelJS from 'exceljs'
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
let secondCadre: Session
let leader: Session
let auditor: Session
let reviewer: Session
/** The cadre's unit (1镇201村), another unit of the township, and the township's community. */
let unit: string
let otherUnit: string
let community: string
const today = todayInChina()
const start = addDays(today, -60)

type Activity = { id: string; unitCode: string; unitName: string; channel: string; channelLabel: string; channelOther: string; heldOn: string; theme: string; reach: number; place: string; filedBy: string; version: number; canEdit: boolean; photos: { id: string; name: string }[] }
type Coverage = {
  text: string
  canWrite: boolean
  channels: { key: string; label: string; units: number; activities: number }[]
  units: { code: string; name: string; counts: Record<string, number>; activities: number; reach: number; gap: boolean }[]
  totals: { units: number; covered: number; gaps: string[]; activities: number; reach: number }
}
type Page = { items: Activity[]; total: number }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const body = (over: Record<string, unknown> = {}) => ({ unitCode: unit, channel: 'banner', heldOn: today, theme: '悬挂换届宣传横幅“选好带头人，建设新农村”', reach: 300, place: '村委会门口', ...over })
const rows = () => t.db.selectFrom('publicity_activity').selectAll().where('county_code', '=', c.countyCode).execute()
const audits = async (action: string) => (await t.db.selectFrom('audit_log').select('object_id').where('county_code', '=', c.countyCode).where('action', '=', action as never).execute()).length
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])

async function upload(s: Session, id: string, name: string, content: Buffer, type = 'image/png') {
  const boundary = '----hjpublicity'
  const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)])
  return s.inject({ method: 'POST', url: `/api/publicity/${id}/photos`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  unit = c.units[0][1]!
  otherUnit = c.units[0][2]!
  community = c.units[0][0]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'pb_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'pb_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'pb_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [unit], username: 'pb_cadre' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [unit], username: 'pb_cadre2' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], unitCodes: [unit], username: 'pb_leader' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'pb_auditor' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, username: 'pb_police', departmentId: c.departments.get('县公安局') })
  admin = await t.login('pb_admin')
  organiser = await t.login('pb_org')
  otherTownship = await t.login('pb_org2')
  cadre = await t.login('pb_cadre')
  secondCadre = await t.login('pb_cadre2')
  leader = await t.login('pb_leader')
  auditor = await t.login('pb_auditor')
  reviewer = await t.login('pb_police')
})
afterAll(() => t.close())

describe('filing publicity activities', () => {
  it('needs a campaign first, and says so', async () => {
    const r = await organiser.get('/api/publicity/coverage')
    expect(r.statusCode).toBe(422)
    expect(r.json().message).toContain('届次')
    json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: start }))
  })

  it('offers the form the units the user may file for', async () => {
    type Form = { campaign: { startsOn: string }; today: string; channels: { key: string; label: string }[]; units: { code: string; townshipName: string }[] }
    const mine = json<Form>(await cadre.get('/api/publicity/form'))
    expect(mine).toMatchObject({ today, campaign: { startsOn: start } })
    expect(mine.units.map((u) => u.code)).toEqual([unit])
    expect(mine.channels.map((x) => x.label)).toEqual(['LED屏', '横幅/标语', '村村响广播', '会议宣讲', '微信群/公众号', '其他'])
    expect(json<Form>(await organiser.get('/api/publicity/form')).units).toHaveLength(3)
    const county = json<Form>(await admin.get('/api/publicity/form'))
    expect(county.units).toHaveLength(6)
    expect(county.units[0]!.townshipName).toBe('第1镇')
    expect((await leader.get('/api/publicity/form')).statusCode).toBe(403)
    expect((await auditor.get('/api/publicity/form')).statusCode).toBe(403)
  })

  it('files an activity for an assigned unit: the reply, the row and the audit record', async () => {
    const a = json<Activity>(await cadre.post('/api/publicity', body({ channelOther: '忽略' })))
    expect(a).toMatchObject({ unitCode: unit, unitName: '1镇201村', channel: 'banner', channelLabel: '横幅/标语', channelOther: '', heldOn: today, reach: 300, place: '村委会门口', version: 1, canEdit: true, photos: [] })
    const row = (await rows()).find((r) => r.id === a.id)!
    expect(row).toMatchObject({ unit_code: unit, channel: 'banner', channel_other: '', held_on: today, reach: 300, created_by_name: a.filedBy })
    expect(await audits('publicity.create')).toBe(1)
    // "Other" keeps what it was.
    const other = json<Activity>(await organiser.post('/api/publicity', body({ unitCode: otherUnit, channel: 'other', channelOther: '入户发放明白纸', heldOn: start, reach: 0, place: undefined })))
    expect(other).toMatchObject({ channel: 'other', channelLabel: '其他（入户发放明白纸）', heldOn: start, reach: 0, place: '' })
  })

  it('answers a retried submission with the same activity and writes it once (Idempotency-Key)', async () => {
    const before = (await rows()).length
    const send = (key: string, over: Record<string, unknown> = {}) => cadre.inject({ method: 'POST', url: '/api/publicity', payload: body({ channel: 'broadcast', theme: '村村响播放换届政策问答', ...over }), headers: { 'idempotency-key': key } })
    const first = json<Activity>(await send('pub-retry-0001'))
    const second = json<Activity>(await send('pub-retry-0001'))
    expect(second).toEqual(first)
    expect((await rows()).length).toBe(before + 1)
    expect(await audits('publicity.create')).toBe(3)
    // A key used on another route is refused; one still being handled answers 409; a malformed one 400.
    const userId = (await t.db.selectFrom('app_user').select('id').where('username', '=', 'pb_cadre').executeTakeFirstOrThrow()).id
    await t.db.insertInto('idempotency_key').values([
      { county_code: c.countyCode, user_id: userId, key: 'pub-in-flight-1', route: 'POST /api/publicity', status: null, response: null },
      { county_code: c.countyCode, user_id: userId, key: 'pub-elsewhere-1', route: 'POST /api/reports', status: 200, response: '{}' },
    ]).execute()
    expect((await send('pub-in-flight-1')).statusCode).toBe(409)
    expect((await send('pub-elsewhere-1')).statusCode).toBe(422)
    expect((await send('bad key!')).statusCode).toBe(400)
    // A refused attempt frees its key: the corrected retry is filed.
    expect((await send('pub-fix-retry-1', { heldOn: addDays(today, 1) })).statusCode).toBe(400)
    json<Activity>(await send('pub-fix-retry-1'))
    expect((await rows()).length).toBe(before + 2)
    // Another user's identical key is their own.
    json<Activity>(await secondCadre.inject({ method: 'POST', url: '/api/publicity', payload: body(), headers: { 'idempotency-key': 'pub-retry-0001' } }))
    expect((await rows()).length).toBe(before + 3)
  })

  it('refuses bad input in Chinese, naming the field, and writes nothing', async () => {
    const before = (await rows()).length
    const refused = async (over: Record<string, unknown>, text: string, field?: string) => {
      const r = await cadre.post('/api/publicity', body(over))
      expect(r.statusCode, JSON.stringify(over)).toBe(400)
      expect(r.json().message).toContain(text)
      if (field) expect(r.json().details?.[0]?.field).toBe(field)
    }
    await refused({ heldOn: addDays(today, 1) }, '不能晚于今天', 'heldOn')
    await refused({ heldOn: addDays(start, -1) }, `不能早于本届的开始日期（${start}）`, 'heldOn')
    await refused({ heldOn: '2026-02-30' }, '不是有效日期', 'heldOn')
    await refused({ channel: 'tv' }, '宣传方式“tv”不存在', 'channel')
    await refused({ channel: 'other', channelOther: '  ' }, '请说明是哪种方式', 'channelOther')
    await refused({ theme: '   ' }, '请填写宣传内容', 'theme')
    await refused({ theme: '宣'.repeat(501) }, '不能超过500个字', 'theme')
    await refused({ reach: -1 }, '覆盖人数不能小于0', 'reach')
    await refused({ reach: 1_000_001 }, '覆盖人数不能超过', 'reach')
    await refused({ place: '地'.repeat(101) }, '地点不能超过', 'place')
    await refused({ reach: 1.5 }, '覆盖人数')
    expect((await rows()).length).toBe(before)
  })

  it('takes photos checked by their bytes, type and size, at most six, served to the township only', async () => {
    const a = json<Activity>(await cadre.post('/api/publicity', body({ channel: 'led', theme: 'LED屏滚动播放换届标语' })))
    const withPhoto = json<Activity>(await upload(cadre, a.id, 'LED屏.png', png))
    expect(withPhoto.photos.map((p) => p.name)).toEqual(['LED屏.png'])
    expect(await audits('publicity.photo')).toBe(1)
    expect((await upload(cadre, a.id, 'fake.png', Buffer.from('not a png'))).json().message).toContain('PNG')
    expect((await upload(cadre, a.id, 'notes.pdf', Buffer.from('%PDF-1.4'), 'application/pdf')).json().message).toContain('只能上传 JPG、PNG')
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(8 * 1024 * 1024 + 1)])
    const tooBig = await upload(cadre, a.id, '大图.jpg', big, 'image/jpeg')
    expect(tooBig.statusCode).toBe(400)
    expect(tooBig.json().message).toContain('8 MB')
    const img = await organiser.get(`/api/publicity/${a.id}/photos/${withPhoto.photos[0]!.id}`)
    expect(img.statusCode).toBe(200)
    expect(img.headers['content-type']).toBe('image/png')
    expect(img.rawPayload.equals(png)).toBe(true)
    expect((await otherTownship.get(`/api/publicity/${a.id}/photos/${withPhoto.photos[0]!.id}`)).statusCode).toBe(404)
    expect((await upload(otherTownship, a.id, 'x.png', png)).statusCode).toBe(404)
    expect((await upload(leader, a.id, 'x.png', png)).statusCode).toBe(403)
    expect((await upload(secondCadre, a.id, 'x.png', png)).statusCode).toBe(403)
    for (let i = 0; i < 5; i++) json<Activity>(await upload(cadre, a.id, `p${i}.png`, png))
    const seventh = await upload(cadre, a.id, 'seventh.png', png)
    expect(seventh.statusCode).toBe(400)
    expect(seventh.json().message).toContain('最多 6 张')
    // Removing one makes room again, audited.
    const fewer = json<Activity>(await cadre.del(`/api/publicity/${a.id}/photos/${withPhoto.photos[0]!.id}`))
    expect(fewer.photos).toHaveLength(5)
    expect(await audits('publicity.photo.delete')).toBe(1)
    expect((await cadre.del(`/api/publicity/${a.id}/photos/${withPhoto.photos[0]!.id}`)).statusCode).toBe(404)
    expect((await leader.del(`/api/publicity/${a.id}/photos/${fewer.photos[0]!.id}`)).statusCode).toBe(403)
    const count = await t.db.selectFrom('publicity_photo').select('id').where('county_code', '=', c.countyCode).where('activity_id', '=', a.id).execute()
    expect(count).toHaveLength(5)
  })
})

describe('changing and deleting', () => {
  it('lets the filer’s side edit with the version it read; a stale version is a 409', async () => {
    const a = json<Activity>(await cadre.post('/api/publicity', body({ channel: 'meeting', theme: '召开党员大会宣讲换届纪律', reach: 40 })))
    const patch = (v: number, over: Record<string, unknown> = {}) => ({ version: v, channel: 'meeting', heldOn: today, theme: '召开党员大会宣讲换届纪律“十严禁”', reach: 45, place: '党群服务中心', ...over })
    const edited = json<Activity>(await cadre.put(`/api/publicity/${a.id}`, patch(1)))
    expect(edited).toMatchObject({ version: 2, reach: 45, theme: '召开党员大会宣讲换届纪律“十严禁”', place: '党群服务中心' })
    const stale = await cadre.put(`/api/publicity/${a.id}`, patch(1, { reach: 50 }))
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect((await rows()).find((r) => r.id === a.id)!.reach).toBe(45)
    expect(await audits('publicity.update')).toBe(1)
    // The same validation as filing.
    expect((await cadre.put(`/api/publicity/${a.id}`, patch(2, { heldOn: addDays(today, 2) }))).statusCode).toBe(400)
    // Another cadre of the unit reads it but may not change it; the township may; others may not.
    expect(json<Activity>(await secondCadre.get(`/api/publicity/${a.id}`)).canEdit).toBe(false)
    const notMine = await secondCadre.put(`/api/publicity/${a.id}`, patch(2))
    expect(notMine.statusCode).toBe(403)
    expect(notMine.json().message).toContain('登记人或乡镇组织员')
    expect((await leader.put(`/api/publicity/${a.id}`, patch(2))).statusCode).toBe(403)
    expect((await auditor.put(`/api/publicity/${a.id}`, patch(2))).statusCode).toBe(403)
    expect((await otherTownship.put(`/api/publicity/${a.id}`, patch(2))).statusCode).toBe(404)
    expect(json<Activity>(await organiser.put(`/api/publicity/${a.id}`, patch(2, { reach: 60 })))).toMatchObject({ version: 3, reach: 60, canEdit: true })
  })

  it('deletes with the version it read, photos included, audited', async () => {
    const a = json<Activity>(await cadre.post('/api/publicity', body({ channel: 'wechat', theme: '误登记' })))
    json<Activity>(await upload(cadre, a.id, 'x.png', png))
    expect((await secondCadre.del(`/api/publicity/${a.id}?version=1`)).statusCode).toBe(403)
    expect((await leader.del(`/api/publicity/${a.id}?version=1`)).statusCode).toBe(403)
    expect((await otherTownship.del(`/api/publicity/${a.id}?version=1`)).statusCode).toBe(404)
    expect((await cadre.del(`/api/publicity/${a.id}?version=2`)).statusCode).toBe(409)
    expect((await cadre.del(`/api/publicity/${a.id}`)).statusCode).toBe(400)
    json(await cadre.del(`/api/publicity/${a.id}?version=1`))
    expect((await rows()).some((r) => r.id === a.id)).toBe(false)
    expect(await t.db.selectFrom('publicity_photo').select('id').where('county_code', '=', c.countyCode).where('activity_id', '=', a.id).execute()).toEqual([])
    expect(await audits('publicity.delete')).toBe(1)
    expect((await cadre.get(`/api/publicity/${a.id}`)).statusCode).toBe(404)
  })
})

describe('scope', () => {
  it('keeps each unit to its own people: a cadre files only for assigned units, a leader and the auditor only read, a reviewer sees nothing', async () => {
    const before = (await rows()).length
    expect((await cadre.post('/api/publicity', body({ unitCode: otherUnit }))).statusCode).toBe(404)
    expect((await cadre.post('/api/publicity', body({ unitCode: c.units[1][1] }))).statusCode).toBe(404)
    expect((await leader.post('/api/publicity', body())).statusCode).toBe(403)
    expect((await auditor.post('/api/publicity', body())).statusCode).toBe(403)
    expect((await otherTownship.post('/api/publicity', body())).statusCode).toBe(404)
    expect((await organiser.post('/api/publicity', body({ unitCode: c.townships[0] }))).statusCode).toBe(404)
    expect((await rows()).length).toBe(before)
    for (const url of ['/api/publicity', '/api/publicity/coverage', '/api/publicity/coverage.xlsx', '/api/publicity/form']) expect((await reviewer.get(url)).statusCode, url).toBe(403)
    const some = (await rows())[0]!
    expect((await reviewer.get(`/api/publicity/${some.id}`)).statusCode).toBe(403)
  })

  it('shows a contact cadre only their units, the township all of its own, another township nothing', async () => {
    const others = json<Activity>(await organiser.post('/api/publicity', body({ unitCode: otherUnit, channel: 'broadcast', theme: '村村响每日播放两次' })))
    const mine = json<Page>(await cadre.get('/api/publicity?pageSize=100'))
    expect(mine.items.length).toBeGreaterThan(0)
    expect(mine.items.every((a) => a.unitCode === unit)).toBe(true)
    expect((await cadre.get(`/api/publicity/${others.id}`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/publicity?unit=${otherUnit}`)).statusCode).toBe(404)
    const all = json<Page>(await leader.get('/api/publicity?pageSize=100'))
    expect(all.total).toBe((await rows()).length)
    expect(all.items.every((a) => !a.canEdit)).toBe(true)
    expect(json<Page>(await auditor.get(`/api/publicity?township=${c.townships[0]}&pageSize=100`)).total).toBe(all.total)
    expect((await otherTownship.get(`/api/publicity/${others.id}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/publicity?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/publicity/coverage?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/publicity/coverage.xlsx?township=${c.townships[0]}`)).statusCode).toBe(404)
    expect(json<Page>(await otherTownship.get('/api/publicity')).total).toBe(0)
    const cov = json<Coverage>(await cadre.get('/api/publicity/coverage'))
    expect(cov.units.map((u) => u.code)).toEqual([unit])
    expect(cov.text).toContain('您联系的1个村（社区）中1个已开展政策宣传')
  })

  it('filters the list by unit and channel, newest first, in pages', async () => {
    const banners = json<Page>(await organiser.get(`/api/publicity?unit=${unit}&channel=banner&pageSize=100`))
    const expected = (await rows()).filter((r) => r.unit_code === unit && r.channel === 'banner')
    expect(banners.total).toBe(expected.length)
    expect(banners.items.every((a) => a.unitCode === unit && a.channel === 'banner')).toBe(true)
    const page1 = json<Page>(await organiser.get('/api/publicity?page=1&pageSize=2'))
    expect(page1.items).toHaveLength(2)
    expect(page1.items[0]!.heldOn >= page1.items[1]!.heldOn).toBe(true)
    expect((await organiser.get('/api/publicity?channel=tv')).statusCode).toBe(400)
    expect((await organiser.get(`/api/publicity?unit=${c.units[1][1]}`)).statusCode).toBe(404)
  })
})

describe('coverage', () => {
  it('counts every cell, unit and channel from the activity rows behind it and flags the units with none', async () => {
    const cov = json<Coverage>(await organiser.get('/api/publicity/coverage'))
    const all = (await rows()).filter((r) => r.unit_code.startsWith(c.townships[0].slice(0, 9)))
    expect(cov.units.map((u) => u.code)).toEqual([community, unit, otherUnit])
    for (const u of cov.units) {
      const mine = all.filter((r) => r.unit_code === u.code)
      for (const ch of cov.channels) expect(u.counts[ch.key], `${u.name} ${ch.key}`).toBe(mine.filter((r) => r.channel === ch.key).length)
      expect(u.activities).toBe(mine.length)
      expect(u.reach).toBe(mine.reduce((n, r) => n + r.reach, 0))
      expect(u.gap).toBe(mine.length === 0)
    }
    for (const ch of cov.channels) {
      expect(ch.units).toBe(new Set(all.filter((r) => r.channel === ch.key).map((r) => r.unit_code)).size)
      expect(ch.activities).toBe(all.filter((r) => r.channel === ch.key).length)
    }
    expect(cov.totals).toEqual({ units: 3, covered: 2, gaps: ['1镇001社区'], activities: all.length, reach: all.reduce((n, r) => n + r.reach, 0) })
    expect(cov.canWrite).toBe(true)
    expect(cov.text).toContain(`第1镇3个村（社区）中2个已开展政策宣传，共开展宣传活动${all.length}次`)
    expect(cov.text).toContain('1镇001社区尚未开展宣传')
    expect(json<Coverage>(await leader.get('/api/publicity/coverage')).canWrite).toBe(false)
    // A county user names the township (or gets the first); the other township has none yet.
    expect(json<Coverage>(await admin.get(`/api/publicity/coverage?township=${c.townships[1]}`)).totals).toMatchObject({ units: 3, covered: 0, activities: 0 })
  })

  it('exports the matrix and every activity as xlsx, with the same numbers', async () => {
    const cov = json<Coverage>(await organiser.get('/api/publicity/coverage'))
    const x = await organiser.get('/api/publicity/coverage.xlsx')
    expect(x.statusCode).toBe(200)
    expect(x.headers['content-disposition']).toContain('.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('宣传覆盖')!
    expect(ws.getCell(1, 1).text).toContain('第1镇政策宣传覆盖情况')
    expect(ws.getCell(2, 1).text).toBe(cov.text)
    const values = (r: number) => (ws.getRow(r).values as unknown[]).slice(1)
    expect(values(3)).toEqual(['序号', '村（社区）', 'LED屏', '横幅/标语', '村村响广播', '会议宣讲', '微信群/公众号', '其他', '合计（次）', '覆盖人数', '情况'])
    cov.units.forEach((u, i) => {
      expect(values(4 + i)).toEqual([i + 1, u.name, ...cov.channels.map((ch) => u.counts[ch.key]), u.activities, u.reach, ...(u.gap ? ['未开展宣传'] : [])])
    })
    expect(values(4 + cov.units.length + 1)).toEqual(['合计', '3个', ...cov.channels.map((ch) => ch.activities), cov.totals.activities, cov.totals.reach, '1个未开展'])
    const detail = wb.getWorksheet('活动明细')!
    expect(detail.rowCount - 1).toBe(cov.totals.activities)
    expect((detail.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['序号', '日期', '村（社区）', '宣传方式'])
  })
})
