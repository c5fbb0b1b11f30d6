/**
 * Announced winners become the unit's team (issue 4 §6): the first round that elects anyone ends
 * the incumbent team of that body (kept as history, ended_on = election day); every announced round
 * adds its winners; the secretary election turns committee members into secretary and deputy; a
 * correction takes back what the corrected count gave.
 */
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { invalid, ruleViolation } from '../../http/errors.ts'
import { canSeeTerritory } from '../../scope.ts'
import { postLabels } from '../../../rules/tally/index.ts'
import type { TallyPost, TallyResult } from '../../../rules/tally/types.ts'
import { recordAudit } from '../audit/service.ts'
import * as personRepo from '../person/repo.ts'
import type { CandidateRow } from './table.ts'
import type { ElectionListRow, ResultRow } from './repo.ts'

export interface Link {
  name: string
  post: TallyPost
  personId: string
}

const holdingPost: Record<TallyPost, string> = {
  secretary: 'secretary',
  deputy_secretary: 'deputy_secretary',
  member: 'member',
  director: 'chair',
  deputy_director: 'vice_chair',
  woman_member: 'member',
}

export async function feedTeams(trx: Transaction<DB>, ctx: Ctx, e: ElectionListRow, r: ResultRow, outcome: TallyResult, cands: CandidateRow[], links: Link[]) {
  const c = e.county_code
  const body = e.body === 'party_committee' || e.body === 'party_secretary' ? 'party' : 'committee'
  const winners: { personId: string; name: string; post: TallyPost }[] = []
  const missing: string[] = []
  for (const w of outcome.elected) {
    const cand = w.candidateId ? cands.find((x) => x.id === w.candidateId) : undefined
    const personId = cand?.person_id ?? links.find((x) => x.name === w.name && x.post === w.post)?.personId
    if (!personId) missing.push(`${w.name}（${postLabels[w.post]}）`)
    else winners.push({ personId, name: w.name, post: w.post })
  }
  if (missing.length) {
    throw ruleViolation(
      `以下当选人尚未对应到人员库中的人员，请先选择对应人员再公布：${missing.join('、')}`,
      missing.map((m) => ({ field: '当选人', message: m })),
    )
  }
  for (const w of winners) {
    const p = await personRepo.findPerson(trx, c, w.personId)
    if (!p || !canSeeTerritory(ctx.actor, p.unit_code)) throw invalid(`当选人“${w.name}”对应的人员不存在，或不在您的管辖范围内`)
  }

  if (r.corrects_id) {
    // The corrected count's winners lose what it gave them; the new count gives it again below.
    const given = await trx.selectFrom('post_holding').selectAll().where('county_code', '=', c).where('result_id', '=', r.corrects_id).where('ended_on', 'is', null).execute()
    for (const h of given) {
      if (e.body === 'party_secretary') await trx.updateTable('post_holding').set({ post: 'member', result_id: null }).where('county_code', '=', c).where('id', '=', h.id).execute()
      else await trx.deleteFrom('post_holding').where('county_code', '=', c).where('id', '=', h.id).execute()
      await recordAudit(trx, ctx, { action: 'post.end', objectType: 'post_holding', objectId: h.id, before: { unit_code: h.unit_code, person_id: h.person_id, body: h.body, post: h.post }, extra: { corrected_by: r.id } })
    }
  } else if (e.round === 'first' && e.body !== 'party_secretary' && winners.length) {
    const ended = await trx
      .updateTable('post_holding')
      .set({ ended_on: e.held_on })
      .where('county_code', '=', c)
      .where('unit_code', '=', e.unit_code)
      .where('body', '=', body)
      .where('ended_on', 'is', null)
      .returning(['id', 'person_id', 'post'])
      .execute()
    for (const h of ended) await recordAudit(trx, ctx, { action: 'post.end', objectType: 'post_holding', objectId: h.id, before: { person_id: h.person_id, post: h.post }, after: { ended_on: e.held_on } })
  }

  for (const w of winners) {
    const post = holdingPost[w.post]
    const current = await trx
      .selectFrom('post_holding')
      .selectAll()
      .where('county_code', '=', c)
      .where('unit_code', '=', e.unit_code)
      .where('person_id', '=', w.personId)
      .where('body', '=', body)
      .where('ended_on', 'is', null)
      .executeTakeFirst()
    if (current) {
      await trx.updateTable('post_holding').set({ post, result_id: r.id }).where('county_code', '=', c).where('id', '=', current.id).execute()
      await recordAudit(trx, ctx, { action: 'post.elect', objectType: 'post_holding', objectId: current.id, before: { post: current.post }, after: { post, result_id: r.id } })
    } else {
      const h = await trx
        .insertInto('post_holding')
        .values({ county_code: c, unit_code: e.unit_code, person_id: w.personId, body, post, since: e.held_on, result_id: r.id })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, ctx, { action: 'post.elect', objectType: 'post_holding', objectId: h.id, after: { unit_code: e.unit_code, person_id: w.personId, body, post, since: e.held_on, result_id: r.id } })
    }
  }
}
