import { sql, type Insertable, type Kysely, type Selectable, type SelectQueryBuilder, type Transaction, type Updateable } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { VisitCategory } from '../../../rules/situation/index.ts'
import type { CadreTalkRow, RiskItemRow, UnitAssessmentRow, UnitAssessmentTable, VisitRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

/**
 * Which rows a list may hold: one campaign, the units under a township prefix, and for a contact
 * cadre only the assigned units (`units`; null means every unit under the prefix).
 */
export interface Where {
  countyCode: string
  campaignId: string
  prefix: string
  units: string[] | null
  unit?: string
}

type Scoped = 'unit_assessment' | 'risk_item' | 'cadre_talk' | 'visit'

function scoped<T extends Scoped, O>(qb: SelectQueryBuilder<DB, T, O>, w: Where): SelectQueryBuilder<DB, T, O> {
  // Each table has these three columns; the casts name them for the generic builder.
  const col = (c: 'county_code' | 'campaign_id' | 'unit_code') => sql.ref<string>(c)
  let q = qb.where(col('county_code'), '=', w.countyCode).where(col('campaign_id'), '=', w.campaignId).where(col('unit_code'), 'like', `${w.prefix}%`)
  if (w.units) q = w.units.length ? q.where(col('unit_code'), 'in', w.units) : q.where(sql<boolean>`false`)
  if (w.unit) q = q.where(col('unit_code'), '=', w.unit)
  return q
}

// ── one record by id ──

/**
 * The four tables of this module share county_code, id, updated_at and version, so one finder,
 * inserter, versioned updater and remover serves them all. Kysely cannot see shared columns
 * through a union of table names: the queries are typed on one table ('visit') and the rows cast
 * back to the table asked for.
 */
type Kept = 'unit_assessment' | 'risk_item' | 'cadre_talk' | 'visit'

export async function findRow<T extends Kept>(db: Handle, table: T, countyCode: string, id: string): Promise<Selectable<DB[T]> | undefined> {
  const row = await db
    .selectFrom(table as 'visit')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .executeTakeFirst()
  return row as Selectable<DB[T]> | undefined
}

export async function insertRow<T extends Kept>(trx: Transaction<DB>, table: T, row: Insertable<DB[T]>): Promise<Selectable<DB[T]>> {
  const r = await trx
    .insertInto(table as 'visit')
    .values(row as Insertable<DB['visit']>)
    .returningAll()
    .executeTakeFirstOrThrow()
  return r as Selectable<DB[T]>
}

/** Updates the row only if it is still at `version`: none back means someone saved first. */
export async function updateRow<T extends Kept>(trx: Transaction<DB>, table: T, countyCode: string, id: string, version: number, v: Updateable<DB[T]>): Promise<Selectable<DB[T]> | undefined> {
  const row = await trx
    .updateTable(table as 'visit')
    .set({ ...(v as Updateable<DB['visit']>), updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
  return row as Selectable<DB[T]> | undefined
}

export async function deleteRow(trx: Transaction<DB>, table: Kept, countyCode: string, id: string): Promise<void> {
  await trx
    .deleteFrom(table as 'visit')
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .execute()
}

// ── assessments ──

export async function assessmentsOf(db: Handle, w: Where): Promise<UnitAssessmentRow[]> {
  return scoped(db.selectFrom('unit_assessment').selectAll(), w).orderBy('unit_code').execute()
}

export async function findAssessment(db: Handle, countyCode: string, campaignId: string, unitCode: string): Promise<UnitAssessmentRow | undefined> {
  return db.selectFrom('unit_assessment').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).executeTakeFirst()
}

export async function insertAssessment(trx: Transaction<DB>, row: Insertable<UnitAssessmentTable>): Promise<UnitAssessmentRow | undefined> {
  // A second first save of the same unit (two editors at once) finds the row taken: no row back.
  return trx
    .insertInto('unit_assessment')
    .values(row)
    .onConflict((oc) => oc.columns(['county_code', 'campaign_id', 'unit_code']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

// ── risk items ──

export async function riskItemsOf(db: Handle, w: Where, f: { status?: 'open' | 'resolved'; overdueOn?: string } = {}): Promise<RiskItemRow[]> {
  let q = scoped(db.selectFrom('risk_item').selectAll(), w)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.overdueOn) q = q.where('status', '=', 'open').where('deadline', '<', f.overdueOn)
  return q.orderBy(sql`status = 'resolved'`).orderBy('deadline').orderBy('id').execute()
}

// ── talks ──

export async function talksOf(db: Handle, w: Where, intention?: string): Promise<CadreTalkRow[]> {
  let q = scoped(db.selectFrom('cadre_talk').selectAll(), w)
  if (intention) q = q.where('intention', '=', intention as CadreTalkRow['intention'])
  return q.orderBy('talked_on', 'desc').orderBy('id', 'desc').execute()
}

// ── visits ──

/** Every column but the phone: lists never carry it, so they never read it. */
const listColumns = [
  'county_code',
  'id',
  'campaign_id',
  'unit_code',
  'category',
  'visitee',
  'visited_on',
  'opinions',
  'follow_up_needed',
  'follow_up',
  'follow_up_done_on',
  'follow_up_result',
  'created_by',
  'created_by_name',
  'created_at',
  'updated_at',
  'version',
] as const
export type VisitListRow = Omit<VisitRow, 'phone'>

export async function visitsPage(db: Handle, w: Where, f: { category?: VisitCategory; followUp?: 'open' | 'done' }, page: number, pageSize: number): Promise<{ rows: VisitListRow[]; total: number }> {
  let q = scoped(db.selectFrom('visit'), w)
  if (f.category) q = q.where('category', '=', f.category)
  if (f.followUp === 'open') q = q.where('follow_up_needed', '=', true).where('follow_up_done_on', 'is', null)
  if (f.followUp === 'done') q = q.where('follow_up_done_on', 'is not', null)
  const [rows, count] = await Promise.all([
    q
      .select(listColumns)
      .orderBy('visited_on', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

// ── coverage ──

/** Visits per unit and category. */
export async function visitCounts(db: Handle, w: Where): Promise<{ unit_code: string; category: VisitCategory; n: number }[]> {
  const rows = await scoped(db.selectFrom('visit'), w)
    .select(['unit_code', 'category', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['unit_code', 'category'])
    .execute()
  return rows.map((r) => ({ unit_code: r.unit_code, category: r.category, n: Number(r.n) }))
}

export async function talkCounts(db: Handle, w: Where): Promise<{ unit_code: string; n: number }[]> {
  const rows = await scoped(db.selectFrom('cadre_talk'), w)
    .select(['unit_code', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('unit_code')
    .execute()
  return rows.map((r) => ({ unit_code: r.unit_code, n: Number(r.n) }))
}

/** Open risk items per unit, and how many of them are past their deadline on `today`. */
export async function riskCounts(db: Handle, w: Where, today: string): Promise<{ unit_code: string; open: number; overdue: number }[]> {
  const rows = await scoped(db.selectFrom('risk_item'), w)
    .where('status', '=', 'open')
    .select(['unit_code', (eb) => eb.fn.countAll<string>().as('open'), sql<string>`count(*) filter (where deadline < ${today})`.as('overdue')])
    .groupBy('unit_code')
    .execute()
  return rows.map((r) => ({ unit_code: r.unit_code, open: Number(r.open), overdue: Number(r.overdue) }))
}
