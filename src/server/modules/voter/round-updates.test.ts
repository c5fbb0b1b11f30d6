import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { multipart, workbook } from '../../../../test/helpers/upload.ts'
import { maskIdNumber } from '../../../shared/mask.ts'
import { verifyChain } from '../audit/service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let leader: Session
/** u1: the unit updated; u2: same township (a person already registered there); u3: the other township. */
let u1: string
let u2: string
let u3: string
let previous: string
let current: string

/** Last round's election day, and this round's. */
const E0 = '2021-05-20'
const E = '2027-01-20'
let seq = 0
const newId = (birth: string) => idNumberFor(++seq, { birth })

type Proposal = { change: string; changeLabel: string; reason: string; row: number; name: string; idNumber: string | null; idNumberMasked: string; villageGroup: string; birthDate: string; voterId: string | null; warning: string | null }
type Preview = { electionDay: string; previous: { campaignName: string; electionDay: string } | null; rows: number; proposals: Proposal[]; notInRegister: { name: string }[]; notes: string[] }
type Left = { name: string; idNumber: string; villageGroup: string; messages: string[] }
type CarryOver = { copied: number; voters: number; failed: Left[]; skipped: Left[] }

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
const header = ['姓名', '身份证号', '村民小组', '死亡', '迁出']
const preview = (s: Session, file: Buffer, fields: Record<string, string>, filename = '户籍资料.xlsx') => {
  const m = multipart(file, fields, filename)
  return s.inject({ method: 'POST', url: '/api/voters/updates/preview', payload: m.payload, headers: m.headers })
}
const votersOf = (campaignId: string, unit = u1) =>
  t.db.selectFrom('voter').selectAll().where('county_code', '=', c.countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unit).where('status', '=', 'active').orderBy('id').execute()
const voterCount = async () => Number((await t.db.selectFrom('voter').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const auditCount = async () => Number((await t.db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).n)
const audits = (action: string) => t.db.selectFrom('audit_log').select(['object_id', 'digest']).where('county_code', '=', c.countyCode).where('action', '=', action as never).orderBy('seq').execute()

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

/** The people of the story, by their role in it. */
const p = {
  alive: { name: '甲长寿', id: '' },
  dead: { name: '乙已故', id: '' },
  moved: { name: '丙迁出', id: '' },
  outsider: { name: '丁外来', id: '' },
  turned: { name: '戊新成', id: '' },
  adultBefore: { name: '己早成', id: '' },
  dayShort: { name: '庚差一天', id: '' },
  onTheDay: { name: '辛刚满', id: '' },
  elsewhere: { name: '壬邻村', id: '' },
  registeredOnly: { name: '癸在册', id: '' },
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  u1 = c.units[0][1]!
  u2 = c.units[0][2]!
  u3 = c.units[1][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'ru_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'ru_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'ru_org2' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'ru_leader' })
  admin = await t.login('ru_admin')
  organiser = await t.login('ru_org')
  otherTownship = await t.login('ru_org2')
  leader = await t.login('ru_leader')
  previous = json<{ id: string }>(await admin.post('/api/campaigns', { year: 2021, name: '2021年换届', startsOn: '2021-01-01', endsOn: '2025-12-31' })).id
  current = json<{ id: string }>(await admin.post('/api/campaigns', { year: 2026, name: '2026年换届', startsOn: '2026-01-01' })).id
  json(await admin.put(`/api/voters/rolls/${u1}`, { campaign: previous, electionDay: E0, version: 0 }))
  p.alive.id = newId('1960-01-01')
  p.dead.id = newId('1950-02-02')
  p.moved.id = newId('1985-03-03')
  p.outsider.id = newId('1980-04-04')
  p.turned.id = newId('2005-06-01')
  p.adultBefore.id = newId('2001-01-01')
  p.dayShort.id = newId('2009-01-21')
  p.onTheDay.id = newId('2009-01-20')
  p.elsewhere.id = newId('2004-02-02')
  p.registeredOnly.id = newId('1970-07-07')
  for (const x of [p.alive, p.dead, p.moved]) json(await organiser.post('/api/voters', { campaign: previous, unitCode: u1, name: x.name, idNumber: x.id, villageGroup: '第一组', category: 'resident' }), 201)
  json(await organiser.post('/api/voters', { campaign: previous, unitCode: u1, name: p.outsider.name, idNumber: p.outsider.id, villageGroup: '第二组', category: 'non_hukou', livingSince: '2019-01-01', meetingApprovedOn: '2021-03-01' }), 201)
  // A name today's rules refuse, entered before they did: carry-over must check it again.
  const bad = newId('1966-06-06')
  const sample = (await votersOf(previous))[0]!
  await t.db
    .insertInto('voter')
    .values({ ...sample, id: undefined, created_at: undefined, updated_at: undefined, version: undefined, name: '张<三>', name_initials: 'zs', id_number_enc: t.app.idCipher.encrypt(bad), id_number_index: t.app.idCipher.blindIndex(bad), id_number_masked: maskIdNumber(bad) })
    .execute()
  json(await admin.put(`/api/voters/rolls/${u1}`, { electionDay: E, version: 0 }))
  json(await admin.put(`/api/voters/rolls/${u2}`, { electionDay: E, version: 0 }))
})
afterAll(() => t.close())

