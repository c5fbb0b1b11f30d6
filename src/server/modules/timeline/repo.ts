import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { PhaseKey } from '../../../rules/timeline/index.ts'

type Handle = Kysely<DB> | Transaction<DB>

export async function phasesOf(db: Handle, countyCode: string, campaignId: string, townshipCode: string) {
  return db.selectFrom('campaign_phase').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('township_code', '=', townshipCode).execute()
}

export async function replacePhases(trx: Transaction<DB>, countyCode: string, campaignId: string, townshipCode: string, phases: { phase: PhaseKey; startsOn: string; endsOn: string }[]) {
  await trx.deleteFrom('campaign_phase').where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('township_code', '=', townshipCode).execute()
  if (phases.length) {
    await trx
      .insertInto('campaign_phase')
      .values(phases.map((p) => ({ county_code: countyCode, campaign_id: campaignId, township_code: townshipCode, phase: p.phase, starts_on: p.startsOn, ends_on: p.endsOn })))
      .execute()
  }
}

export async function schedulesOf(db: Handle, countyCode: string, campaignId: string, unitPrefix: string) {
  return db.selectFrom('unit_schedule').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', 'like', `${unitPrefix}%`).execute()
}

export async function findSchedule(db: Handle, countyCode: string, campaignId: string, unitCode: string) {
  return db.selectFrom('unit_schedule').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).executeTakeFirst()
}

export async function upsertSchedule(trx: Transaction<DB>, countyCode: string, campaignId: string, unitCode: string, v: { party_on: string | null; committee_on: string | null }, by: string) {
  return trx
    .insertInto('unit_schedule')
    .values({ county_code: countyCode, campaign_id: campaignId, unit_code: unitCode, ...v, updated_by: by })
    .onConflict((oc) => oc.columns(['county_code', 'campaign_id', 'unit_code']).doUpdateSet({ ...v, updated_by: by, updated_at: new Date(), version: sql`unit_schedule.version + 1` }))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function milestonesOf(db: Handle, countyCode: string, campaignId: string, unitPrefix: string) {
  return db.selectFrom('milestone').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', 'like', `${unitPrefix}%`).execute()
}

export async function saveMilestone(trx: Transaction<DB>, row: { county_code: string; campaign_id: string; unit_code: string; key: string; done_on: string; evidence: string; done_by: string }) {
  return trx
    .insertInto('milestone')
    .values(row)
    .onConflict((oc) => oc.columns(['county_code', 'campaign_id', 'unit_code', 'key']).doUpdateSet({ done_on: row.done_on, evidence: row.evidence, done_by: row.done_by, done_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteMilestone(trx: Transaction<DB>, countyCode: string, campaignId: string, unitCode: string, key: string) {
  return trx.deleteFrom('milestone').where('county_code', '=', countyCode).where('campaign_id', '=', campaignId).where('unit_code', '=', unitCode).where('key', '=', key).returningAll().executeTakeFirst()
}

/** First-round election days per unit and body in the window: the schedule's fallback. */
export async function electionDays(db: Handle, countyCode: string, unitPrefix: string, startsOn: string, endsOn: string | null) {
  return db
    .selectFrom('election')
    .select([
      'unit_code',
      'body',
      sql<string>`to_char(min(held_on), 'YYYY-MM-DD')`.as('held_on'),
      // The day of the first round that has an announced result: the election has taken place.
      sql<string | null>`to_char(min(held_on) filter (where exists (select 1 from tally_result r where r.county_code = election.county_code and r.election_id = election.id and r.state = 'announced')), 'YYYY-MM-DD')`.as('announced_on'),
    ])
    .where('county_code', '=', countyCode)
    .where('unit_code', 'like', `${unitPrefix}%`)
    .where('round', '=', 'first')
    .where('held_on', '>=', startsOn)
    .where('held_on', '<=', endsOn ?? '9999-12-31')
    .groupBy(['unit_code', 'body'])
    .execute()
}
