import type { Kysely } from 'kysely'

/**
 * The head keeps the hash it moved from, so one UPDATE … RETURNING can both move the head and
 * give the new row its previous hash (appendAudit): the row lock is then held from that one
 * statement to COMMIT, not across a read, a write and an update.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_head').addColumn('prev_hash', 'char(64)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_head').dropColumn('prev_hash').execute()
}
