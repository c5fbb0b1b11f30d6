/**
 * 投票站和流动票箱 (issue 7 §4; rules.md §2.4 rule 20): a unit's central meeting place, its
 * polling stations and its mobile boxes for the villagers' (residents') committee election, and
 * which registered voters vote at which.
 *
 * Rules: rules/voter.stationProblems decides, and what it finds is refused (422) — every box, the
 * central place's included, needs at least 3 monitors (Beijing and Zhejiang write it; the county's
 * default rule set adopts it, rules.md "mobileBoxMinMonitors"). Nothing else is refused on the
 * monitors. A unit has at most one central place (409; a partial unique index backs it). A voter
 * votes at one place (a unique constraint): assigning by village group takes the group's active
 * voters not yet at another place, while voters named one by one are moved here from wherever
 * they were — the usual order is mobile box first (the old and sick, named), then the groups —
 * and the reply says how many were moved from where. A frozen roll refuses every change.
 *
 * Who: as for voters — county admin and township organiser in their territory, a contact cadre
 * for assigned units; leaders and the auditor read. The list of a mobile box's voters is printed
 * for publication (Zhejiang requires it); any place's list can be printed the same way.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, invalid, notFound, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import { canSeeTerritory, limitedToAssignedUnits } from '../../scope.ts'
import { formPdf, type Block } from '../../files/form-doc.ts'
import { stationKindLabels, stationProblems, type Problem, type StationKind } from '../../../rules/voter/index.ts'
import { recordAudit } from '../audit/service.ts'
import { pickCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import { chineseDate } from '../notice/documents.ts'
import type { TerritoryRow } from '../territory/table.ts'
import * as repo from './repo.ts'
import { listPrefix, refusal, rollForWrite, visibleUnit, writableUnit } from './service.ts'
import type { PollingStationTable, VoterRollRow } from './table.ts'

type Handle = Kysely<DB> | Transaction<DB>
type StationRow = Selectable<PollingStationTable>

const stationMissing = '投票点不存在，或不在您的管辖范围内'

export interface Station {
  id: string
  campaignId: string
  unitCode: string
  unitName: string
  kind: StationKind
  kindLabel: string
  name: string
  monitors: number
  note: string
  /** Active voters who vote here. */
  voters: number
  groups: { group: string; voters: number }[]
  /** What rules/voter.stationProblems finds now (a station saved before the rule, or edited in the database, still shows it). */
  problems: Problem[]
  version: number
}

type Counts = Map<string, { group: string; voters: number }[]>

function toStation(r: StationRow, unitName: string, counts: Counts): Station {
  const groups = counts.get(r.id) ?? []
  return {
    id: r.id,
    campaignId: r.campaign_id,
    unitCode: r.unit_code,
    unitName,
    kind: r.kind,
    kindLabel: stationKindLabels[r.kind],
    name: r.name,
    monitors: r.monitors,
    note: r.note,
    voters: groups.reduce((n, g) => n + g.voters, 0),
    groups,
    problems: stationProblems({ kind: r.kind, monitors: r.monitors }),
    version: r.version,
  }
}

const auditShape = (r: Pick<StationRow, 'campaign_id' | 'unit_code' | 'kind' | 'name' | 'monitors' | 'note'>) => ({
  campaign_id: r.campaign_id,
  unit_code: r.unit_code,
  kind: r.kind,
  name: r.name,
  monitors: r.monitors,
  note: r.note,
})

const rollMark = (roll: VoterRollRow): object | undefined => (roll.status === 'published' ? { roll_status: 'published', published_on: roll.published_on } : undefined)

// ── repository (stations only) ──

async function findStation(db: Handle, countyCode: string, id: string): Promise<StationRow | undefined> {
  return db.selectFrom('polling_station').selectAll().where('county_code', '=', countyCode).where('id', '=', id).executeTakeFirst()
}

/** Active voters at each station, by village group. */
async function countsOf(db: Handle, countyCode: string, stationIds: string[]): Promise<Counts> {
  const out: Counts = new Map()
  if (stationIds.length === 0) return out
  const rows = await db
    .selectFrom('polling_station_voter as s')
    .innerJoin('voter as v', (j) => j.onRef('v.county_code', '=', 's.county_code').onRef('v.id', '=', 's.voter_id'))
    .select(['s.station_id', 'v.village_group', sql<string>`count(*)`.as('n')])
    .where('s.county_code', '=', countyCode)
    .where(sql<boolean>`s.station_id = any(${stationIds}::bigint[])`)
    .where('v.status', '=', 'active')
    .groupBy(['s.station_id', 'v.village_group'])
    .orderBy('s.station_id')
    .orderBy('v.village_group')
    .execute()
  for (const r of rows) {
    const list = out.get(r.station_id) ?? []
    list.push({ group: r.village_group, voters: Number(r.n) })
    out.set(r.station_id, list)
  }
  return out
}

