import { sql, type Kysely } from 'kysely'

const now = sql`now()`

export async function up(db: Kysely<any>): Promise<void> {
  // Posts now have a history: an elected team ends the incumbent one instead of replacing it.
  await db.schema.alterTable('post_holding').addColumn('ended_on', 'date').execute()
  await db.schema.alterTable('post_holding').addColumn('result_id', 'bigint').execute()
  await db.schema.alterTable('post_holding').dropConstraint('post_holding_uq').execute()
  await sql`create unique index post_holding_current_uq on post_holding (county_code, unit_code, person_id, body) where ended_on is null`.execute(db)

  // A county's counting-rule overrides (rules.md "Counting-engine parameters").
  await db.schema
    .createTable('tally_rule_set')
    .addColumn('county_code', 'char(6)', (c) => c.notNull().primaryKey())
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  // One round of voting of one body in one unit (an election meeting's ballot).
  await db.schema
    .createTable('election')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().check(sql`body in ('party_committee', 'party_secretary', 'villager_committee', 'resident_committee')`))
    .addColumn('round', 'text', (c) => c.notNull().check(sql`round in ('first', 'supplementary', 'revote')`))
    .addColumn('revote_of', 'text', (c) => c.check(sql`revote_of in ('first', 'supplementary')`))
    // The round whose result called for this one (revote, supplementary), and that result.
    .addColumn('parent_id', 'bigint')
    .addColumn('parent_result_id', 'bigint')
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entitled', 'integer', (c) => c.notNull().check(sql`entitled >= 0`))
    .addColumn('present', 'integer', (c) => c.check(sql`present >= 0`))
    .addColumn('rules', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('decision_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('approval_ref', 'text')
    .addColumn('approved_on', 'date')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('election_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('election_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addForeignKeyConstraint('election_parent_fk', ['county_code', 'parent_id'], 'election', ['county_code', 'id'])
    .addCheckConstraint('election_present_ck', sql`present is null or present <= entitled`)
    .execute()
  await db.schema.createIndex('election_unit_idx').on('election').columns(['county_code', 'unit_code', 'body']).execute()

  await db.schema
    .createTable('election_post')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('election_id', 'bigint', (c) => c.notNull())
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull().check(sql`seats between 1 and 20`))
    .addPrimaryKeyConstraint('election_post_pk', ['county_code', 'election_id', 'post'])
    .addForeignKeyConstraint('election_post_fk', ['county_code', 'election_id'], 'election', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('election_candidate')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('election_id', 'bigint', (c) => c.notNull())
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('person_id', 'bigint')
    .addColumn('nominee_id', 'bigint')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull().check(sql`gender in ('male', 'female')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('election_candidate_pk', ['county_code', 'id'])
    .addUniqueConstraint('election_candidate_uq', ['county_code', 'election_id', 'post', 'name'])
    .addForeignKeyConstraint('candidate_election_fk', ['county_code', 'election_id'], 'election', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('candidate_person_fk', ['county_code', 'person_id'], 'person', ['county_code', 'id'])
    .execute()

  // Monitors (监票人) and counters (计票人): never a candidate of the same election.
  await db.schema
    .createTable('election_staff')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('election_id', 'bigint', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('chief_monitor', 'monitor', 'counter', 'caller')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('election_staff_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('staff_election_fk', ['county_code', 'election_id'], 'election', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()

  // The main hall, extra polling stations and mobile ballot boxes (流动票箱).
  await db.schema
    .createTable('election_station')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('election_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('main', 'sub', 'mobile')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('election_station_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('station_election_fk', ['county_code', 'election_id'], 'election', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()

  // A count as entered, confirmed and announced; a correction is a new row naming the old one.
  await db.schema
    .createTable('tally_result')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('election_id', 'bigint', (c) => c.notNull())
    .addColumn('corrects_id', 'bigint')
    .addColumn('correction_reason', 'text')
    .addColumn('correction_basis', 'text')
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('ballots', 'totals')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'entered', 'confirmed', 'announced')`))
    .addColumn('sheet', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'jsonb')
    .addColumn('discrepancy_note', 'text')
    // Why the count was last sent back to the person entering it.
    .addColumn('return_note', 'text')
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_by_name', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'timestamptz')
    .addColumn('seen_by', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('scan', 'bytea')
    .addColumn('scan_name', 'text')
    .addColumn('scan_type', 'text')
    .addColumn('scan_sha256', 'text')
    .addColumn('confirm_mode', 'text', (c) => c.check(sql`confirm_mode in ('scan', 'double')`))
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_by_name', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('announced_by', 'text')
    .addColumn('announced_at', 'timestamptz')
    .addColumn('fingerprint', 'text')
    .addColumn('chain_head', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('tally_result_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('result_election_fk', ['county_code', 'election_id'], 'election', ['county_code', 'id'])
    .addForeignKeyConstraint('result_corrects_fk', ['county_code', 'corrects_id'], 'tally_result', ['county_code', 'id'])
    .addCheckConstraint('result_confirmer_ck', sql`confirmed_by is null or confirmed_by <> entered_by`)
    .execute()
  await db.schema.createIndex('tally_result_election_idx').on('tally_result').columns(['county_code', 'election_id']).execute()
  // At most one open (not yet announced) count per election: two drafts would race to announce.
  await sql`create unique index tally_result_open_uq on tally_result (county_code, election_id) where state <> 'announced'`.execute(db)

  // Ballots read out one by one (唱票), in the order entered.
  await db.schema
    .createTable('tally_ballot')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('result_id', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('ballot', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('tally_ballot_pk', ['county_code', 'result_id', 'seq'])
    .addForeignKeyConstraint('ballot_result_fk', ['county_code', 'result_id'], 'tally_result', ['county_code', 'id'])
    .execute()

  // The database refuses to change an announced count, whatever the application does (quality.md §3.3).
  await sql`
    create function tally_result_locked() returns trigger language plpgsql as $$
    begin
      if old.state = 'announced' then
        raise exception 'announced tally_result % is locked', old.id using errcode = 'integrity_constraint_violation';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger tally_result_lock before update or delete on tally_result for each row execute function tally_result_locked()`.execute(db)
  // Ballots of an announced count are part of it. (Inserts are the application's check, so a
  // restore can load them.)
  await sql`
    create function tally_ballot_locked() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from tally_result where county_code = old.county_code and id = old.result_id and state = 'announced') then
        raise exception 'ballots of announced tally_result % are locked', old.result_id using errcode = 'integrity_constraint_violation';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger tally_ballot_lock before update or delete on tally_ballot for each row execute function tally_ballot_locked()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger tally_ballot_lock on tally_ballot`.execute(db)
  await sql`drop trigger tally_result_lock on tally_result`.execute(db)
  await sql`drop function tally_ballot_locked()`.execute(db)
  await sql`drop function tally_result_locked()`.execute(db)
  for (const t of ['tally_ballot', 'tally_result', 'election_station', 'election_staff', 'election_candidate', 'election_post', 'election', 'tally_rule_set']) {
    await db.schema.dropTable(t).execute()
  }
  await sql`drop index post_holding_current_uq`.execute(db)
  await sql`delete from post_holding where ended_on is not null`.execute(db)
  await db.schema.alterTable('post_holding').addUniqueConstraint('post_holding_uq', ['county_code', 'unit_code', 'person_id', 'body']).execute()
  await db.schema.alterTable('post_holding').dropColumn('result_id').execute()
  await db.schema.alterTable('post_holding').dropColumn('ended_on').execute()
}
