import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { verifyChain } from '../audit/service.ts'
import { todayInChina } from '../person/service.ts'
import { latestBirthDate } from '../../../rules/voter/index.ts'
import { chineseNumber } from './publication.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let reviewer: Session
/** u1: the cadre's village; u2: a village of the same township; uc: its community; u3: a village of the other township. */
let u1: string
let u2: string
let uc: string
let u3: string
const names = new Map<string, string>()

const today = todayInChina()
/** Every roll here votes ten days from now: E − 20 lies ten days back, so the rule and "not after today" can be told apart. */
const E = addDays(today, 10)
/** The campaign began well before, whatever today is. */
const campaignStart = addDays(today, -400)
const year = Number(today.slice(0, 4))
let seq = 0
const ids: string[] = []

type State = {
  unitCode: string
  status: string
  electionDay: string
  publishedOn: string | null
  frozenAt: string | null
  voters: number
  version: number
  term: number | null
  latestPublication: string
  objectionsUntil: string | null
  undecidedObjections: number
  overdueObjections: number
  freezeBlocked: string | null
}

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const rollRow = (unit: string) => t.db.selectFrom('voter_roll').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', unit).executeTakeFirstOrThrow()
const audits = (action: string) => t.db.selectFrom('audit_log').select(['digest', 'object_id']).where('county_code', '=', c.countyCode).where('action', '=', action as never).orderBy('seq').execute()

async function register(unit: string, name: string, group: string, over: Record<string, unknown> = {}, session = organiser) {
  const { birth, ...rest } = over
  const idNumber = idNumberFor(++seq, { birth: (birth as string | undefined) ?? '1970-03-03', female: seq % 2 === 0 })
  ids.push(idNumber)
  return json<{ id: string; version: number }>(await session.post('/api/voters', { unitCode: unit, name, idNumber, villageGroup: group, category: 'resident', ...rest }), 201)
}

/** The PDF's text through poppler's pdftotext, or undefined on a machine without it. */
function pdfText(pdf: Buffer): string | undefined {
  const tool = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p))
  if (!tool) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'pdftext-'))
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf)
    return execFileSync(tool, ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
/** Page objects, not the /Pages tree: pdfkit writes them uncompressed. */
const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  uc = c.units[0][0]!
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'pb_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'pb_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'pb_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [u1], username: 'pb_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'pb_leader' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.values().next().value, username: 'pb_reviewer' })
  admin = await t.login('pb_admin')
  organiser = await t.login('pb_org')
  otherTownship = await t.login('pb_org2')
  cadre = await t.login('pb_cadre')
  leader = await t.login('pb_leader')
  reviewer = await t.login('pb_reviewer')
  json(await admin.post('/api/campaigns', { year, name: `${year}年换届`, startsOn: campaignStart }))
  for (const r of await t.db.selectFrom('territory').select(['code', 'name']).where('county_code', '=', c.countyCode).execute()) names.set(r.code, r.name)
  for (const unit of [u1, u2, uc]) json(await organiser.put(`/api/voters/rolls/${unit}`, { electionDay: E, version: 0 }))
  // u3 votes twenty days from now, so its roll can be published today.
  json(await admin.put(`/api/voters/rolls/${u3}`, { electionDay: addDays(today, 20), version: 0 }))
})
afterAll(() => t.close())

