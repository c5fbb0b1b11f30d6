import { sql, type Kysely } from 'kysely'

/**
 * 选民登记 (issue 7): the voter roll of each unit in each campaign (voter_roll) and its voters,
 * with the tables the later parts use — objections to the published roll, proxies (委托投票),
 * polling stations and mobile boxes with the voters who use them. ID numbers are kept as in
 * person: encrypted, a keyed index for lookups, a mask for lists. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`

  await db.schema
    .createTable('voter_roll')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'published', 'frozen')`))
    // Ages are counted on this day (rules.md rule 8); a roll never exists without it.
    .addColumn('election_day', 'date', (c) => c.notNull())
    .addColumn('published_on', 'date')
    .addColumn('frozen_at', 'timestamptz')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('voter_roll_pk', ['county_code', 'campaign_id', 'unit_code'])
    .addForeignKeyConstraint('voter_roll_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('voter_roll_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addCheckConstraint('voter_roll_published_ck', sql`status = 'draft' or published_on is not null`)
    .addCheckConstraint('voter_roll_frozen_ck', sql`(status = 'frozen') = (frozen_at is not null)`)
    .execute()

  await db.schema
    .createTable('voter')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // Lower-case pinyin initials of the name (张三 → zs), searched by prefix.
    .addColumn('name_initials', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('id_number_enc', 'text', (c) => c.notNull())
    .addColumn('id_number_index', 'char(64)', (c) => c.notNull())
    .addColumn('id_number_masked', 'text', (c) => c.notNull())
    .addColumn('gender', 'char(1)', (c) => c.notNull().check(sql`gender in ('1', '2')`))
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('village_group', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('resident', 'away_opt_in', 'non_hukou')`))
    .addColumn('living_since', 'date')
    .addColumn('meeting_approved_on', 'date')
    .addColumn('deprived', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'removed')`))
    .addColumn('removed_reason', 'text')
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('voter_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('voter_roll_fk', ['county_code', 'campaign_id', 'unit_code'], 'voter_roll', ['county_code', 'campaign_id', 'unit_code'])
    .addCheckConstraint('voter_removed_ck', sql`(status = 'removed') = (removed_reason is not null)`)
    .execute()
  // Nobody is on two rolls of the same round in the county (a removed entry does not count).
  await sql`create unique index voter_person_uq on voter (county_code, campaign_id, id_number_index) where status = 'active'`.execute(db)
  // The roll page: a unit's voters by group and initials; a name typed from its first character.
  // text_pattern_ops lets LIKE 'zs%' use the index whatever the database's collation.
  await sql`create index voter_search_idx on voter (county_code, campaign_id, unit_code, village_group, name_initials text_pattern_ops)`.execute(db)
  await sql`create index voter_name_idx on voter (county_code, campaign_id, name text_pattern_ops)`.execute(db)

  await db.schema
    .createTable('voter_objection')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    // The voter objected to; null when the objection is that someone is missing from the roll.
    .addColumn('voter_id', 'bigint')
    .addColumn('subject_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('objector_name', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('upheld', 'boolean')
    .addColumn('decision', 'text')
    .addColumn('decided_on', 'date')
    .addColumn('decision_published_on', 'date')
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('voter_objection_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('voter_objection_roll_fk', ['county_code', 'campaign_id', 'unit_code'], 'voter_roll', ['county_code', 'campaign_id', 'unit_code'])
    .addForeignKeyConstraint('voter_objection_voter_fk', ['county_code', 'voter_id'], 'voter', ['county_code', 'id'])
    .addCheckConstraint('voter_objection_decided_ck', sql`(decided_on is null) = (decision is null) and (decided_on is null) = (upheld is null)`)
    .addCheckConstraint('voter_objection_published_ck', sql`decision_published_on is null or decided_on is not null`)
    .execute()
  await db.schema.createIndex('voter_objection_roll_idx').on('voter_objection').columns(['county_code', 'campaign_id', 'unit_code']).execute()

  await db.schema
    .createTable('voter_proxy')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('giver_voter_id', 'bigint', (c) => c.notNull())
    .addColumn('holder_voter_id', 'bigint', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('applied_on', 'date', (c) => c.notNull())
    .addColumn('approved', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('voter_proxy_pk', ['county_code', 'id'])
    .addUniqueConstraint('voter_proxy_giver_uq', ['county_code', 'giver_voter_id'])
    .addForeignKeyConstraint('voter_proxy_roll_fk', ['county_code', 'campaign_id', 'unit_code'], 'voter_roll', ['county_code', 'campaign_id', 'unit_code'])
    .addForeignKeyConstraint('voter_proxy_giver_fk', ['county_code', 'giver_voter_id'], 'voter', ['county_code', 'id'])
    .addForeignKeyConstraint('voter_proxy_holder_fk', ['county_code', 'holder_voter_id'], 'voter', ['county_code', 'id'])
    .addCheckConstraint('voter_proxy_self_ck', sql`giver_voter_id <> holder_voter_id`)
    .execute()
  // "At most 3 per holder" counts by holder.
  await db.schema.createIndex('voter_proxy_holder_idx').on('voter_proxy').columns(['county_code', 'holder_voter_id']).execute()

  await db.schema
    .createTable('polling_station')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('central', 'station', 'mobile')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('monitors', 'integer', (c) => c.notNull().defaultTo(0).check(sql`monitors >= 0`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('polling_station_pk', ['county_code', 'id'])
    .addUniqueConstraint('polling_station_name_uq', ['county_code', 'campaign_id', 'unit_code', 'name'])
    .addForeignKeyConstraint('polling_station_roll_fk', ['county_code', 'campaign_id', 'unit_code'], 'voter_roll', ['county_code', 'campaign_id', 'unit_code'])
    .execute()

  await db.schema
    .createTable('polling_station_voter')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('station_id', 'bigint', (c) => c.notNull())
    .addColumn('voter_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('polling_station_voter_pk', ['county_code', 'station_id', 'voter_id'])
    // A voter votes at one place.
    .addUniqueConstraint('polling_station_voter_uq', ['county_code', 'voter_id'])
    .addForeignKeyConstraint('polling_station_voter_station_fk', ['county_code', 'station_id'], 'polling_station', ['county_code', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('polling_station_voter_voter_fk', ['county_code', 'voter_id'], 'voter', ['county_code', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('polling_station_voter').execute()
  await db.schema.dropTable('polling_station').execute()
  await db.schema.dropTable('voter_proxy').execute()
  await db.schema.dropTable('voter_objection').execute()
  await db.schema.dropTable('voter').execute()
  await db.schema.dropTable('voter_roll').execute()
}
