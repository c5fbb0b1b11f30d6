import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version } from '../../http/schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Campaign = Type.Object({ id: Type.String(), name: Type.String() })
/** A person added from the household register has the hukou here: category 3 (hukou elsewhere) is registered through the ordinary form. */
const HukouCategory = Type.Enum(['resident', 'away_opt_in'], { description: '新增人员的登记类别：户籍在本村并居住（默认）/ 户籍在本村、不在本村居住、本人表示参加选举' })
const Group = Type.String({ maxLength: 40, description: '村民小组（居民小组）' })
const Problem = Type.Object({ field: Type.String(), message: Type.String(), basis: Type.String() })

export const IdParams = Type.Object({ id: Id })
export const UnitParams = Type.Object({ unitCode: DivisionCode })

// ── proxies (委托投票) ──

export const ProxyQuery = Type.Object(
  {
    ...PageQuery,
    campaign: Type.Optional(Id),
    unitCode: Type.Optional(DivisionCode),
    townshipCode: Type.Optional(DivisionCode),
    status: Type.Optional(Type.Enum(['active', 'withdrawn'], { description: '默认 active（有效）；withdrawn 为已撤销' })),
  },
  { additionalProperties: false },
)

export const ProxyListQuery = Type.Object({ campaign: Type.Optional(Id), unitCode: DivisionCode }, { additionalProperties: false })

export const ProxyBody = Type.Object(
  {
    unitCode: DivisionCode,
    campaign: Type.Optional(Id),
    giverVoterId: Id,
    holderVoterId: Id,
    relation: Type.String({ minLength: 1, maxLength: 20, description: '受委托人是委托人的：spouse/parent/child/sibling/grandparent/grandchild，或“配偶”“儿子”等' }),
    reason: Type.String({ minLength: 1, maxLength: 200, description: '委托原因，须写明选举期间外出不能参加投票的情况，如“在外务工，选举日不能回村”' }),
    appliedOn: Day,
    giverAway: Type.Boolean({ description: '委托人选举期间外出、不能参加投票（必须勾选）' }),
  },
  { additionalProperties: false },
)

export const WithdrawBody = Type.Object({ version: Version, reason: Type.String({ minLength: 1, maxLength: 200, description: '撤销原因，如“委托人已返村，本人投票”' }) }, { additionalProperties: false })

const ProxyPerson = Type.Object({
  voterId: Type.String(),
  name: Type.String(),
  idNumber: Type.String({ description: '脱敏' }),
  villageGroup: Type.String(),
  status: Type.Enum(['active', 'removed'], { description: '在选民名单中的状态' }),
})

export const ProxyReply = Type.Object({
  id: Type.String(),
  campaignId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  giver: ProxyPerson,
  holder: ProxyPerson,
  relation: Type.String(),
  relationLabel: Type.String(),
  reason: Type.String(),
  appliedOn: Type.String(),
  approved: Type.Boolean({ description: '登记即经审核：只有通过全部规则检查的委托才能登记' }),
  status: Type.Enum(['active', 'withdrawn'], { description: '有效 / 已撤销' }),
  withdrawnReason: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
  warnings: Type.Array(Type.String(), { description: '登记后情况变化（如受委托人后来成为候选人、委托人已移出名单）' }),
  version: Type.Integer(),
})

export const ProxyPage = Type.Object({
  campaign: Campaign,
  roll: Type.Union([
    Type.Object({ unitCode: Type.String(), unitName: Type.String(), status: Type.String(), electionDay: Type.String(), deadline: Type.String({ description: '委托申请最迟日期（选举日前3日）' }) }),
    Type.Null(),
  ]),
  items: Type.Array(ProxyReply),
  total: Type.Integer(),
})

// ── polling stations and mobile boxes ──

const StationKind = Type.Enum(['central', 'station', 'mobile'], { description: '中心投票会场 / 投票站 / 流动票箱' })

export const StationQuery = Type.Object({ campaign: Type.Optional(Id), unitCode: Type.Optional(DivisionCode), townshipCode: Type.Optional(DivisionCode) }, { additionalProperties: false })

