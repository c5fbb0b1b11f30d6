import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../../test/helpers/db.ts'
import type { Database } from '../../db/create-db.ts'
import { idCipher } from '../../crypto/id-cipher.ts'
import { verifyChain } from '../audit/service.ts'
import { seedDemo, DEMO_COUNTY } from './demo.ts'
import { seedDemoReview } from './demo-review.ts'
import { todayInChina } from '../person/service.ts'

let d: Database

beforeAll(async () => {
  d = await freshDatabase()
  await seedDemo(d.db)
  await seedDemoReview(d.db, idCipher(randomBytes(80)), '2026-11-27')
})
afterAll(() => d.close())

describe('demo review data', () => {
  it('leaves work for every role: incumbents, drafts, and a batch the police still has to answer', async () => {
    const holdings = await d.db.selectFrom('post_holding').select('id').where('county_code', '=', DEMO_COUNTY).execute()
    expect(holdings).toHaveLength(6)
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
})
