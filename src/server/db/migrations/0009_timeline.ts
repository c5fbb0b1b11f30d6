import { sql, type Kysely } from 'kysely'

/**
 * The campaign's timeline (issue 6 §1): each township's phase dates, each unit's election days,
 * and the milestones marked done with their date and evidence. Planned dates are not stored: they
 * follow from the election days and the template (rules/timeline). Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  await db.schema
    .createTable('campaign_phase')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('township_code', 'char(12)', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull().check(sql`phase in ('preparation', 'party', 'committee', 'follow_up')`))
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_phase_pk', ['county_code', 'campaign_id', 'township_code', 'phase'])
    .addForeignKeyConstraint('campaign_phase_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('campaign_phase_township_fk', ['county_code', 'township_code'], 'territory', ['county_code', 'code'])
    .addCheckConstraint('campaign_phase_dates_ck', sql`ends_on >= starts_on`)
    .execute()

  await db.schema
    .createTable('unit_schedule')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('party_on', 'date')
    .addColumn('committee_on', 'date')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('unit_schedule_pk', ['county_code', 'campaign_id', 'unit_code'])
    .addForeignKeyConstraint('unit_schedule_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('unit_schedule_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()

  await db.schema
    .createTable('milestone')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('done_on', 'date', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('done_by', 'text', (c) => c.notNull())
    .addColumn('done_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('milestone_pk', ['county_code', 'campaign_id', 'unit_code', 'key'])
    .addForeignKeyConstraint('milestone_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('milestone_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('milestone').execute()
  await db.schema.dropTable('unit_schedule').execute()
  await db.schema.dropTable('campaign_phase').execute()
}
