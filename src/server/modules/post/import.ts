import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { type ErrorDetail } from '../../http/errors.ts'
import { buildSheet, buildTemplate, importErrors, readSheet, type SheetColumn } from '../../files/xlsx.ts'
import { covers, scopePrefix } from '../../scope.ts'
import { parseIdNumber } from '../../../rules/id-number/index.ts'
import { normalizeName } from '../../../rules/names/index.ts'
import { isRealDate } from '../../../rules/age/index.ts'
import { isPartyMember } from '../../../rules/codes/index.ts'
import { postProblem, type Body, type Post } from '../../../rules/posts/index.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { actorOf, appendAuditBatch } from '../audit/service.ts'
import * as personRepo from '../person/repo.ts'
import * as territoryRepo from '../territory/repo.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import { assertCanWrite, listHoldings } from './service.ts'

const bodyNames: Record<string, Body> = { 党组织委员会: 'party', 党组织: 'party', 党支部: 'party', 党总支: 'party', 党委: 'party', '村（居）民委员会': 'committee', 村民委员会: 'committee', 居民委员会: 'committee', 村委会: 'committee', 居委会: 'committee' }
const postNames: Record<string, Post> = { 书记: 'secretary', 副书记: 'deputy_secretary', 主任: 'chair', 副主任: 'vice_chair', 委员: 'member' }

const columns: SheetColumn[] = [
  { header: '村（社区）', key: 'unit', required: true, text: true, width: 18, note: '填名称或 12 位区划代码' },
  { header: '姓名', key: 'name', required: true, width: 12 },
  { header: '身份证号', key: 'idNumber', required: true, text: true, width: 22, note: '须已在人员库登记；本列为文本格式' },
  { header: '班子', key: 'body', required: true, width: 18, list: ['党组织委员会', '村（居）民委员会'] },
  { header: '职务', key: 'post', required: true, width: 10, list: Object.keys(postNames) },
  { header: '任职时间', key: 'since', text: true, width: 12, note: '如 2021-03-15' },
]

export function postTemplate(): Promise<Buffer> {
  return buildTemplate('现任班子', columns, [
    '现任“两委”班子导入说明',
    '1. 每行一个职务。同一人在党组织和村（居）委会交叉任职的，分两行填写。',
    '2. 人员须先在“人员库”登记，按身份证号匹配；姓名须与登记的一致。',
    '3. 班子选“党组织委员会”或“村（居）民委员会”；党组织职务为书记、副书记、委员，村（居）委会职务为主任、副主任、委员。',
    '4. 只要有一行出错，整个文件都不会保存。',
  ])
}

