/**
 * The 百问百答 from Excel: a template with 分类, 问题, 答案, 依据, and an all-or-nothing import that
 * names the row and column of every problem (a missing answer, a question too long, one asked
 * twice in the file or already in the book) and writes nothing while any remains.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { forbidden, type ErrorDetail } from '../../http/errors.ts'
import { buildTemplate, importErrors, readSheet, type SheetColumn } from '../../files/xlsx.ts'
import { actorOf, appendAuditBatch } from '../audit/service.ts'
import * as repo from './repo.qa.ts'
import { canEditQa, qaProblems, qaValues, type QaInput } from './qa.ts'

const columns: SheetColumn[] = [
  { header: '分类', key: 'category', required: true, width: 14, note: '如：选民登记、候选人、选举程序、党组织换届' },
  { header: '问题', key: 'question', required: true, width: 40 },
  { header: '答案', key: 'answer', required: true, width: 80 },
  { header: '依据', key: 'basis', width: 40, note: '法律法规及条款，如：《村民委员会组织法》第十三条' },
]

export function qaTemplate(): Promise<Buffer> {
  return buildTemplate(
    '百问百答',
    columns,
    [
      '百问百答导入说明',
      '1. 每行一问，带 * 的列必填：分类不超过 20 个字，问题不超过 200 个字，答案不超过 5000 个字，依据不超过 500 个字。',
      '2. 问题的拼音首字母由系统自动生成，用于按首字母搜索（如 xmdj 可找到“选民登记……”）。',
      '3. 同一问题在文件中出现两次，或百问百答中已有，都会报错；只要有一行出错，整个文件都不会保存。',
    ],
    [{ category: '选民登记', question: '选民名单应当在什么时候公布？', answer: '选民名单应当在选举日的二十日以前由村民选举委员会公布。', basis: '《村民委员会组织法》第十四条' }],
  )
}

/** Reads the whole file, checks every row, and inserts all rows (with their audit records) or none. */
export async function importQa(db: Kysely<DB>, ctx: Ctx, file: Buffer): Promise<{ created: number }> {
  const a = ctx.actor
  if (!canEditQa(a)) throw forbidden('百问百答由县级管理员维护')
  const sheet = await readSheet(file, columns)
  const col = (key: string) => `${sheet.letters[key] ?? '?'}（${sheet.headers[key]}）`
  const problems: ErrorDetail[] = []
  const seen = new Map<string, number>()
  const rows: { row: number; input: QaInput }[] = []
  for (const { row, values } of sheet.rows) {
    const input: QaInput = { category: values.category ?? '', question: values.question ?? '', answer: values.answer ?? '', basis: values.basis ?? '' }
    for (const p of qaProblems(input)) problems.push({ row, column: col(p.field), message: p.message })
    const q = input.question.trim()
    if (q && seen.has(q)) problems.push({ row, column: col('question'), message: `与第 ${seen.get(q)} 行的问题重复` })
    else if (q) seen.set(q, row)
    rows.push({ row, input })
  }
  for (const twin of await repo.existingQuestions(db, a.countyCode, [...seen.keys()])) {
    problems.push({ row: seen.get(twin.question)!, column: col('question'), message: '百问百答中已有这个问题' })
  }
  if (problems.length) throw importErrors(problems.sort((x, y) => (x.row ?? 0) - (y.row ?? 0)))
  return db.transaction().execute(async (trx) => {
    const created = await repo.insertQa(
      trx,
      rows.map((r) => ({ county_code: a.countyCode, ...qaValues(r.input, a.displayName) })),
    )
    await appendAuditBatch(trx, actorOf(ctx), ctx, [
      ...created.map((r) => ({ action: 'qa.import.create' as const, objectType: 'qa_item', objectId: r.id, after: r })),
      { action: 'qa.import' as const, objectType: 'qa_item', objectId: '*', extra: { rows: created.length } },
    ])
    return { created: created.length }
  })
}