describe('publishing the roll', () => {
  it('refuses an empty roll; a cadre and a leader get 403, another township 404 whatever the body, the reviewer 403', async () => {
    const empty = await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: 1 })
    expect(empty.statusCode).toBe(422)
    expect(empty.json().message).toContain('还没有选民')
    await register(u1, '张三', '第一组')
    expect((await cadre.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: 1 })).statusCode).toBe(403)
    expect((await leader.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: 1 })).statusCode).toBe(403)
    expect((await reviewer.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: 1 })).statusCode).toBe(403)
    expect((await otherTownship.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: 'x' })).statusCode).toBe(404)
    expect((await otherTownship.post(`/api/voters/rolls/${u1}/freeze`, {})).statusCode).toBe(404)
    expect((await rollRow(u1)).status).toBe('draft')
  })

  it('refuses a day after E − 20 with the rule, and a day after today; accepts E − 20 itself, audited, with the term', async () => {
    const late = await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -19), version: 1 })
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toContain(`最迟 ${addDays(E, -20)}`)
    expect(late.json().message).toContain('依据')
    expect(late.json().details[0].field).toBe('publishedOn')
    const future = await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(today, 1), version: 1 })
    expect(future.statusCode).toBe(422)
    expect(future.json().message).toContain('晚于今天')
    expect((await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(campaignStart, -1), version: 1 })).json().message).toContain('早于')
    expect((await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: '2026-02-30', version: 1 })).statusCode).toBe(400)
    expect((await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), term: 100, version: 1 })).statusCode).toBe(400)
    expect(await rollRow(u1)).toMatchObject({ status: 'draft', published_on: null, version: 1 })
    const stale = await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: 9 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    const s = json<State>(await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), term: 12, version: 1 }))
    expect(s).toMatchObject({ status: 'published', publishedOn: addDays(E, -20), term: 12, voters: 1, version: 2, latestPublication: addDays(E, -20), objectionsUntil: addDays(E, -15) })
    expect(await rollRow(u1)).toMatchObject({ status: 'published', published_on: addDays(E, -20), term_no: 12, version: 2 })
    const [a] = await audits('voter.roll.publish')
    expect(a!.object_id).toContain(u1)
    expect(JSON.stringify(a!.digest)).toContain(addDays(E, -20))
    const again = await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -21), version: 2 })
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('已于')
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('accepts an earlier day, and refuses a category-3 voter agreed by the meeting only after it', async () => {
    await register(u2, '李四', '第二组')
    await register(u2, '外来户', '第二组', { category: 'non_hukou', livingSince: addDays(today, -800), meetingApprovedOn: addDays(E, -25) })
    const before = await organiser.post(`/api/voters/rolls/${u2}/publish`, { publishedOn: addDays(E, -26), version: 1 })
    expect(before.statusCode).toBe(422)
    expect(before.json().message).toContain('外来户')
    expect(before.json().message).toContain('村民会议')
    expect(json<State>(await organiser.post(`/api/voters/rolls/${u2}/publish`, { publishedOn: addDays(E, -25), version: 1 }))).toMatchObject({ status: 'published', term: null, voters: 2 })
  })

  it('shows the state to readers in scope (404 outside, 403 for the reviewer)', async () => {
    const s = json<State>(await cadre.get(`/api/voters/rolls/${u1}`))
    expect(s).toMatchObject({ status: 'published', undecidedObjections: 0, overdueObjections: 0, objectionsUntil: addDays(E, -15) })
    expect(s.freezeBlocked).toBeNull()
    expect(json<State>(await leader.get(`/api/voters/rolls/${uc}`))).toMatchObject({ status: 'draft', publishedOn: null, objectionsUntil: null })
    expect(json<State>(await leader.get(`/api/voters/rolls/${uc}`)).freezeBlocked).toContain('尚未公布')
    expect((await cadre.get(`/api/voters/rolls/${u2}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/rolls/${u1}`)).statusCode).toBe(404)
    expect((await reviewer.get(`/api/voters/rolls/${u1}`)).statusCode).toBe(403)
  })
})

