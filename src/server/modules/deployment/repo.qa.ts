import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import { updateVersioned } from './repo.ts'
import type { QaItemRow, QaItemTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface QaFilter {
  countyCode: string
  /** Every term must match: in the question or the answer, or (letters only) in the question's initials. */
  terms: string[]
  category?: string
}

function filtered(db: Handle, f: QaFilter) {
  let q = db.selectFrom('qa_item').where('county_code', '=', f.countyCode)
  if (f.category) q = q.where('category', '=', f.category)
  for (const t of f.terms) {
    const k = containing(t)
    q = q.where((eb) =>
      eb.or([eb('question', 'ilike', k), eb('answer', 'ilike', k), ...(/^[a-z]+$/i.test(t) ? [eb('initials', 'like', containing(t.toLowerCase()))] : [])]),
    )
  }
  return q
}

export async function pageQa(db: Handle, f: QaFilter, page: number, pageSize: number): Promise<{ rows: QaItemRow[]; total: number }> {
  const rows = await filtered(db, f)
    .selectAll()
    .orderBy('category')
    .orderBy('id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}

/** Each category of the county's book with its number of questions. */
export async function categories(db: Handle, countyCode: string) {
  const rows = await db.selectFrom('qa_item').select(['category', sql<string>`count(*)`.as('n')]).where('county_code', '=', countyCode).groupBy('category').orderBy('category').execute()
  return rows.map((r) => ({ name: r.category, count: Number(r.n) }))
}

export async function findQa(db: Handle, countyCode: string, id: string): Promise<QaItemRow | undefined> {
  return db.selectFrom('qa_item').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

/** The items among `questions` already in the county's book. */
export async function existingQuestions(db: Handle, countyCode: string, questions: string[]): Promise<{ id: string; question: string }[]> {
  if (!questions.length) return []
  return db.selectFrom('qa_item').select(['id', 'question']).where('county_code', '=', countyCode).where('question', 'in', questions).execute()
}

export async function insertQa(trx: Transaction<DB>, rows: Insertable<QaItemTable>[]): Promise<QaItemRow[]> {
  if (!rows.length) return []
  return trx.insertInto('qa_item').values(rows).returningAll().execute()
}

export async function updateQa(trx: Transaction<DB>, countyCode: string, id: string, version: number, v: Updateable<QaItemTable>): Promise<QaItemRow | undefined> {
  return updateVersioned(trx, 'qa_item', countyCode, id, version, v)
}
