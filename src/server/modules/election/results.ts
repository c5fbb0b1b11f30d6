/**
 * A count's life (quality.md §3.3): draft → entered (user A) → confirmed (user B ≠ A, against the
 * scan or by blind double entry) → announced (locked: the database refuses any change). A
 * correction is a new count naming the old one, entered and confirmed again by two people.
 */
import { createHash } from 'node:crypto'
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, ruleViolation, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory } from '../../scope.ts'
import { checkInput, isPartyBody, partyCandidatesNeeded, postLabels, tally, TallyInputError } from '../../../rules/tally/index.ts'
import { aggregateBallots } from '../../../rules/tally/count.ts'
import { compareSheets, hardProblems, reconcile, type Problem, type Sheet } from '../../../rules/tally/reconcile.ts'
import type { Ballot, TallyPost, TallyResult } from '../../../rules/tally/types.ts'
import { compareByStrokes } from '../../../rules/strokes/index.ts'
import { canonicalJson } from '../audit/hash.ts'
import { recordAudit } from '../audit/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import type { ElectionListRow, ResultRow } from './repo.ts'
import { assertWriter, currentAnnounced, effectiveRules, loadElection, writerRoles } from './service.ts'
import { feedTeams, type Link } from './teams.ts'
import type { ResultState, TallyResultTable } from './table.ts'

export const stateLabels: Record<ResultState, string> = { draft: '录入中', entered: '已录入待核对', confirmed: '已核对待公布', announced: '已公布（已锁定）' }

const isWriterRole = (a: Actor) => (writerRoles as readonly string[]).includes(a.role)

/** A second person who may still confirm blind must not see the first entry's figures. */
function hiddenFrom(r: ResultRow, a: Actor): boolean {
  return (r.state === 'draft' || r.state === 'entered') && isWriterRole(a) && r.entered_by !== a.userId && !r.seen_by.includes(a.userId)
}

export function toResult(r: ResultRow, a: Actor) {
  const hidden = hiddenFrom(r, a)
  const outcome = r.outcome as TallyResult | null
  return {
    id: r.id,
    electionId: r.election_id,
    mode: r.mode,
    state: r.state,
    stateLabel: stateLabels[r.state],
    correctsId: r.corrects_id,
    correctedById: r.corrected_by_id ?? null,
    correctionReason: r.correction_reason,
    correctionBasis: r.correction_basis,
    sheet: hidden ? null : r.sheet,
    hidden,
    ballotCount: Number(r.ballot_count ?? 0),
    outcome: hidden ? null : outcome,
    problems: [] as Problem[],
    discrepancyNote: r.discrepancy_note,
    returnReason: r.return_note,
    enteredBy: r.entered_by_name,
    enteredByMe: r.entered_by === a.userId,
    enteredAt: r.entered_at?.toISOString() ?? null,
    confirmMode: r.confirm_mode,
    confirmedBy: r.confirmed_by_name,
    confirmedAt: r.confirmed_at?.toISOString() ?? null,
    scan: r.scan_sha256 ? { name: r.scan_name ?? '计票单', type: r.scan_type ?? '', sha256: r.scan_sha256 } : null,
    announcedAt: r.announced_at?.toISOString() ?? null,
    fingerprint: r.fingerprint,
    chainHead: r.chain_head,
    canEnterBlind: r.state === 'entered' && isWriterRole(a) && r.entered_by !== a.userId && !r.seen_by.includes(a.userId),
    version: r.version,
  }
}

interface Loaded {
  result: ResultRow
  election: ElectionListRow
}

async function load(db: Kysely<DB> | Transaction<DB>, actor: Actor, id: string): Promise<Loaded> {
  const result = actor.role === 'reviewer' ? undefined : await repo.findResult(db, actor.countyCode, id)
  if (!result) throw notFound('计票记录不存在，或不在您的管辖范围内')
  const election = await repo.findElection(db, actor.countyCode, result.election_id)
  if (!election || !canSeeTerritory(actor, election.unit_code)) throw notFound('计票记录不存在，或不在您的管辖范围内')
  return { result, election }
}