describe('the printed list', () => {
  let groupNames: Record<string, string[]>

  beforeAll(async () => {
    // u1 already has 张三 in 第一组; the groups are printed 第二组 before 第十组 and the unnamed last.
    groupNames = { 第一组: ['张三', '王五', '丁一'], 第二组: ['赵六'], 第十组: ['钱七'], '': ['孙八'] }
    for (const [group, list] of Object.entries(groupNames)) {
      for (const name of list) if (name !== '张三') await register(u1, name, group, { birth: name === '丁一' ? addDays(latestBirthDate(E), -5) : '1970-03-03' })
    }
    await register(u1, '外乡人', '第二组', { category: 'non_hukou', livingSince: addDays(today, -800), meetingApprovedOn: addDays(today, -30) })
    groupNames['第二组']!.push('外乡人')
    await register(uc, '周九', '第一居民小组')
  })

  it('is a PDF with one section per group on its own page, the names, ages and counts, and no ID number', async () => {
    const res = await leader.get(`/api/voters/rolls/${u1}/list.pdf`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(String(res.headers['content-disposition'])).toContain('filename*=UTF-8')
    const pdf = res.rawPayload
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.toString('latin1')).toContain('/FontFile')
    // Four groups, each from a new page, and the summary page.
    expect(pageCount(pdf)).toBe(5)
    const text = pdfText(pdf)
    if (text === undefined) return
    const flat = text.replace(/\s+/g, '')
    expect(flat).toContain(`${names.get(u1)}第十二届村民委员会选举选民名单`)
    expect(flat).toContain('公布日期：')
    for (const list of Object.values(groupNames)) for (const name of list) expect(flat).toContain(name)
    for (const g of ['村民小组：第一组', '村民小组：第二组', '村民小组：第十组', '村民小组：未分组', '选民人数汇总']) expect(flat).toContain(g)
    // Pages in order: 第一组, 第二组, 第十组, 未分组.
    const pages = text.split('\f')
    expect(pages[1]).toContain('第二组')
    expect(pages[2]).toContain('第十组')
    expect(pages[3]).toContain('未分组')
    expect(flat).toContain('本组选民共3人')
    expect(flat).toContain('村民选举委员会（盖章）')
    expect(flat).toContain('五日内')
    // 丁一 turns 18 five days before E.
    expect(pages[0]!.replace(/\s+/g, ' ')).toMatch(/丁一 (男|女) 18/)
    for (const id of ids) {
      expect(flat).not.toContain(id)
      expect(flat).not.toContain(`${id.slice(0, 4)}**********${id.slice(-4)}`)
    }
    expect(flat).not.toContain('1970-03-03')
  })

  it('prints one group alone (no summary), and 404 for a group with nobody in it', async () => {
    const res = await cadre.get(`/api/voters/rolls/${u1}/list.pdf?group=${encodeURIComponent('第二组')}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(pageCount(res.rawPayload)).toBe(1)
    const text = pdfText(res.rawPayload)
    if (text !== undefined) {
      const flat = text.replace(/\s+/g, '')
      expect(flat).toContain('赵六')
      expect(flat).toContain('外乡人')
      expect(flat).not.toContain('张三')
      expect(flat).not.toContain('选民人数汇总')
      expect(flat).toContain('户籍不在本村、在本村居住一年以上、经村民会议或村民代表会议同意的1人')
    }
    expect((await cadre.get(`/api/voters/rolls/${u1}/list.pdf?group=${encodeURIComponent('第九组')}`)).statusCode).toBe(404)
    const unnamed = await cadre.get(`/api/voters/rolls/${u1}/list.pdf?group=${encodeURIComponent('未分组')}`)
    expect(unnamed.statusCode).toBe(200)
    const t2 = pdfText(unnamed.rawPayload)
    if (t2 !== undefined) expect(t2.replace(/\s+/g, '')).toContain('孙八')
  })

  it('prints a draft (a community’s) with a blank date to fill in, as a check copy', async () => {
    const res = await organiser.get(`/api/voters/rolls/${uc}/list.pdf`)
    expect(res.statusCode, res.body).toBe(200)
    const text = pdfText(res.rawPayload)
    if (text === undefined) return
    const flat = text.replace(/\s+/g, '')
    expect(flat).toContain(`${names.get(uc)}${year}年居民委员会选举选民名单`)
    expect(flat).toContain('居民小组：第一居民小组')
    expect(flat).toContain('公布日期：年月日')
    expect(flat).toContain('核对稿')
    expect(flat).toContain('居民选举委员会（盖章）')
  })

  it('answers 404 outside the territory and for a cadre’s other unit, 403 for the reviewer', async () => {
    expect((await otherTownship.get(`/api/voters/rolls/${u1}/list.pdf`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/voters/rolls/${u1}/list.xlsx`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/voters/rolls/${u2}/list.pdf`)).statusCode).toBe(404)
    expect((await reviewer.get(`/api/voters/rolls/${u1}/list.pdf`)).statusCode).toBe(403)
  })

  it('gives the same list as an .xlsx: a sheet per group with the title and counts, then 汇总', async () => {
    const res = await organiser.get(`/api/voters/rolls/${u1}/list.xlsx`)
    expect(res.statusCode, res.body).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['第一组', '第二组', '第十组', '未分组', '汇总'])
    const first = wb.getWorksheet('第一组')!
    expect(first.getCell(1, 1).value).toBe(`${names.get(u1)}第十二届村民委员会选举选民名单`)
    expect(first.getRow(4).values).toEqual([undefined, '序号', '姓名', '性别', '年龄', '登记类别'])
    const cells: string[] = []
    first.eachRow((row) => row.eachCell((cell) => cells.push(cell.text)))
    for (const name of groupNames['第一组']!) expect(cells).toContain(name)
    expect(cells.some((v) => v.includes('本组选民共 3 人'))).toBe(true)
    expect(first.pageSetup.printTitlesRow).toBe('4:4')
    const all: string[] = []
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((cell) => all.push(cell.text)))
    for (const id of ids) expect(all.join('|')).not.toContain(id.slice(-8))
    const sum = wb.getWorksheet('汇总')!
    const totals: unknown[] = []
    sum.eachRow((row) => totals.push(row.values))
    expect(totals).toContainEqual([undefined, '合计', 7, 6, 0, 1])
  })
})

describe('freezing by hand', () => {
  it('refuses a draft roll and one still in its objection period, naming the day it ends', async () => {
    const draft = await organiser.post(`/api/voters/rolls/${uc}/freeze`, { version: (await rollRow(uc)).version })
    expect(draft.statusCode).toBe(422)
    expect(draft.json().message).toContain('尚未公布')
    // u3's roll is published today: objections are open until today + 5.
    await register(u3, '吴十', '第一组', {}, admin)
    json(await admin.post(`/api/voters/rolls/${u3}/publish`, { publishedOn: today, version: 1 }))
    const open = await otherTownship.post(`/api/voters/rolls/${u3}/freeze`, { version: 2 })
    expect(open.statusCode).toBe(422)
    expect(open.json().message).toContain(`申诉期至 ${addDays(today, 5)}`)
    expect((await rollRow(u3)).status).toBe('published')
  })

  it('freezes a published roll after its objection period, audited; a stale version is 409; the cadre 403', async () => {
    expect((await cadre.post(`/api/voters/rolls/${u1}/freeze`, { version: 2 })).statusCode).toBe(403)
    const roll = await rollRow(u1)
    const stale = await organiser.post(`/api/voters/rolls/${u1}/freeze`, { version: roll.version - 1 })
    expect(stale.statusCode).toBe(409)
    expect((await rollRow(u1)).status).toBe('published')
    const s = json<State>(await organiser.post(`/api/voters/rolls/${u1}/freeze`, { version: roll.version }))
    expect(s.status).toBe('frozen')
    expect(s.frozenAt).not.toBeNull()
    const row = await rollRow(u1)
    expect(row).toMatchObject({ status: 'frozen', version: roll.version + 1 })
    expect(row.frozen_at).toBeInstanceOf(Date)
    const [a] = await audits('voter.roll.freeze')
    expect(JSON.stringify(a!.digest)).toContain('"by":"hand"')
  })

  it('then refuses every write to the roll (422) and changes nothing', async () => {
    const roll = await rollRow(u1)
    const v = await t.db.selectFrom('voter').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', u1).where('name', '=', '张三').executeTakeFirstOrThrow()
    const before = await t.db.selectFrom('voter').select('id').where('county_code', '=', c.countyCode).where('unit_code', '=', u1).execute()
    const add = await organiser.post('/api/voters', { unitCode: u1, name: '新人', idNumber: idNumberFor(++seq), villageGroup: '第一组', category: 'resident' })
    expect(add.statusCode).toBe(422)
    expect(add.json().message).toContain('冻结')
    expect((await organiser.put(`/api/voters/${v.id}`, { version: v.version, name: '张三丰', villageGroup: '第一组', category: 'resident' })).statusCode).toBe(422)
    expect((await organiser.inject({ method: 'DELETE', url: `/api/voters/${v.id}`, payload: { version: v.version, reason: '迁出' } })).statusCode).toBe(422)
    expect((await organiser.put(`/api/voters/rolls/${u1}`, { electionDay: addDays(E, 1), version: roll.version })).statusCode).toBe(422)
    expect((await organiser.post(`/api/voters/rolls/${u1}/publish`, { publishedOn: addDays(E, -20), version: roll.version })).statusCode).toBe(422)
    expect((await organiser.post(`/api/voters/rolls/${u1}/freeze`, { version: roll.version })).statusCode).toBe(422)
    const objection = await organiser.post('/api/voters/objections', { unitCode: u1, voterId: v.id, objectorName: '某人', content: '不是本村村民', receivedOn: today })
    expect(objection.statusCode).toBe(422)
    expect(objection.json().message).toContain('冻结')
    expect(await rollRow(u1)).toEqual(roll)
    expect(await t.db.selectFrom('voter').selectAll().where('id', '=', v.id).executeTakeFirstOrThrow()).toEqual(v)
    expect(await t.db.selectFrom('voter').select('id').where('county_code', '=', c.countyCode).where('unit_code', '=', u1).execute()).toEqual(before)
    // The frozen list still prints.
    expect((await leader.get(`/api/voters/rolls/${u1}/list.pdf`)).statusCode).toBe(200)
  })
})

describe('chineseNumber', () => {
  it('writes the term numbers of a title', () => {
    expect([1, 9, 10, 11, 12, 19, 20, 21, 99].map(chineseNumber)).toEqual(['一', '九', '十', '十一', '十二', '十九', '二十', '二十一', '九十九'])
  })
})
