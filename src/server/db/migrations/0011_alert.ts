import { sql, type Kysely } from 'kysely'

/**
 * Alerts (issue 6 §2): the county's setting for missing daily reports and overdue milestones — the
 * hour after which a unit without today's report counts as missing, and an optional WeCom/DingTalk
 * group robot that receives the same text. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_setting')
    .addColumn('county_code', 'char(6)', (c) => c.notNull().primaryKey())
    .addColumn('report_hour', 'integer', (c) => c.notNull().defaultTo(18).check(sql`report_hour between 0 and 23`))
    .addColumn('webhook_kind', 'text', (c) => c.check(sql`webhook_kind in ('wecom', 'dingtalk')`))
    .addColumn('webhook_url', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('alert_setting_webhook_ck', sql`(webhook_kind is null) = (webhook_url is null)`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert_setting').execute()
}
