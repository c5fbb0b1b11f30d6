/**
 * 百问百答 (issue 6 §4): the county's book of questions on the 换届 with answers and their legal
 * basis, searchable by the words of a question or answer and by the pinyin initials of the
 * question (xmdj finds 选民登记…). Initials are computed when an item is written and kept in a
 * column, so a search is one LIKE. The book belongs to the county, not to a campaign; everyone
 * signed in reads it, the county admin keeps it.
 */
import type { Kysely } from 'kysely'
import { pinyin } from 'pinyin-pro'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import * as repo from './repo.qa.ts'
import { deleteVersioned } from './repo.ts'
import { audit } from './shared.ts'
import type { QaItemRow } from './table.ts'

type Mark = [number, number]

/**
 * The lower-case pinyin initial of every character of `s` that has one (letters and digits stand
 * for themselves, punctuation for nothing), and where each initial's character sits in `s`
 * (UTF-16 offsets), so a hit in the initials can be shown on the question.
 */
export function initialsOf(s: string): { initials: string; spans: Mark[] } {
  const chars = Array.from(s)
  const whole = pinyin(s, { pattern: 'first', toneType: 'none', type: 'array' })
  // pinyin-pro answers one entry per character; read word by word it picks the right reading of 差额, 重新.
  const letters = whole.length === chars.length ? whole : chars.map((c) => pinyin(c, { pattern: 'first', toneType: 'none', type: 'array' })[0] ?? c)
  let initials = ''
  const spans: Mark[] = []
  let at = 0
  chars.forEach((c, i) => {
    const first = (letters[i] ?? '').toLowerCase().charAt(0)
    if (/[a-z0-9]/.test(first)) {
      initials += first
      spans.push([at, at + c.length])
    }
    at += c.length
  })
  return { initials, spans }
}

/** A search: up to 5 words or initials, split on spaces and commas. */
export function termsOf(q: string | undefined): string[] {
  return [...new Set((q ?? '').split(/[\s,，、;；]+/).filter(Boolean))].slice(0, 5)
}

