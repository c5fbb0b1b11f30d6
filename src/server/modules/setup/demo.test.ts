import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../../test/helpers/db.ts'
import type { Database } from '../../db/create-db.ts'
import { idCipher } from '../../crypto/id-cipher.ts'
import { verifyChain } from '../audit/service.ts'
import { seedDemo, DEMO_COUNTY } from './demo.ts'
import { demoCtx, seedDemoReview } from './demo-review.ts'
import { seedDemoElections } from './demo-election.ts'
import { getElection, listElections } from '../election/service.ts'
import { getResult } from '../election/results.ts'
import { todayInChina } from '../person/service.ts'

let d: Database

beforeAll(async () => {
  d = await freshDatabase()
  await seedDemo(d.db)
  const cipher = idCipher(randomBytes(80))
  await seedDemoReview(d.db, cipher, '2026-11-27')
  await seedDemoElections(d.db, cipher, '2026-11-27')
})
afterAll(() => d.close())

describe('demo review data', () => {
  it('leaves work for every role: incumbents, drafts, and a batch the police still has to answer', async () => {
    // demo-review's six holdings; 东营子村's announced election adds three more (below).
    const holdings = await d.db.selectFrom('post_holding').select('id').where('county_code', '=', DEMO_COUNTY).execute()
    expect(holdings).toHaveLength(9)
    const nominees = await d.db.selectFrom('nominee').select(['state']).where('county_code', '=', DEMO_COUNTY).execute()
    expect(nominees.filter((n) => n.state === 'draft')).toHaveLength(2)
    expect(nominees.filter((n) => n.state === 'under_review')).toHaveLength(3)
    const requests = await d.db
      .selectFrom('review_request')
      .innerJoin('department', (j) => j.onRef('department.county_code', '=', 'review_request.county_code').onRef('department.id', '=', 'review_request.department_id'))
      .select(['department.name', 'review_request.status', 'review_request.deadline'])
      .where('review_request.county_code', '=', DEMO_COUNTY)
      .execute()
    expect(requests.filter((r) => r.name === '旗公安局' && r.status === 'pending')).toHaveLength(3)
    expect(requests.filter((r) => r.name === '旗人民法院' && r.status === 'answered')).toHaveLength(3)
    // Due five working days after today.
    expect(requests[0]!.deadline > todayInChina()).toBe(true)
    expect((await verifyChain(d.db, DEMO_COUNTY)).ok).toBe(true)
  })

  it('shows the vote count in every state: announced, entered and waiting for a second person, preparing', async () => {
    const admin = await demoCtx(d.db, 'qs_admin')
    const { items } = await listElections(d.db, admin, { page: 1, pageSize: 50 })
    expect(items.map((e) => [e.unitName, e.body, e.heldOn, e.status]).sort()).toEqual([
      ['东营子村', 'party_committee', '2026-11-20', 'announced'],
      ['东营子村', 'party_secretary', '2026-11-20', 'announced'],
      ['南沟村', 'villager_committee', '2026-12-06', 'preparing'],
      ['西营子村', 'party_committee', '2026-11-22', 'entered'],
    ])
    for (const e of items) expect((await getElection(d.db, admin, e.id)).warnings).toEqual([])
    const nangou = await getElection(d.db, admin, items.find((e) => e.unitName === '南沟村')!.id)
    expect(nangou.entitled).toBe(860)
    expect(nangou.candidates.map((c) => c.post)).toEqual(['director', 'director', 'deputy_director', 'deputy_director', 'woman_member', 'woman_member', 'member', 'member', 'member'])
    expect(nangou.candidates.filter((c) => c.post === 'woman_member').every((c) => c.gender === 'female')).toBe(true)

    // 西营子村: entered by the contact cadre, hidden from a second person until confirmed.
    const xiying = await getElection(d.db, admin, items.find((e) => e.unitName === '西营子村')!.id)
    expect(xiying.results).toHaveLength(1)
    expect(xiying.results[0]).toMatchObject({ mode: 'ballots', state: 'entered', enteredBy: '刘海燕', hidden: true, canEnterBlind: true, ballotCount: 15 })
    const own = await getResult(d.db, await demoCtx(d.db, 'xyz_cadre'), xiying.results[0]!.id)
    expect(own.outcome!.elected.map((x) => x.name).sort()).toEqual(['韩立新', '杨秀英', '马春生'].sort())
    expect(own.outcome!.voidBallots).toBe(1)

    // 东营子村: entered by the organiser, confirmed blind by the county admin, announced.
    const dongying = await getElection(d.db, admin, items.find((e) => e.unitName === '东营子村' && e.body === 'party_committee')!.id)
    const r = dongying.results[0]!
    expect(r).toMatchObject({ mode: 'totals', state: 'announced', enteredBy: '李秀兰', confirmedBy: '王建国', confirmMode: 'double' })
    expect(r.outcome!.threshold).toBe(11)
    expect(r.outcome!.next).toBe('none')
    expect(r.outcome!.elected.map((x) => x.name).sort()).toEqual(['周丽娟', '孙国华', '高志远'].sort())
    expect(r.outcome!.results.find((x) => x.name === '吴振东')!.elected).toBe(false)

    // The unit's Party team is now the three elected; the old one is history from election day.
    const team = await d.db
      .selectFrom('post_holding')
      .innerJoin('person', (j) => j.onRef('person.county_code', '=', 'post_holding.county_code').onRef('person.id', '=', 'post_holding.person_id'))
      .select(['person.name', 'post_holding.post', 'post_holding.ended_on', 'post_holding.result_id'])
      .where('post_holding.county_code', '=', DEMO_COUNTY)
      .where('post_holding.unit_code', '=', '150999100201')
      .where('post_holding.body', '=', 'party')
      .execute()
    const current = team.filter((h) => h.ended_on === null)
    expect(current.map((h) => h.name).sort()).toEqual(['周丽娟', '孙国华', '高志远'].sort())
    // The committee's first plenary meeting then made 孙国华 secretary (approved by the township).
    const secretary = await getElection(d.db, admin, items.find((e) => e.body === 'party_secretary')!.id)
    expect(secretary.approvalRef).toBe('新营子镇党委〔2026〕31号')
    expect(current.map((h) => [h.name, h.post, h.result_id]).sort()).toEqual(
      [
        ['周丽娟', 'member', r.id],
        ['孙国华', 'secretary', secretary.results[0]!.id],
        ['高志远', 'member', r.id],
      ].sort(),
    )
    const old = team.filter((h) => h.ended_on !== null)
    expect(old.map((h) => [h.name, h.ended_on, h.result_id]).sort()).toEqual([
      ['吴振东', '2026-11-20', null],
      ['周丽娟', '2026-11-20', null],
      ['孙国华', '2026-11-20', null],
    ])
    expect((await verifyChain(d.db, DEMO_COUNTY)).ok).toBe(true)
  })
})
