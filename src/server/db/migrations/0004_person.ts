import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // National code lists (民族, 学历, 政治面貌, 性别): a reference table shared by every county.
  await db.schema
    .createTable('dict_item')
    .addColumn('dict_type', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'retired')`))
    .addPrimaryKeyConstraint('dict_item_pk', ['dict_type', 'code'])
    .execute()

  await db.schema
    .createTable('person')
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    // The number itself only encrypted; a keyed index for lookups; a mask for lists.
    .addColumn('id_number_enc', 'text', (c) => c.notNull())
    .addColumn('id_number_index', 'char(64)', (c) => c.notNull())
    .addColumn('id_number_masked', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('gender', 'char(1)', (c) => c.notNull().check(sql`gender in ('1', '2')`))
    .addColumn('ethnicity', 'text', (c) => c.notNull())
    .addColumn('education', 'text', (c) => c.notNull())
    .addColumn('political_status', 'text', (c) => c.notNull())
    .addColumn('party_joined_on', 'date')
    .addColumn('phone', 'text')
    .addColumn('unit_code', 'char(12)', (c) => c.notNull())
    .addColumn('reserve_cadre', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('person_pk', ['county_code', 'id'])
    .addUniqueConstraint('person_id_number_uq', ['county_code', 'id_number_index'])
    .addForeignKeyConstraint('person_unit_fk', ['county_code', 'unit_code'], 'territory', ['county_code', 'code'])
    .execute()
  await db.schema.createIndex('person_unit_idx').on('person').columns(['county_code', 'unit_code']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person').execute()
  await db.schema.dropTable('dict_item').execute()
}
