import { sql, type Kysely } from 'kysely'

/**
 * 选民名单公布 (issue 7 §3): the printed list is headed “××村第×届村民委员会选举选民名单”, and the
 * term number (届次序号) is the unit's own — villages merged or split count differently — so the
 * roll keeps it, set when it is published. Null: the list names the campaign's year instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('voter_roll')
    .addColumn('term_no', 'smallint', (c) => c.check(sql`term_no between 1 and 99`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('voter_roll').dropColumn('term_no').execute()
}
