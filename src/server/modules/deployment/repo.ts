import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { DocumentInfo, DocumentReceiptRow, LibraryDocumentTable, MeetingDecisionRow, MeetingDecisionTable, MeetingRow, MeetingTable } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>
/** The tables whose rows carry a version that every change must name. */
type Versioned = 'meeting' | 'library_document' | 'qa_item'

/** Bumps the version when it is still `version`; undefined when someone saved first. */
export async function updateVersioned<T extends 'meeting' | 'qa_item'>(trx: Transaction<DB>, table: T, countyCode: string, id: string, version: number, v: Updateable<DB[T]>): Promise<Selectable<DB[T]> | undefined> {
  const row = await trx
    .updateTable(table as Versioned)
    .set({ ...(v as Updateable<DB['meeting']>), updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
  return row as Selectable<DB[T]> | undefined
}

/** Deletes a row if its version is still `version`; false when someone changed it first. */
export async function deleteVersioned(trx: Transaction<DB>, table: Versioned, countyCode: string, id: string, version: number): Promise<boolean> {
  const r = await trx.deleteFrom(table).where('county_code', '=', countyCode).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return r.numDeletedRows > 0n
}

// ---- meetings ---------------------------------------------------------------------------------

export async function meetingsOf(db: Handle, countyCode: string, campaignId: string, territoryCode: string): Promise<MeetingRow[]> {
  return db
    .selectFrom('meeting')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', campaignId)
    .where('territory_code', '=', territoryCode)
    .orderBy('held_on', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

export async function findMeeting(db: Handle, countyCode: string, id: string): Promise<MeetingRow | undefined> {
  return db.selectFrom('meeting').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function decisionsOf(db: Handle, countyCode: string, meetingIds: string[]): Promise<MeetingDecisionRow[]> {
  if (!meetingIds.length) return []
  return db.selectFrom('meeting_decision').selectAll().where('county_code', '=', countyCode).where('meeting_id', 'in', meetingIds).orderBy('meeting_id').orderBy('seq').execute()
}

export async function insertMeeting(trx: Transaction<DB>, row: Insertable<MeetingTable>): Promise<MeetingRow> {
  return trx.insertInto('meeting').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateMeeting(trx: Transaction<DB>, countyCode: string, id: string, version: number, v: Updateable<MeetingTable>): Promise<MeetingRow | undefined> {
  return updateVersioned(trx, 'meeting', countyCode, id, version, v)
}

export async function insertDecisions(trx: Transaction<DB>, rows: Insertable<MeetingDecisionTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('meeting_decision').values(rows).execute()
}

export async function updateDecision(trx: Transaction<DB>, countyCode: string, meetingId: string, id: string, v: Updateable<MeetingDecisionTable>): Promise<void> {
  await trx.updateTable('meeting_decision').set(v).where('county_code', '=', countyCode).where('meeting_id', '=', meetingId).where('id', '=', id).execute()
}

export async function deleteDecisions(trx: Transaction<DB>, countyCode: string, meetingId: string, ids: string[]): Promise<void> {
  if (ids.length) await trx.deleteFrom('meeting_decision').where('county_code', '=', countyCode).where('meeting_id', '=', meetingId).where('id', 'in', ids).execute()
}

// ---- documents --------------------------------------------------------------------------------

const infoColumns = [
  'county_code',
  'id',
  'campaign_id',
  'issuer_code',
  'kind',
  'title',
  'doc_number',
  'issued_on',
  'summary',
  'to_all',
  'unit_codes',
  'file_name',
  'content_type',
  'file_size',
  'created_by',
  'updated_by',
  'updated_at',
  'version',
] as const

/** The documents of a campaign issued by any of `issuers`, without their files. */
export async function documentsOf(db: Handle, countyCode: string, campaignId: string, issuers: string[]): Promise<DocumentInfo[]> {
  return db
    .selectFrom('library_document')
    .select(infoColumns)
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', campaignId)
    .where('issuer_code', 'in', issuers)
    .orderBy('issued_on', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

export async function findDocument(db: Handle, countyCode: string, id: string): Promise<DocumentInfo | undefined> {
  return db.selectFrom('library_document').select(infoColumns).where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

export async function documentFile(db: Handle, countyCode: string, id: string) {
  return db.selectFrom('library_document').select(['file_name', 'content_type', 'data']).where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirstOrThrow()
}

export async function insertDocument(trx: Transaction<DB>, row: Insertable<LibraryDocumentTable>): Promise<DocumentInfo> {
  return trx.insertInto('library_document').values(row).returning(infoColumns).executeTakeFirstOrThrow()
}

export async function updateDocument(trx: Transaction<DB>, countyCode: string, id: string, version: number, v: Updateable<LibraryDocumentTable>): Promise<DocumentInfo | undefined> {
  return trx
    .updateTable('library_document')
    .set({ ...v, updated_at: new Date(), version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(infoColumns)
    .executeTakeFirst()
}

export async function receiptsOf(db: Handle, countyCode: string, documentIds: string[]): Promise<DocumentReceiptRow[]> {
  if (!documentIds.length) return []
  return db.selectFrom('document_receipt').selectAll().where('county_code', '=', countyCode).where('document_id', 'in', documentIds).orderBy('signed_at').execute()
}

/** Signs for a unit; undefined when the unit had signed already (the first receipt stands). */
export async function insertReceipt(trx: Transaction<DB>, row: Insertable<DB['document_receipt']>): Promise<DocumentReceiptRow | undefined> {
  return trx
    .insertInto('document_receipt')
    .values(row)
    .onConflict((oc) => oc.columns(['county_code', 'document_id', 'unit_code']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function deleteReceipt(trx: Transaction<DB>, countyCode: string, documentId: string, unitCode: string): Promise<DocumentReceiptRow | undefined> {
  return trx.deleteFrom('document_receipt').where('county_code', '=', countyCode).where('document_id', '=', documentId).where('unit_code', '=', unitCode).returningAll().executeTakeFirst()
}

/**
 * Reads a document's distribution under a share lock: a change of the distribution (an update of
 * the row) waits for the receipt being signed, and a receipt waits for the change and then sees it.
 */
export async function lockDistribution(trx: Transaction<DB>, countyCode: string, id: string): Promise<string[] | undefined> {
  const r = await trx.selectFrom('library_document').select('unit_codes').where('county_code', '=', countyCode).where('id', '=', id).forShare().executeTakeFirst()
  return r?.unit_codes
}

/** Active units under a code prefix, in the territory's order. */
export async function unitsUnder(db: Handle, countyCode: string, prefix: string) {
  return db
    .selectFrom('territory')
    .select(['code', 'name'])
    .where('county_code', '=', countyCode)
    .where('code', 'like', `${prefix}%`)
    .where('level', '=', 'unit')
    .where('status', '=', 'active')
    .orderBy('sort')
    .orderBy('code')
    .execute()
}

export async function namesOf(db: Handle, countyCode: string, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map()
  const rows = await db.selectFrom('territory').select(['code', 'name']).where('county_code', '=', countyCode).where('code', 'in', [...new Set(codes)]).execute()
  return new Map(rows.map((r) => [r.code, r.name]))
}
