import { Type } from 'typebox'
import { DivisionCode, Id } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Text = Type.String({ maxLength: 1000 })
const Count = Type.Integer({ minimum: 0, maximum: 100_000 })
const Figures = Type.Object(
  { meetings: Type.Optional(Count), visits: Type.Optional(Count), publicity: Type.Optional(Count), talks: Type.Optional(Count) },
  { additionalProperties: false, description: '召开会议、走访户数、宣传活动、谈心谈话' },
)

export const ReportBody = Type.Object(
  {
    unitCode: DivisionCode,
    campaign: Type.Optional(Id),
    reportDate: Type.Optional(Type.Union([Day], { description: '默认今天；可补报3日内的' })),
    nothingNew: Type.Boolean({ description: '今日无新进展（零报告）' }),
    progress: Text,
    problems: Text,
    nextSteps: Text,
    figures: Figures,
    milestones: Type.Array(Type.String({ pattern: '^[a-z_]{1,40}$' }), { maxItems: 20, description: '今日完成的节点' }),
  },
  { additionalProperties: false },
)

export const ReportReply = Type.Object({
  id: Id,
  unitCode: Type.String(),
  unitName: Type.String(),
  reportDate: Type.String(),
  nothingNew: Type.Boolean(),
  progress: Type.String(),
  problems: Type.String(),
  nextSteps: Type.String(),
  figures: Type.Record(Type.String(), Type.Integer()),
  milestones: Type.Array(Type.String()),
  filedBy: Type.String(),
  filedAt: Type.String(),
  version: Type.Integer(),
  photos: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
})
export const ReportParams = Type.Object({ id: Id })
export const PhotoParams = Type.Object({ id: Id, photoId: Id })

export const SummaryQuery = Type.Object(
  { township: Type.Optional(DivisionCode), campaign: Type.Optional(Id), from: Type.Optional(Day), to: Type.Optional(Day) },
  { additionalProperties: false },
)
export const SummaryReply = Type.Object({
  campaign: CampaignReply,
  township: Type.Object({ code: Type.String(), name: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  days: Type.Integer(),
  /** The summary sentence the township writes at the top of its report, from the numbers. */
  text: Type.String(),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      reports: Type.Array(ReportReply),
      reportedDays: Type.Integer(),
      missingDays: Type.Integer(),
      milestonesDone: Type.Array(Type.String()),
      overdue: Type.Array(Type.String()),
    }),
  ),
  totals: Type.Object({
    units: Type.Integer(),
    reported: Type.Integer(),
    reports: Type.Integer(),
    missing: Type.Array(Type.String()),
    milestonesDone: Type.Integer(),
    overdue: Type.Integer(),
    problems: Type.Integer(),
    figures: Type.Record(Type.String(), Type.Integer()),
  }),
})
