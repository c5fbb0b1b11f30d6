import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { multipart, workbook as buildWorkbook } from '../../../../test/helpers/upload.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session

const workbook = (rows: (string | number | null)[][], header = ['区划代码*', '名称*', '类别', '排序']) => buildWorkbook(header, rows)

const upload = (s: Session, file: Buffer, fields?: Record<string, string>) => {
  const m = multipart(file, fields)
  return s.inject({ method: 'POST', url: '/api/territories/import', payload: m.payload, headers: m.headers })
}

const count = async () => (await t.db.selectFrom('territory').select('code').where('county_code', '=', c.countyCode).execute()).length

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'i_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'i_org' })
  admin = await t.login('i_admin')
  organiser = await t.login('i_org')
})
afterAll(() => t.close())

describe('territory import and export', () => {
  it('serves a template with the header, text-formatted code column and instructions', async () => {
    const res = await admin.get('/api/territories/template')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".*"; filename\*=UTF-8''%E5%8C%BA%E5%88%92/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).values).toEqual([undefined, '区划代码*', '名称*', '类别', '排序'])
    expect(ws.getColumn(1).numFmt).toBe('@')
    expect(wb.getWorksheet('填写说明')).toBeDefined()
  })

  it('imports a new township and its villages from one file, in one transaction', async () => {
    const before = await count()
    const file = await workbook([
      [`${c.countyCode}102000`, '新设镇', '镇', 3],
      [`${c.countyCode}102201`, '甲村', '', 1],
      [`${c.countyCode}102001`, '乙社区', '社区', 2],
      [`${c.countyCode}102202`, '丙嘎查', '嘎查村', null],
    ])
    const res = await upload(admin, file)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ created: 4, updated: 0, unchanged: 0 })
    expect(await count()).toBe(before + 4)
    const row = await t.db.selectFrom('territory').selectAll().where('code', '=', `${c.countyCode}102201`).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ kind: 'village', parent_code: `${c.countyCode}102000`, level: 'unit' })
    const audits = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'territory.import%').execute()
    expect(audits.filter((a) => a.action === 'territory.import.create')).toHaveLength(4)
  })

  it('lists every bad cell as 第N行 with its column, and saves nothing', async () => {
    const before = await count()
    const file = await workbook([
      [`${c.countyCode}103000`, '好镇', '镇', 1],
      [`${c.countyCode}103201`, '', '村', 1],
      ['12345', '短码村', '村', 1],
      [`${c.countyCode}103150`, '错段村', '村', 1],
      [`${c.countyCode}103202`, '好村', '城堡', 1],
      [`${c.countyCode}103203`, '重复村', '村', 1],
      [`${c.countyCode}103203`, '重复村二', '村', 1],
      [Number(`${c.countyCode}103204`), '数字码村', '村', 1],
      [`${c.countyCode}104201`, '无乡村', '村', 1],
    ])
    const res = await upload(admin, file)
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.code).toBe('IMPORT_INVALID')
    expect(body.message).toContain('未保存任何数据')
    const at = (row: number) => body.details.filter((d: { row: number }) => d.row === row)
    expect(at(3)[0]).toMatchObject({ column: 'B（名称）', message: '名称不能为空' })
    expect(at(4)[0]).toMatchObject({ column: 'A（区划代码）', message: '区划代码“12345”应为 12 位数字' })
    expect(at(5)[0].message).toContain('200–399')
    expect(at(6)[0]).toMatchObject({ column: 'C（类别）' })
    expect(at(6)[0].message).toContain('类别“城堡”无效')
    expect(at(8)[0].message).toBe(`区划代码 ${c.countyCode}103203 与第 7 行重复`)
    expect(at(10)[0].message).toContain('上级区划')
    expect(await count()).toBe(before)
  })

  it('tells the user to re-enter an ID-like code stored as a number', async () => {
    const file = await workbook([[150999100201123456, '数字村', '村', 1]])
    const res = await upload(admin, file)
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0]).toMatchObject({ row: 2, column: 'A（区划代码）' })
    expect(res.json().details[0].message).toContain('设为“文本”')
  })

  it('refuses existing codes unless updating is asked for, then updates only what changed', async () => {
    const file = await workbook([
      [c.units[0][1]!, '改名村', '村', 0],
      [c.units[0][2]!, (await t.db.selectFrom('territory').select('name').where('code', '=', c.units[0][2]!).executeTakeFirstOrThrow()).name, '村', 0],
    ])
    const refused = await upload(admin, file)
    expect(refused.statusCode).toBe(400)
    expect(refused.json().details[0].message).toContain('已存在')
    const ok = await upload(admin, file, { updateExisting: 'true' })
    expect(ok.json()).toEqual({ created: 0, updated: 1, unchanged: 1 })
  })

  it('limits an organiser to units of its own township', async () => {
    const file = await workbook([
      [`${c.countyCode}100205`, '本镇新村', '村', 1],
      [`${c.countyCode}101205`, '外镇新村', '村', 1],
    ])
    const res = await upload(organiser, file)
    expect(res.statusCode).toBe(400)
    expect(res.json().details).toHaveLength(1)
    expect(res.json().details[0]).toMatchObject({ row: 3 })
  })

  it('refuses files that are not .xlsx with a clear message', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    expect((await upload(admin, png)).json().message).toContain('不是有效的 Excel 文件')
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)])
    expect((await upload(admin, xls)).json().message).toContain('另存为 .xlsx')
    const truncated = (await workbook([[`${c.countyCode}100209`, '甲', '村', 1]])).subarray(0, 300)
    expect((await upload(admin, truncated)).statusCode).toBe(400)
    const header = await workbook([['x']], ['编号', '名字'])
    expect((await upload(admin, header)).json().message).toContain('表头缺少必填列')
  })

  it('exports the visible territories so that the file imports back unchanged', async () => {
    const res = await organiser.get('/api/territories/export')
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const codes: string[] = []
    ws.eachRow((row, n) => {
      if (n > 1) codes.push(row.getCell(1).text)
    })
    expect(codes.every((x) => x.startsWith(c.townships[0].slice(0, 9)))).toBe(true)
    expect(wb.description).toContain('导出人')
    const full = await admin.get('/api/territories/export')
    const rows = (await t.db.selectFrom('territory').select('code').where('county_code', '=', c.countyCode).where('level', '!=', 'county').execute()).length
    const back = await upload(admin, Buffer.from(full.rawPayload), { updateExisting: 'true' })
    expect(back.statusCode, back.body).toBe(200)
    expect(back.json()).toEqual({ created: 0, updated: 0, unchanged: rows })
    expect((await t.db.selectFrom('audit_log').select('action').where('action', '=', 'territory.export').execute()).length).toBe(2)
  })
})