const stationFields = {
  kind: StationKind,
  name: Type.String({ minLength: 1, maxLength: 60, description: '如“中心会场（村委会）”“第三组投票站”“流动票箱一”' }),
  monitors: Type.Integer({ minimum: 0, maximum: 99, description: '监票人数（每个票箱不少于3人）' }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}

export const StationBody = Type.Object({ unitCode: DivisionCode, campaign: Type.Optional(Id), ...stationFields }, { additionalProperties: false })
export const StationPatch = Type.Object({ version: Version, ...stationFields }, { additionalProperties: false })
export const StationDeleteBody = Type.Object({ version: Version }, { additionalProperties: false })

export const AssignBody = Type.Object(
  {
    version: Version,
    voterIds: Type.Optional(Type.Array(Id, { maxItems: 20_000, description: '在此投票的选民；已在其他投票点的，改到此处' })),
    groups: Type.Optional(Type.Array(Group, { maxItems: 200, description: '按村民小组分配：该组尚未分配到其他投票点的在册选民' })),
  },
  { additionalProperties: false },
)

export const StationReply = Type.Object({
  id: Type.String(),
  campaignId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  kind: StationKind,
  kindLabel: Type.String(),
  name: Type.String(),
  monitors: Type.Integer(),
  note: Type.String(),
  voters: Type.Integer({ description: '在此投票的在册选民数' }),
  groups: Type.Array(Type.Object({ group: Type.String(), voters: Type.Integer() })),
  problems: Type.Array(Problem),
  version: Type.Integer(),
})

export const StationList = Type.Object({
  campaign: Campaign,
  items: Type.Array(StationReply),
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), voters: Type.Integer({ description: '在册选民数' }), unassigned: Type.Integer({ description: '尚未分配投票点的选民数' }) })),
})

export const AssignReply = Type.Object({
  station: StationReply,
  moved: Type.Array(Type.Object({ stationId: Type.String(), name: Type.String(), voters: Type.Integer() }), { description: '从其他投票点改到此处的选民，按原投票点' }),
  skipped: Type.Integer({ description: '按村民小组分配时，已在其他投票点而未改动的选民数' }),
})

// ── between rounds ──

const Change = Type.Enum(['add_turned_18', 'remove_deceased', 'remove_moved'], { description: '年满18周岁新增 / 死亡移出 / 迁出移出' })

export const Proposal = Type.Object({
  change: Change,
  changeLabel: Type.String(),
  reason: Type.String(),
  row: Type.Integer({ description: '户籍资料中的行号' }),
  name: Type.String(),
  idNumber: Type.Union([Type.String(), Type.Null()], { description: '新增时为完整身份证号（来自本人上传的文件，确认时原样带回）；移出时为空' }),
  idNumberMasked: Type.String(),
  villageGroup: Type.String(),
  birthDate: Type.String(),
  voterId: Type.Union([Type.String(), Type.Null()], { description: '移出时为本届名单中的选民' }),
  warning: Type.Union([Type.String(), Type.Null()], { description: '不宜直接确认的情况（如已在其他村登记）' }),
})

export const PreviewReply = Type.Object({
  campaign: Campaign,
  unitCode: Type.String(),
  unitName: Type.String(),
  electionDay: Type.String(),
  previous: Type.Union([Type.Object({ campaignId: Type.String(), campaignName: Type.String(), electionDay: Type.String() }), Type.Null()]),
  rows: Type.Integer({ description: '户籍资料中读到的人数' }),
  proposals: Type.Array(Proposal),
  notInRegister: Type.Array(Type.Object({ voterId: Type.String(), name: Type.String(), idNumber: Type.String(), villageGroup: Type.String() }), {
    description: '本届名单中户籍在本村（第一、二类）却不在户籍资料中的选民：可能已迁出，请核对（不自动提出）',
  }),
  notes: Type.Array(Type.String()),
})

export const ApplyBody = Type.Object(
  {
    unitCode: DivisionCode,
    campaign: Type.Optional(Id),
    proposals: Type.Array(
      Type.Object(
        {
          change: Change,
          voterId: Type.Optional(Id),
          idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          villageGroup: Type.Optional(Group),
          category: Type.Optional(HukouCategory),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20_000 },
    ),
  },
  { additionalProperties: false },
)

export const ApplyReply = Type.Object({ added: Type.Integer(), removed: Type.Integer(), unitCode: Type.String(), unitName: Type.String(), voters: Type.Integer({ description: '更新后在册选民数' }) })

export const CarryOverBody = Type.Object({ fromCampaign: Id, campaign: Type.Optional(Id) }, { additionalProperties: false })

const Left = Type.Object({ name: Type.String(), idNumber: Type.String({ description: '脱敏' }), villageGroup: Type.String(), messages: Type.Array(Type.String()) })

export const CarryOverReply = Type.Object({
  copied: Type.Integer(),
  unitCode: Type.String(),
  unitName: Type.String(),
  voters: Type.Integer({ description: '结转后在册选民数' }),
  failed: Type.Array(Left, { description: '按本届选举日复核不合格、未结转的选民' }),
  skipped: Type.Array(Left, { description: '已在本届名单中（本村或其他村）、未重复结转的选民' }),
})
