import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The county's list of disqualifying circumstances (负面清单) for the joint review.
  await db.schema
    .createTable('circumstance')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('bar', 'discourage')`))
    .addColumn('lookback_years', 'integer', (c) => c.notNull().defaultTo(0).check(sql`lookback_years between 0 and 30`))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'retired')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('circumstance_pk', ['county_code', 'id'])
    .execute()

  // Which departments check each circumstance.
  await db.schema
    .createTable('circumstance_department')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('circumstance_id', 'bigint', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('circumstance_department_pk', ['county_code', 'circumstance_id', 'department_id'])
    .addForeignKeyConstraint('cd_circumstance_fk', ['county_code', 'circumstance_id'], 'circumstance', ['county_code', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('cd_department_fk', ['county_code', 'department_id'], 'department', ['county_code', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('circumstance_department').execute()
  await db.schema.dropTable('circumstance').execute()
}
