import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { multipart, workbook } from '../../../../test/helpers/upload.ts'
import { bulkTransaction } from '../../db/bulk.ts'
import { voterCategories } from '../../../rules/voter/index.ts'
import { verifyChain } from '../audit/service.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
/** u1 takes the imports; u2 (same township) already has a voter; u3 is the cadre's unit; u0 has no election day. */
let u0: string
let u1: string
let u2: string
let u3: string
const names = new Map<string, string>()

const E = '2027-01-20'
const header = ['姓名*', '身份证号*', '村民小组', '登记类别', '居住起始日期', '村民会议同意日期', '备注']
const [resident, awayOptIn, nonHukou] = voterCategories.map((x) => x.label) as [string, string, string]
let seq = 0
const newId = (birth = '1970-01-01', female = false) => idNumberFor(++seq, { birth, female })

const upload = (s: Session, file: Buffer, fields: Record<string, string>, filename = '选民名单.xlsx') => {
  const m = multipart(file, fields, filename)
  return s.inject({ method: 'POST', url: '/api/voters/import', payload: m.payload, headers: m.headers })
}
const votersOf = (unit: string) =>
  t.db.selectFrom('voter').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', unit).where('status', '=', 'active').orderBy('id').execute()
const total = async () => Number((await t.db.selectFrom('voter').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const audits = async (action: string) => (await t.db.selectFrom('audit_log').select('object_id').where('county_code', '=', c.countyCode).where('action', '=', action as never).execute()).length

/** GBK bytes of a text, from the decoder's own table (Node has no GBK encoder; Excel on Chinese Windows writes this). */
function gbk(text: string): Buffer {
  const table = new Map<string, number[]>()
  const decoder = new TextDecoder('gbk')
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue
      const ch = decoder.decode(Uint8Array.from([hi, lo]))
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [hi, lo])
    }
  }
  const bytes: number[] = []
  for (const ch of text) {
    const code = ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)
    if (!code) throw new Error(`no GBK code for ${ch}`)
    bytes.push(...code)
  }
  return Buffer.from(bytes)
}

const csv = (rows: string[][]) => rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n'

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  ;[u0, u1, u2] = c.units[0] as [string, string, string]
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'vi_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'vi_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'vi_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[1], unitCodes: [u3], username: 'vi_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'vi_leader' })
  const admin = await t.login('vi_admin')
  organiser = await t.login('vi_org')
  otherTownship = await t.login('vi_org2')
  cadre = await t.login('vi_cadre')
  leader = await t.login('vi_leader')
  expect((await admin.post('/api/campaigns', { year: 2026, name: '2026年换届', startsOn: '2026-01-01' })).statusCode).toBe(200)
  for (const u of [u1, u2, u3]) expect((await admin.put(`/api/voters/rolls/${u}`, { electionDay: E, version: 0 })).statusCode).toBe(200)
  for (const r of await t.db.selectFrom('territory').select(['code', 'name']).where('county_code', '=', c.countyCode).execute()) names.set(r.code, r.name)
})
afterAll(() => t.close())

