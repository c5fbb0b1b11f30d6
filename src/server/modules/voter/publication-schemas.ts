import { Type } from 'typebox'
import { DivisionCode, Id, Version } from '../../http/schemas.ts'
import { RollReply } from './schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Campaign = Type.Object({ id: Type.String(), name: Type.String() })

export { IdParams, UnitParams } from './schemas.ts'

export const CampaignQuery = Type.Object({ campaign: Type.Optional(Id) }, { additionalProperties: false })

/** The roll with what its publication and freezing depend on. */
export const RollStateReply = Type.Object({
  ...RollReply.properties,
  term: Nullable(Type.Integer({ description: '第几届村（居）民委员会；未填时名单标题写届次年份' })),
  latestPublication: Type.String({ description: '最迟公布日期：选举日前 20 日' }),
  objectionsUntil: Nullable(Type.String({ description: '申诉截止日期：公布之日起 5 日内（未公布为 null）' })),
  undecidedObjections: Type.Integer({ description: '尚未作出处理决定的申诉件数' }),
  overdueObjections: Type.Integer({ description: '超过 3 日处理期限仍未决定的申诉件数' }),
  /** Why the roll cannot be frozen today, or null when it can. */
  freezeBlocked: Nullable(Type.String()),
})

export const PublishBody = Type.Object(
  {
    campaign: Type.Optional(Id),
    publishedOn: Day,
    term: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 99, description: '第几届（如第十二届填 12）；不填则名单标题写届次年份' }))),
    version: Version,
  },
  { additionalProperties: false },
)

export const FreezeBody = Type.Object({ campaign: Type.Optional(Id), version: Version }, { additionalProperties: false })

export const ListQuery = Type.Object(
  {
    campaign: Type.Optional(Id),
    group: Type.Optional(Type.String({ maxLength: 40, description: '只打印这个村民小组（空字符串：未填小组的选民）；不填则打印全部小组，每组另起一页' })),
  },
  { additionalProperties: false },
)

export const ObjectionQuery = Type.Object(
  { campaign: Type.Optional(Id), unitCode: Type.Optional(DivisionCode), townshipCode: Type.Optional(DivisionCode) },
  { additionalProperties: false },
)

export const ObjectionReply = Type.Object({
  id: Type.String(),
  campaignId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  voterId: Nullable(Type.String({ description: '申诉涉及名单中的选民；名单遗漏的人为 null' })),
  subjectName: Type.String({ description: '申诉涉及的人' }),
  /** The listed voter's group and status, when the objection is about one. */
  villageGroup: Nullable(Type.String()),
  voterStatus: Nullable(Type.Enum(['active', 'removed'])),
  objectorName: Type.String(),
  content: Type.String(),
  receivedOn: Type.String(),
  decisionDue: Type.String({ description: '处理期限：收到之日起 3 日内' }),
  upheld: Nullable(Type.Boolean()),
  decision: Nullable(Type.String()),
  decidedOn: Nullable(Type.String()),
  decisionPublishedOn: Nullable(Type.String()),
  overdue: Type.Boolean({ description: '超过处理期限仍未作出决定' }),
  version: Type.Integer(),
})

export const ObjectionList = Type.Object({ campaign: Campaign, items: Type.Array(ObjectionReply), total: Type.Integer(), overdue: Type.Integer() })

export const ObjectionBody = Type.Object(
  {
    unitCode: DivisionCode,
    campaign: Type.Optional(Id),
    voterId: Type.Optional(Id),
    subjectName: Type.Optional(Type.String({ maxLength: 128, description: '名单遗漏的人的姓名（不填 voterId 时必填）' })),
    objectorName: Type.String({ minLength: 1, maxLength: 128 }),
    content: Type.String({ minLength: 1, maxLength: 2000 }),
    receivedOn: Day,
  },
  { additionalProperties: false },
)

export const DecisionBody = Type.Object(
  {
    upheld: Type.Boolean({ description: '申诉是否成立' }),
    decision: Type.String({ minLength: 1, maxLength: 2000 }),
    decidedOn: Day,
    removeVoter: Type.Optional(Type.Boolean({ description: '申诉成立且涉及名单中的选民时，同时将其移出名单（同一事务）' })),
    version: Version,
  },
  { additionalProperties: false },
)

export const DecisionPublishedBody = Type.Object({ decisionPublishedOn: Day, version: Version }, { additionalProperties: false })