/** Overlapping or touching ranges merged, in order. */
function merged(marks: Mark[]): Mark[] {
  const out: Mark[] = []
  for (const [s, e] of [...marks].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1)
    if (last && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

function occurrences(hay: string, needle: string): Mark[] {
  const out: Mark[] = []
  const h = hay.toLowerCase()
  const n = needle.toLowerCase()
  for (let i = h.indexOf(n); i >= 0 && n; i = h.indexOf(n, i + n.length)) out.push([i, i + n.length])
  return out
}

/** Where the terms hit the question (its words or its initials) and the answer, to highlight. */
export function marksOf(row: { question: string; answer: string }, terms: string[]) {
  const q: Mark[] = []
  const ans: Mark[] = []
  const { initials, spans } = terms.some((t) => /^[a-z]+$/i.test(t)) ? initialsOf(row.question) : { initials: '', spans: [] }
  for (const t of terms) {
    q.push(...occurrences(row.question, t))
    ans.push(...occurrences(row.answer, t))
    if (/^[a-z]+$/i.test(t)) for (const [s, e] of occurrences(initials, t)) q.push([spans[s]![0], spans[e - 1]![1]])
  }
  return { questionMarks: merged(q), answerMarks: merged(ans) }
}

const toQa = (r: QaItemRow, terms: string[] = []) => ({
  id: r.id,
  category: r.category,
  question: r.question,
  answer: r.answer,
  basis: r.basis,
  initials: r.initials,
  ...marksOf(r, terms),
  updatedBy: r.updated_by,
  version: r.version,
})

export const canEditQa = (a: Actor) => a.role === 'county_admin'

export async function listQa(db: Kysely<DB>, ctx: Ctx, q: { q?: string; category?: string; page: number; pageSize: number }) {
  const a = ctx.actor
  const terms = termsOf(q.q)
  const category = q.category?.trim() || undefined
  const { rows, total } = await repo.pageQa(db, { countyCode: a.countyCode, terms, category }, q.page, q.pageSize)
  return { items: rows.map((r) => toQa(r, terms)), total, categories: await repo.categories(db, a.countyCode), canEdit: canEditQa(a) }
}

export interface QaInput {
  category: string
  question: string
  answer: string
  basis: string
}

/** Checks an item's fields (the import reports the same problems by row and column). */
export function qaProblems(input: QaInput): { field: keyof QaInput; message: string }[] {
  const out: { field: keyof QaInput; message: string }[] = []
  const rules: [keyof QaInput, string, number, boolean][] = [
    ['category', '分类', 20, true],
    ['question', '问题', 200, true],
    ['answer', '答案', 5000, true],
    ['basis', '依据', 500, false],
  ]
  for (const [field, label, max, required] of rules) {
    const v = input[field].trim()
    if (required && !v) out.push({ field, message: `请填写${label}` })
    else if (Array.from(v).length > max) out.push({ field, message: `${label}不能超过 ${max} 个字` })
  }
  return out
}

/** The row of an item whose fields passed `qaProblems`: trimmed, with the question's initials. */
export function qaValues(input: QaInput, by: string) {
  const question = input.question.trim()
  return { category: input.category.trim(), question, answer: input.answer.trim(), basis: input.basis.trim(), initials: initialsOf(question).initials, updated_by: by }
}

function values(input: QaInput, by: string) {
  const problems = qaProblems(input)
  if (problems.length) throw invalid(problems[0]!.message, problems)
  return qaValues(input, by)
}

function assertEditor(a: Actor): void {
  if (!canEditQa(a)) throw forbidden('百问百答由县级管理员维护，您可以查阅和搜索')
}

async function assertNew(db: Kysely<DB>, countyCode: string, question: string, exceptId?: string): Promise<void> {
  const twin = (await repo.existingQuestions(db, countyCode, [question])).find((x) => x.id !== exceptId)
  if (twin) throw conflict(`百问百答中已有同样的问题：“${question}”`)
}

export async function createQa(db: Kysely<DB>, ctx: Ctx, input: QaInput) {
  const a = ctx.actor
  assertEditor(a)
  const v = values(input, a.displayName)
  await assertNew(db, a.countyCode, v.question)
  const row = await db.transaction().execute(async (trx) => {
    const [r] = await repo.insertQa(trx, [{ county_code: a.countyCode, ...v }])
    await audit(trx, ctx, { action: 'qa.create', objectType: 'qa_item', objectId: r!.id, after: r })
    return r!
  })
  return toQa(row)
}

async function loadQa(db: Kysely<DB>, a: Actor, id: string) {
  const r = await repo.findQa(db, a.countyCode, id)
  if (!r) throw notFound('该条目不存在或已被删除')
  return r
}

export async function updateQa(db: Kysely<DB>, ctx: Ctx, id: string, input: QaInput & { version: number }) {
  const a = ctx.actor
  assertEditor(a)
  const before = await loadQa(db, a, id)
  const v = values(input, a.displayName)
  await assertNew(db, a.countyCode, v.question, id)
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.updateQa(trx, a.countyCode, id, input.version, v)
    if (!r) throw versionConflict(`“${before.question}”已被他人修改，请刷新后重试`)
    await audit(trx, ctx, { action: 'qa.update', objectType: 'qa_item', objectId: id, before, after: r })
    return r
  })
  return toQa(row)
}

export async function deleteQa(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const a = ctx.actor
  assertEditor(a)
  const before = await loadQa(db, a, id)
  await db.transaction().execute(async (trx) => {
    if (!(await deleteVersioned(trx, 'qa_item', a.countyCode, id, version))) throw versionConflict(`“${before.question}”已被他人修改，请刷新后再删除`)
    await audit(trx, ctx, { action: 'qa.delete', objectType: 'qa_item', objectId: id, before })
  })
  return { ok: true }
}
