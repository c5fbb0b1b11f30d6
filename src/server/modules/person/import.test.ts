import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { multipart, workbook, zipBomb } from '../../../../test/helpers/upload.ts'
import { checkCharOf } from '../../../rules/id-number/index.ts'
import { verifyChain } from '../audit/service.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session

const header = ['姓名*', '身份证号*', '民族*', '学历*', '政治面貌*', '入党时间', '手机号', '所在村（社区）*', '后备干部']
const id = (body: string) => body + checkCharOf(body)
const upload = (file: Buffer) => {
  const m = multipart(file)
  return organiser.inject({ method: 'POST', url: '/api/people/import', payload: m.payload, headers: m.headers })
}
const people = async () => (await t.db.selectFrom('person').select('id').where('county_code', '=', c.countyCode).execute()).length

let unitName: string

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'pi_org' })
  organiser = await t.login('pi_org')
  unitName = (await t.db.selectFrom('territory').select('name').where('code', '=', c.units[0][1]!).executeTakeFirstOrThrow()).name
})
afterAll(() => t.close())

describe('people import and export', () => {
  it('serves a template with a text ID column and dropdowns from the code lists', async () => {
    const res = await organiser.get('/api/people/template')
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getColumn(2).numFmt).toBe('@')
    expect(ws.getCell('C2').dataValidation.formulae?.[0]).toMatch(/^字典!\$C\$1:\$C\$58$/)
    expect(wb.getWorksheet('字典')?.state).toBe('veryHidden')
  })

  it('imports valid rows with labels or codes, unit by name or code, in one transaction with audit rows', async () => {
    const file = await workbook(header, [
      ['张三', id('15099919800101001'), '汉族', '大学专科毕业', '中国共产党党员', '2005.07.01', '13900000001', unitName, '是'],
      ['乌力吉·巴特尔', id('15099919850505002'), '02', '21', '13', null, null, c.units[0][2]!, '否'],
    ])
    const res = await upload(file)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ created: 2 })
    const rows = await t.db.selectFrom('person').selectAll().where('county_code', '=', c.countyCode).orderBy('id').execute()
    expect(rows.map((r) => [r.name, r.gender, r.birth_date, r.party_joined_on, r.reserve_cadre])).toEqual([
      ['张三', '1', '1980-01-01', '2005-07-01', true],
      ['乌力吉·巴特尔', '2', '1985-05-05', null, false],
    ])
    const audits = await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('action', 'like', 'person.import%').execute()
    expect(audits).toHaveLength(3)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('reports every bad cell by row and column, duplicates included, and saves nothing', async () => {
    const before = await people()
    const dup = id('15099919900101003')
    const file = await workbook(header, [
      ['', id('15099919900101011'), '汉族', '31', '13', null, null, unitName, null],
      ['李四', '110101199003071234', '汉族', '31', '13', null, null, unitName, null],
      ['王五', dup, '火星族', '31', '13', null, null, unitName, null],
      ['赵六', dup, '汉族', '31', '13', null, null, unitName, null],
      ['钱七', id('15099919800101001').replace(/.$/, '') + checkCharOf('15099919800101001'), '汉族', '31', '13', null, null, unitName, null],
      ['孙八', id('15099919900101029'), '汉族', '31', '13', '2000-01-01', null, '外乡村', null],
    ])
    const res = await upload(file)
    expect(res.statusCode).toBe(400)
    const d = res.json().details as { row: number; column: string; message: string }[]
    expect(d).toContainEqual({ row: 2, column: 'A（姓名）', message: '姓名不能为空' })
    expect(d).toContainEqual({ row: 3, column: 'B（身份证号）', message: '身份证号校验位不正确，请核对每一位数字' })
    expect(d).toContainEqual({ row: 4, column: 'C（民族）', message: '民族“火星族”不在 GB 3304 代码表中' })
    expect(d).toContainEqual({ row: 5, column: 'B（身份证号）', message: '身份证号与第 4 行重复' })
    expect(d).toContainEqual({ row: 6, column: 'B（身份证号）', message: '该身份证号已登记，同一人只能登记一次' })
    expect(d).toContainEqual({ row: 7, column: 'H（所在村（社区））', message: '“外乡村”不是您辖区内启用的村（社区）' })
    expect(d).toContainEqual({ row: 7, column: 'F（入党时间）', message: '只有中共党员（含预备党员）填写入党时间' })
    expect(JSON.stringify(d)).not.toContain('110101199003071234')
    expect(await people()).toBe(before)
  })

  it('refuses an ID number that Excel stored as a number, and units of another township', async () => {
    const file = await workbook(header, [['周九', 150999199001010000, '汉族', '31', '13', null, null, c.units[1][1]!, null]])
    const res = await upload(file)
    expect(res.statusCode).toBe(400)
    const d = res.json().details
    expect(d[0]).toMatchObject({ row: 2, column: 'B（身份证号）' })
    expect(d[0].message).toContain('设为“文本”')
  })

  it('refuses a formula in a name cell, and a zip bomb before inflating it, saving nothing', async () => {
    const before = await people()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('人员')
    ws.addRow(header)
    ws.addRow([{ formula: 'HYPERLINK("http://evil.example/","王五")', result: '王五' }, id('15099919800101031'), '汉族', '31', '13', null, null, unitName, null])
    const formula = await upload(Buffer.from(await wb.xlsx.writeBuffer()))
    expect(formula.statusCode).toBe(400)
    expect(formula.json().details[0]).toMatchObject({ row: 2, column: 'A（姓名）', message: expect.stringContaining('公式') as unknown })
    const bomb = zipBomb()
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const res = await upload(bomb)
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('100 MB')
    expect(await people()).toBe(before)
  })

  it('exports masked ID numbers and phones with a watermark, and audits the export', async () => {
    const res = await organiser.get('/api/people/export')
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getCell('B2').text).toMatch(/^1509\*{10}\d{3}[\dX]$/)
    expect(ws.getCell('I2').text).toBe('139****0001')
    expect(wb.description).toContain('已脱敏')
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'person.export').execute()
    expect(audit).toHaveLength(1)
  })
})
