import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { conflict } from '../../http/errors.ts'
import { ballotPaperPdf } from '../../files/ballot-paper.ts'
import { formDocx, formPdf, type FormDoc } from '../../files/form-doc.ts'
import type { TallyResult } from '../../../rules/tally/types.ts'
import { recordAudit } from '../audit/service.ts'
import * as repo from './repo.ts'
import { loadElection } from './service.ts'
import { documentData } from './results.ts'
import { announcement, ballotPaper, countSheet, report, type ElectionPapers } from './documents.ts'

async function papersOf(db: Kysely<DB>, ctx: Ctx, id: string): Promise<ElectionPapers> {
  const election = await loadElection(db, ctx.actor, id)
  const c = ctx.actor.countyCode
  const [posts, cands, staff, stations] = await Promise.all([repo.postsOf(db, c, [id]), repo.candidatesOf(db, c, [id]), repo.staffOf(db, c, id), repo.stationsOf(db, c, id)])
  return { election, posts, cands, staff, stations }
}

const render = (doc: FormDoc, format: 'docx' | 'pdf') => (format === 'docx' ? formDocx(doc) : formPdf(doc))

export async function ballotPaperFile(db: Kysely<DB>, ctx: Ctx, id: string, copies: number) {
  const p = await papersOf(db, ctx, id)
  if (!p.cands.length) throw conflict('请先确定候选人名单再打印选票')
  const data = await ballotPaperPdf(ballotPaper(p), copies)
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'tally.document', objectType: 'election', objectId: id, extra: { kind: 'ballot-paper', copies } }))
  return { data, name: `${p.election.unit_name}选票_${copies}份.pdf` }
}

export async function blankCountSheet(db: Kysely<DB>, ctx: Ctx, id: string, format: 'docx' | 'pdf') {
  const p = await papersOf(db, ctx, id)
  const data = await render(countSheet(p, null, null), format)
  return { data, name: `${p.election.unit_name}计票单（空白）.${format}` }
}

export async function resultDocument(db: Kysely<DB>, ctx: Ctx, id: string, kind: 'announcement' | 'report' | 'count-sheet', format: 'docx' | 'pdf') {
  const d = await documentData(db, ctx, id)
  const p: ElectionPapers = { election: d.election, posts: d.posts, cands: d.cands, staff: d.staff, stations: d.stations }
  const outcome = d.result.outcome as TallyResult
  const r = d.result
  if (kind === 'announcement' && r.state !== 'announced') throw conflict('结果公布后才能生成选举结果公告')
  if (kind === 'report') {
    // The report upward lists each winner's particulars from the registry (rule 18's figures).
    const ids = outcome.elected.map((w) => d.cands.find((c) => c.id === w.candidateId)?.person_id).filter((x): x is string => !!x)
    const people = ids.length ? await db.selectFrom('person').select(['id', 'gender', 'birth_date', 'ethnicity', 'education', 'political_status']).where('county_code', '=', ctx.actor.countyCode).where('id', 'in', ids).execute() : []
    p.people = new Map(people.map((x) => [x.id, x]))
  }
  const doc = kind === 'announcement' ? announcement(p, r.sheet, outcome, r.fingerprint, r.chain_head) : kind === 'report' ? report(p, r.sheet, outcome, r.fingerprint, r.chain_head) : countSheet(p, r.sheet, outcome)
  const data = await render(doc, format)
  await db.transaction().execute((trx) => recordAudit(trx, ctx, { action: 'tally.document', objectType: 'tally_result', objectId: id, extra: { kind, format } }))
  const label = { announcement: '选举结果公告', report: '选举结果报告单', 'count-sheet': '计票单' }[kind]
  return { data, name: `${d.election.unit_name}${label}.${format}` }
}
