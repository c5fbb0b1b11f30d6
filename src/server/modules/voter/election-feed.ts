/**
 * 选民名单进入选举 (issue 7 §5): a villagers' or residents' committee election created for a unit
 * whose roll exists in the campaign containing the election day takes three things from it.
 *
 * 1. 登记选民数 (`entitled`, the turnout base of rules.md rule 9) is the roll's active voter count.
 *    Left out of the request, it is filled in; a different number is refused with the roll's count
 *    named. The law's base is the published list, and a warning would let a typed figure decide
 *    whether the election is valid; a wrong list is corrected through objections before it freezes.
 * 2. The roll freezes in the election's transaction (publication.freezeLocked, audited with the
 *    election's id), under the same conditions as a freeze by hand: published, the objection period
 *    over, no objection awaiting a decision within its 3 days. A roll frozen already stays so.
 * 3. The roll's polling places (polling_station: central/station/mobile) become the election's
 *    stations (main/sub/mobile) when it has none; a second central place becomes a station, since
 *    an election has one main hall.
 *
 * The election day must be the roll's: ages were counted on it and publication measured from it.
 * A draft roll with voters refuses the election (it was never published, rule 19); a draft roll
 * with nobody on it (only a day set) is treated as no roll. Party elections never read a roll.
 *
 * `withRollCount` runs before the election's transaction (after its scope check) so a wrong
 * number fails early; `feedElection` runs inside it, locks the roll and checks the count again,
 * so a voter registered in between cannot make the figure stale.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, invalid, ruleViolation } from '../../http/errors.ts'
import { isPartyBody } from '../../../rules/tally/index.ts'
import type { TallyBody } from '../../../rules/tally/types.ts'
import { latestPublicationDay, voterBasis, VOTER_LIST_DAYS_BEFORE } from '../../../rules/voter/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as campaignRepo from '../campaign/repo.ts'
import { inCampaign } from '../campaign/service.ts'
import * as electionRepo from '../election/repo.ts'
import type { StationKind as ElectionStationKind } from '../election/table.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { freezeLocked, freezeProblem, undecidedObjections } from './publication.ts'
import * as repo from './repo.ts'
import { refusal } from './service.ts'
import type { PollingStationTable, VoterRollRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>

/** The fields of an election request the feed reads. */
export interface FeedRequest {
  unitCode: string
  body: TallyBody
  heldOn: string
  entitled?: number
}

const committeeBodies: readonly TallyBody[] = ['villager_committee', 'resident_committee']

/** The roll an election of this body, unit and day is fed from (locked when asked), or undefined. */
async function rollFor(db: Handle, countyCode: string, input: FeedRequest, lock: boolean): Promise<VoterRollRow | undefined> {
  if (!committeeBodies.includes(input.body)) return undefined
  const campaign = (await campaignRepo.listCampaigns(db, countyCode)).find((c) => inCampaign(c, input.heldOn))
  if (!campaign) return undefined
  const q = db.selectFrom('voter_roll').selectAll().where('county_code', '=', countyCode).where('campaign_id', '=', campaign.id).where('unit_code', '=', input.unitCode)
  const roll = await (lock ? q.forUpdate() : q).executeTakeFirst()
  if (!roll || (roll.status === 'draft' && (await repo.countActive(db, roll)) === 0)) return undefined
  return roll
}

async function unitName(db: Handle, countyCode: string, code: string): Promise<string> {
  return (await territoryRepo.findTerritory(db, countyCode, code))?.name ?? code
}

/** The roll must be published and for this very day. */
function assertFeedable(roll: VoterRollRow, input: FeedRequest, name: string): void {
  if (roll.election_day !== input.heldOn) {
    throw ruleViolation(
      `“${name}”选民名单的选举日是 ${roll.election_day}，本次选举日期为 ${input.heldOn}：选民年龄按名单的选举日计算，两者须一致。请核对选举日期，或先在选民登记中修改名单的选举日（名单冻结前）`,
      [{ field: '日期', message: `选民名单的选举日为 ${roll.election_day}` }],
    )
  }
  if (roll.status === 'draft') {
    throw ruleViolation(
      `“${name}”的选民名单尚未公布：选民名单应在选举日的${VOTER_LIST_DAYS_BEFORE}日前（最迟 ${latestPublicationDay(roll.election_day)}）公布，公布并处理完申诉后才能开始选举。依据：${voterBasis.publication}`,
      [{ field: '登记选民数', message: '选民名单尚未公布' }],
    )
  }
}

/**
 * The request with `entitled` settled: the roll's active count for a committee election fed by a
 * roll, else the number given (required then).
 */