describe('the import template', () => {
  it('has a text ID column, a category dropdown from the rules and notes; only writers get it', async () => {
    const res = await organiser.get('/api/voters/import/template')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toContain('.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).values).toEqual([undefined, '姓名*', '身份证号*', '村民小组', '登记类别', '居住起始日期', '村民会议同意日期', '备注'])
    expect(ws.getColumn(2).numFmt).toBe('@')
    expect(ws.getCell('D2').dataValidation.formulae?.[0]).toBe(`"${[resident, awayOptIn, nonHukou].join(',')}"`)
    const notes = wb
      .getWorksheet('填写说明')!
      .getColumn(1)
      .values.map((v) => String(v as string))
      .join('\n')
    expect(notes).toContain('选举日当天满 18 周岁的可以登记')
    expect(notes).toContain('GBK')
    expect((await leader.get('/api/voters/import/template')).statusCode).toBe(403)
  })
})

describe('importing a roll', () => {
  it('imports an .xlsx in one transaction: categories by label, number or blank, dates in common forms, one audit row per voter', async () => {
    const file = await workbook(header, [
      ['张三', newId('1960-02-02'), '第一组', resident, null, null, '户主'],
      ['李梅', newId('1985-06-06', true), '第一组', '2', null, null, '在外务工'],
      ['王外来', newId('1990-03-03'), '第二组', nonHukou, '2025.1.5', '2026年12月1日', null],
      ['赵满十八', newId('2009-01-20'), '第二组', null, null, null, null],
    ])
    const res = await upload(organiser, file, { unitCode: u1 })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ created: 4, unitCode: u1, unitName: names.get(u1), voters: 4 })
    const rows = await votersOf(u1)
    expect(rows.map((r) => [r.name, r.name_initials, r.gender, r.village_group, r.category, r.living_since, r.meeting_approved_on, r.note])).toEqual([
      ['张三', 'zs', '1', '第一组', 'resident', null, null, '户主'],
      ['李梅', 'lm', '2', '第一组', 'away_opt_in', null, null, '在外务工'],
      ['王外来', 'wwl', '1', '第二组', 'non_hukou', '2025-01-05', '2026-12-01', ''],
      ['赵满十八', 'zmsb', '1', '第二组', 'resident', null, null, ''],
    ])
    expect(rows.map((r) => r.birth_date)).toEqual(['1960-02-02', '1985-06-06', '1990-03-03', '2009-01-20'])
    for (const r of rows) expect(r.id_number_masked).toMatch(/^1101\*{10}\d{3}[\dX]$/)
    expect(await audits('voter.import.create')).toBe(4)
    expect(await audits('voter.import')).toBe(1)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('reports every bad cell by row and column in Chinese, duplicates in the file and the county included, and saves nothing', async () => {
    const taken = newId('1971-01-01')
    expect((await organiser.post('/api/voters', { unitCode: u2, name: '已登记', idNumber: taken, category: 'resident' })).statusCode).toBe(201)
    const before = await total()
    const twice = newId('1972-02-02')
    const good = newId('1973-03-03')
    const file = await workbook(header, [
      ['差一天', newId('2009-01-21'), '第一组', resident, null, null, null],
      ['校验错', good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), '第一组', resident, null, null, null],
      ['重复甲', twice, '第一组', resident, null, null, null],
      ['重复乙', twice, '第一组', resident, null, null, null],
      ['已登记', taken, '第一组', resident, null, null, null],
      ['类别错', newId(), '第一组', '外地人', null, null, null],
      ['缺会议', newId(), '第三组', nonHukou, '2020-01-01', null, null],
      ['', newId(), '第三组', resident, null, null, null],
      ['日期错', newId(), '第三组', nonHukou, '2020-13-01', '2026-12-01', null],
    ])
    const res = await upload(organiser, file, { unitCode: u1 })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('IMPORT_INVALID')
    expect(res.json().message).toContain('未保存任何数据')
    const d = res.json().details as { row: number; column: string; message: string }[]
    expect(d).toContainEqual({ row: 2, column: 'B（身份证号）', message: expect.stringContaining('未满18周岁') as unknown })
    expect(d).toContainEqual({ row: 3, column: 'B（身份证号）', message: '身份证号校验位不正确，请核对每一位数字' })
    expect(d).toContainEqual({ row: 5, column: 'B（身份证号）', message: '身份证号与第 4 行重复' })
    expect(d).toContainEqual({ row: 6, column: 'B（身份证号）', message: expect.stringContaining(`该选民已在“${names.get(u2)}”登记`) as unknown })
    expect(d).toContainEqual({ row: 7, column: 'D（登记类别）', message: expect.stringContaining('登记类别“外地人”无效') as unknown })
    expect(d).toContainEqual({ row: 8, column: 'F（村民会议同意日期）', message: expect.stringContaining('须经村民会议或村民代表会议同意') as unknown })
    expect(d).toContainEqual({ row: 9, column: 'A（姓名）', message: '姓名不能为空' })
    expect(d).toContainEqual({ row: 10, column: 'E（居住起始日期）', message: expect.stringContaining('不是有效日期') as unknown })
    expect(d.map((x) => x.row)).toEqual([...d.map((x) => x.row)].sort((a, b) => a - b))
    // No full ID number is echoed back.
    expect(res.body).not.toContain(taken)
    expect(await total()).toBe(before)
  })

  it('reads a CSV saved by Excel on Chinese Windows (GBK) and a UTF-8 one with a BOM', async () => {
    const gbkFile = gbk(csv([['姓名', '身份证号', '村民小组', '登记类别', '备注'], ['欧阳秀英', newId('1966-06-16', true), '第五组', resident, '五保户'], ['乌力吉·巴特尔', newId('1977-07-17'), '第五组', '', '']]))
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbkFile)).toThrow()
    const res = await upload(organiser, gbkFile, { unitCode: u2 }, '选民名单.csv')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ created: 2, unitCode: u2 })
    const rows = await votersOf(u2)
    expect(rows.filter((r) => r.village_group === '第五组').map((r) => [r.name, r.name_initials, r.note])).toEqual([
      ['欧阳秀英', 'oyxy', '五保户'],
      ['乌力吉·巴特尔', 'wljbte', ''],
    ])
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv([['姓名', '身份证号', '村民小组'], ['陈六', newId('1988-08-08'), '第六组']]))])
    expect(json(await upload(organiser, utf8, { unitCode: u2 }, 'roll.csv'))).toMatchObject({ created: 1 })
  })

  it('keeps imports in reach: the unit is checked before the file is read; cadre only its unit, leader 403, no unit 400', async () => {
    const before = await total()
    const file = await workbook(header, [['越权', newId(), '第一组', resident, null, null, null]])
    expect((await upload(otherTownship, file, { unitCode: u1 })).statusCode).toBe(404)
    expect((await upload(cadre, file, { unitCode: c.units[1][2]! })).statusCode).toBe(404)
    expect((await upload(leader, file, { unitCode: u1 })).statusCode).toBe(403)
    expect((await upload(organiser, file, {})).statusCode).toBe(400)
    // An unreadable file for a unit out of reach is still a 404: nothing about the file is said.
    expect((await upload(otherTownship, Buffer.from('%PDF-1.4'), { unitCode: u1 }, 'x.pdf')).statusCode).toBe(404)
    expect(await total()).toBe(before)
    expect(json(await upload(cadre, file, { unitCode: u3 }))).toMatchObject({ created: 1, unitCode: u3 })
  })

  it('refuses a unit without an election day, and a frozen roll, before reading the file', async () => {
    const file = await workbook(header, [['无日期', newId(), '第一组', resident, null, null, null]])
    const none = await upload(organiser, file, { unitCode: u0 })
    expect(none.statusCode).toBe(422)
    expect(none.json().message).toContain('选举日')
    await t.db.updateTable('voter_roll').set({ status: 'frozen', published_on: '2026-12-20', frozen_at: new Date() }).where('county_code', '=', c.countyCode).where('unit_code', '=', u2).execute()
    const frozen = await upload(organiser, file, { unitCode: u2 })
    expect(frozen.statusCode).toBe(422)
    expect(frozen.json().message).toContain('冻结')
    expect((await votersOf(u0)).length).toBe(0)
  })
})