async function materials(db: Kysely<DB> | Transaction<DB>, e: ElectionListRow) {
  const c = e.county_code
  const [posts, cands, stations, rules] = await Promise.all([repo.postsOf(db, c, [e.id]), repo.candidatesOf(db, c, [e.id]), repo.stationsOf(db, c, e.id), effectiveRules(db, c, e.rules)])
  return { posts, cands, stations, rules }
}
type Materials = Awaited<ReturnType<typeof materials>>

function engineInput(e: ElectionListRow, m: Materials, sheet: Sheet, ballots: Ballot[] | null) {
  return {
    body: e.body,
    round: e.round,
    ...(e.revote_of ? { revoteOf: e.revote_of } : {}),
    rules: m.rules,
    entitled: e.entitled,
    ...(e.present !== null ? { present: e.present } : {}),
    ballotsIssued: sheet.issued,
    posts: m.posts.map((p) => ({ post: p.post, seats: p.seats })),
    candidates: m.cands.map((c) => ({ id: c.id, name: c.name, gender: c.gender, post: c.post })),
    ...(ballots
      ? { ballots }
      : { totals: { validBallots: sheet.validBallots, voidBallots: sheet.voidBallots, candidates: sheet.candidates, writeIns: sheet.writeIns } }),
  }
}

/**
 * The figures as the engine and the reconciliation see them. Ballot-by-ballot: the candidate
 * figures come from the ballots, so the sheet is completed from them before anything is checked.
 */
function evaluate(e: ElectionListRow, m: Materials, stored: Sheet, ballots: Ballot[] | null) {
  let sheet = stored
  const problems: Problem[] = []
  let outcome: TallyResult | null = null
  const raw = engineInput(e, m, sheet, ballots)
  try {
    if (ballots) {
      const agg = aggregateBallots(checkInput(raw))
      sheet = {
        ...sheet,
        validBallots: agg.validBallots,
        voidBallots: agg.voidBallots,
        candidates: Object.fromEntries(agg.lines.filter((l) => l.candidateId).map((l) => [l.candidateId!, { approve: l.approve, disapprove: l.disapprove, abstain: l.abstain }])),
        writeIns: agg.lines.filter((l) => !l.candidateId).map((l) => ({ name: l.name, post: l.post, approve: l.approve })),
      }
    }
    outcome = tally(raw)
  } catch (err) {
    if (!(err instanceof TallyInputError)) throw err
    // R3 is reported by the reconciliation below, in the sheet's words.
    if (err.field !== 'ballotsIssued') problems.push({ rule: 'R4' as Problem['rule'], field: err.field, message: err.message })
  }
  const stationNames = Object.fromEntries(m.stations.map((s) => [s.id, s.name]))
  problems.unshift(...reconcile(sheet, { party: isPartyBody(e.body), entitled: e.entitled, present: e.present, ballotsEntered: ballots ? ballots.length : undefined, stationNames }))
  return { sheet, problems, outcome }
}

const emptySheet = (m: Materials): Sheet => ({
  printed: 0,
  issued: 0,
  returned: 0,
  spoiled: 0,
  unused: 0,
  stations: m.stations.map((s) => ({ stationId: s.id, printed: 0, issued: 0, returned: 0, spoiled: 0, unused: 0 })),
  validBallots: 0,
  voidBallots: 0,
  candidates: Object.fromEntries(m.cands.map((c) => [c.id, { approve: 0, disapprove: 0, abstain: 0 }])),
  writeIns: [],
})

async function ballotsFor(db: Kysely<DB> | Transaction<DB>, r: ResultRow): Promise<Ballot[] | null> {
  if (r.mode !== 'ballots') return null
  return (await repo.ballotsOf(db, r.county_code, r.id)).map((b) => b.ballot as Ballot)
}

