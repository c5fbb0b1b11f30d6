import { sql, type Kysely } from 'kysely'

/**
 * Issue 7 §4: proxies are withdrawn rather than deleted (the published list and the audit log
 * must still explain a proxy that was once registered), so a giver may give a new proxy after
 * withdrawing the old one: "one proxy per giver" becomes "one active proxy per giver". A unit has
 * at most one central meeting place. Lists read a roll's proxies and stations by roll.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('voter_proxy')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'withdrawn')`))
    .addColumn('withdrawn_reason', 'text')
    .addColumn('withdrawn_at', 'timestamptz')
    .execute()
  await db.schema.alterTable('voter_proxy').addCheckConstraint('voter_proxy_withdrawn_ck', sql`(status = 'withdrawn') = (withdrawn_reason is not null) and (status = 'withdrawn') = (withdrawn_at is not null)`).execute()
  await db.schema.alterTable('voter_proxy').dropConstraint('voter_proxy_giver_uq').execute()
  await sql`create unique index voter_proxy_giver_uq on voter_proxy (county_code, giver_voter_id) where status = 'active'`.execute(db)
  await db.schema.createIndex('voter_proxy_roll_idx').on('voter_proxy').columns(['county_code', 'campaign_id', 'unit_code']).execute()

  await sql`create unique index polling_station_central_uq on polling_station (county_code, campaign_id, unit_code) where kind = 'central'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('polling_station_central_uq').execute()
  await db.schema.dropIndex('voter_proxy_roll_idx').execute()
  await db.schema.dropIndex('voter_proxy_giver_uq').execute()
  // Withdrawn proxies cannot survive the old one-proxy-per-giver constraint.
  await sql`delete from voter_proxy where status = 'withdrawn'`.execute(db)
  await db.schema.alterTable('voter_proxy').addUniqueConstraint('voter_proxy_giver_uq', ['county_code', 'giver_voter_id']).execute()
  await db.schema.alterTable('voter_proxy').dropConstraint('voter_proxy_withdrawn_ck').execute()
  await db.schema.alterTable('voter_proxy').dropColumn('withdrawn_at').dropColumn('withdrawn_reason').dropColumn('status').execute()
}
