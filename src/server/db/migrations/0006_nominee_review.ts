import { sql, type Kysely } from 'kysely'

const now = sql`now()`

export async function up(db: Kysely<any>): Promise<void> {
  // The incumbent teams (现任两委班子): who holds which post in which unit today.
  await db.schema
    .createTable('post_holding')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('person_id', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().check(sql`body in ('party', 'committee')`))
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('since', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('post_holding_pk', ['county_code', 'id'])
    .addUniqueConstraint('post_holding_uq', ['county_code', 'unit_code', 'person_id', 'body'])
    .addForeignKeyConstraint('post_holding_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addForeignKeyConstraint('post_holding_person_fk', ['county_code', 'person_id'], 'person', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()

  // A township's submission of nominees for the joint review (联审批次).
  await db.schema
    .createTable('review_batch')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('township_code', 'char(12)', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('submitted', 'in_review', 'closed')`))
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('opened_at', 'timestamptz')
    .addColumn('deadline', 'date')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('review_batch_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('review_batch_township_fk', ['county_code', 'township_code'], 'territory', ['county_code', 'code'])
    .execute()

  // The public notice (公示) of a unit's qualified nominees.
  await db.schema
    .createTable('notice')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('start_on', 'date', (c) => c.notNull())
    .addColumn('end_on', 'date', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('notice_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('notice_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addCheckConstraint('notice_dates_ck', sql`end_on >= start_on`)
    .execute()

  // A person proposed for a post (人选), through its life cycle.
  await db.schema
    .createTable('nominee')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('person_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().check(sql`body in ('party', 'committee')`))
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('put_forward', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('draft', 'submitted', 'under_review', 'qualified', 'disqualified', 'in_notice', 'candidate', 'withdrawn')`),
    )
    .addColumn('batch_id', 'bigint')
    .addColumn('notice_id', 'bigint')
    .addColumn('return_reason', 'text')
    .addColumn('withdraw_reason', 'text')
    // The county's decision when a department found a "discourage" circumstance.
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('qualified', 'disqualified')`))
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('concluded_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('nominee_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('nominee_person_fk', ['county_code', 'person_id'], 'person', ['county_code', 'id'])
    .addForeignKeyConstraint('nominee_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .addForeignKeyConstraint('nominee_batch_fk', ['county_code', 'batch_id'], 'review_batch', ['county_code', 'id'])
    .addForeignKeyConstraint('nominee_notice_fk', ['county_code', 'notice_id'], 'notice', ['county_code', 'id'])
    .execute()
  await db.schema.createIndex('nominee_unit_idx').on('nominee').columns(['county_code', 'unit_code']).execute()
  await db.schema.createIndex('nominee_batch_idx').on('nominee').columns(['county_code', 'batch_id']).execute()
  // One live nomination per person, body and unit: a second one is a mistake, not a new fact.
  await sql`create unique index nominee_live_uq on nominee (county_code, person_id, unit_code, body) where state not in ('withdrawn', 'disqualified')`.execute(db)

  await db.schema
    .createTable('nominee_objection')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('nominee_id', 'bigint', (c) => c.notNull())
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('handling', 'text')
    .addColumn('upheld', 'boolean')
    .addColumn('handled_on', 'date')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('nominee_objection_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('objection_nominee_fk', ['county_code', 'nominee_id'], 'nominee', ['county_code', 'id'])
    .execute()

  // One request per nominee per responsible department.
  await db.schema
    .createTable('review_request')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('batch_id', 'bigint', (c) => c.notNull())
    .addColumn('nominee_id', 'bigint', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'answered', 'cancelled')`))
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('review_request_pk', ['county_code', 'id'])
    .addUniqueConstraint('review_request_uq', ['county_code', 'batch_id', 'nominee_id', 'department_id'])
    .addForeignKeyConstraint('request_batch_fk', ['county_code', 'batch_id'], 'review_batch', ['county_code', 'id'])
    .addForeignKeyConstraint('request_nominee_fk', ['county_code', 'nominee_id'], 'nominee', ['county_code', 'id'])
    .addForeignKeyConstraint('request_department_fk', ['county_code', 'department_id'], 'department', ['county_code', 'id'])
    .execute()
  await db.schema.createIndex('review_request_dept_idx').on('review_request').columns(['county_code', 'department_id', 'status']).execute()

  // Per request, per circumstance the department checks: clear (false) or found (true).
  await db.schema
    .createTable('review_finding')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('request_id', 'bigint', (c) => c.notNull())
    .addColumn('circumstance_id', 'bigint', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('bar', 'discourage')`))
    .addColumn('found', 'boolean')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('review_finding_pk', ['county_code', 'request_id', 'circumstance_id'])
    .addForeignKeyConstraint('finding_request_fk', ['county_code', 'request_id'], 'review_request', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('finding_circumstance_fk', ['county_code', 'circumstance_id'], 'circumstance', ['county_code', 'id'])
    .execute()

  await db.schema
    .createTable('review_evidence')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('request_id', 'bigint', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'char(64)', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('review_evidence_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('evidence_request_fk', ['county_code', 'request_id'], 'review_request', ['county_code', 'id'])
    .execute()

  // The talk (谈话) with a nominee found ineligible.
  await db.schema
    .createTable('talk_record')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('nominee_id', 'bigint', (c) => c.notNull())
    .addColumn('talked_on', 'date', (c) => c.notNull())
    .addColumn('talkers', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('talk_record_pk', ['county_code', 'id'])
    .addForeignKeyConstraint('talk_nominee_fk', ['county_code', 'nominee_id'], 'nominee', ['county_code', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['talk_record', 'review_evidence', 'review_finding', 'review_request', 'nominee_objection', 'nominee', 'notice', 'review_batch', 'post_holding']) {
    await db.schema.dropTable(t).execute()
  }
}
