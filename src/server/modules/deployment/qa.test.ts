import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { multipart, workbook } from '../../../../test/helpers/upload.ts'
import { json } from './fixture.ts'
import { initialsOf, marksOf, termsOf } from './qa.ts'

let t: TestApp
let c: CountyFixture
let other: CountyFixture
let admin: Session
let organiser: Session
let cadre: Session
let reviewer: Session
let otherAdmin: Session

type Item = { id: string; category: string; question: string; answer: string; basis: string; initials: string; questionMarks: [number, number][]; answerMarks: [number, number][]; version: number }
type Page = { items: Item[]; total: number; categories: { name: string; count: number }[]; canEdit: boolean }

const item = (over: Partial<Item> = {}) => ({ category: '选民登记', question: '选民登记有哪些条件？', answer: '年满十八周岁、未被剥夺政治权利的村民可以登记。', basis: '《村民委员会组织法》第十三条', ...over })
const count = async () => (await t.db.selectFrom('qa_item').select('id').where('county_code', '=', c.countyCode).execute()).length
const audits = async (action: string) => (await t.db.selectFrom('audit_log').select('object_id').where('county_code', '=', c.countyCode).where('action', '=', action as never).execute()).length
const search = (s: Session, q: Record<string, string>) => s.get(`/api/deployment/qa?${new URLSearchParams(q).toString()}`)
const importFile = (s: Session, file: Buffer) => {
  const form = multipart(file)
  return s.inject({ method: 'POST', url: '/api/deployment/qa/import', payload: form.payload, headers: form.headers })
}
const header = ['分类', '问题', '答案', '依据']

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  other = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'qa_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'qa_org' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [c.units[0][1]!], username: 'qa_cadre' })
  await t.make.user({ role: 'reviewer', territoryCode: c.county, departmentId: c.departments.get('县公安局'), username: 'qa_police' })
  await t.make.user({ role: 'county_admin', territoryCode: other.county, username: 'qa_admin_b' })
  admin = await t.login('qa_admin')
  organiser = await t.login('qa_org')
  cadre = await t.login('qa_cadre')
  reviewer = await t.login('qa_police')
  otherAdmin = await t.login('qa_admin_b')
})
afterAll(() => t.close())

describe('pinyin initials', () => {
  it('takes one initial per Chinese character, in context, and keeps letters and digits', () => {
    expect(initialsOf('选民登记有哪些条件？').initials).toBe('xmdjynxtj')
    expect(initialsOf('什么是差额选举').initials).toBe('smscexj')
    expect(initialsOf('“一肩挑”是指什么').initials).toBe('yjtszsm')
    expect(initialsOf('重新选举').initials).toBe('cxxj')
    expect(initialsOf('接受委托不超过3人').initials).toBe('jswtbcg3r')
  })

  it('maps a hit in the initials back onto the question, surrogate pairs included', () => {
    expect(marksOf({ question: '选民登记有哪些条件？', answer: '' }, ['xmdj']).questionMarks).toEqual([[0, 4]])
    // 𠀀 (CJK Extension B) is two UTF-16 units and has no initial: 登记 still lands on the right characters.
    expect(marksOf({ question: '𠀀选民登记', answer: '' }, ['dj']).questionMarks).toEqual([[4, 6]])
    expect(marksOf({ question: '选民登记', answer: '登记选民，选民登记' }, ['选民', '登记'])).toEqual({ questionMarks: [[0, 4]], answerMarks: [[0, 4], [5, 9]] })
    expect(termsOf(' 选民  登记，xmdj ')).toEqual(['选民', '登记', 'xmdj'])
  })
})

