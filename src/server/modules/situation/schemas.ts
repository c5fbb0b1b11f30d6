import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Note = Type.String({ maxLength: 2000 })
const Opinions = Type.String({ maxLength: 4000, description: '个人意见：只有本乡镇和纪检审计员可见' })
const PersonName = Type.String({ minLength: 1, maxLength: 64 })
const Rating = Type.Enum(['good', 'fair', 'poor'], { description: '好 / 一般 / 差' })
const Level = Type.Enum(['low', 'medium', 'high'], { description: '一般村（低风险）/ 重点村（中风险）/ 难点村（高风险）' })
const RiskCategory = Type.Enum(['clan', 'petition', 'vote_buying', 'disunity', 'other'], { description: '宗族派性 / 信访矛盾 / 拉票贿选苗头 / 班子不团结 / 其他' })
const RiskStatus = Type.Enum(['open', 'resolved'], { description: '未化解 / 已化解' })
const VisitCategory = Type.Enum(['party_veteran', 'villager', 'hardship', 'petitioner'], { description: '老党员 / 村民（群众）代表 / 困难群众 / 信访户' })
const Intention = Type.Enum(['continue', 'other_post', 'withdraw', 'undecided'], { description: '拟继续参选 / 拟参选其他职务 / 拟退出 / 未表态' })
const Phone = Type.Union([Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$', description: '手机号或固定电话' }), Type.Null()])
/** 0 creates the unit's assessment; otherwise the version the editor opened. */
const SaveVersion = Type.Integer({ minimum: 0, description: '新建为 0；修改时原样带回' })
const Township = { township: Type.Optional(DivisionCode), campaign: Type.Optional(Id) }
const Named = Type.Object({ code: Type.String(), name: Type.String() })
const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description })

export const IdParams = Type.Object({ id: Id })
export const UnitParams = Type.Object({ unitCode: DivisionCode })
export const TownshipQuery = Type.Object(Township, { additionalProperties: false })

export const UnitsReply = Type.Object({
  campaign: CampaignReply,
  today: Type.String(),
  /** The units the user may file visits and talks for (a contact cadre: the assigned ones). */
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), townshipName: Type.String() })),
})

export const CoverageReply = Type.Object({
  campaign: CampaignReply,
  township: Named,
  today: Type.String(),
  /** Whether this user reads visit and talk opinions (township users and the auditor). */
  opinionsVisible: Type.Boolean(),
  canAssess: Type.Boolean(),
  canFile: Type.Boolean(),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      counts: Counts('各类走访户数'),
      visits: Type.Integer(),
      missing: Type.Array(VisitCategory, { description: '没有走访的类别（标红）' }),
      talks: Type.Integer(),
      level: Type.Union([Level, Type.Null()], { description: '研判的风险等级；未研判为 null' }),
      openRisks: Type.Integer(),
      overdueRisks: Type.Integer(),
    }),
  ),
  totals: Type.Object({
    units: Type.Integer(),
    visits: Type.Integer(),
    byCategory: Counts('各类走访合计'),
    complete: Type.Integer({ description: '四类都已走访的村（社区）数' }),
    incomplete: Type.Integer(),
    talks: Type.Integer(),
    assessed: Type.Integer(),
    byLevel: Counts('各风险等级的村（社区）数'),
    openRisks: Type.Integer(),
    overdueRisks: Type.Integer(),
  }),
})

export const AssessmentBody = Type.Object(
  {
    campaign: Type.Optional(Id),
    development: Rating,
    developmentNote: Note,
    stability: Rating,
    stabilityNote: Note,
    credibility: Rating,
    credibilityNote: Note,
    raisedLevel: Type.Union([Level, Type.Null()], { description: '乡镇调高后的等级（只能调高）；不调整为 null' }),
    raiseReason: Note,
    measures: Note,
    assessedOn: Type.Optional(Day),
    version: SaveVersion,
  },
  { additionalProperties: false },
)
export const AssessmentReply = Type.Object({
  id: Id,
  unitCode: Type.String(),
  unitName: Type.String(),
  development: Rating,
  developmentNote: Type.String(),
  stability: Rating,
  stabilityNote: Type.String(),
  credibility: Rating,
  credibilityNote: Type.String(),
  computedLevel: Level,
  /** Why the rule gave the computed level: 稳定情况差 … */
  reasons: Type.Array(Type.String()),
  raisedLevel: Type.Union([Level, Type.Null()]),
  raiseReason: Type.String(),
  /** The level that counts: the higher of computed and raised. */
  level: Level,
  measures: Type.String(),
  assessedOn: Type.String(),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
})
export const AssessmentList = Type.Object({ township: Named, items: Type.Array(AssessmentReply) })