async function centralOf(db: Handle, s: { county_code: string; campaign_id: string; unit_code: string }): Promise<StationRow | undefined> {
  return db
    .selectFrom('polling_station')
    .selectAll()
    .where('county_code', '=', s.county_code)
    .where('campaign_id', '=', s.campaign_id)
    .where('unit_code', '=', s.unit_code)
    .where('kind', '=', 'central')
    .executeTakeFirst()
}

/** The unique indexes' refusals (two requests at once) as the messages the checks give. */
async function unlessTaken<T>(work: () => Promise<T>, name: string): Promise<T> {
  try {
    return await work()
  } catch (err) {
    const e = err as { code?: string; constraint?: string }
    if (e.code === '23505' && e.constraint === 'polling_station_name_uq') throw conflict(`本村（社区）已有名为“${name}”的投票点，请换一个名称`)
    if (e.code === '23505' && e.constraint === 'polling_station_central_uq') throw conflict('本村（社区）已有中心投票会场；一个村（社区）只设一个中心会场，其他的请设为投票站')
    throw err
  }
}

// ── scope ──

export async function loadStation(db: Kysely<DB>, a: Actor, id: string): Promise<{ row: StationRow; unit: TerritoryRow }> {
  const row = a.role === 'reviewer' ? undefined : await findStation(db, a.countyCode, id)
  if (!row || !canSeeTerritory(a, row.unit_code)) throw notFound(stationMissing)
  return { row, unit: await visibleUnit(db, a, row.unit_code) }
}

// ── checks ──

export interface StationFields {
  kind: StationKind
  name: string
  monitors: number
  note?: string
}

function checked(input: StationFields): { name: string; note: string } {
  const name = input.name.trim()
  if (!name) throw invalid('请填写投票点名称', [{ field: 'name', message: '不能为空' }])
  const problems = stationProblems({ kind: input.kind, monitors: input.monitors })
  if (problems.length) throw refusal(problems)
  return { name, note: input.note?.trim() ?? '' }
}

async function assertOneCentral(trx: Transaction<DB>, s: { county_code: string; campaign_id: string; unit_code: string }, kind: StationKind, self?: string): Promise<void> {
  if (kind !== 'central') return
  const other = await centralOf(trx, s)
  if (other && other.id !== self) throw conflict(`本村（社区）已有中心投票会场“${other.name}”；一个村（社区）只设一个中心会场，其他的请设为投票站`)
}

// ── writes ──

export async function createStation(db: Kysely<DB>, ctx: Ctx, input: StationFields & { unitCode: string; campaign?: string }): Promise<Station> {
  const a = ctx.actor
  const unit = await writableUnit(db, a, input.unitCode)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const { name, note } = checked(input)
  return unlessTaken(
    () =>
      inTransaction(db, async (trx) => {
        const roll = await rollForWrite(trx, a, campaign, unit)
        const key = { county_code: a.countyCode, campaign_id: campaign.id, unit_code: unit.code }
        await assertOneCentral(trx, key, input.kind)
        const row = await trx
          .insertInto('polling_station')
          .values({ ...key, kind: input.kind, name, monitors: input.monitors, note })
          .returningAll()
          .executeTakeFirstOrThrow()
        await recordAudit(trx, ctx, { action: 'voter.station.create', objectType: 'polling_station', objectId: row.id, after: auditShape(row), extra: rollMark(roll) })
        return toStation(row, unit.name, new Map())
      }),
    name,
  )
}

