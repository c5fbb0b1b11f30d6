import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../../test/helpers/db.ts'
import type { Database } from '../../db/create-db.ts'
import { visitCategories } from '../../../rules/situation/index.ts'
import { verifyChain } from '../audit/service.ts'
import { createCampaign } from '../campaign/service.ts'
import { seedDemo, DEMO_COUNTY, DEMO_TOWNSHIP } from '../setup/demo.ts'
import { demoCtx } from '../setup/demo-review.ts'
import { seedDemoSituation } from '../setup/demo-situation.ts'
import { todayInChina } from '../person/service.ts'
import { coverage } from './coverage.ts'
import { listRisks } from './assessment.ts'

let d: Database

beforeAll(async () => {
  d = await freshDatabase()
  await seedDemo(d.db)
  await createCampaign(d.db, await demoCtx(d.db, 'qs_admin'), { year: 2026, name: '2026年村（社区）“两委”换届', startsOn: '2026-09-01' })
  await seedDemoSituation(d.db, todayInChina())
})
afterAll(() => d.close())

describe('新营子镇’s demo 三情', () => {
  it('assesses every unit, with a few high-risk ones, and leaves visit categories missing in some units', async () => {
    const c = await coverage(d.db, await demoCtx(d.db, 'xyz_organiser'), {})
    expect(c.township.code).toBe(DEMO_TOWNSHIP)
    expect(c.totals.units).toBe(28)
    expect(c.totals.assessed).toBe(28)
    expect(c.totals.byLevel.high).toBe(3)
    expect(c.totals.byLevel.medium).toBeGreaterThanOrEqual(3)
    expect(c.totals.visits).toBeGreaterThanOrEqual(30)
    expect(c.totals.talks).toBe(5)
    expect(c.totals.overdueRisks).toBe(1)
    // Some units have visited all four groups, some only part of them.
    expect(c.totals.complete).toBeGreaterThan(0)
    const partly = c.units.filter((u) => u.visits > 0 && u.missing.length > 0)
    expect(partly.length).toBeGreaterThanOrEqual(4)
    expect(visitCategories.every((k) => c.totals.byCategory[k] > 0)).toBe(true)
  })

  it('has 6–10 risk items, one overdue and some settled, and an intact audit chain', async () => {
    const r = await listRisks(d.db, await demoCtx(d.db, 'xyz_organiser'), {})
    expect(r.items.length).toBeGreaterThanOrEqual(6)
    expect(r.items.length).toBeLessThanOrEqual(10)
    expect(r.items.filter((x) => x.overdue)).toHaveLength(1)
    expect(r.items.filter((x) => x.status === 'resolved').length).toBeGreaterThanOrEqual(2)
    expect((await verifyChain(d.db, DEMO_COUNTY)).ok).toBe(true)
  })
})