describe('百问百答', () => {
  let first: Item

  it('lets the county admin add an item, storing the initials, audited', async () => {
    first = json<Item>(await admin.post('/api/deployment/qa', item()))
    expect(first).toMatchObject({ category: '选民登记', initials: 'xmdjynxtj', version: 1 })
    const row = await t.db.selectFrom('qa_item').selectAll().where('county_code', '=', c.countyCode).where('id', '=', first.id).executeTakeFirstOrThrow()
    expect(row.initials).toBe('xmdjynxtj')
    expect(await audits('qa.create')).toBe(1)
    json(await admin.post('/api/deployment/qa', item({ category: '投票选举', question: '什么是差额选举？', answer: '候选人多于应选人数的选举，叫差额选举。', basis: '' })))
    json(await admin.post('/api/deployment/qa', item({ category: '委托投票', question: '外出选民可以委托投票吗？', answer: '选举期间外出的，可以书面委托本村有选举权的近亲属代为投票。' })))
  })

  it('refuses a duplicate question, empty or too long fields, with the field named', async () => {
    const dup = await admin.post('/api/deployment/qa', item({ answer: '另一个答案' }))
    expect(dup.statusCode).toBe(409)
    expect(dup.json().message).toBe('百问百答中已有同样的问题：“选民登记有哪些条件？”')
    for (const [over, message] of [
      [{ question: '  ' }, '请填写问题'],
      [{ answer: '' }, '请填写答案'],
      [{ category: '分'.repeat(21) }, '分类不能超过 20 个字'],
      [{ basis: '依'.repeat(501) }, '依据不能超过 500 个字'],
    ] as const) {
      const res = await admin.post('/api/deployment/qa', item({ question: '新问题', ...over }))
      expect(res.statusCode).toBe(400)
      expect(res.json().message).toBe(message)
    }
    expect(await count()).toBe(3)
  })

  it('lets every signed-in role search, by words and by the initials of the question', async () => {
    for (const s of [admin, organiser, cadre, reviewer]) {
      const all = json<Page>(await search(s, {}))
      expect(all.total).toBe(3)
      expect(all.canEdit).toBe(s === admin)
    }
    const byInitials = json<Page>(await search(cadre, { q: 'xmdj' }))
    expect(byInitials.items.map((i) => i.question)).toEqual(['选民登记有哪些条件？'])
    expect(byInitials.items[0]!.questionMarks).toEqual([[0, 4]])
    expect(json<Page>(await search(cadre, { q: 'CEXJ' })).items.map((i) => i.question)).toEqual(['什么是差额选举？'])
    // Words are found in the answer too, and every word must match.
    const words = json<Page>(await search(reviewer, { q: '近亲属' }))
    expect(words.items.map((i) => [i.question, i.answerMarks])).toEqual([['外出选民可以委托投票吗？', [[21, 24]]]])
    expect(json<Page>(await search(cadre, { q: '选举 委托' })).total).toBe(1)
    expect(json<Page>(await search(cadre, { q: '选举 不存在的词' })).total).toBe(0)
    // LIKE wildcards are taken literally.
    expect(json<Page>(await search(cadre, { q: '%' })).total).toBe(0)
    const byCategory = json<Page>(await search(organiser, { category: '投票选举' }))
    expect(byCategory.items.map((i) => i.category)).toEqual(['投票选举'])
    expect(byCategory.categories).toEqual([
      { name: '委托投票', count: 1 },
      { name: '投票选举', count: 1 },
      { name: '选民登记', count: 1 },
    ])
    // Another county's book is its own.
    expect(json<Page>(await search(otherAdmin, {})).total).toBe(0)
  })

  it('keeps editing to the county admin, with the version it read', async () => {
    for (const s of [organiser, cadre, reviewer]) {
      expect((await s.post('/api/deployment/qa', item({ question: '新问题' }))).statusCode).toBe(403)
      expect((await s.put(`/api/deployment/qa/${first.id}`, { ...item(), version: 1 })).statusCode).toBe(403)
      expect((await s.del(`/api/deployment/qa/${first.id}?version=1`)).statusCode).toBe(403)
      expect((await s.get('/api/deployment/qa/template')).statusCode).toBe(403)
    }
    expect((await otherAdmin.put(`/api/deployment/qa/${first.id}`, { ...item(), version: 1 })).statusCode).toBe(404)
    const edited = json<Item>(await admin.put(`/api/deployment/qa/${first.id}`, { ...item({ question: '选民登记要符合什么条件？' }), version: 1 }))
    expect(edited).toMatchObject({ version: 2, initials: 'xmdjyfhsmtj' })
    const stale = await admin.put(`/api/deployment/qa/${first.id}`, { ...item({ question: '旧问题' }), version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect(json<Page>(await search(cadre, { q: 'xmdjyf' })).total).toBe(1)
    expect((await admin.del(`/api/deployment/qa/${first.id}?version=1`)).statusCode).toBe(409)
    json(await admin.del(`/api/deployment/qa/${first.id}?version=2`))
    expect(await count()).toBe(2)
    expect(await audits('qa.delete')).toBe(1)
  })

  it('gives the county admin an import template with the four columns', async () => {
    const res = await admin.get('/api/deployment/qa/template')
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '分类*', '问题*', '答案*', '依据'])
  })

  it('imports a good file: every row, with initials, audited', async () => {
    const file = await workbook(header, [
      ['候选人', '候选人名单什么时候公布？', '多数省份规定在选举日五日以前公布。', '各省村民委员会选举办法'],
      ['换届后续', '工作移交有时限吗？', '新一届村民委员会产生之日起十日内完成移交。', '《村民委员会组织法》第二十条'],
      ['党组织换届', '预备党员有选举权吗？', '没有。', null],
    ])
    expect(json<{ created: number }>(await importFile(admin, file))).toEqual({ created: 3 })
    expect(await count()).toBe(5)
    const row = await t.db.selectFrom('qa_item').selectAll().where('county_code', '=', c.countyCode).where('question', '=', '工作移交有时限吗？').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ category: '换届后续', initials: 'gzyjysxm', basis: '《村民委员会组织法》第二十条' })
    expect(await audits('qa.import.create')).toBe(3)
    expect(await audits('qa.import')).toBe(1)
    expect(json<Page>(await search(cadre, { q: 'ybdy' })).items.map((i) => i.question)).toEqual(['预备党员有选举权吗？'])
  })

  it('refuses a file with a bad row, naming its row and column, and writes nothing', async () => {
    const file = await workbook(header, [
      ['候选人', '候选人应当具备什么条件？', '奉公守法、品行良好。', ''],
      ['投票选举', '', '没有问题的一行', ''],
      ['投票选举', '什么是另行选举？', '', ''],
      ['投票选举', '候选人应当具备什么条件？', '与第2行重复', ''],
      ['候选人', '候选人名单什么时候公布？', '已在库中', ''],
    ])
    const res = await importFile(admin, file)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'IMPORT_INVALID', message: '导入失败，共 4 处错误，未保存任何数据。请改正后重新导入' })
    expect(res.json().details).toEqual([
      { row: 3, column: 'B（问题）', message: '请填写问题' },
      { row: 4, column: 'C（答案）', message: '请填写答案' },
      { row: 5, column: 'B（问题）', message: '与第 2 行的问题重复' },
      { row: 6, column: 'B（问题）', message: '百问百答中已有这个问题' },
    ])
    expect(await count()).toBe(5)
    const noHeader = await importFile(admin, await workbook(['标题', '内容'], [['a', 'b']]))
    expect(noHeader.statusCode).toBe(400)
    expect(noHeader.json().message).toContain('表头缺少必填列')
    expect((await importFile(organiser, file)).statusCode).toBe(403)
    expect(await count()).toBe(5)
  })
})
