import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import * as m0001 from './migrations/0001_territory.ts'
import * as m0002 from './migrations/0002_user_session.ts'
import * as m0003 from './migrations/0003_audit.ts'
import * as m0004 from './migrations/0004_person.ts'
import * as m0005 from './migrations/0005_circumstance.ts'
import * as m0006 from './migrations/0006_nominee_review.ts'
import * as m0007 from './migrations/0007_election.ts'
import * as m0008 from './migrations/0008_composition.ts'
import * as m0009 from './migrations/0009_timeline.ts'
import * as m0010 from './migrations/0010_report.ts'
import * as m0011 from './migrations/0011_alert.ts'
import * as m0012 from './migrations/0012_organisation.ts'
import * as m0013 from './migrations/0013_deployment.ts'
import * as m0014 from './migrations/0014_publicity.ts'
import * as m0015 from './migrations/0015_situation.ts'
import * as m0016 from './migrations/0016_audit_head_prev.ts'
import * as m0017 from './migrations/0017_voter.ts'
import * as m0018 from './migrations/0018_voter_publication.ts'
import * as m0019 from './migrations/0019_voter_stations.ts'

// Listed by hand, not read from the folder, so the migrations travel with the code whatever
// loader runs it. Names sort in order; never rename or edit a migration that has shipped.
const migrations: Record<string, Migration> = {
  '0001_territory': m0001,
  '0002_user_session': m0002,
  '0003_audit': m0003,
  '0004_person': m0004,
  '0005_circumstance': m0005,
  '0006_nominee_review': m0006,
  '0007_election': m0007,
  '0008_composition': m0008,
  '0009_timeline': m0009,
  '0010_report': m0010,
  '0011_alert': m0011,
  '0012_organisation': m0012,
  '0013_deployment': m0013,
  '0014_publicity': m0014,
  '0015_situation': m0015,
  '0016_audit_head_prev': m0016,
  '0017_voter': m0017,
  '0018_voter_publication': m0018,
  '0019_voter_stations': m0019,
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) }

export const latestMigration = Object.keys(migrations).sort().at(-1) ?? ''

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider })
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const message = result.error instanceof Error ? result.error.message : JSON.stringify(result.error)
    throw new Error(`数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}：${message}`)
  }
  return (result.results ?? []).map((r) => r.migrationName)
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return check(await migrator(db).migrateToLatest())
}

/** Undo every migration (used by the up-down-up test and by nothing in production). */
export async function migrateDownAll(db: Kysely<any>): Promise<string[]> {
  const { NO_MIGRATIONS } = await import('kysely')
  return check(await migrator(db).migrateTo(NO_MIGRATIONS))
}

/** Migrates up or down to a named migration (restore brings a database to its backup's version). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<string[]> {
  if (!Object.hasOwn(migrations, name)) throw new Error(`未知的迁移版本 ${name}：备份来自更新的程序版本，请先升级 huanjie`)
  return check(await migrator(db).migrateTo(name))
}

export async function currentMigration(db: Kysely<any>): Promise<string | null> {
  const all = await migrator(db).getMigrations()
  const done = all.filter((m) => m.executedAt !== undefined).map((m) => m.name)
  return done.sort().at(-1) ?? null
}