export async function getResult(db: Kysely<DB>, ctx: Ctx, id: string, reveal = false) {
  let { result, election } = await load(db, ctx.actor, id)
  const a = ctx.actor
  if (reveal && hiddenFrom(result, a)) {
    if (result.state !== 'entered') throw conflict('计票结果尚未提交，暂不能查看')
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('tally_result').set({ seen_by: [...result.seen_by, a.userId] }).where('county_code', '=', a.countyCode).where('id', '=', id).where('state', '=', 'entered').execute()
      await recordAudit(trx, ctx, { action: 'tally.reveal', objectType: 'tally_result', objectId: id })
    })
    ;({ result, election } = await load(db, a, id))
  }
  const out = toResult(result, a)
  if (!out.hidden && result.state === 'draft') {
    // A draft shows its checks live; later states show what was checked at submission.
    const m = await materials(db, election)
    const ev = evaluate(election, m, result.sheet, await ballotsFor(db, result))
    return { ...out, sheet: ev.sheet, problems: ev.problems, outcome: ev.outcome }
  }
  return out
}

/** A new count in draft, entered by the signed-in user; everything later in its life still empty. */
async function insertDraft(trx: Transaction<DB>, ctx: Ctx, f: Pick<Insertable<TallyResultTable>, 'election_id' | 'corrects_id' | 'correction_reason' | 'correction_basis' | 'mode' | 'sheet'>) {
  const { id } = await repo.insertResult(trx, {
    ...f,
    county_code: ctx.actor.countyCode,
    state: 'draft',
    outcome: null,
    discrepancy_note: null,
    entered_by: ctx.actor.userId,
    entered_by_name: ctx.actor.displayName,
    entered_at: null,
    scan: null,
    scan_name: null,
    scan_type: null,
    scan_sha256: null,
    confirm_mode: null,
    confirmed_by: null,
    confirmed_by_name: null,
    confirmed_at: null,
    announced_by: null,
    announced_at: null,
    fingerprint: null,
    chain_head: null,
  })
  return id
}

export async function startCount(db: Kysely<DB>, ctx: Ctx, electionId: string, mode: 'ballots' | 'totals') {
  const e = await loadElection(db, ctx.actor, electionId)
  assertWriter(ctx.actor, e.unit_code)
  // Votes are counted on the day: a count dated in the future is a mistake in the date.
  if (e.held_on > todayInChina()) throw conflict(`选举日期为 ${e.held_on}，尚未到选举日，不能开始计票；如日期有误请先修改`)
  const m = await materials(db, e)
  if (!m.cands.length) throw conflict('请先确定候选人名单再开始计票')
  const existing = await repo.resultsOf(db, ctx.actor.countyCode, [electionId])
  if (existing.some((r) => r.state !== 'announced')) throw conflict('本次选举已有一份未公布的计票记录，请在其中继续')
  if (currentAnnounced(existing).length) throw conflict('本次选举的结果已公布；如需更正，请在已公布的结果上办理“更正”')
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertDraft(trx, ctx, { election_id: electionId, corrects_id: null, correction_reason: null, correction_basis: null, mode, sheet: JSON.stringify(emptySheet(m)) })
    await recordAudit(trx, ctx, { action: 'tally.start', objectType: 'tally_result', objectId: id, after: { election_id: electionId, mode } })
    return id
  })
  return getResult(db, ctx, id)
}

function assertEnterer(l: Loaded, a: Actor) {
  assertWriter(a, l.election.unit_code)
  if (l.result.state !== 'draft') throw conflict(`计票记录当前为“${stateLabels[l.result.state]}”，不能修改；如需修改请先退回`)
  if (l.result.entered_by !== a.userId) throw forbidden(`这份计票记录由${l.result.entered_by_name}录入，只有录入人可以修改`)
}

export async function saveSheet(db: Kysely<DB>, ctx: Ctx, id: string, version: number, sheet: Sheet) {
  const l = await load(db, ctx.actor, id)
  assertEnterer(l, ctx.actor)
  const m = await materials(db, l.election)
  const known = new Set(m.stations.map((s) => s.id))
  const unknown = sheet.stations.find((s) => !known.has(s.stationId))
  if (unknown) throw invalid(`投票点编号 ${unknown.stationId} 不属于本次选举`)
  for (const cid of Object.keys(sheet.candidates)) if (!m.cands.some((c) => c.id === cid)) throw invalid(`候选人编号 ${cid} 不属于本次选举`)
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateResult(trx, ctx.actor.countyCode, id, version, 'draft', { sheet: JSON.stringify(sheet) }))) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'tally.sheet', objectType: 'tally_result', objectId: id, after: sheet })
  })
  return getResult(db, ctx, id)
}

