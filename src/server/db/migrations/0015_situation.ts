import { sql, type Kysely } from 'kysely'

/**
 * 三情 (issue 6 §6): a unit's assessment per campaign (development, stability, the team's
 * credibility → a risk level the township may raise), its risk items with an owner, a deadline
 * and a resolution, heart-to-heart talks with its cadres, and the 四必访 visits. Talks and visits
 * hold personal opinions and phone numbers: the service decides who reads them. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  const rating = (col: string) => sql`${sql.ref(col)} in ('good', 'fair', 'poor')`
  const level = (col: string) => sql`${sql.ref(col)} in ('low', 'medium', 'high')`

  await db.schema
    .createTable('unit_assessment')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('development', 'text', (c) => c.notNull().check(rating('development')))
    .addColumn('development_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('stability', 'text', (c) => c.notNull().check(rating('stability')))
    .addColumn('stability_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credibility', 'text', (c) => c.notNull().check(rating('credibility')))
    .addColumn('credibility_note', 'text', (c) => c.notNull().defaultTo(''))
    // What the rule gave when saved (rules/situation), and the township's raise with its reason.
    .addColumn('computed_level', 'text', (c) => c.notNull().check(level('computed_level')))
    .addColumn('raised_level', 'text', (c) => c.check(sql`raised_level is null or ${level('raised_level')}`))
    .addColumn('raise_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('measures', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('assessed_on', 'date', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('unit_assessment_pk', ['county_code', 'id'])
    .addUniqueConstraint('unit_assessment_uq', ['county_code', 'campaign_id', 'unit_code'])
    .addForeignKeyConstraint('unit_assessment_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('unit_assessment_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()

  await db.schema
    .createTable('risk_item')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('clan', 'petition', 'vote_buying', 'disunity', 'other')`))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved')`))
    .addColumn('resolution', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('resolved_on', 'date')
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('risk_item_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('risk_item_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('risk_item_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addCheckConstraint('risk_item_resolved_ck', sql`(status = 'resolved') = (resolved_on is not null)`)
    .execute()
  await db.schema.createIndex('risk_item_unit_idx').on('risk_item').columns(['county_code', 'campaign_id', 'unit_code']).execute()

  await db.schema
    .createTable('cadre_talk')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('talked_on', 'date', (c) => c.notNull())
    .addColumn('cadre_name', 'text', (c) => c.notNull())
    .addColumn('cadre_post', 'text', (c) => c.notNull().defaultTo(''))
    // The cadre's entry in the people register, when picked from the unit's current team.
    .addColumn('person_id', 'bigint')
    .addColumn('talker', 'text', (c) => c.notNull())
    .addColumn('intention', 'text', (c) => c.notNull().check(sql`intention in ('continue', 'other_post', 'withdraw', 'undecided')`))
    .addColumn('opinions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('follow_up', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('cadre_talk_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('cadre_talk_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('cadre_talk_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addForeignKeyConstraint('cadre_talk_person_fk', ['county_code', 'person_id'], 'person', ['county_code', 'id'])
    .execute()
  await db.schema.createIndex('cadre_talk_unit_idx').on('cadre_talk').columns(['county_code', 'campaign_id', 'unit_code']).execute()

  await db.schema
    .createTable('visit')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('party_veteran', 'villager', 'hardship', 'petitioner')`))
    .addColumn('visitee', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('visited_on', 'date', (c) => c.notNull())
    .addColumn('opinions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('follow_up_needed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('follow_up', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('follow_up_done_on', 'date')
    .addColumn('follow_up_result', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('visit_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('visit_campaign_fk', ['county_code', 'campaign_id'], 'campaign', ['county_code', 'id'])
    .addForeignKeyConstraint('visit_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    // A follow-up can be done only when one was needed.
    .addCheckConstraint('visit_follow_up_ck', sql`follow_up_needed or follow_up_done_on is null`)
    .execute()
  await db.schema.createIndex('visit_unit_idx').on('visit').columns(['county_code', 'campaign_id', 'unit_code', 'category']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visit').execute()
  await db.schema.dropTable('cadre_talk').execute()
  await db.schema.dropTable('risk_item').execute()
  await db.schema.dropTable('unit_assessment').execute()
}