describe('a large file', () => {
  it('loads 1,200 voters through COPY with 1,201 chained audit rows, searchable by initials at once', async () => {
    expect(await bulkTransaction(t.db, async (_trx, bulk) => bulk.method)).toBe('copy')
    const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄']
    const rows: string[][] = [['姓名', '身份证号', '村民小组', '登记类别']]
    for (let i = 0; i < 1200; i++) {
      const birth = `${1950 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
      rows.push([`${surnames[i % 8]}${'建国秀英志强桂兰'[i % 8]}${'一二三四五六七八九十'[Math.floor(i / 8) % 10]}`, idNumberFor(i, { birth, female: i % 2 === 1 }), `第${1 + (i % 9)}组`, i % 10 ? resident : awayOptIn])
    }
    const auditsBefore = await audits('voter.import.create')
    const importsBefore = await audits('voter.import')
    const res = await upload(organiser, Buffer.from(csv(rows)), { unitCode: u1 }, 'big.csv')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ created: 1200, voters: 1204 })
    expect(await audits('voter.import.create')).toBe(auditsBefore + 1200)
    expect(await audits('voter.import')).toBe(importsBefore + 1)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
    const zs = json<{ total: number; items: { name: string }[] }>(await organiser.get(`/api/voters?unitCode=${u1}&q=zj&pageSize=200`))
    expect(zs.items.every((v) => v.name.startsWith('张建'))).toBe(true)
    expect(zs.total).toBe(150)
  })
})

function json<T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => T }): T {
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
