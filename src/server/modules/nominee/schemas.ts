import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version, pageOf } from '../../http/schemas.ts'

export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
export const BodyCode = Type.Union([Type.Literal('party'), Type.Literal('committee')], { description: 'party 党组织委员会；committee 村（居）民委员会' })
export const PostCode = Type.Enum(['secretary', 'deputy_secretary', 'chair', 'vice_chair', 'member'], {
  description: '党组织：secretary 书记 / deputy_secretary 副书记 / member 委员；村（居）委会：chair 主任 / vice_chair 副主任 / member 委员',
})
export const PutForwardCode = Type.Enum(['party_members', 'villagers', 'organisation', 'joint', 'self'], {
  description: 'party_members 党员推荐；villagers 群众推荐；organisation 组织推荐；joint 代表联名推荐；self 个人自荐',
})
export const StateCode = Type.Enum(['draft', 'submitted', 'under_review', 'qualified', 'disqualified', 'in_notice', 'candidate', 'withdrawn'])
const Reason = Type.String({ minLength: 1, maxLength: 500 })
const LongText = Type.String({ minLength: 1, maxLength: 2000 })

export const NomineeReply = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  name: Type.String(),
  idNumber: Type.String({ description: '脱敏' }),
  gender: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  age: Type.Integer(),
  education: Type.String(),
  politicalStatus: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  townshipCode: Type.String(),
  townshipName: Type.String(),
  body: BodyCode,
  bodyLabel: Type.String(),
  post: Type.String(),
  postLabel: Type.String(),
  putForward: Type.String(),
  putForwardLabel: Type.String(),
  note: Type.String(),
  state: StateCode,
  stateLabel: Type.String(),
  batchId: Nullable(Type.String()),
  noticeId: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  withdrawReason: Nullable(Type.String()),
  decision: Nullable(Type.Union([Type.Literal('qualified'), Type.Literal('disqualified')])),
  decisionReason: Nullable(Type.String()),
  version: Type.Integer(),
})

export const ObjectionReply = Type.Object({
  id: Type.String(),
  receivedOn: Type.String(),
  content: Type.String(),
  handling: Nullable(Type.String()),
  upheld: Nullable(Type.Boolean()),
  handledOn: Nullable(Type.String()),
  version: Type.Integer(),
})

export const TalkReply = Type.Object({
  id: Type.String(),
  talkedOn: Type.String(),
  talkers: Type.String(),
  content: Type.String(),
  response: Type.String(),
  recordedBy: Type.String(),
})

export const FindingReply = Type.Object({
  circumstanceId: Type.String(),
  text: Type.String(),
  severity: Type.Union([Type.Literal('bar'), Type.Literal('discourage')]),
  found: Nullable(Type.Boolean()),
  note: Type.String(),
})

export const EvidenceReply = Type.Object({ id: Type.String(), fileName: Type.String(), size: Type.Integer() })

export const NomineeDetail = Type.Intersect([
  NomineeReply,
  Type.Object({
    outcome: Nullable(Type.Enum(['pending', 'qualified', 'disqualified', 'county_decision'])),
    needsDecision: Type.Boolean(),
    needsTalk: Type.Boolean(),
    reviews: Type.Array(
      Type.Object({
        id: Type.String(),
        departmentId: Type.String(),
        departmentName: Type.String(),
        deadline: Type.String(),
        status: Type.String(),
        answeredBy: Nullable(Type.String()),
        answeredAt: Nullable(Type.String()),
        findings: Type.Array(FindingReply),
        evidence: Type.Array(EvidenceReply),
      }),
    ),
    objections: Type.Array(ObjectionReply),
    talks: Type.Array(TalkReply),
  }),
])

export const NomineePage = pageOf(NomineeReply)

export const NomineeQuery = Type.Object(
  {
    ...PageQuery,
    unitCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: '村（社区）或乡镇的 12 位代码' })),
    state: Type.Optional(StateCode),
    batchId: Type.Optional(Id),
    keyword: Type.Optional(Type.String({ maxLength: 50 })),
    awaiting: Type.Optional(Type.Enum(['talk', 'decision'], { description: 'talk 审查未通过尚未谈话；decision 待县级决定' })),
  },
  { additionalProperties: false },
)

export const NomineeSummary = Type.Object({
  byState: Type.Record(Type.String(), Type.Integer(), { description: '各状态人数' }),
  awaitingDecision: Type.Integer({ description: '待县级决定' }),
  awaitingTalk: Type.Integer({ description: '审查未通过、尚未谈话' }),
})

export const NomineeParams = Type.Object({ id: Id })

export const NomineeBody = Type.Object(
  { personId: Id, unitCode: DivisionCode, body: BodyCode, post: PostCode, putForward: PutForwardCode, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
)

export const NomineePatchBody = Type.Object(
  { version: Version, body: Type.Optional(BodyCode), post: Type.Optional(PostCode), putForward: Type.Optional(PutForwardCode), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
)

export const ReasonBody = Type.Object({ version: Version, reason: Reason }, { additionalProperties: false })

export const DecisionBody = Type.Object(
  { version: Version, verdict: Type.Union([Type.Literal('qualified'), Type.Literal('disqualified')]), reason: Reason },
  { additionalProperties: false },
)

export const ObjectionBody = Type.Object({ receivedOn: Day, content: LongText }, { additionalProperties: false })
export const ObjectionParams = Type.Object({ id: Id, objectionId: Id })
export const HandleObjectionBody = Type.Object({ version: Version, handling: LongText, upheld: Type.Boolean(), handledOn: Day }, { additionalProperties: false })

export const TalkBody = Type.Object(
  { talkedOn: Day, talkers: Type.String({ minLength: 1, maxLength: 200 }), content: LongText, response: LongText },
  { additionalProperties: false },
)