export async function updateStation(db: Kysely<DB>, ctx: Ctx, id: string, input: StationFields & { version: number }): Promise<Station> {
  const a = ctx.actor
  const { row: before, unit } = await loadStation(db, a, id)
  await writableUnit(db, a, before.unit_code)
  const campaign = await pickCampaign(db, a.countyCode, before.campaign_id)
  const { name, note } = checked(input)
  return unlessTaken(
    () =>
      inTransaction(db, async (trx) => {
        const roll = await rollForWrite(trx, a, campaign, unit)
        await assertOneCentral(trx, before, input.kind, id)
        const after = await trx
          .updateTable('polling_station')
          .set({ kind: input.kind, name, monitors: input.monitors, note, updated_at: new Date(), version: input.version + 1 })
          .where('county_code', '=', a.countyCode)
          .where('id', '=', id)
          .where('version', '=', input.version)
          .returningAll()
          .executeTakeFirst()
        if (!after) throw versionConflict(`投票点“${before.name}”已被他人修改，请刷新后重试`)
        await recordAudit(trx, ctx, { action: 'voter.station.update', objectType: 'polling_station', objectId: id, before: auditShape(before), after: auditShape(after), extra: rollMark(roll) })
        return toStation(after, unit.name, await countsOf(trx, a.countyCode, [id]))
      }),
    name,
  )
}

/** Deletes a station; its voters become unassigned (the audit row says how many). */
export async function deleteStation(db: Kysely<DB>, ctx: Ctx, id: string, input: { version: number }): Promise<{ ok: boolean }> {
  const a = ctx.actor
  const { row: before, unit } = await loadStation(db, a, id)
  await writableUnit(db, a, before.unit_code)
  const campaign = await pickCampaign(db, a.countyCode, before.campaign_id)
  return inTransaction(db, async (trx) => {
    const roll = await rollForWrite(trx, a, campaign, unit)
    const voters = (await countsOf(trx, a.countyCode, [id])).get(id)?.reduce((n, g) => n + g.voters, 0) ?? 0
    const gone = await trx.deleteFrom('polling_station').where('county_code', '=', a.countyCode).where('id', '=', id).where('version', '=', input.version).returning('id').executeTakeFirst()
    if (!gone) throw versionConflict(`投票点“${before.name}”已被他人修改，请刷新后重试`)
    await recordAudit(trx, ctx, { action: 'voter.station.delete', objectType: 'polling_station', objectId: id, before: auditShape(before), extra: { ...rollMark(roll), voters } })
    return { ok: true }
  })
}

export interface AssignInput {
  version: number
  voterIds?: string[]
  groups?: string[]
}

/**
 * Sets who votes here: the voters named (moved here from another place if need be) and the
 * active voters of the groups named who are not at another place. Everyone else leaves this place.
 */
