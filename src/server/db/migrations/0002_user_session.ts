import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('county_admin', 'township_organiser', 'leader', 'contact_cadre', 'reviewer', 'auditor')`),
    )
    .addColumn('territory_code', 'char(12)', (c) => c.notNull())
    .addColumn('department_id', 'bigint')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    // The last hashes, so a change cannot reuse them (等保 practice: last 5).
    .addColumn('password_history', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'disabled')`))
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('app_user_pk', ['county_code', 'id'])
    .addUniqueConstraint('app_user_username_uq', ['county_code', 'username'])
    .addForeignKeyConstraint('app_user_territory_fk', ['county_code', 'territory_code'], 'territory', ['county_code', 'code'])
    .addForeignKeyConstraint('app_user_department_fk', ['county_code', 'department_id'], 'department', ['county_code', 'id'])
    .addCheckConstraint('app_user_reviewer_department', sql`(role = 'reviewer') = (department_id is not null)`)
    .execute()

  // Login happens before the county is known, and a distributed table can only enforce uniqueness
  // inside one county, so user names are made unique across counties by this small lookup table.
  await db.schema
    .createTable('login_name')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .execute()

  // Contact cadres and leaders are assigned units (包村); a cadre sees only these.
  await db.schema
    .createTable('user_unit')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_unit_pk', ['county_code', 'user_id', 'unit_code'])
    .addForeignKeyConstraint('user_unit_user_fk', ['county_code', 'user_id'], 'app_user', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('user_unit_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()

  await db.schema
    .createTable('session')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    // Only a hash of the token is stored, so a copy of the database cannot log anyone in.
    .addColumn('token_hash', 'char(64)', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('session_pk', ['county_code', 'token_hash'])
    .addForeignKeyConstraint('session_user_fk', ['county_code', 'user_id'], 'app_user', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('session_user_idx').on('session').columns(['county_code', 'user_id']).execute()

  await db.schema
    .createTable('login_log')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('user_id', 'bigint')
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('success', 'boolean', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('login_log_pk', ['county_code', 'id'])
    .execute()
  await db.schema.createIndex('login_log_at_idx').on('login_log').columns(['county_code', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_log').execute()
  await db.schema.dropTable('session').execute()
  await db.schema.dropTable('user_unit').execute()
  await db.schema.dropTable('login_name').execute()
  await db.schema.dropTable('app_user').execute()
}
