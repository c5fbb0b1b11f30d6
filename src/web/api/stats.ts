import type { Static } from 'typebox'
import type { CompositionRulesReply, MatrixReply, ParagraphReply, StatsReply, UnitReply } from '../../server/modules/stats/schemas.ts'
import type { CampaignReply } from '../../server/modules/campaign/schemas.ts'
import type { CompositionRules } from '../../rules/composition/types.ts'
import { downloadFile } from '../utils/download.ts'
import { http } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Stats = Static<typeof StatsReply>
export type StatsFigures = Stats['elected']
export type Paragraph = Static<typeof ParagraphReply>
export type Matrix = Static<typeof MatrixReply>
export type UnitComposition = Static<typeof UnitReply>
export type Finding = UnitComposition['checks']['slate'][number]
export type CompositionRulesInfo = Static<typeof CompositionRulesReply>
export type Campaign = Static<typeof CampaignReply>
export type { CompositionRules }

export type StatsBody = 'party_committee' | 'villager_committee' | 'resident_committee'
export type CheckKind = 'incumbent' | 'slate' | 'elected'

export interface StatsParams {
  /** 12-digit code of the county, a township or a unit; default the user's own. */
  region?: string
  body?: StatsBody
  campaign?: string
}

export interface CampaignInput {
  year: number
  name: string
  startsOn: string
  endsOn?: string | null
  referenceDate?: string | null
}

const quiet = { quietCodes: ['VALIDATION', 'RULE', 'CONFLICT', 'VERSION_CONFLICT'] }
/** A county without a campaign answers 422 RULE: the pages show that message in place, not as a toast. */
const reading = { quietCodes: ['RULE'] }

export const StatsAPI = {
  stats: (q: StatsParams) => http.get<Stats>('/api/stats', { ...q }, reading),
  paragraph: (q: StatsParams) => http.get<Paragraph>('/api/stats/paragraph', { ...q }, reading),
  matrix: (q: { region?: string; campaign?: string; check?: CheckKind }) => http.get<Matrix>('/api/stats/matrix', { ...q }, reading),
  unit: (code: string, campaign?: string) => http.get<UnitComposition>(`/api/stats/units/${code}`, { campaign }, reading),
  exportXlsx: (q: StatsParams) => downloadFile('/api/stats/export.xlsx', { ...q }, '换届统计表.xlsx'),
  summaryDocx: (q: StatsParams) => downloadFile('/api/stats/summary.docx', { ...q }, '换届工作情况.docx'),
  rules: () => http.get<CompositionRulesInfo>('/api/composition-rules'),
  saveRules: (overrides: Partial<CompositionRules>) => http.put<CompositionRulesInfo>('/api/composition-rules', { overrides }, quiet),
  campaigns: () => http.get<{ items: Campaign[] }>('/api/campaigns'),
  createCampaign: (body: CampaignInput) => http.post<Campaign>('/api/campaigns', body, quiet),
  updateCampaign: (id: string, body: CampaignInput & { version: number }) => http.put<Campaign>(`/api/campaigns/${id}`, body, quiet),
}
