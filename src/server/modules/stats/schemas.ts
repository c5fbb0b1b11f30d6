import { Type } from 'typebox'
import { DivisionCode, Id } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Int = Type.Integer()
const Body = Type.Enum(['party_committee', 'villager_committee', 'resident_committee'], { description: '党组织 / 村民委员会 / 居民委员会' })
const CheckKind = Type.Enum(['incumbent', 'slate', 'elected'], { description: '现任班子 / 拟任人选 / 新一届班子' })
const Level = Type.Enum(['ok', 'warn', 'fail', 'na'])
const RuleKey = Type.String()
const Basis = Type.Array(Type.Object({ law: Type.String(), version: Type.String(), article: Type.String() }))

export const StatsQuery = Type.Object(
  {
    region: Type.Optional(DivisionCode),
    body: Type.Optional(Body),
    campaign: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export const MatrixQuery = Type.Object({ region: Type.Optional(DivisionCode), campaign: Type.Optional(Id), check: Type.Optional(CheckKind) }, { additionalProperties: false })
export const UnitParams = Type.Object({ code: DivisionCode })
export const CampaignQuery = Type.Object({ campaign: Type.Optional(Id) }, { additionalProperties: false })

const Figures = Type.Object({
  members: Int,
  women: Int,
  heads: Int,
  womenHeads: Int,
  under35: Int,
  college: Int,
  partyMembers: Int,
  ageSum: Int,
  averageAge: Nullable(Type.Number()),
  ageBands: Type.Record(Type.String(), Int),
  educationLevels: Type.Record(Type.String(), Int),
})
const Cross = Type.Object({ unitsWithBothHeads: Int, oneShoulder: Int, people: Int, both: Int })
const Progress = Type.Object({
  total: Int,
  finished: Int,
  inProgress: Int,
  notStarted: Int,
  byKind: Type.Array(Type.Object({ kind: Type.String(), total: Int, finished: Int, inProgress: Int })),
})
const Node = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), kind: Type.String() })

export const StatsReply = Type.Object({
  campaign: CampaignReply,
  region: Node,
  body: Body,
  bodyLabel: Type.String(),
  youthAge: Int,
  asOf: Type.String(),
  progress: Progress,
  elected: Figures,
  incumbent: Figures,
  cross: Cross,
  incumbentCross: Cross,
  /** Reserve cadres (后备干部) registered in the units. */
  reserveCadres: Int,
  finished: Figures,
  finishedWithHead: Int,
  electedFrom: Nullable(Type.String()),
  electedTo: Nullable(Type.String()),
  children: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      level: Type.String(),
      kind: Type.String(),
      status: Nullable(Type.String()),
      units: Progress,
      elected: Figures,
      incumbent: Figures,
      cross: Cross,
      incumbentCross: Cross,
      reserveCadres: Int,
    }),
  ),
  statusLabels: Type.Record(Type.String(), Type.String()),
})

export const ParagraphReply = Type.Object({
  text: Type.String(),
  targets: Type.Array(Type.Object({ rule: RuleKey, label: Type.String(), met: Int, checked: Int, missed: Type.Array(Type.String()) })),
  campaign: CampaignReply,
  region: Node,
  body: Body,
})

export const MatrixReply = Type.Object({
  check: CheckKind,
  checkLabel: Type.String(),
  campaign: CampaignReply,
  region: Node,
  rules: Type.Array(Type.Object({ key: RuleKey, label: Type.String() })),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      townshipName: Type.String(),
      referenceDate: Type.String(),
      failures: Int,
      cells: Type.Array(Type.Object({ rule: RuleKey, level: Level, message: Type.String() })),
    }),
  ),
  summary: Type.Array(Type.Object({ rule: RuleKey, ok: Int, warn: Int, fail: Int, na: Int })),
})

const Finding = Type.Object({
  unitCode: Type.String(),
  unitName: Type.String(),
  rule: RuleKey,
  level: Level,
  actual: Nullable(Int),
  required: Nullable(Int),
  message: Type.String(),
  people: Type.Array(Type.String()),
  basis: Basis,
})
const TeamMember = Type.Object({
  personId: Type.String(),
  name: Type.String(),
  body: Type.String(),
  post: Type.String(),
  gender: Type.String(),
  age: Int,
  education: Type.String(),
  partyMember: Type.Boolean(),
  incumbent: Type.Boolean(),
})
export const UnitReply = Type.Object({
  unit: Node,
  campaign: CampaignReply,
  referenceDate: Type.String(),
  checks: Type.Object({ incumbent: Type.Array(Finding), slate: Type.Array(Finding), elected: Type.Array(Finding) }),
  current: Type.Array(TeamMember),
  team: Type.Array(TeamMember),
  reserveCadres: Type.Array(Type.Object({ personId: Type.String(), name: Type.String(), gender: Type.String(), age: Int, education: Type.String(), partyMember: Type.Boolean() })),
})

const Params = Type.Object({
  partyCommitteeMin: Int,
  partyCommitteeMax: Int,
  partyCommitteeLimit: Int,
  smallBranchBelow: Int,
  villagerCommitteeMin: Int,
  villagerCommitteeMax: Int,
  residentCommitteeMin: Int,
  residentCommitteeMax: Int,
  minWomen: Int,
  youthAge: Int,
  minYouth: Int,
  minCollege: Int,
  oneShoulder: Type.Boolean(),
  crossHoldingMinPercent: Nullable(Int),
  minorityMember: Type.Boolean(),
  newMemberMaxAge: Nullable(Int),
})
const Overrides = Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Boolean(), Type.Null()]))
export const CompositionRulesReply = Type.Object({
  rules: Params,
  defaults: Params,
  overrides: Overrides,
  version: Int,
  labels: Type.Record(Type.String(), Type.String()),
  targets: Type.Array(Type.Object({ key: RuleKey, label: Type.String(), basis: Basis })),
})
export const CompositionRulesBody = Type.Object({ overrides: Overrides }, { additionalProperties: false })
