import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { containing } from '../../db/like.ts'
import type { NewTerritory, TerritoryLevel, TerritoryPatch, TerritoryRow, TerritoryStatus } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface TerritoryFilter {
  countyCode: string
  /** Code prefix of the visible subtree. */
  prefix: string
  /** When set, only these codes (a contact cadre's assigned units). */
  onlyCodes?: string[]
  parentCode?: string
  level?: TerritoryLevel
  status?: TerritoryStatus
  keyword?: string
}

function filtered(db: Handle, f: TerritoryFilter) {
  let q = db.selectFrom('territory').where('county_code', '=', f.countyCode).where('code', 'like', `${f.prefix}%`)
  if (f.onlyCodes) q = f.onlyCodes.length ? q.where('code', 'in', f.onlyCodes) : q.where(sql<boolean>`false`)
  if (f.parentCode) q = q.where('parent_code', '=', f.parentCode)
  if (f.level) q = q.where('level', '=', f.level)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.keyword) {
    const k = containing(f.keyword)
    q = q.where((eb) => eb.or([eb('name', 'like', k), eb('code', 'like', k), eb('name_initials', 'like', containing(f.keyword!.toLowerCase()))]))
  }
  return q
}

export async function pageTerritories(db: Handle, f: TerritoryFilter, page: number, pageSize: number) {
  const rows = await filtered(db, f)
    .selectAll()
    .orderBy('code')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const { n } = await filtered(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return { rows, total: Number(n) }
}

export async function allTerritories(db: Handle, f: TerritoryFilter): Promise<TerritoryRow[]> {
  return filtered(db, f).selectAll().orderBy('sort').orderBy('code').execute()
}

export async function findTerritory(db: Handle, countyCode: string, code: string): Promise<TerritoryRow | undefined> {
  return db.selectFrom('territory').selectAll().where('county_code', '=', countyCode).where('code', '=', code).executeTakeFirst()
}

export async function findTerritories(db: Handle, countyCode: string, codes: string[]): Promise<TerritoryRow[]> {
  if (codes.length === 0) return []
  return db.selectFrom('territory').selectAll().where('county_code', '=', countyCode).where('code', 'in', codes).execute()
}

export async function lockTerritory(trx: Transaction<DB>, countyCode: string, code: string): Promise<TerritoryRow | undefined> {
  return trx.selectFrom('territory').selectAll().where('county_code', '=', countyCode).where('code', '=', code).forUpdate().executeTakeFirst()
}

export async function insertTerritory(trx: Transaction<DB>, row: NewTerritory): Promise<TerritoryRow> {
  return trx.insertInto('territory').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateTerritoryVersioned(
  trx: Transaction<DB>,
  countyCode: string,
  code: string,
  version: number,
  patch: TerritoryPatch,
): Promise<TerritoryRow | undefined> {
  return trx
    .updateTable('territory')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('county_code', '=', countyCode)
    .where('code', '=', code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteTerritory(trx: Transaction<DB>, countyCode: string, code: string): Promise<void> {
  await trx.deleteFrom('territory').where('county_code', '=', countyCode).where('code', '=', code).execute()
}

export async function countActiveChildren(db: Handle, countyCode: string, code: string): Promise<number> {
  const { n } = await db
    .selectFrom('territory')
    .select(sql<string>`count(*)`.as('n'))
    .where('county_code', '=', countyCode)
    .where('parent_code', '=', code)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return Number(n)
}

/** Rows elsewhere that point at this node; a node with any is retired, never deleted. */
export async function countReferences(db: Handle, countyCode: string, code: string): Promise<number> {
  // Every table with a column naming a territory; a new one must be added here.
  const refs: [string, string][] = [
    ['territory', 'parent_code'],
    ['app_user', 'territory_code'],
    ['user_unit', 'unit_code'],
    ['person', 'unit_code'],
    ['post_holding', 'unit_code'],
    ['nominee', 'unit_code'],
    ['notice', 'unit_code'],
    ['review_batch', 'township_code'],
    ['election', 'unit_code'],
  ]
  const counts = refs.map(([table, column]) => sql`(select count(*) from ${sql.table(table)} where county_code = ${countyCode} and ${sql.ref(column)} = ${code})`)
  const { n } = await db.selectNoFrom(sql<string>`${sql.join(counts, sql` + `)}`.as('n')).executeTakeFirstOrThrow()
  return Number(n)
}

/** The county's own name and the names of its townships, for password context checks. */
export async function countyNames(db: Handle, countyCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('territory')
    .select('name')
    .where('county_code', '=', countyCode)
    .where('level', 'in', ['county', 'township'])
    .execute()
  return rows.map((r) => r.name)
}

/** The county when the deployment holds exactly one (used for events with no user yet). */
export async function defaultCountyCode(db: Handle): Promise<string | undefined> {
  const rows = await db.selectFrom('territory').select('county_code').where('level', '=', 'county').limit(2).execute()
  return rows.length === 1 ? rows[0]!.county_code : undefined
}