export async function listBallots(db: Kysely<DB>, ctx: Ctx, id: string) {
  const l = await load(db, ctx.actor, id)
  if (hiddenFrom(l.result, ctx.actor)) throw forbidden('核对人在背对背录入前不能查看第一次录入的选票')
  return { items: (await repo.ballotsOf(db, ctx.actor.countyCode, id)).map((b) => ({ seq: b.seq, ballot: b.ballot as Ballot })) }
}

export async function addBallots(db: Kysely<DB>, ctx: Ctx, id: string, ballots: Ballot[]) {
  const l = await load(db, ctx.actor, id)
  assertEnterer(l, ctx.actor)
  if (l.result.mode !== 'ballots') throw conflict('这份计票记录按计票单合计录入，不逐张录入选票')
  const m = await materials(db, l.election)
  // Each ballot must be one the engine can read (with nothing issued yet, R3 cannot get in the way);
  // whether it is void is the engine's judgement.
  try {
    checkInput(engineInput(l.election, m, { ...l.result.sheet, issued: 0 }, ballots))
  } catch (err) {
    if (!(err instanceof TallyInputError)) throw err
    throw invalid(err.message.replace(/ballots\[(\d+)\]/g, (_, i: string) => `第 ${Number(i) + 1} 张选票`))
  }
  const count = await db.transaction().execute(async (trx) => {
    const locked = await repo.lockResult(trx, ctx.actor.countyCode, id)
    if (locked?.state !== 'draft') throw conflict('计票记录已提交，不能再录入选票')
    const n = await repo.appendBallots(trx, ctx.actor.countyCode, id, ballots)
    await recordAudit(trx, ctx, { action: 'tally.ballots', objectType: 'tally_result', objectId: id, extra: { added: ballots.length, total: n } })
    return n
  })
  return { count }
}

export async function undoBallot(db: Kysely<DB>, ctx: Ctx, id: string) {
  const l = await load(db, ctx.actor, id)
  assertEnterer(l, ctx.actor)
  return db.transaction().execute(async (trx) => {
    const locked = await repo.lockResult(trx, ctx.actor.countyCode, id)
    if (locked?.state !== 'draft') throw conflict('计票记录已提交，不能再撤销选票')
    const seq = await repo.deleteLastBallot(trx, ctx.actor.countyCode, id)
    if (seq === null) throw conflict('还没有录入选票')
    await recordAudit(trx, ctx, { action: 'tally.ballot.undo', objectType: 'tally_result', objectId: id, extra: { seq } })
    return { count: seq - 1 }
  })
}

export async function submit(db: Kysely<DB>, ctx: Ctx, id: string, version: number, discrepancyNote?: string) {
  const l = await load(db, ctx.actor, id)
  assertEnterer(l, ctx.actor)
  const m = await materials(db, l.election)
  const ev = evaluate(l.election, m, l.result.sheet, await ballotsFor(db, l.result))
  const hard = hardProblems(ev.problems)
  const r6 = ev.problems.filter((p) => p.rule === 'R6')
  if (hard.length || !ev.outcome) {
    throw ruleViolation(`计票数字有 ${hard.length || ev.problems.length} 处不符，请核对后再提交`, (hard.length ? hard : ev.problems).map((p) => ({ field: p.field, message: `${p.rule}：${p.message}` })))
  }
  if (r6.length && !discrepancyNote?.trim()) {
    throw ruleViolation('选票数量不平衡：须写明情况说明，由核对人签认后才能提交', r6.map((p) => ({ field: p.field, message: `R6：${p.message}` })))
  }
  await db.transaction().execute(async (trx) => {
    const ok = await repo.updateResult(trx, ctx.actor.countyCode, id, version, 'draft', {
      state: 'entered',
      sheet: JSON.stringify(ev.sheet),
      outcome: JSON.stringify(ev.outcome),
      discrepancy_note: r6.length ? discrepancyNote!.trim() : null,
      return_note: null,
      entered_at: new Date(),
      seen_by: [],
    })
    if (!ok) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'tally.submit', objectType: 'tally_result', objectId: id, after: { sheet: ev.sheet, elected: ev.outcome!.elected, next: ev.outcome!.next, discrepancy_note: r6.length ? discrepancyNote : undefined } })
  })
  return getResult(db, ctx, id)
}

