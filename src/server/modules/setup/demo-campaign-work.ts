/**
 * The demo county's campaign work beyond the timeline and reports (issue 6 §4–§6): 新营子镇's
 * meetings, documents and the 百问百答, its publicity, and the 三情 — assessments, risks, talks
 * and visits — so each page opens on something a township would recognise. Runs after
 * seedDemoElections, which creates the 2026 campaign.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { seedDemoDeployment } from './demo-deployment.ts'
import { seedDemoPublicity } from './demo-publicity.ts'
import { seedDemoSituation } from './demo-situation.ts'

export async function seedDemoCampaignWork(db: Kysely<DB>, today: string): Promise<void> {
  await seedDemoDeployment(db, today)
  await seedDemoPublicity(db, today)
  await seedDemoSituation(db, today)
}
