import { sql, type Kysely } from 'kysely'

/**
 * 安排部署到位 (issue 6 §4): the meetings of the county and its townships with their decisions
 * (议定事项) and owners; the document library, each document distributed to units that sign for
 * it (签收); and the county's 百问百答 with the pinyin initials of each question. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  await db.schema
    .createTable('meeting')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    // The county's own code for a county meeting, else the township's.
    .addColumn('territory_code', 'char(12)', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mobilisation', 'training', 'progress_review', 'other')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('host', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attendees', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('attendee_count', 'integer', (c) => c.notNull().check(sql`attendee_count >= 0`))
    .addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('meeting_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('meeting_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('meeting_territory_fk', ['county_code', 'territory_code'], 'territory', ['county_code', 'code'])
    .execute()
  await db.schema.createIndex('meeting_territory_idx').on('meeting').columns(['county_code', 'campaign_id', 'territory_code', 'held_on']).execute()

  await db.schema
    .createTable('meeting_decision')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('meeting_id', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('deadline', 'date')
    .addColumn('done_on', 'date')
    .addColumn('done_note', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('meeting_decision_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('meeting_decision_meeting_fk', ['county_code', 'meeting_id'], 'meeting', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('meeting_decision_meeting_idx').on('meeting_decision').columns(['county_code', 'meeting_id', 'seq']).execute()

  await db.schema
    .createTable('library_document')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('issuer_code', 'char(12)', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('plan', 'notice', 'handbook', 'other')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('to_all', 'boolean', (c) => c.notNull())
    .addColumn('unit_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('file_size', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('library_document_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('library_document_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('library_document_issuer_fk', ['county_code', 'issuer_code'], 'territory', ['county_code', 'code'])
    .execute()
  await db.schema.createIndex('library_document_campaign_idx').on('library_document').columns(['county_code', 'campaign_id', 'issued_on']).execute()

  await db.schema
    .createTable('document_receipt')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('document_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('signed_by', 'bigint', (c) => c.notNull())
    .addColumn('signed_by_name', 'text', (c) => c.notNull())
    .addColumn('signed_role', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    // One receipt per unit and document: a second tap finds the first.
    .addPrimaryKeyConstraint('document_receipt_pk', ['county_code', 'document_id', 'unit_code'])
    .addForeignKeyConstraint('document_receipt_document_fk', ['county_code', 'document_id'], 'library_document', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('document_receipt_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()

  await db.schema
    .createTable('qa_item')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull().defaultTo(''))
    // Lower-case pinyin initials of the question (选民登记 → xmdj), searched with LIKE.
    .addColumn('initials', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('qa_item_pk', ['county_code', 'id'])
    // The same question twice in one county's book is a mistake, on import or by hand.
    .addUniqueConstraint('qa_item_question_uq', ['county_code', 'question'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('qa_item').execute()
  await db.schema.dropTable('document_receipt').execute()
  await db.schema.dropTable('library_document').execute()
  await db.schema.dropTable('meeting_decision').execute()
  await db.schema.dropTable('meeting').execute()
}