export async function sendBack(db: Kysely<DB>, ctx: Ctx, id: string, version: number, reason: string) {
  const l = await load(db, ctx.actor, id)
  assertWriter(ctx.actor, l.election.unit_code)
  if (l.result.state !== 'entered' && l.result.state !== 'confirmed') throw conflict(`计票记录当前为“${stateLabels[l.result.state]}”，不能退回`)
  await db.transaction().execute(async (trx) => {
    const ok = await repo.updateResult(trx, ctx.actor.countyCode, id, version, l.result.state, {
      state: 'draft',
      outcome: null,
      return_note: `${ctx.actor.displayName}：${reason.trim()}`,
      entered_at: null,
      confirm_mode: null,
      confirmed_by: null,
      confirmed_by_name: null,
      confirmed_at: null,
      seen_by: [],
    })
    if (!ok) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'tally.return', objectType: 'tally_result', objectId: id, extra: { reason, from: l.result.state } })
  })
  return getResult(db, ctx, id)
}

export async function checkScanTarget(db: Kysely<DB>, ctx: Ctx, id: string) {
  const l = await load(db, ctx.actor, id)
  assertWriter(ctx.actor, l.election.unit_code)
  if (l.result.state === 'announced' || l.result.state === 'confirmed') throw conflict('计票结果已核对，扫描件不能再更换')
}

export async function uploadScan(db: Kysely<DB>, ctx: Ctx, id: string, file: { name: string; type: string; data: Buffer }) {
  await checkScanTarget(db, ctx, id)
  const sha256 = createHash('sha256').update(file.data).digest('hex')
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('tally_result')
      .set({ scan: file.data, scan_name: file.name, scan_type: file.type, scan_sha256: sha256 })
      .where('county_code', '=', ctx.actor.countyCode)
      .where('id', '=', id)
      .where('state', 'in', ['draft', 'entered'])
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) throw conflict('计票结果已核对，扫描件不能再更换')
    await recordAudit(trx, ctx, { action: 'tally.scan', objectType: 'tally_result', objectId: id, extra: { name: file.name, size: file.data.length, sha256 } })
  })
  return getResult(db, ctx, id)
}

export async function downloadScan(db: Kysely<DB>, ctx: Ctx, id: string) {
  await load(db, ctx.actor, id)
  const row = await repo.scanOf(db, ctx.actor.countyCode, id)
  if (!row?.scan) throw notFound('尚未上传计票单扫描件')
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'tally.scan.download', objectType: 'tally_result', objectId: id }))
  return { data: row.scan, name: row.scan_name ?? '计票单', type: row.scan_type ?? 'application/octet-stream' }
}

export type ConfirmInput = { version: number; mode: 'scan' } | { version: number; mode: 'double'; sheet: Sheet }

