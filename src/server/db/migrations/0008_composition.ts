import { sql, type Kysely } from 'kysely'

/**
 * Composition targets and statistics (issue 5): the county's rule set, the campaign (换届届次: the
 * window its elections fall in and the date ages are counted on), and the smaller ethnic group of a
 * multi-ethnic unit. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  await db.schema
    .createTable('composition_rule_set')
    .addColumn('county_code', 'char(6)', (c) => c.notNull().primaryKey())
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('campaign')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
    .addColumn('name', 'text', (c) => c.notNull())
    // Elections held in [starts_on, ends_on] belong to the campaign; an open campaign has no end.
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    // Ages are counted on this day; null: each unit's election day (rules.md rule 17).
    .addColumn('reference_date', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('campaign_pk', ['county_code', 'id'])
    .addUniqueConstraint('campaign_year_uq', ['county_code', 'year'])
    .addCheckConstraint('campaign_dates_ck', sql`ends_on is null or ends_on >= starts_on`)
    .execute()

  await db.schema.alterTable('territory').addColumn('minority_ethnicity', 'char(2)').execute()
  // Statistics read holdings by the result that created them, and elections by date.
  await db.schema.createIndex('post_holding_result_idx').on('post_holding').columns(['county_code', 'result_id']).execute()
  await db.schema.createIndex('post_holding_unit_idx').on('post_holding').columns(['county_code', 'unit_code', 'body']).execute()
  await db.schema.createIndex('election_held_idx').on('election').columns(['county_code', 'held_on']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('election_held_idx').execute()
  await db.schema.dropIndex('post_holding_unit_idx').execute()
  await db.schema.dropIndex('post_holding_result_idx').execute()
  await db.schema.alterTable('territory').dropColumn('minority_ethnicity').execute()
  await db.schema.dropTable('campaign').execute()
  await db.schema.dropTable('composition_rule_set').execute()
}