export async function assignVoters(db: Kysely<DB>, ctx: Ctx, id: string, input: AssignInput) {
  const a = ctx.actor
  const { row: before, unit } = await loadStation(db, a, id)
  await writableUnit(db, a, before.unit_code)
  if (input.voterIds === undefined && input.groups === undefined) throw invalid('请选择在此投票的选民或村民小组', [{ field: 'voterIds', message: '选民和村民小组至少填一项' }])
  const named = [...new Set(input.voterIds ?? [])]
  const groups = [...new Set((input.groups ?? []).map((g) => g.trim()))]
  const campaign = await pickCampaign(db, a.countyCode, before.campaign_id)
  return inTransaction(db, async (trx) => {
    const roll = await rollForWrite(trx, a, campaign, unit)
    const locked = await trx.selectFrom('polling_station').selectAll().where('county_code', '=', a.countyCode).where('id', '=', id).where('version', '=', input.version).forUpdate().executeTakeFirst()
    if (!locked) throw versionConflict(`投票点“${before.name}”已被他人修改，请刷新后重试`)
    const problems: ErrorDetail[] = []
    const found = named.length
      ? await trx
          .selectFrom('voter as v')
          .leftJoin('polling_station_voter as s', (j) => j.onRef('s.county_code', '=', 'v.county_code').onRef('s.voter_id', '=', 'v.id'))
          .select(['v.id', 'v.name', 'v.status', 'v.campaign_id', 'v.unit_code', 's.station_id'])
          .where('v.county_code', '=', a.countyCode)
          .where(sql<boolean>`v.id = any(${named}::bigint[])`)
          .execute()
      : []
    const byId = new Map(found.map((v) => [v.id, v]))
    named.forEach((vid, i) => {
      const v = byId.get(vid)
      if (!v || v.campaign_id !== before.campaign_id || v.unit_code !== before.unit_code) problems.push({ field: `voterIds.${i}`, message: `第 ${i + 1} 名选民不在“${unit.name}”本届的选民名单中` })
      else if (v.status !== 'active') problems.push({ field: `voterIds.${i}`, message: `“${v.name}”已移出选民名单，不能分配投票点` })
    })
    const inGroups = groups.length
      ? await trx
          .selectFrom('voter as v')
          .leftJoin('polling_station_voter as s', (j) => j.onRef('s.county_code', '=', 'v.county_code').onRef('s.voter_id', '=', 'v.id'))
          .select(['v.id', 'v.village_group', 's.station_id'])
          .where('v.county_code', '=', a.countyCode)
          .where('v.campaign_id', '=', before.campaign_id)
          .where('v.unit_code', '=', before.unit_code)
          .where('v.status', '=', 'active')
          .where('v.village_group', 'in', groups)
          .execute()
      : []
    for (const [i, g] of groups.entries()) {
      if (!inGroups.some((v) => v.village_group === g)) problems.push({ field: `groups.${i}`, message: `“${unit.name}”的村民小组“${g}”没有在册选民，请核对小组名称` })
    }
    if (problems.length) throw invalid(problems[0]!.message, problems)
    const wanted = new Set(named)
    let skipped = 0
    for (const v of inGroups) {
      if (v.station_id === null || v.station_id === id) wanted.add(v.id)
      else if (!wanted.has(v.id)) skipped++
    }
    // Named voters at another place are moved here; that place's version moves on too.
    const movedFrom = new Map<string, number>()
    for (const vid of named) {
      const from = byId.get(vid)!.station_id
      if (from !== null && from !== id) movedFrom.set(from, (movedFrom.get(from) ?? 0) + 1)
    }
    const moving = named.filter((vid) => movedFrom.has(byId.get(vid)!.station_id ?? ''))
    if (moving.length) {
      await trx.deleteFrom('polling_station_voter').where('county_code', '=', a.countyCode).where(sql<boolean>`voter_id = any(${moving}::bigint[])`).execute()
      await trx
        .updateTable('polling_station')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
        .where('county_code', '=', a.countyCode)
        .where(sql<boolean>`id = any(${[...movedFrom.keys()]}::bigint[])`)
        .execute()
    }
    const keep = [...wanted]
    const left = await trx
      .deleteFrom('polling_station_voter')
      .where('county_code', '=', a.countyCode)
      .where('station_id', '=', id)
      .where(sql<boolean>`not (voter_id = any(${keep}::bigint[]))`)
      .returning('voter_id')
      .execute()
    const { rows: added } = keep.length
      ? await sql<{ voter_id: string }>`insert into polling_station_voter (county_code, station_id, voter_id)
          select ${a.countyCode}, ${id}::bigint, x from unnest(${keep}::bigint[]) as x
          on conflict do nothing returning voter_id`.execute(trx)
      : { rows: [] }
    const after = (await trx
      .updateTable('polling_station')
      .set({ version: input.version + 1, updated_at: new Date() })
      .where('county_code', '=', a.countyCode)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst())!
    const names = movedFrom.size ? new Map((await trx.selectFrom('polling_station').select(['id', 'name']).where('county_code', '=', a.countyCode).where(sql<boolean>`id = any(${[...movedFrom.keys()]}::bigint[])`).execute()).map((s) => [s.id, s.name])) : new Map<string, string>()
    const moved = [...movedFrom].map(([stationId, voters]) => ({ stationId, name: names.get(stationId) ?? '', voters }))
    await recordAudit(trx, ctx, {
      action: 'voter.station.assign',
      objectType: 'polling_station',
      objectId: id,
      extra: { ...rollMark(roll), voters: keep.length, groups, named: named.length, added: added.length, left: left.length, moved, skipped },
    })
    return { station: toStation(after, unit.name, await countsOf(trx, a.countyCode, [id])), moved, skipped }
  })
}

// ── reads ──

