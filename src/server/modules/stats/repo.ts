/**
 * The statistics' SQL. Every figure of rule 18 is an aggregate over holdings (post_holding ⋈
 * person), counted in the database so a county's dashboard and a province's roll-up read only
 * sums; rules/composition.summarize counts the same rows in TypeScript and the tests hold the two
 * equal. Ages are full years exactly as rules/age.ageOn counts them (29 February included).
 *
 * Three sets of holdings, all for one campaign year (each county's campaign of that year, whose
 * window is read first: `windows`):
 *  - elected: holdings that began in the window — an announced result's winners begin on the
 *    election day, hand-entered teams on their `since`;
 *  - incumbent: the teams in office when the campaign began;
 *  - team: per unit and body, the elected holdings if the body has any, else today's.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'

type Handle = Kysely<DB> | Transaction<DB>

export interface Region {
  /** One county (the API), or null for a roll-up over every county under `prefix` (CLI, benchmarks). */
  countyCode: string | null
  /** Unit codes start with this: a province '15', a county '150999', a township '150999100', a unit. */
  prefix: string
}

export type HoldingSet = 'elected' | 'incumbent'
export type GroupLevel = 'unit' | 'township' | 'county'
/** 'party' | 'committee' of post_holding, with the unit kinds the statistic covers. */
export interface BodyFilter {
  body: 'party' | 'committee'
  kinds: string[]
}

