import { sql, type Kysely } from 'kysely'

/**
 * Daily progress reports (日报告, issue 6 §2): one report per unit and day, with photos, and the
 * idempotency keys that make a retried phone submission return the first answer instead of a
 * second record (issue 6 §7). Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  await db.schema
    .createTable('progress_report')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('report_date', 'date', (c) => c.notNull())
    // An explicit "nothing new today" (零报告) is a report, not a missing one.
    .addColumn('nothing_new', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('progress', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('next_steps', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('figures', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('milestones', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('progress_report_pk', ['county_code', 'id'])
    .addUniqueConstraint('progress_report_day_uq', ['county_code', 'campaign_id', 'unit_code', 'report_date'])
    .addForeignKeyConstraint('progress_report_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('progress_report_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()
  await db.schema.createIndex('progress_report_date_idx').on('progress_report').columns(['county_code', 'report_date']).execute()

  await db.schema
    .createTable('report_photo')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('report_id', 'bigint', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('report_photo_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('report_photo_report_fk', ['county_code', 'report_id'], 'progress_report', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('idempotency_key')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    // null while the first request is still being handled: a repeat then gets 409.
    .addColumn('status', 'integer')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('idempotency_key_pk', ['county_code', 'user_id', 'key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_key').execute()
  await db.schema.dropTable('report_photo').execute()
  await db.schema.dropTable('progress_report').execute()
}
