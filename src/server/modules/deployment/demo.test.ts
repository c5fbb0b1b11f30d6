import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../../test/helpers/db.ts'
import type { Database } from '../../db/create-db.ts'
import { verifyChain } from '../audit/service.ts'
import { createCampaign } from '../campaign/service.ts'
import { DEMO_COUNTY, DEMO_COUNTY_CODE, DEMO_TOWNSHIP, seedDemo } from '../setup/demo.ts'
import { demoQa, seedDemoDeployment } from '../setup/demo-deployment.ts'
import { demoCtx } from '../setup/demo-review.ts'
import { listDocuments } from './documents.ts'
import { decisionStatus, listMeetings } from './meetings.ts'
import { listQa } from './qa.ts'

let d: Database
const today = '2026-11-27'

beforeAll(async () => {
  d = await freshDatabase()
  await seedDemo(d.db)
  await createCampaign(d.db, await demoCtx(d.db, 'qs_admin'), { year: 2026, name: '2026年村（社区）“两委”换届', startsOn: '2026-09-01' })
  await seedDemoDeployment(d.db, today)
})
afterAll(() => d.close())

describe('demo deployment data', () => {
  it('fills the 旗’s 百问百答 with at least 30 items, each with its basis, found by initials', async () => {
    expect(demoQa.length).toBeGreaterThanOrEqual(30)
    expect(demoQa.every((q) => q.basis.trim())).toBe(true)
    const cadre = await demoCtx(d.db, 'xyz_cadre')
    const all = await listQa(d.db, cadre, { page: 1, pageSize: 200 })
    expect(all.total).toBe(demoQa.length)
    expect(all.categories.length).toBeGreaterThanOrEqual(6)
    const hit = await listQa(d.db, cadre, { q: 'xmdj', page: 1, pageSize: 20 })
    expect(hit.items.map((i) => i.question)).toContain('选民登记后，选民名单最晚什么时候公布？')
    expect((await listQa(d.db, cadre, { q: '一肩挑', page: 1, pageSize: 20 })).total).toBeGreaterThanOrEqual(1)
  })

  it('gives 新营子镇 a mobilisation meeting, a training and progress reviews, with done and overdue decisions', async () => {
    const organiser = await demoCtx(d.db, 'xyz_organiser')
    const town = await listMeetings(d.db, organiser, {})
    expect(town.meetings.map((m) => m.kind).sort()).toEqual(['mobilisation', 'progress_review', 'progress_review', 'training'])
    const decisions = await d.db.selectFrom('meeting_decision').innerJoin('meeting', (j) => j.onRef('meeting.county_code', '=', 'meeting_decision.county_code').onRef('meeting.id', '=', 'meeting_decision.meeting_id')).select(['meeting_decision.deadline', 'meeting_decision.done_on', 'meeting.territory_code']).where('meeting.county_code', '=', DEMO_COUNTY).where('meeting.territory_code', '=', DEMO_TOWNSHIP).execute()
    const statuses = decisions.map((x) => decisionStatus(x, today))
    expect(statuses.filter((s) => s === 'overdue')).toHaveLength(1)
    expect(statuses.filter((s) => s === 'done').length).toBeGreaterThanOrEqual(5)
    expect(statuses.filter((s) => s === 'open')).toHaveLength(2)
    const county = await listMeetings(d.db, organiser, { territory: DEMO_COUNTY_CODE })
    expect(county.meetings.map((m) => m.title)).toEqual(['全旗村（社区）“两委”换届工作动员部署会议'])
  })

  it('issues documents to all of 新营子镇’s units (and chosen ones), some signed', async () => {
    const organiser = await demoCtx(d.db, 'xyz_organiser')
    const list = await listDocuments(d.db, organiser, {})
    expect(list.documents).toHaveLength(5)
    const plan = list.documents.find((x) => x.title === '新营子镇2026年村（社区）“两委”换届选举工作实施方案')!
    expect(plan.progress).toMatchObject({ total: 28, signed: 7 })
    expect(list.documents.find((x) => x.title === '关于做好南沟村等村选民登记工作的通知')!.progress).toMatchObject({ total: 3, signed: 1 })
    expect(list.documents.find((x) => x.issuerCode === DEMO_COUNTY_CODE)!.progress).toMatchObject({ total: 28, signed: 2 })
    const receipts = await d.db.selectFrom('document_receipt').select('unit_code').where('county_code', '=', DEMO_COUNTY).execute()
    expect(receipts).toHaveLength(14)
    // The cadre still has something to sign.
    expect((await listDocuments(d.db, await demoCtx(d.db, 'xyz_cadre'), {})).pending.length).toBeGreaterThan(0)
    expect((await verifyChain(d.db, DEMO_COUNTY)).ok).toBe(true)
  })
})
