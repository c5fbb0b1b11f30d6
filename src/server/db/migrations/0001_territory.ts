import { sql, type Kysely } from 'kysely'

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('territory')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('code', 'char(12)', (c) => c.notNull())
    .addColumn('parent_code', 'char(12)')
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('county', 'township', 'unit')`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_initials', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'retired')`))
    .addColumn('retired_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('territory_pk', ['county_code', 'code'])
    .addForeignKeyConstraint('territory_parent_fk', ['county_code', 'parent_code'], 'territory', ['county_code', 'code'])
    .addCheckConstraint('territory_code_in_county', sql`substr(code, 1, 6) = county_code`)
    .execute()
  await db.schema.createIndex('territory_parent_idx').on('territory').columns(['county_code', 'parent_code']).execute()

  // Reviewing departments (公安, 法院, 纪委监委 …) for the joint qualification review.
  await db.schema
    .createTable('department')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'retired')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('department_pk', ['county_code', 'id'])
    .addUniqueConstraint('department_name_uq', ['county_code', 'name'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('department').execute()
  await db.schema.dropTable('territory').execute()
}