export async function withRollCount<T extends FeedRequest>(db: Kysely<DB>, actor: Actor, input: T): Promise<T & { entitled: number }> {
  const roll = await rollFor(db, actor.countyCode, input, false)
  if (!roll) {
    if (input.entitled !== undefined) return { ...input, entitled: input.entitled }
    if (isPartyBody(input.body)) throw invalid('请填写应到会人数（有选举权的党员人数）', [{ field: '应到会人数', message: '请填写' }])
    throw invalid('请填写登记选民数：本村（社区）在选举日所在的届次还没有选民名单，不能自动带入', [{ field: '登记选民数', message: '请填写' }])
  }
  const name = await unitName(db, actor.countyCode, input.unitCode)
  assertFeedable(roll, input, name)
  const count = await repo.countActive(db, roll)
  if (input.entitled !== undefined && input.entitled !== count) {
    throw ruleViolation(
      `“${name}”的选民名单在册选民 ${count} 人，登记选民数应为 ${count}（所填 ${input.entitled}）：登记选民数是计算投票是否过半的基数，以公布的选民名单为准。请不填此项（自动带入），或先按申诉程序更正选民名单`,
      [{ field: '登记选民数', message: `应为 ${count}` }],
    )
  }
  return { ...input, entitled: count }
}

/**
 * An election fed from a roll keeps the roll's count and day: the count is the turnout base, and
 * the ages on the roll were counted to that day. Refuses a change of either (other fields may change).
 */
export async function assertRollFieldsKept(db: Kysely<DB>, actor: Actor, e: { unit_code: string; body: TallyBody; held_on: string; entitled: number }, p: { heldOn?: string; entitled?: number }): Promise<void> {
  const dayChanges = p.heldOn !== undefined && p.heldOn !== e.held_on
  const countChanges = p.entitled !== undefined && p.entitled !== e.entitled
  if (!dayChanges && !countChanges) return
  const roll = await rollFor(db, actor.countyCode, { unitCode: e.unit_code, body: e.body, heldOn: e.held_on }, false)
  if (!roll) return
  const name = await unitName(db, actor.countyCode, e.unit_code)
  throw ruleViolation(
    `本次选举的登记选民数（${e.entitled} 人）和选举日期（${e.held_on}）取自“${name}”的选民名单，不能在此修改：登记选民数是计算投票是否过半的基数，选民年龄算到名单的选举日，均以公布的选民名单为准`,
    [{ field: countChanges ? '登记选民数' : '日期', message: '取自选民名单，不能修改' }],
  )
}

const stationOrder: Record<PollingStationTable['kind'], number> = { central: 0, station: 1, mobile: 2 }

/** In the election's transaction, once the election row exists: freeze the roll, copy its stations. */
export async function feedElection(trx: Transaction<DB>, ctx: Ctx, electionId: string, input: FeedRequest & { entitled: number }): Promise<void> {
  const countyCode = ctx.actor.countyCode
  const roll = await rollFor(trx, countyCode, input, true)
  if (!roll) return
  const name = await unitName(trx, countyCode, input.unitCode)
  assertFeedable(roll, input, name)
  const count = await repo.countActive(trx, roll)
  if (count !== input.entitled) throw conflict(`“${name}”的选民名单刚刚有变动（现在册 ${count} 人），请刷新后重新新建选举`)
  if (roll.status === 'published') {
    const problem = freezeProblem(roll, await undecidedObjections(trx, roll), todayInChina())
    if (problem) throw refusal([problem])
    await freezeLocked(trx, ctx, roll, { by: 'election', election_id: electionId })
  }
  if ((await electionRepo.stationsOf(trx, countyCode, electionId)).length) return
  const places = await trx
    .selectFrom('polling_station')
    .select(['id', 'kind', 'name'])
    .where('county_code', '=', countyCode)
    .where('campaign_id', '=', roll.campaign_id)
    .where('unit_code', '=', roll.unit_code)
    .execute()
  if (!places.length) return
  places.sort((a, b) => stationOrder[a.kind] - stationOrder[b.kind] || Number(a.id) - Number(b.id))
  let main = false
  const stations = places.map((p): { kind: ElectionStationKind; name: string } => {
    if (p.kind === 'central' && !main) {
      main = true
      return { kind: 'main', name: p.name }
    }
    return { kind: p.kind === 'mobile' ? 'mobile' : 'sub', name: p.name }
  })
  await electionRepo.replaceStations(trx, countyCode, electionId, stations)
  await recordAudit(trx, ctx, { action: 'election.stations', objectType: 'election', objectId: electionId, after: { stations, from: 'voter_roll' } })
}
