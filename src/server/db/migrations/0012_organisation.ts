import { sql, type Kysely } from 'kysely'

/**
 * 组织引导到位 (issue 6 §3): a township's leading group (领导小组) and guidance groups (指导组) for a
 * campaign, with their members as a small JSON list and the units each guidance group covers.
 * Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('work_group')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('township_code', 'char(12)', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('leading', 'guidance')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('members', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('unit_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('duties', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('work_group_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('work_group_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('work_group_township_fk', ['county_code', 'township_code'], 'territory', ['county_code', 'code'])
    .execute()
  // One leading group per township and campaign.
  await sql`create unique index work_group_leading_uq on work_group (county_code, campaign_id, township_code) where kind = 'leading'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('work_group').execute()
}