const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, '')}%`

function countyWhere(alias: string, r: Region): RawBuilder<unknown> {
  return r.countyCode ? sql`${sql.ref(`${alias}.county_code`)} = ${r.countyCode}` : sql`${sql.ref(`${alias}.county_code`)} like ${likePrefix(r.prefix.slice(0, 6))}`
}

/**
 * Full years from birth to ref, as ageOn counts them: the difference of the two dates written as
 * YYYYMMDD numbers, divided by 10000 (a year is complete on the same month and day, so someone born
 * on 29 February is still 34 on 28 February of their 35th year and 35 on 1 March).
 */
export function ageSql(birth: RawBuilder<unknown>, ref: RawBuilder<unknown>): RawBuilder<number> {
  const ymd = (d: RawBuilder<unknown>) => sql`(date_part('year', ${d})::int * 10000 + date_part('month', ${d})::int * 100 + date_part('day', ${d})::int)`
  return sql<number>`((${ymd(ref)} - ${ymd(birth)}) / 10000)`
}

/** The campaign windows of `year` as a CTE, for the election queries (small tables: a join is cheap there). */
function campaignsCte(r: Region, year: number) {
  return sql`camp as (
    select c.county_code, c.starts_on, coalesce(c.ends_on, date '9999-12-31') as ends_on, c.reference_date
    from campaign c where ${countyWhere('c', r)} and c.year = ${year}
  )`
}

export interface Window {
  county_code: string
  starts_on: string
  ends_on: string | null
  reference_date: string | null
}

/** Each county's campaign of `year` in the region: read first, so the holdings' queries need no join. */
export async function windows(db: Handle, r: Region, year: number): Promise<Window[]> {
  return db
    .selectFrom('campaign')
    .select(['county_code', 'starts_on', 'ends_on', 'reference_date'])
    .where(countyWhere('campaign', r) as RawBuilder<boolean>)
    .where('year', '=', year)
    .execute()
}

/**
 * A condition per campaign window, over the counties that share it (a province usually sets one
 * schedule, so a roll-up has one or a few groups; a county always has one).
 */
function perWindow(alias: string, ws: Window[], cond: (w: Window) => RawBuilder<unknown>): RawBuilder<boolean> {
  const groups = new Map<string, { w: Window; counties: string[] }>()
  for (const w of ws) {
    const key = `${w.starts_on}|${w.ends_on}|${w.reference_date}`
    const g = groups.get(key) ?? { w, counties: [] }
    g.counties.push(w.county_code)
    groups.set(key, g)
  }
  if (!groups.size) return sql<boolean>`false`
  return sql<boolean>`(${sql.join(
    [...groups.values()].map((g) => sql`(${sql.ref(`${alias}.county_code`)} in (${sql.join(g.counties)}) and ${cond(g.w)})`),
    sql` or `,
  )})`
}

/** A per-window value (a date) as SQL: a literal when every window agrees, else a CASE on the county. */
function perWindowDate(alias: string, ws: Window[], value: (w: Window) => string | null, fallback: RawBuilder<unknown>): RawBuilder<unknown> {
  const values = [...new Set(ws.map(value))]
  if (values.length <= 1) return values[0] ? sql`${values[0]}::date` : fallback
  return sql`coalesce(case ${sql.join(
    ws.map((w) => sql`when ${sql.ref(`${alias}.county_code`)} = ${w.county_code} then ${value(w)}::date`),
    sql` `,
  )} end, ${fallback})`
}

const endOf = (w: Window) => w.ends_on ?? '9999-12-31'

/**
 * The holdings a campaign produced: those that began in its window. An announced result's winners
 * begin on the election day (election/teams.ts), hand-entered teams on their `since`; so the
 * window on `since` covers both without joining results and elections, and `since` is the unit's
 * election day the age is counted on unless the campaign fixes a reference date.
 */
export function electedWhere(alias: string, ws: Window[]): RawBuilder<boolean> {
  const h = (c: string) => sql.ref(`${alias}.${c}`)
  return perWindow(alias, ws, (w) => sql`${h('since')} between ${w.starts_on}::date and ${endOf(w)}::date`)
}

/** The teams in office when the campaign began. */
export function incumbentWhere(alias: string, ws: Window[]): RawBuilder<boolean> {
  const h = (c: string) => sql.ref(`${alias}.${c}`)
  return perWindow(alias, ws, (w) => sql`(${h('since')} is null or ${h('since')} < ${w.starts_on}::date) and (${h('ended_on')} is null or ${h('ended_on')} >= ${w.starts_on}::date)`)
}

/**
 * Holdings of the sets asked for, with the person's fields and their age on the day it is counted
 * (computed once per row: the CTE is materialized so the aggregates below do not recompute it).
 */
function holdingsCte(r: Region, ws: Window[], sets: HoldingSet[], body?: BodyFilter) {
  const only = body ? sql`and h.body = ${body.body} and ${kindWhere('h.unit_code', body.kinds)}` : sql``
  const parts = sets.map((set) => {
    const ref =
      set === 'incumbent'
        ? perWindowDate('h', ws, (w) => w.reference_date ?? w.starts_on, sql`current_date`)
        : perWindowDate('h', ws, (w) => w.reference_date, sql`h.since`)
    return sql`select ${set} as set, h.county_code, h.unit_code, h.body, h.post, h.person_id, p.gender, p.birth_date, p.education, p.political_status, ${ref} as ref
      from post_holding h
      join person p on p.county_code = h.county_code and p.id = h.person_id
      where ${countyWhere('h', r)} and h.unit_code like ${likePrefix(r.prefix)} and ${set === 'incumbent' ? incumbentWhere('h', ws) : electedWhere('h', ws)} ${only}`
  })
  return sql`hs0 as (${sql.join(parts, sql` union all `)}),
    hs as materialized (select hs0.*, ${ageSql(sql`hs0.birth_date`, sql`hs0.ref`)} as age from hs0)`
}

/**
 * Units of the kinds asked for, read from the code: a 统计用区划代码's village digits (10–12) are
 * 001–199 or 400–499 for a 居委会 (community) and 200–399 or 500–599 for a 村委会 (rules/division
 * enforces this on every unit), so no join with territory is needed.
 */
function kindWhere(column: string, kinds: string[]): RawBuilder<boolean> {
  const community = kinds.includes('community')
  const village = kinds.includes('village') || kinds.includes('gacha')
  if (community && village) return sql<boolean>`true`
  const digit = sql`substr(${sql.ref(column)}, 10, 1)`
  return community ? sql<boolean>`${digit} in ('0', '1', '4')` : sql<boolean>`${digit} in ('2', '3', '5')`
}

function groupKey(level: GroupLevel): RawBuilder<string> {
  if (level === 'county') return sql<string>`hs.county_code`
  if (level === 'township') return sql<string>`substr(hs.unit_code, 1, 9)`
  return sql<string>`hs.unit_code`
}

export interface FigureRow {
  set: HoldingSet
  key: string
  members: number
  women: number
  heads: number
  women_heads: number
  under35: number
  college: number
  party_members: number
  age_sum: number
  b35: number
  b45: number
  b55: number
  b60: number
  e_grad: number
  e_bachelor: number
  e_college: number
  e_vocational: number
  e_high: number
  e_middle: number
  e_primary: number
}

/** Rule 18's figures per set and unit (or township, or county), for one body and the unit kinds it covers. */
export async function figures(db: Handle, r: Region, ws: Window[], sets: HoldingSet[], body: BodyFilter, level: GroupLevel, youthAge: number): Promise<FigureRow[]> {
  const young = sql`hs.age < ${youthAge}`
  const head = sql`hs.post in ('secretary', 'chair')`
  const key = groupKey(level)
  const { rows } = await sql<Record<keyof FigureRow, string | number>>`
    with ${holdingsCte(r, ws, sets, body)}
    select hs.set, ${key} as key,
      count(*)::int as members,
      (count(*) filter (where hs.gender = '2'))::int as women,
      (count(*) filter (where ${head}))::int as heads,
      (count(*) filter (where ${head} and hs.gender = '2'))::int as women_heads,
      (count(*) filter (where ${young}))::int as under35,
      (count(*) filter (where hs.education between '11' and '33'))::int as college,
      (count(*) filter (where hs.political_status in ('01', '02')))::int as party_members,
      coalesce(sum(hs.age), 0)::int as age_sum,
      (count(*) filter (where not ${young} and hs.age < 45))::int as b35,
      (count(*) filter (where not ${young} and hs.age >= 45 and hs.age < 55))::int as b45,
      (count(*) filter (where not ${young} and hs.age >= 55 and hs.age < 60))::int as b55,
      (count(*) filter (where not ${young} and hs.age >= 60))::int as b60,
      (count(*) filter (where hs.education between '11' and '19'))::int as e_grad,
      (count(*) filter (where hs.education between '21' and '28'))::int as e_bachelor,
      (count(*) filter (where hs.education between '31' and '33'))::int as e_college,
      (count(*) filter (where hs.education between '41' and '49'))::int as e_vocational,
      (count(*) filter (where hs.education between '61' and '63'))::int as e_high,
      (count(*) filter (where hs.education between '71' and '73'))::int as e_middle,
      (count(*) filter (where not (hs.education between '11' and '73') or hs.education between '50' and '60' or hs.education between '64' and '70'))::int as e_primary
    from hs
    group by 1, 2`.execute(db)
  return rows.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, k === 'key' || k === 'set' ? String(v) : Number(v)])) as unknown as FigureRow)
}

export interface CrossRow {
  key: string
  /** Units whose secretary and chair are both known, and of those, the ones where they are one person. */
  units_with_both_heads: number
  one_shoulder: number
  /** People on the two committees, and those on both. */
  people: number
  both: number
}

/**
 * 一肩挑 and 交叉任职 over each unit's two committees: the round's ('team': elected holdings per body
 * where there are any, else today's), or those in office when it began ('incumbent').
 */
export async function crossFigures(db: Handle, r: Region, ws: Window[], kinds: string[], level: GroupLevel, which: 'team' | 'incumbent' = 'team'): Promise<CrossRow[]> {
  const key = groupKey(level)
  const team =
    which === 'incumbent'
      ? sql`select county_code, unit_code, body, post, person_id from hs`
      : sql`select county_code, unit_code, body, post, person_id from hs
        union all
        select h.county_code, h.unit_code, h.body, h.post, h.person_id from post_holding h
        where ${countyWhere('h', r)} and h.unit_code like ${likePrefix(r.prefix)} and h.ended_on is null
          and not exists (select 1 from hs x where x.county_code = h.county_code and x.unit_code = h.unit_code and x.body = h.body)`
  const { rows } = await sql<Omit<CrossRow, 'both'> & { in_both: number }>`
    with ${holdingsCte(r, ws, [which === 'incumbent' ? 'incumbent' : 'elected'])},
    team as (${team}),
    pu as (
      select county_code, unit_code, person_id,
        bool_or(body = 'party') as in_party, bool_or(body = 'committee') as in_committee,
        bool_or(body = 'party' and post = 'secretary') as secretary, bool_or(body = 'committee' and post = 'chair') as chair
      from team group by 1, 2, 3
    ),
    hs2 as (
      select pu.county_code, pu.unit_code, count(*) as people, count(*) filter (where in_party and in_committee) as in_both,
        bool_or(secretary and chair) as one, bool_or(secretary) and bool_or(chair) as two_heads
      from pu
      where ${kindWhere('pu.unit_code', kinds)}
      group by 1, 2
    )
    select ${key} as key,
      (count(*) filter (where two_heads))::int as units_with_both_heads,
      (count(*) filter (where one))::int as one_shoulder,
      coalesce(sum(people), 0)::int as people,
      coalesce(sum(in_both), 0)::int as in_both
    from hs2 hs group by 1`.execute(db)
  return rows.map((x) => ({ key: String(x.key), units_with_both_heads: Number(x.units_with_both_heads), one_shoulder: Number(x.one_shoulder), people: Number(x.people), both: Number(x.in_both) }))
}

export interface UnitRow {
  county_code: string
  code: string
  name: string
  kind: string
  parent_code: string | null
  sort: number
  minority_ethnicity: string | null
}

export async function unitsIn(db: Handle, r: Region): Promise<UnitRow[]> {
  return db
    .selectFrom('territory')
    .select(['county_code', 'code', 'name', 'kind', 'parent_code', 'sort', 'minority_ethnicity'])
    .where(countyWhere('territory', r) as RawBuilder<boolean>)
    .where('code', 'like', likePrefix(r.prefix))
    .where('level', '=', 'unit')
    .where('status', '=', 'active')
    .orderBy('county_code')
    .orderBy('sort')
    .orderBy('code')
    .execute()
}

/** Reserve cadres (后备干部) registered per unit: the pool the 选情 analysis weighs against each team. */
export async function reserveCounts(db: Handle, r: Region): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('person')
    .select(['unit_code', sql<number>`count(*)::int`.as('n')])
    .where(countyWhere('person', r) as RawBuilder<boolean>)
    .where('unit_code', 'like', likePrefix(r.prefix))
    .where('reserve_cadre', '=', true)
    .groupBy('unit_code')
    .execute()
  return new Map(rows.map((x) => [x.unit_code, Number(x.n)]))
}

export interface ElectionSpanRow {
  unit_code: string
  body: string
  elections: number
  pending: number
  first_on: string | null
  last_on: string | null
  /** 应到会 of the latest first-round Party committee election: the branch's full members. */
  entitled: number | null
}

/** Per unit and election body: the campaign's elections, how many still lack an announced result, and their dates. */
export async function electionSpans(db: Handle, r: Region, year: number): Promise<ElectionSpanRow[]> {
  const { rows } = await sql<ElectionSpanRow>`
    with ${campaignsCte(r, year)}
    select e.unit_code, e.body, count(*)::int as elections,
      (count(*) filter (where not exists (select 1 from tally_result tr where tr.county_code = e.county_code and tr.election_id = e.id and tr.state = 'announced')))::int as pending,
      to_char(min(e.held_on), 'YYYY-MM-DD') as first_on, to_char(max(e.held_on), 'YYYY-MM-DD') as last_on,
      (array_agg(e.entitled order by e.held_on desc) filter (where e.round = 'first'))[1] as entitled
    from election e join camp on camp.county_code = e.county_code
    where ${countyWhere('e', r)} and e.unit_code like ${likePrefix(r.prefix)} and e.held_on between camp.starts_on and camp.ends_on
    group by e.unit_code, e.body`.execute(db)
  return rows.map((x) => ({ ...x, elections: Number(x.elections), pending: Number(x.pending), entitled: x.entitled === null ? null : Number(x.entitled) }))
}

export interface MemberRow {
  unit_code: string
  body: 'party' | 'committee'
  post: string
  person_id: string
  name: string
  gender: '1' | '2'
  birth_date: string
  education: string
  ethnicity: string
  political_status: string
  ref: string | null
  /** Held the same body's post when the campaign began (for the age cap on new members). */
  incumbent: boolean
}

/**
 * Members of each unit's teams, person by person, for the composition checks: today's teams
 * ('current'), or the campaign's (elected where there are any, else today's: 'team').
 */
export async function members(db: Handle, r: Region, ws: Window[], which: 'current' | 'team'): Promise<MemberRow[]> {
  const pick =
    which === 'current'
      ? sql`select h.county_code, h.unit_code, h.body, h.post, h.person_id, null::date as ref from post_holding h
            where ${countyWhere('h', r)} and h.unit_code like ${likePrefix(r.prefix)} and h.ended_on is null`
      : sql`select county_code, unit_code, body, post, person_id, ref from hs
            union all
            select h.county_code, h.unit_code, h.body, h.post, h.person_id, null::date from post_holding h
            where ${countyWhere('h', r)} and h.unit_code like ${likePrefix(r.prefix)} and h.ended_on is null
              and not exists (select 1 from hs x where x.county_code = h.county_code and x.unit_code = h.unit_code and x.body = h.body)`
  const { rows } = await sql<MemberRow>`
    with ${holdingsCte(r, ws, ['elected'])}, picked as (${pick})
    select picked.unit_code, picked.body, picked.post, picked.person_id::text as person_id, p.name, p.gender,
      to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.education, p.ethnicity, p.political_status, to_char(picked.ref, 'YYYY-MM-DD') as ref,
      exists (select 1 from post_holding o
              where o.county_code = picked.county_code and o.unit_code = picked.unit_code and o.person_id = p.id and o.body = picked.body
                and ${incumbentWhere('o', ws)}) as incumbent
    from picked join person p on p.county_code = picked.county_code and p.id = picked.person_id
    order by picked.unit_code, picked.body, picked.post, p.name`.execute(db)
  return rows
}

export interface SlateRow {
  unit_code: string
  body: 'party' | 'committee'
  source: 'election' | 'nominee'
  post: string
  person_id: string | null
  name: string
  gender: '1' | '2'
  birth_date: string | null
  education: string | null
  ethnicity: string | null
  political_status: string | null
}

/**
 * The slate before the vote: candidates of the campaign's first-round elections, and for units
 * without one, the nominees the joint review has cleared (qualified, in notice, candidate).
 */
export async function slate(db: Handle, r: Region, year: number): Promise<{ people: SlateRow[]; seats: { unit_code: string; body: string; seats: number; woman_seat: boolean; candidates: number }[] }> {
  const { rows: seats } = await sql<{ unit_code: string; body: string; seats: number; woman_seat: boolean; candidates: number }>`
    with ${campaignsCte(r, year)}
    select e.unit_code, e.body, sum(ep.seats)::int as seats, bool_or(ep.post = 'woman_member') as woman_seat,
      (select count(*) from election_candidate c where c.county_code = e.county_code and c.election_id = e.id)::int as candidates
    from election e join camp on camp.county_code = e.county_code
    join election_post ep on ep.county_code = e.county_code and ep.election_id = e.id
    where ${countyWhere('e', r)} and e.unit_code like ${likePrefix(r.prefix)} and e.held_on between camp.starts_on and camp.ends_on
      and e.round = 'first' and e.body <> 'party_secretary'
    group by e.county_code, e.unit_code, e.body, e.id`.execute(db)
  const { rows: people } = await sql<SlateRow>`
    with ${campaignsCte(r, year)}
    select e.unit_code, case when e.body = 'party_committee' then 'party' else 'committee' end as body, 'election' as source,
      coalesce(n.post, case c.post when 'director' then 'chair' when 'deputy_director' then 'vice_chair' else c.post end) as post,
      c.person_id::text as person_id, coalesce(p.name, c.name) as name, coalesce(p.gender, case c.gender when 'female' then '2' else '1' end) as gender,
      to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.education, p.ethnicity, p.political_status
    from election e join camp on camp.county_code = e.county_code
    join election_candidate c on c.county_code = e.county_code and c.election_id = e.id
    left join person p on p.county_code = c.county_code and p.id = c.person_id
    left join lateral (select n.post from nominee n where n.county_code = e.county_code and n.person_id = c.person_id and n.unit_code = e.unit_code
                         and n.body = case when e.body = 'party_committee' then 'party' else 'committee' end
                         and n.state in ('qualified', 'in_notice', 'candidate') order by n.id desc limit 1) n on true
    where ${countyWhere('e', r)} and e.unit_code like ${likePrefix(r.prefix)} and e.held_on between camp.starts_on and camp.ends_on
      and e.round = 'first' and e.body <> 'party_secretary'
    union all
    select n.unit_code, n.body, 'nominee', n.post, n.person_id::text, p.name, p.gender, to_char(p.birth_date, 'YYYY-MM-DD'), p.education, p.ethnicity, p.political_status
    from nominee n join camp on camp.county_code = n.county_code
    join person p on p.county_code = n.county_code and p.id = n.person_id
    where ${countyWhere('n', r)} and n.unit_code like ${likePrefix(r.prefix)} and n.state in ('qualified', 'in_notice', 'candidate')
      and n.created_at::date >= camp.starts_on
      and not exists (select 1 from election e where e.county_code = n.county_code and e.unit_code = n.unit_code and e.round = 'first'
                        and e.held_on between camp.starts_on and camp.ends_on
                        and (case when e.body = 'party_committee' then 'party' when e.body = 'party_secretary' then 'secretary' else 'committee' end) = n.body)
    order by 1, 2, 5`.execute(db)
  return { people, seats: seats.map((s) => ({ ...s, seats: Number(s.seats), candidates: Number(s.candidates) })) }
}

/** The county's composition rule set row (its overrides of the defaults), if it has one. */
export async function getRuleSet(db: Handle, countyCode: string) {
  return db.selectFrom('composition_rule_set').selectAll().where('county_code', '=', countyCode).executeTakeFirst()
}

/** Writes the overrides, locking the row first so two admins' saves cannot interleave. */
export async function saveRuleSet(trx: Transaction<DB>, countyCode: string, overrides: Record<string, unknown>, by: string) {
  const before = await trx.selectFrom('composition_rule_set').selectAll().where('county_code', '=', countyCode).forUpdate().executeTakeFirst()
  const params = JSON.stringify(overrides)
  if (before) await trx.updateTable('composition_rule_set').set({ params, updated_by: by, updated_at: new Date(), version: before.version + 1 }).where('county_code', '=', countyCode).execute()
  else await trx.insertInto('composition_rule_set').values({ county_code: countyCode, params, updated_by: by }).execute()
  return before
}

/** A unit's registered reserve cadres (后备干部). */
export async function reserveCadresOf(db: Handle, countyCode: string, unitCode: string) {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'gender', 'birth_date', 'education', 'political_status'])
    .where('county_code', '=', countyCode)
    .where('unit_code', '=', unitCode)
    .where('reserve_cadre', '=', true)
    .orderBy('name')
    .execute()
}

/** Names of the counties and townships under a code prefix, by code (a roll-up's row labels). */
export async function areaNames(db: Handle, prefix: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('territory').select(['code', 'name']).where('level', 'in', ['county', 'township']).where('code', 'like', likePrefix(prefix)).execute()
  return new Map(rows.map((t) => [t.code, t.name]))
}