export async function confirm(db: Kysely<DB>, ctx: Ctx, id: string, input: ConfirmInput) {
  const l = await load(db, ctx.actor, id)
  const a = ctx.actor
  assertWriter(a, l.election.unit_code)
  if (l.result.state !== 'entered') throw conflict(`计票记录当前为“${stateLabels[l.result.state]}”，不能核对`)
  if (l.result.entered_by === a.userId) throw forbidden('核对须由录入人以外的另一人进行')
  if (input.mode === 'scan') {
    if (!l.result.scan_sha256) throw ruleViolation('请先上传签字的计票单扫描件或照片，再对照核对')
    if (!l.result.seen_by.includes(a.userId)) throw ruleViolation('请先查看录入的数字，与扫描件逐项对照后再确认')
  } else {
    if (l.result.seen_by.includes(a.userId)) throw ruleViolation('您已查看过第一次录入的数字，不能再以背对背方式核对；请对照扫描件核对，或请未查看过的人背对背录入')
    const m = await materials(db, l.election)
    const names: Record<string, string> = Object.fromEntries([
      ...m.cands.map((c) => [c.id, c.name]),
      ...m.stations.map((s) => [`station:${s.id}`, s.name]),
      ...Object.entries(postLabels).map(([k, v]) => [`post:${k}`, v]),
    ])
    const diffs = compareSheets(l.result.sheet, input.sheet, names)
    if (diffs.length) {
      // The attempt is a fact worth keeping even though nothing changes (Abacus: "entries different").
      await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'tally.confirm.mismatch', objectType: 'tally_result', objectId: id, result: 'failure', extra: { cells: diffs.length } }))
      throw ruleViolation(
        `两次录入有 ${diffs.length} 处不一致，不能确认；请共同核对计票单原件，由录入人修改（退回）或重新背对背录入`,
        diffs.map((d) => ({ field: d.field, message: `${d.label}：第一次 ${d.first}，第二次 ${d.second}` })),
      )
    }
  }
  await db.transaction().execute(async (trx) => {
    const ok = await repo.updateResult(trx, a.countyCode, id, input.version, 'entered', {
      state: 'confirmed',
      confirm_mode: input.mode,
      confirmed_by: a.userId,
      confirmed_by_name: a.displayName,
      confirmed_at: new Date(),
    })
    if (!ok) throw versionConflict()
    await recordAudit(trx, ctx, { action: 'tally.confirm', objectType: 'tally_result', objectId: id, extra: { mode: input.mode, discrepancy_signed: l.result.discrepancy_note ? true : undefined } })
  })
  return getResult(db, ctx, id)
}

/** SHA-256 over the election's definition, the figures, the ballots and the outcome, canonically serialised. */
export function fingerprintOf(e: ElectionListRow, m: Materials, sheet: Sheet, ballots: Ballot[] | null, outcome: TallyResult): string {
  const doc = {
    election: { county: e.county_code, unit: e.unit_code, body: e.body, round: e.round, heldOn: e.held_on, entitled: e.entitled, present: e.present, rules: m.rules },
    posts: m.posts.map((p) => ({ post: p.post, seats: p.seats })),
    candidates: m.cands.map((c) => ({ id: c.id, name: c.name, post: c.post, position: c.position })),
    sheet,
    ballots: ballots ? createHash('sha256').update(canonicalJson(ballots)).digest('hex') : null,
    outcome: { valid: outcome.valid, elected: outcome.elected, results: outcome.results.map((r) => [r.candidateId, r.name, r.post, r.approve, r.disapprove, r.abstain, r.elected]) },
  }
  return createHash('sha256').update(canonicalJson(doc)).digest('hex')
}

export const shortFingerprint = (hex: string) => hex.slice(0, 16).toUpperCase().replace(/(.{4})(?=.)/g, '$1-')

export async function announce(db: Kysely<DB>, ctx: Ctx, id: string, version: number, links: Link[] = []) {
  const l = await load(db, ctx.actor, id)
  assertWriter(ctx.actor, l.election.unit_code, true)
  if (l.result.state !== 'confirmed') throw conflict(l.result.state === 'announced' ? '结果已公布并锁定' : '结果须经另一人核对确认后才能公布')
  const m = await materials(db, l.election)
  const outcome = l.result.outcome as TallyResult
  const ballots = await ballotsFor(db, l.result)
  const fingerprint = fingerprintOf(l.election, m, l.result.sheet, ballots, outcome)
  await db.transaction().execute(async (trx) => {
    const head = await recordAudit(trx, ctx, {
      action: 'tally.announce',
      objectType: 'tally_result',
      objectId: id,
      after: { fingerprint, elected: outcome.elected, next: outcome.next, corrects_id: l.result.corrects_id },
    })
    const ok = await repo.updateResult(trx, ctx.actor.countyCode, id, version, 'confirmed', {
      state: 'announced',
      announced_by: ctx.actor.displayName,
      announced_at: new Date(),
      fingerprint,
      chain_head: head,
    })
    if (!ok) throw versionConflict()
    await feedTeams(trx, ctx, l.election, l.result, outcome, m.cands, links)
  })
  return getResult(db, ctx, id)
}

