import { sql, type Kysely } from 'kysely'

/**
 * 政策宣传到位 (issue 6 §5): publicity activities of a unit in a campaign, by channel (LED屏, 横幅,
 * 村村响, 会议宣讲, 微信, 其他), with the day, theme, reach and place, and their photos. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  await db.schema
    .createTable('publicity_activity')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('led', 'banner', 'broadcast', 'meeting', 'wechat', 'other')`))
    .addColumn('channel_other', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('theme', 'text', (c) => c.notNull())
    .addColumn('reach', 'integer', (c) => c.notNull().check(sql`reach >= 0`))
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('updated_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('publicity_activity_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('publicity_activity_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('publicity_activity_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    // "Other" says what it was; a named channel needs no description.
    .addCheckConstraint('publicity_activity_other_ck', sql`(channel = 'other') = (channel_other <> '')`)
    .execute()
  await db.schema.createIndex('publicity_activity_unit_idx').on('publicity_activity').columns(['county_code', 'campaign_id', 'unit_code', 'held_on']).execute()

  await db.schema
    .createTable('publicity_photo')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('activity_id', 'bigint', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('publicity_photo_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('publicity_photo_activity_fk', ['county_code', 'activity_id'], 'publicity_activity', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('publicity_photo_activity_idx').on('publicity_photo').columns(['county_code', 'activity_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publicity_photo').execute()
  await db.schema.dropTable('publicity_activity').execute()
}