const riskFields = {
  category: RiskCategory,
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  owner: Type.String({ minLength: 1, maxLength: 64, description: '责任人' }),
  deadline: Day,
  status: RiskStatus,
  resolution: Note,
  resolvedOn: Type.Union([Day, Type.Null()]),
}
export const RiskBody = Type.Object({ unitCode: DivisionCode, campaign: Type.Optional(Id), ...riskFields }, { additionalProperties: false })
export const RiskPatchBody = Type.Object({ ...riskFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
export const RiskQuery = Type.Object(
  { ...Township, unit: Type.Optional(DivisionCode), status: Type.Optional(RiskStatus), overdue: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export const RiskReply = Type.Object({
  id: Id,
  unitCode: Type.String(),
  unitName: Type.String(),
  category: RiskCategory,
  description: Type.String(),
  owner: Type.String(),
  deadline: Type.String(),
  status: RiskStatus,
  resolution: Type.String(),
  resolvedOn: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
})
export const RiskList = Type.Object({ township: Named, items: Type.Array(RiskReply) })

const Private = (description: string) => Type.Union([Type.String(), Type.Null()], { description: `${description}；无权查看时为 null` })

const visitFields = {
  category: VisitCategory,
  visitee: PersonName,
  phone: Type.Optional(Phone),
  visitedOn: Day,
  opinions: Opinions,
  followUpNeeded: Type.Boolean(),
  followUp: Note,
}
export const VisitBody = Type.Object({ unitCode: DivisionCode, campaign: Type.Optional(Id), ...visitFields }, { additionalProperties: false })
export const VisitPatchBody = Type.Object(
  { ...visitFields, followUpDoneOn: Type.Union([Day, Type.Null()], { description: '跟进办结日期；未办结为 null' }), followUpResult: Note, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
export const VisitQuery = Type.Object(
  { ...Township, unit: Type.Optional(DivisionCode), category: Type.Optional(VisitCategory), followUp: Type.Optional(Type.Enum(['open', 'done'], { description: '待跟进 / 已办结' })), ...PageQuery },
  { additionalProperties: false },
)
const visitReply = {
  id: Id,
  unitCode: Type.String(),
  unitName: Type.String(),
  category: VisitCategory,
  /** A 信访户's name shows as 王** to those who may not read the opinions. */
  visitee: Type.String(),
  visitedOn: Type.String(),
  opinions: Private('走访对象的意见'),
  followUpNeeded: Type.Boolean(),
  followUp: Private('需跟进事项'),
  followUpDoneOn: Type.Union([Type.String(), Type.Null()]),
  followUpResult: Private('跟进结果'),
  /** The personal fields are withheld from this user. */
  hidden: Type.Boolean(),
  filedBy: Type.String(),
  filedAt: Type.String(),
  version: Type.Integer(),
}
/** A list row: never a phone number. */
export const VisitRow = Type.Object(visitReply, { additionalProperties: false })
/** One visit: the phone too, for those who may read it. */
export const VisitReply = Type.Object({ ...visitReply, phone: Private('联系电话') }, { additionalProperties: false })
export const VisitPage = Type.Object({ township: Named, opinionsVisible: Type.Boolean(), items: Type.Array(VisitRow), total: Type.Integer() })

const talkFields = {
  talkedOn: Day,
  cadreName: PersonName,
  cadrePost: Type.String({ maxLength: 40, description: '现任职务，如村党支部书记' }),
  personId: Type.Optional(Type.Union([Id, Type.Null()], { description: '从本村现任班子中选择时的人员编号' })),
  talker: Type.String({ minLength: 1, maxLength: 64, description: '谈话人' }),
  intention: Intention,
  opinions: Opinions,
  followUp: Note,
}
export const TalkBody = Type.Object({ unitCode: DivisionCode, campaign: Type.Optional(Id), ...talkFields }, { additionalProperties: false })
export const TalkPatchBody = Type.Object({ ...talkFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
export const TalkQuery = Type.Object({ ...Township, unit: Type.Optional(DivisionCode), intention: Type.Optional(Intention) }, { additionalProperties: false })
export const TalkReply = Type.Object(
  {
    id: Id,
    unitCode: Type.String(),
    unitName: Type.String(),
    talkedOn: Type.String(),
    cadreName: Type.String(),
    cadrePost: Type.String(),
    personId: Type.Union([Type.String(), Type.Null()]),
    talker: Type.String(),
    intention: Intention,
    opinions: Private('谈话对象的个人意见'),
    followUp: Private('后续跟进'),
    hidden: Type.Boolean(),
    filedBy: Type.String(),
    filedAt: Type.String(),
    version: Type.Integer(),
  },
  { additionalProperties: false },
)
export const TalkList = Type.Object({ township: Named, opinionsVisible: Type.Boolean(), items: Type.Array(TalkReply) })