export async function correct(db: Kysely<DB>, ctx: Ctx, id: string, reason: string, basis: string) {
  const l = await load(db, ctx.actor, id)
  assertWriter(ctx.actor, l.election.unit_code, true)
  if (l.result.state !== 'announced') throw conflict('只有已公布的结果需要以更正的方式修改；未公布的请退回修改')
  const all = await repo.resultsOf(db, ctx.actor.countyCode, [l.election.id])
  if (!currentAnnounced(all).some((r) => r.id === id)) throw conflict('这份结果已被更正，请在最新的结果上办理')
  if (all.some((r) => r.state !== 'announced')) throw conflict('本次选举已有一份未公布的计票记录（更正中），请在其中继续')
  const newId = await db.transaction().execute(async (trx) => {
    const nid = await insertDraft(trx, ctx, {
      election_id: l.election.id,
      corrects_id: id,
      correction_reason: reason.trim(),
      correction_basis: basis.trim(),
      mode: l.result.mode,
      sheet: JSON.stringify(l.result.sheet),
    })
    if (l.result.mode === 'ballots') await repo.copyBallots(trx, ctx.actor.countyCode, id, nid)
    await recordAudit(trx, ctx, { action: 'tally.correct', objectType: 'tally_result', objectId: nid, extra: { corrects_id: id, reason, basis } })
    return nid
  })
  return getResult(db, ctx, newId)
}

/** The candidates a supplementary round starts from: the best not elected, enough for 差额 (rules 3, 10). */
function supplementaryCandidates(e: ElectionListRow, outcome: TallyResult, m: Materials, unfilled: { post: TallyPost; seats: number }[]) {
  const elected = new Set(outcome.elected.map((x) => x.name))
  const picked = new Set<string>()
  const out: { post: TallyPost; name: string; person_id: string | null; nominee_id: string | null; gender: 'male' | 'female' }[] = []
  for (const u of unfilled) {
    const need = e.body === 'party_committee' ? partyCandidatesNeeded(u.seats, m.rules.partySurplusRatio) : u.seats + 1
    const pool = outcome.results.filter((r) => r.post === u.post && !elected.has(r.name) && !picked.has(r.name)).sort((a, b) => b.approve - a.approve)
    for (const r of pool.slice(0, need)) {
      const c = m.cands.find((x) => x.id === r.candidateId) ?? m.cands.find((x) => x.name === r.name)
      picked.add(r.name)
      out.push({ post: u.post, name: r.name, person_id: c?.person_id ?? null, nominee_id: c?.nominee_id ?? null, gender: c?.gender ?? (u.post === 'woman_member' ? 'female' : 'male') })
    }
  }
  return out
}

