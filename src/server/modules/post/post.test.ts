import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { multipart, workbook } from '../../../../test/helpers/upload.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let other: Session
let cadre: Session
let member: { id: string; name: string }
let masses: { id: string }
let unitName: string

const header = ['村（社区）*', '姓名*', '身份证号*', '班子*', '职务*', '任职时间']
const upload = (s: Session, file: Buffer) => {
  const m = multipart(file)
  return s.inject({ method: 'POST', url: '/api/posts/import', payload: m.payload, headers: m.headers })
}
const holdings = async () => (await t.db.selectFrom('post_holding').select('id').where('county_code', '=', c.countyCode).execute()).length

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'po_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'po_org2' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [c.units[0][2]!], username: 'po_cadre' })
  organiser = await t.login('po_org')
  other = await t.login('po_org2')
  cadre = await t.login('po_cadre')
  unitName = (await t.db.selectFrom('territory').select('name').where('code', '=', c.units[0][1]!).executeTakeFirstOrThrow()).name
  const p = await organiser.post('/api/people', { name: '高某', idNumber: idNumberFor(31), ethnicity: '01', education: '31', politicalStatus: '01', partyJoinedOn: '2003-07-01', unitCode: c.units[0][1] })
  member = p.json()
  masses = (await organiser.post('/api/people', { name: '群众某', idNumber: idNumberFor(32), ethnicity: '01', education: '21', politicalStatus: '13', unitCode: c.units[0][1] })).json()
})
afterAll(() => t.close())

describe('incumbent teams', () => {
  it('records a post, refuses the same body twice and a non-member as Party secretary, and audits', async () => {
    const res = await organiser.post('/api/posts', { unitCode: c.units[0][1], personId: member.id, body: 'party', post: 'secretary', since: '2021-03-15' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ name: '高某', bodyLabel: '村党组织委员会', postLabel: '党组织书记', idNumber: expect.stringContaining('****') as unknown })
    expect((await organiser.post('/api/posts', { unitCode: c.units[0][1], personId: member.id, body: 'party', post: 'member' })).statusCode).toBe(409)
    const bad = await organiser.post('/api/posts', { unitCode: c.units[0][1], personId: masses.id, body: 'party', post: 'member' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toContain('中共党员')
    // Secretary and chair held by one person (一肩挑) is two rows.
    expect((await organiser.post('/api/posts', { unitCode: c.units[0][1], personId: member.id, body: 'committee', post: 'chair' })).statusCode).toBe(201)
    const audit = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('action', '=', 'post.create').execute()
    expect(audit).toHaveLength(2)
    // The person's record states both posts.
    expect((await organiser.get(`/api/people/${member.id}`)).json().posts).toEqual([`${unitName}党组织书记`, `${unitName}村民委员会主任`])
  })

  it('lists by unit within scope only', async () => {
    expect((await organiser.get(`/api/posts?unitCode=${c.units[0][1]}`)).json()).toHaveLength(2)
    expect((await organiser.get(`/api/posts?unitCode=${c.townships[0]}`)).json()).toHaveLength(2)
    expect((await other.get('/api/posts')).json()).toHaveLength(0)
    expect((await other.get(`/api/posts?unitCode=${c.units[0][1]}`)).json()).toHaveLength(0)
    // A contact cadre sees only the assigned unit (not this one).
    expect((await cadre.get('/api/posts')).json()).toHaveLength(0)
    const id = (await organiser.get('/api/posts')).json()[1].id
    expect((await other.del(`/api/posts/${id}`)).statusCode).toBe(404)
    expect((await cadre.del(`/api/posts/${id}`)).statusCode).toBe(403)
  })

  it('imports all or nothing, naming row and column for every problem', async () => {
    const file = await workbook(header, [
      [unitName, '高某', idNumberFor(31), '党组织委员会', '委员', null],
      ['不存在村', '某某', idNumberFor(33), '村民委员会', '主任', null],
      [unitName, '群众某', idNumberFor(32), '党组织委员会', '委员', null],
      [unitName, '错名', idNumberFor(32), '村民委员会', '委员', '2030-01-01'],
      [unitName, '张某', idNumberFor(34), '村民委员会', '村长', null],
    ])
    const res = await upload(organiser, file)
    expect(res.statusCode).toBe(400)
    const details = res.json().details as { row: number; column: string; message: string }[]
    const at = (row: number) => details.filter((d) => d.row === row).map((d) => `${d.column} ${d.message}`).join(' | ')
    expect(at(2)).toContain('已登记')
    expect(at(3)).toMatch(/A（村（社区））.*不是您辖区内/)
    expect(at(4)).toContain('中共党员')
    expect(at(5)).toMatch(/B（姓名）.*不一致/)
    expect(at(5)).toContain('任职时间')
    expect(at(6)).toContain('职务请填')
    expect(JSON.stringify(res.json())).not.toContain(idNumberFor(31))
    expect(await holdings()).toBe(2)
  })

  it('reports an ID number stored as an Excel number, and a repeated row', async () => {
    const numeric = await upload(organiser, await workbook(header, [[unitName, '群众某', 110105198001010630, '村民委员会', '委员', null]]))
    expect(numeric.statusCode).toBe(400)
    expect(numeric.json().details[0]).toMatchObject({ row: 2, column: 'C（身份证号）', message: expect.stringContaining('存成了数字') as unknown })
    const twice = await upload(
      organiser,
      await workbook(header, [
        [unitName, '群众某', idNumberFor(32), '村民委员会', '委员', null],
        [unitName, '群众某', idNumberFor(32), '村民委员会', '委员', null],
      ]),
    )
    expect(twice.statusCode).toBe(400)
    expect(JSON.stringify(twice.json().details)).toContain('与第 2 行是同一人')
    expect(await holdings()).toBe(2)
  })

  it('imports good rows with an audit row each, and exports masked', async () => {
    const file = await workbook(header, [[unitName, '群众某', idNumberFor(32), '村民委员会', '委员', '2021.03.15']])
    const res = await upload(organiser, file)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ created: 1 })
    expect(await holdings()).toBe(3)
    const audit = await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('action', 'in', ['post.import', 'post.import.create']).execute()
    expect(audit).toHaveLength(2)
    const exp = await organiser.get('/api/posts/export')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer)
    const text = JSON.stringify(wb.worksheets[0]!.getSheetValues())
    expect(text).toContain('村民委员会')
    expect(text).not.toContain(idNumberFor(32))
  })

  it('refuses a file that is not the template', async () => {
    const res = await upload(organiser, await workbook(['名称', '代码'], [['x', 'y']]))
    expect(res.statusCode).toBe(400)
    expect(await holdings()).toBe(3)
  })
})