describe('carrying last round’s roll over', () => {
  it('copies the active voters that pass against the new election day; lists the failed and a category-3 voter, copies neither; audited per voter', async () => {
    const r = json<CarryOver>(await organiser.post(`/api/voters/rolls/${u1}/carry-over`, { fromCampaign: previous }))
    expect(r.copied).toBe(3)
    expect(r.voters).toBe(3)
    expect(r.skipped).toEqual([])
    expect(r.failed.map((f) => f.name).sort()).toEqual(['丁外来', '张<三>'].sort())
    expect(r.failed.find((f) => f.name === '丁外来')!.messages[0]).toContain('重新申请')
    expect(r.failed.find((f) => f.name === '张<三>')!.messages[0]).toContain('姓名')
    expect(r.failed.every((f) => /^\d{4}\*{10}/.test(f.idNumber))).toBe(true)
    const copied = await votersOf(current)
    expect(copied.map((v) => v.name).sort()).toEqual([p.alive.name, p.dead.name, p.moved.name].sort())
    const old = await votersOf(previous)
    for (const v of copied) {
      const was = old.find((o) => o.id_number_index === v.id_number_index)!
      expect(v.id).not.toBe(was.id)
      expect(v).toMatchObject({ village_group: '第一组', category: 'resident', status: 'active', birth_date: was.birth_date })
      expect(t.app.idCipher.decrypt(v.id_number_enc)).toBe(t.app.idCipher.decrypt(was.id_number_enc))
    }
    expect(await audits('voter.carry_over.create')).toHaveLength(3)
    expect(await audits('voter.carry_over')).toHaveLength(1)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('skips people already on this round’s roll when run again, copying nothing', async () => {
    const before = await voterCount()
    const r = json<CarryOver>(await organiser.post(`/api/voters/rolls/${u1}/carry-over`, { fromCampaign: previous }))
    expect(r).toMatchObject({ copied: 0, voters: 3 })
    expect(r.skipped.map((s) => s.messages[0])).toEqual([expect.stringContaining('已在2026年换届') as unknown, expect.stringContaining('已在') as unknown, expect.stringContaining('已在') as unknown])
    expect(await voterCount()).toBe(before)
  })

  it('refuses the same campaign, a unit without last round’s roll, another township (404 before the body), and the leader', async () => {
    expect((await organiser.post(`/api/voters/rolls/${u1}/carry-over`, { fromCampaign: current })).statusCode).toBe(400)
    const none = await organiser.post(`/api/voters/rolls/${u2}/carry-over`, { fromCampaign: previous })
    expect(none.statusCode).toBe(422)
    expect(none.json().message).toContain('没有选民名单')
    expect((await otherTownship.post(`/api/voters/rolls/${u1}/carry-over`, { fromCampaign: previous })).statusCode).toBe(404)
    expect((await otherTownship.post(`/api/voters/rolls/${u1}/carry-over`, {})).statusCode).toBe(404)
    expect((await leader.post(`/api/voters/rolls/${u1}/carry-over`, { fromCampaign: previous })).statusCode).toBe(403)
    expect((await organiser.post(`/api/voters/rolls/${u3}/carry-over`, { fromCampaign: previous })).statusCode).toBe(404)
  })
})

describe('proposals from the household register', () => {
  let register: Buffer
  let proposals: Proposal[]

  beforeAll(async () => {
    json(await organiser.post('/api/voters', { unitCode: u2, name: p.elsewhere.name, idNumber: p.elsewhere.id, villageGroup: '第一组', category: 'resident' }), 201)
    json(await organiser.post('/api/voters', { unitCode: u1, name: p.registeredOnly.name, idNumber: p.registeredOnly.id, villageGroup: '第三组', category: 'resident' }), 201)
    register = await workbook(header, [
      [p.alive.name, p.alive.id, '第一组', '否', '否'],
      [p.dead.name, p.dead.id, '第一组', '是', ''],
      [p.moved.name, p.moved.id, '第一组', '', '是'],
      [p.turned.name, p.turned.id, '第二组', '', ''],
      [p.adultBefore.name, p.adultBefore.id, '第二组', '', ''],
      [p.dayShort.name, p.dayShort.id, '第二组', '', ''],
      [p.onTheDay.name, p.onTheDay.id, '第二组', '', ''],
      [p.elsewhere.name, p.elsewhere.id, '第一组', '', ''],
      ['己亡故', newId('1940-01-01'), '第一组', '√', ''],
    ])
  })

  it('proposes turned-18 additions since last round’s day (E itself counts, one day short does not), deaths and moves, writing nothing', async () => {
    const voters = await voterCount()
    const audit = await auditCount()
    const r = json<Preview>(await preview(organiser, register, { unitCode: u1 }))
    expect(r).toMatchObject({ electionDay: E, previous: { campaignName: '2021年换届', electionDay: E0 }, rows: 9 })
    const by = new Map(r.proposals.map((x) => [x.name, x]))
    expect([...by.keys()].sort()).toEqual([p.dead.name, p.moved.name, p.turned.name, p.onTheDay.name, p.elsewhere.name].sort())
    expect(by.get(p.dead.name)).toMatchObject({ change: 'remove_deceased', row: 3, idNumber: null, idNumberMasked: maskIdNumber(p.dead.id), warning: null })
    expect(by.get(p.dead.name)!.voterId).toBe((await votersOf(current)).find((v) => v.name === p.dead.name)!.id)
    expect(by.get(p.moved.name)).toMatchObject({ change: 'remove_moved', row: 4 })
    expect(by.get(p.turned.name)).toMatchObject({ change: 'add_turned_18', idNumber: p.turned.id, villageGroup: '第二组', birthDate: '2005-06-01', voterId: null, warning: null })
    expect(by.get(p.turned.name)!.reason).toContain('2023-06-01 年满18周岁')
    expect(by.get(p.onTheDay.name)).toMatchObject({ change: 'add_turned_18', birthDate: '2009-01-20' })
    expect(by.get(p.elsewhere.name)!.warning).toContain('该选民已在')
    expect(r.notInRegister.map((v) => v.name)).toEqual([p.registeredOnly.name])
    expect(r.notes.some((n) => n.includes('1 名户籍在本村的选民不在所传户籍资料中'))).toBe(true)
    expect(await voterCount()).toBe(voters)
    expect(await auditCount()).toBe(audit)
    proposals = r.proposals
  })

  it('reads the same register as a GBK CSV', async () => {
    const rows = [header, ...[p.alive, p.dead, p.turned].map((x, i) => [x.name, x.id, '第一组', i === 1 ? '是' : '否', '否'])]
    const file = gbk(rows.map((r) => r.join(',')).join('\r\n') + '\r\n')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(file)).toThrow()
    const r = json<Preview>(await preview(organiser, file, { unitCode: u1 }, '户籍.csv'))
    expect(r.proposals.map((x) => [x.name, x.change])).toEqual([
      [p.dead.name, 'remove_deceased'],
      [p.turned.name, 'add_turned_18'],
    ])
  })

  it('names every bad cell by row and column in Chinese and proposes nothing', async () => {
    const good = newId('1990-01-01')
    const broken = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const file = await workbook(header, [
      ['好人', good, '', '', ''],
      ['错号', broken, '', '', ''],
      ['', newId('1991-01-01'), '', '', ''],
      ['也许', newId('1992-01-01'), '', '也许', ''],
      ['重号', good, '', '', '大概'],
    ])
    const res = await preview(organiser, file, { unitCode: u1 })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('IMPORT_INVALID')
    const d = res.json().details as { row: number; column: string; message: string }[]
    expect(d).toContainEqual({ row: 3, column: 'B（身份证号）', message: '身份证号校验位不正确，请核对每一位数字' })
    expect(d).toContainEqual({ row: 4, column: 'A（姓名）', message: '姓名不能为空' })
    expect(d).toContainEqual({ row: 5, column: 'D（死亡）', message: expect.stringContaining('请填“是”或“否”') as unknown })
    expect(d).toContainEqual({ row: 6, column: 'B（身份证号）', message: '身份证号与第 2 行重复' })
    expect(d).toContainEqual({ row: 6, column: 'E（迁出）', message: expect.stringContaining('“大概”无法识别') as unknown })
    expect(d.map((x) => x.row)).toEqual([...d.map((x) => x.row)].sort((x, y) => x - y))
    // A file without the ID column says which columns the template has.
    const headless = await preview(organiser, await workbook(['姓名', '电话'], [['某人', '123']]), { unitCode: u1 })
    expect(headless.statusCode).toBe(400)
    expect(headless.json().message).toContain('身份证号')
  })

  it('keeps the register to the actor’s units: another township 404, the leader 403; gives the template to writers', async () => {
    expect((await preview(otherTownship, register, { unitCode: u1 })).statusCode).toBe(404)
    expect((await preview(leader, register, { unitCode: u1 })).statusCode).toBe(403)
    expect((await otherTownship.post('/api/voters/updates/apply', { unitCode: u1, proposals: [{ change: 'remove_deceased', voterId: proposals[0]!.voterId ?? '1' }] })).statusCode).toBe(404)
    const tpl = await organiser.get('/api/voters/updates/template')
    expect(tpl.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(tpl.rawPayload as never)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '姓名*', '身份证号*', '村民小组', '死亡', '迁出'])
    expect((await leader.get('/api/voters/updates/template')).statusCode).toBe(403)
  })

  it('applies nothing when one confirmed change fails: under 18, already registered, a voter of another unit, each named by its position', async () => {
    const voters = await voterCount()
    const audit = await auditCount()
    const neighbour = (await votersOf(current, u2))[0]!
    const res = await organiser.post('/api/voters/updates/apply', {
      unitCode: u1,
      proposals: [
        { change: 'add_turned_18', idNumber: p.turned.id, name: p.turned.name, villageGroup: '第二组' },
        { change: 'add_turned_18', idNumber: p.dayShort.id, name: p.dayShort.name },
        { change: 'add_turned_18', idNumber: p.elsewhere.id, name: p.elsewhere.name },
        { change: 'remove_moved', voterId: neighbour.id },
      ],
    })
    expect(res.statusCode).toBe(422)
    const d = res.json().details as { field: string; message: string }[]
    expect(d.map((x) => x.field)).toEqual(['proposals.1', 'proposals.2', 'proposals.3'])
    expect(d[0]!.message).toContain('未满18周岁')
    expect(d[1]!.message).toContain('该选民已在')
    expect(d[2]!.message).toContain('不在')
    expect(res.json().message).toContain('未保存任何变动')
    const incomplete = await organiser.post('/api/voters/updates/apply', { unitCode: u1, proposals: [{ change: 'add_turned_18', idNumber: p.turned.id }, { change: 'remove_moved' }] })
    expect(incomplete.statusCode).toBe(400)
    expect(incomplete.json().details.map((x: { field: string }) => x.field)).toEqual(['proposals.0', 'proposals.1'])
    // Category 3 needs the villagers' meeting: not through the register.
    expect((await organiser.post('/api/voters/updates/apply', { unitCode: u1, proposals: [{ change: 'add_turned_18', idNumber: p.turned.id, name: p.turned.name, category: 'non_hukou' }] })).statusCode).toBe(400)
    expect(await voterCount()).toBe(voters)
    expect(await auditCount()).toBe(audit)
  })

  it('applies the confirmed proposals in one transaction: additions checked as a registration, removals with the reason, each audited', async () => {
    const confirmed = proposals
      .filter((x) => x.warning === null)
      .map((x) => (x.change === 'add_turned_18' ? { change: x.change, idNumber: x.idNumber!, name: x.name, villageGroup: x.villageGroup } : { change: x.change, voterId: x.voterId! }))
      // A student away at college, who says they will take part.
      .map((x) => ('name' in x && x.name === p.turned.name ? { ...x, category: 'away_opt_in' } : x))
    expect(confirmed).toHaveLength(4)
    const r = json<{ added: number; removed: number; voters: number }>(await organiser.post('/api/voters/updates/apply', { unitCode: u1, proposals: confirmed }))
    expect(r).toMatchObject({ added: 2, removed: 2, voters: 4 })
    const rows = await t.db.selectFrom('voter').selectAll().where('county_code', '=', c.countyCode).where('campaign_id', '=', current).where('unit_code', '=', u1).execute()
    expect(rows.find((v) => v.name === p.dead.name)).toMatchObject({ status: 'removed', removed_reason: expect.stringContaining('死亡') as unknown })
    expect(rows.find((v) => v.name === p.moved.name)).toMatchObject({ status: 'removed', removed_reason: expect.stringContaining('迁出') as unknown })
    const added = rows.find((v) => v.name === p.onTheDay.name)!
    expect(added).toMatchObject({ status: 'active', category: 'resident', village_group: '第二组', birth_date: '2009-01-20', name_initials: 'xgm' })
    expect(t.app.idCipher.decrypt(added.id_number_enc)).toBe(p.onTheDay.id)
    expect(rows.find((v) => v.name === p.turned.name)).toMatchObject({ status: 'active', category: 'away_opt_in' })
    expect(await audits('voter.round.add')).toHaveLength(2)
    expect(await audits('voter.round.remove')).toHaveLength(2)
    const [summary] = await audits('voter.round.apply')
    expect(JSON.stringify(summary!.digest)).toContain('"added":2')
    const again = await organiser.post('/api/voters/updates/apply', { unitCode: u1, proposals: confirmed.slice(0, 1) })
    expect(again.statusCode).toBe(422)
  })

  it('refuses to apply once the roll is frozen', async () => {
    await t.db.updateTable('voter_roll').set({ status: 'frozen', published_on: '2026-12-25', frozen_at: new Date() }).where('county_code', '=', c.countyCode).where('unit_code', '=', u1).where('campaign_id', '=', current).execute()
    const res = await organiser.post('/api/voters/updates/apply', { unitCode: u1, proposals: [{ change: 'add_turned_18', idNumber: p.adultBefore.id, name: p.adultBefore.name }] })
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain('冻结')
    expect((await preview(organiser, register, { unitCode: u1 })).statusCode).toBe(422)
    expect((await organiser.post(`/api/voters/rolls/${u1}/carry-over`, { fromCampaign: previous })).statusCode).toBe(422)
  })
})