/** All-or-nothing import of the incumbent teams; people are matched by ID number. */
export async function importPosts(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, file: Buffer): Promise<{ created: number }> {
  const a = ctx.actor
  assertCanWrite(a, scopePrefix(a).padEnd(12, '0'))
  const sheet = await readSheet(file, columns)
  const col = (key: string) => `${sheet.letters[key] ?? '?'}（${sheet.headers[key]}）`
  const today = todayInChina()
  const units = (await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: scopePrefix(a), level: 'unit', status: 'active' })).filter((u) => covers(a, u.code))
  const byCode = new Map(units.map((u) => [u.code, u]))
  const byName = new Map<string, string[]>()
  for (const u of units) byName.set(u.name, [...(byName.get(u.name) ?? []), u.code])
  const problems: ErrorDetail[] = []
  const parsed: { row: number; unitCode: string; index: string; name: string; body: Body; post: Post; since: string | null }[] = []
  for (const { row, values } of sheet.rows) {
    const bad = (key: string, message: string) => problems.push({ row, column: col(key), message })
    const unitText = (values.unit ?? '').replace(/\s/g, '')
    const codes = byCode.has(unitText) ? [unitText] : (byName.get(unitText) ?? [])
    if (codes.length === 0) bad('unit', unitText ? `“${unitText}”不是您辖区内启用的村（社区）` : '村（社区）不能为空')
    else if (codes.length > 1) bad('unit', `“${unitText}”有重名，请改填 12 位区划代码`)
    const id = parseIdNumber(values.idNumber ?? '', today)
    if (!id.ok) bad('idNumber', id.message)
    const body = bodyNames[(values.body ?? '').replace(/\s/g, '')]
    if (!body) bad('body', '班子请填“党组织委员会”或“村（居）民委员会”')
    const post = postNames[(values.post ?? '').replace(/\s/g, '')]
    if (!post) bad('post', '职务请填书记、副书记、主任、副主任或委员')
    const since = values.since ? values.since.replace(/[./年月]/g, '-').replace(/日$/, '') : null
    if (since && (!isRealDate(since) || since > today)) bad('since', '任职时间不是有效日期，如 2021-03-15')
    if (codes.length === 1 && id.ok && body && post) parsed.push({ row, unitCode: codes[0]!, index: cipher.blindIndex(id.info.number), name: normalizeName(values.name ?? ''), body, post, since })
  }
  const people = new Map((await personRepo.findByIndexes(db, a.countyCode, [...new Set(parsed.map((p) => p.index))])).map((p) => [p.id_number_index, p]))
  const planned: repo.NewHolding[] = []
  const seen = new Map<string, number>()
  for (const p of parsed) {
    const bad = (key: string, message: string) => problems.push({ row: p.row, column: col(key), message })
    const person = people.get(p.index)
    if (!person) {
      bad('idNumber', '该身份证号还没有在人员库登记，请先登记人员')
      continue
    }
    if (person.name !== p.name) bad('name', `姓名与人员库登记的“${person.name}”不一致`)
    const problem = postProblem(p.body, p.post, isPartyMember(person.political_status))
    if (problem) bad('post', problem)
    const key = `${p.unitCode}|${person.id}|${p.body}`
    if (seen.has(key)) bad('idNumber', `与第 ${seen.get(key)} 行是同一人在同一班子任职，请只保留一行`)
    else seen.set(key, p.row)
    if (await repo.findSame(db, a.countyCode, p.unitCode, person.id, p.body)) bad('idNumber', '此人在该班子的任职已登记')
    planned.push({ county_code: a.countyCode, unit_code: p.unitCode, person_id: person.id, body: p.body, post: p.post, since: p.since })
  }
  if (problems.length) throw importErrors(problems.sort((x, y) => (x.row ?? 0) - (y.row ?? 0)))
  return db.transaction().execute(async (trx) => {
    const rows = await repo.insertHoldings(trx, planned)
    await appendAuditBatch(trx, actorOf(ctx), ctx, [
      ...rows.map((h) => ({ action: 'post.import.create' as const, objectType: 'post_holding', objectId: h.id, after: { unit_code: h.unit_code, person_id: h.person_id, body: h.body, post: h.post, since: h.since } })),
      { action: 'post.import' as const, objectType: 'post_holding', objectId: '*', extra: { rows: rows.length } },
    ])
    return { created: rows.length }
  })
}

export async function exportPosts(db: Kysely<DB>, ctx: Ctx, q: { unitCode?: string }): Promise<Buffer> {
  const a = ctx.actor
  const rows = await listHoldings(db, ctx, q)
  const stamp = new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })
  return buildSheet(
    '现任班子',
    [
      { header: '村（社区）', key: 'unitName', width: 16, text: true },
      { header: '区划代码', key: 'unitCode', width: 16, text: true },
      { header: '姓名', key: 'name', width: 12, text: true },
      { header: '身份证号', key: 'idNumber', width: 22, text: true },
      { header: '班子', key: 'bodyLabel', width: 18 },
      { header: '职务', key: 'postLabel', width: 12 },
      { header: '任职时间', key: 'since', width: 12, text: true },
    ],
    rows,
    `导出人：${a.displayName}（${a.username}） 导出时间：${stamp} 身份证号已脱敏`,
  )
}