export async function nextRound(db: Kysely<DB>, ctx: Ctx, id: string, kind: 'revote' | 'supplementary' | undefined, heldOn?: string) {
  const l = await load(db, ctx.actor, id)
  assertWriter(ctx.actor, l.election.unit_code, true)
  const all = await repo.resultsOf(db, ctx.actor.countyCode, [l.election.id])
  if (l.result.state !== 'announced' || !currentAnnounced(all).some((r) => r.id === id)) throw conflict('只能从已公布且未被更正的结果发起下一轮')
  const outcome = l.result.outcome as TallyResult
  const round = kind ?? (outcome.next === 'revote' ? 'revote' : outcome.next === 'supplementary' ? 'supplementary' : null)
  if (round === 'revote' && !outcome.tie.length) throw conflict('本轮没有得票相等需要重新投票的情况')
  if (round === 'supplementary' && !outcome.unfilled.length) throw conflict('本轮没有未选足的名额')
  if (!round) throw conflict(outcome.next === 'rerun' ? '本轮选举无效，应重新组织选举（新建第一轮选举）' : '本轮已选足，无须下一轮')
  const children = (await repo.listElections(db, { countyCode: ctx.actor.countyCode, unitPrefix: l.election.unit_code })).filter((x) => x.parent_result_id === id && x.round === round)
  if (children.length) throw conflict(`已就这一结果发起过${round === 'revote' ? '重新投票' : '另行选举'}`)
  const m = await materials(db, l.election)
  const posts: { post: TallyPost; seats: number }[] = []
  const add = (post: TallyPost, seats: number) => {
    const p = posts.find((x) => x.post === post)
    if (p) p.seats += seats
    else posts.push({ post, seats })
  }
  let cands: ReturnType<typeof supplementaryCandidates>
  if (round === 'revote') {
    for (const t of outcome.tie) add(t.post, t.seats)
    cands = outcome.tie.flatMap((t) =>
      t.names.map((name, i) => {
        const c = m.cands.find((x) => x.id === t.candidateIds[i]) ?? m.cands.find((x) => x.name === name)
        return { post: t.post, name, person_id: c?.person_id ?? null, nominee_id: c?.nominee_id ?? null, gender: c?.gender ?? (t.post === 'woman_member' ? ('female' as const) : ('male' as const)) }
      }),
    )
  } else {
    for (const u of outcome.unfilled) add(u.post, u.seats)
    cands = supplementaryCandidates(l.election, outcome, m, outcome.unfilled)
  }
  if (l.election.body === 'party_committee') cands.sort((a, b) => compareByStrokes(a.name, b.name))
  const e = l.election
  const revoteOf = round === 'revote' ? (e.round === 'supplementary' || e.revote_of === 'supplementary' ? 'supplementary' : 'first') : null
  const newId = await db.transaction().execute(async (trx) => {
    const { id: nid } = await repo.insertElection(trx, {
      county_code: e.county_code,
      unit_code: e.unit_code,
      body: e.body,
      round,
      revote_of: revoteOf,
      parent_id: e.id,
      parent_result_id: id,
      held_on: heldOn ?? e.held_on,
      place: e.place,
      entitled: e.entitled,
      present: e.present,
      rules: JSON.stringify(e.rules),
      decision_note: '',
      approval_ref: null,
      approved_on: null,
      created_by: ctx.actor.displayName,
    })
    await repo.replacePosts(trx, e.county_code, nid, posts)
    const positions = new Map<string, number>()
    await repo.replaceCandidates(
      trx,
      e.county_code,
      nid,
      cands.map((c) => {
        const n = (positions.get(c.post) ?? 0) + 1
        positions.set(c.post, n)
        return { ...c, position: n }
      }),
    )
    await recordAudit(trx, ctx, { action: 'election.next_round', objectType: 'election', objectId: nid, after: { parent_id: e.id, parent_result_id: id, round, posts, candidates: cands.map((c) => c.name) } })
    return nid
  })
  return newId
}

/** The count in the exchange format of `huanjie tally`, so anyone can recount it without the database. */
export async function tallyInput(db: Kysely<DB>, ctx: Ctx, id: string) {
  const l = await load(db, ctx.actor, id)
  if (hiddenFrom(l.result, ctx.actor)) throw forbidden('核对人在背对背录入前不能查看第一次录入的数字')
  const m = await materials(db, l.election)
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'tally.document', objectType: 'tally_result', objectId: id, extra: { kind: 'tally-input' } }))
  return engineInput(l.election, m, l.result.sheet, await ballotsFor(db, l.result))
}

/** For the documents: the election, its materials and the count, as seen by this user. */
export async function documentData(db: Kysely<DB>, ctx: Ctx, id: string) {
  const l = await load(db, ctx.actor, id)
  if (hiddenFrom(l.result, ctx.actor) || l.result.state === 'draft') throw conflict('计票结果提交后才能生成文书')
  const m = await materials(db, l.election)
  const staff = await repo.staffOf(db, ctx.actor.countyCode, l.election.id)
  return { ...l, ...m, staff }
}