export async function listStations(db: Kysely<DB>, ctx: Ctx, q: { campaign?: string; unitCode?: string; townshipCode?: string }) {
  const a = ctx.actor
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const prefix = await listPrefix(db, a, q.unitCode, q.townshipCode)
  // A prefix as a range of unit codes (a unit's own 12 digits give a range of one).
  const [lo, hi] = [prefix.padEnd(12, '0'), prefix.padEnd(12, '9')]
  let stations = db
    .selectFrom('polling_station as ps')
    .innerJoin('territory as t', (j) => j.onRef('t.county_code', '=', 'ps.county_code').onRef('t.code', '=', 'ps.unit_code'))
    .selectAll('ps')
    .select('t.name as unit_name')
    .where('ps.county_code', '=', a.countyCode)
    .where('ps.campaign_id', '=', campaign.id)
    .where((eb) => eb.between('ps.unit_code', lo, hi))
  if (limitedToAssignedUnits(a)) stations = a.unitCodes.length ? stations.where('ps.unit_code', 'in', a.unitCodes) : stations.where(sql<boolean>`false`)
  // Central place first, then stations, then mobile boxes.
  const rows = await stations.orderBy('ps.unit_code').orderBy(sql`array_position(array['central', 'station', 'mobile'], ps.kind)`).orderBy('ps.name').execute()
  const counts = await countsOf(db, a.countyCode, rows.map((r) => r.id))
  let voters = db
    .selectFrom('voter as v')
    .innerJoin('territory as t', (j) => j.onRef('t.county_code', '=', 'v.county_code').onRef('t.code', '=', 'v.unit_code'))
    .leftJoin('polling_station_voter as s', (j) => j.onRef('s.county_code', '=', 'v.county_code').onRef('s.voter_id', '=', 'v.id'))
    .select(['v.unit_code', 't.name', sql<string>`count(*)`.as('voters'), sql<string>`count(*) filter (where s.station_id is null)`.as('unassigned')])
    .where('v.county_code', '=', a.countyCode)
    .where('v.campaign_id', '=', campaign.id)
    .where('v.status', '=', 'active')
    .where((eb) => eb.between('v.unit_code', lo, hi))
  if (limitedToAssignedUnits(a)) voters = a.unitCodes.length ? voters.where('v.unit_code', 'in', a.unitCodes) : voters.where(sql<boolean>`false`)
  const units = await voters.groupBy(['v.unit_code', 't.name']).orderBy('v.unit_code').execute()
  return {
    campaign: { id: campaign.id, name: campaign.name },
    items: rows.map((r) => toStation(r, r.unit_name, counts)),
    units: units.map((u) => ({ code: u.unit_code, name: u.name, voters: Number(u.voters), unassigned: Number(u.unassigned) })),
  }
}

const genders: Record<string, string> = { '1': '男', '2': '女' }

/** The list of a place's voters for publication (a mobile box's above all), in group and name order. */
export async function stationVotersPdf(db: Kysely<DB>, ctx: Ctx, id: string): Promise<{ data: Buffer; name: string }> {
  const a = ctx.actor
  const { row, unit } = await loadStation(db, a, id)
  const roll = await repo.findRoll(db, a.countyCode, row.campaign_id, row.unit_code)
  const voters = await db
    .selectFrom('polling_station_voter as s')
    .innerJoin('voter as v', (j) => j.onRef('v.county_code', '=', 's.county_code').onRef('v.id', '=', 's.voter_id'))
    .select(['v.name', 'v.gender', 'v.village_group'])
    .where('s.county_code', '=', a.countyCode)
    .where('s.station_id', '=', id)
    .where('v.status', '=', 'active')
    .orderBy('v.village_group')
    .orderBy('v.name_initials')
    .orderBy('v.id')
    .execute()
  const people = unit.kind === 'community' ? '居民' : '村民'
  const title = row.kind === 'mobile' ? '流动票箱投票选民名单' : `${stationKindLabels[row.kind]}投票选民名单`
  const intro =
    row.kind === 'mobile'
      ? `下列 ${voters.length} 名选民因年老体弱、患病或行动不便等原因，经选举委员会同意，使用流动票箱“${row.name}”投票，现予公布。流动票箱由 ${row.monitors} 名监票人负责，投票时当面投入票箱。`
      : `下列 ${voters.length} 名选民在“${row.name}”投票，现予公布。该票箱由 ${row.monitors} 名监票人负责。`
  const blocks: Block[] = [{ kind: 'paragraph', indent: true, text: intro }]
  if (voters.length) {
    blocks.push({ kind: 'table', columns: ['序号', '姓名', '性别', `${people}小组`], widths: [1, 3, 1, 3], rows: voters.map((v, i) => [String(i + 1), v.name, genders[v.gender] ?? '', v.village_group]) })
  }
  blocks.push({ kind: 'paragraph', indent: true, text: '对名单有异议的，请在选举日前向选举委员会反映。' })
  blocks.push({ kind: 'spacer' }, { kind: 'paragraph', align: 'right', text: `${unit.name}${people}选举委员会` }, { kind: 'paragraph', align: 'right', text: chineseDate(todayInChina()) })
  const subtitle = `${unit.name}${roll ? `（选举日：${chineseDate(roll.election_day)}）` : ''}`
  const data = await formPdf({ title, subtitle, blocks })
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'voter.station.export', objectType: 'polling_station', objectId: id, extra: { format: 'pdf', voters: voters.length } }))
  return { data, name: `${unit.name}${row.name}选民名单.pdf` }
}
