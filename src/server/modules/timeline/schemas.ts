import { Type } from 'typebox'
import { DivisionCode, Id } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Phase = Type.Enum(['preparation', 'party', 'committee', 'follow_up'])
const Basis = Type.Array(Type.Object({ law: Type.String(), version: Type.String(), article: Type.String() }))

export const TimelineQuery = Type.Object({ township: Type.Optional(DivisionCode), campaign: Type.Optional(Id) }, { additionalProperties: false })
export const CampaignQuery = Type.Object({ campaign: Type.Optional(Id) }, { additionalProperties: false })
export const UnitParams = Type.Object({ code: DivisionCode })
export const MilestoneParams = Type.Object({ code: DivisionCode, key: Type.String({ pattern: '^[a-z_]{1,40}$' }) })

export const TimelineReply = Type.Object({
  campaign: CampaignReply,
  township: Type.Object({ code: Type.String(), name: Type.String() }),
  today: Type.String(),
  canEdit: Type.Boolean(),
  canEditPhases: Type.Boolean(),
  phases: Type.Array(Type.Object({ phase: Phase, label: Type.String(), startsOn: Nullable(Type.String()), endsOn: Nullable(Type.String()) })),
  template: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), phase: Phase, strict: Type.Boolean(), basis: Basis })),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      partyOn: Nullable(Type.String()),
      committeeOn: Nullable(Type.String()),
      scheduled: Type.Boolean(),
      version: Type.Integer(),
      warnings: Type.Array(Type.String()),
      milestones: Type.Array(
        Type.Object({
          key: Type.String(),
          name: Type.String(),
          phase: Phase,
          plannedOn: Nullable(Type.String()),
          deadline: Nullable(Type.String()),
          strict: Type.Boolean(),
          doneOn: Nullable(Type.String()),
          evidence: Type.String(),
          doneBy: Nullable(Type.String()),
          status: Type.Enum(['done', 'overdue', 'due', 'planned', 'unscheduled']),
          late: Nullable(Type.String()),
        }),
      ),
    }),
  ),
})

export const PhasesBody = Type.Object(
  {
    township: DivisionCode,
    campaign: Type.Optional(Id),
    phases: Type.Array(Type.Object({ phase: Phase, startsOn: Day, endsOn: Day }, { additionalProperties: false }), { maxItems: 4 }),
  },
  { additionalProperties: false },
)
export const ScheduleBody = Type.Object(
  { campaign: Type.Optional(Id), partyOn: Nullable(Day), committeeOn: Nullable(Day), version: Type.Integer({ minimum: 0, description: '首次设置为 0' }) },
  { additionalProperties: false },
)
export const DoneBody = Type.Object({ campaign: Type.Optional(Id), doneOn: Day, evidence: Type.String({ maxLength: 500 }) }, { additionalProperties: false })
export const DoneReply = Type.Object({ warning: Nullable(Type.String()), timeline: TimelineReply })
