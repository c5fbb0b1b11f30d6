import { Type } from 'typebox'
import { Id, PageQuery, Version, pageOf } from '../../http/schemas.ts'
import { EvidenceReply, FindingReply, NomineeReply, StateCode } from '../nominee/schemas.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const BatchStatus = Type.Enum(['submitted', 'in_review', 'closed'], { description: 'submitted 已报送；in_review 联审中；closed 已办结' })
const RequestStatus = Type.Enum(['pending', 'answered', 'cancelled'], { description: 'pending 待反馈；answered 已反馈；cancelled 批次办结时撤回' })

export const BatchReply = Type.Object({
  id: Type.String(),
  townshipCode: Type.String(),
  townshipName: Type.String(),
  title: Type.String(),
  status: BatchStatus,
  submittedBy: Type.String(),
  submittedAt: Type.String(),
  openedAt: Nullable(Type.String()),
  deadline: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  nomineeCount: Type.Integer(),
  pendingCount: Type.Integer(),
  version: Type.Integer(),
})

export const RequestReply = Type.Object({
  id: Type.String(),
  batchId: Type.String(),
  nomineeId: Type.String(),
  name: Type.String(),
  idNumber: Type.String({ description: '脱敏' }),
  gender: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  age: Type.Integer(),
  politicalStatus: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  townshipName: Type.String(),
  bodyLabel: Type.String(),
  postLabel: Type.String(),
  nomineeState: StateCode,
  nomineeStateLabel: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  deadline: Type.String(),
  overdue: Type.Boolean(),
  status: RequestStatus,
  answeredBy: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
  version: Type.Integer(),
})

export const EvidenceDetail = Type.Intersect([EvidenceReply, Type.Object({ contentType: Type.String(), uploadedBy: Type.String(), uploadedAt: Type.String() })])

export const RequestDetail = Type.Intersect([RequestReply, Type.Object({ findings: Type.Array(FindingReply), evidence: Type.Array(EvidenceDetail) })])

export const BatchDetail = Type.Intersect([
  BatchReply,
  Type.Object({
    nominees: Type.Array(NomineeReply),
    requests: Type.Array(RequestReply),
    findings: Type.Array(Type.Intersect([Type.Object({ requestId: Type.String() }), FindingReply]), { description: '已反馈联审函的逐项结论' }),
    blockers: Type.Array(Type.String({ description: '办结前还需完成的事项' })),
  }),
])

export const BatchQuery = Type.Object({ status: Type.Optional(BatchStatus) }, { additionalProperties: false })
export const BatchParams = Type.Object({ id: Id })
export const SubmitBody = Type.Object(
  { nomineeIds: Type.Array(Id, { minItems: 1, maxItems: 500 }), title: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
)
export const OpenBody = Type.Object(
  { version: Version, deadlineWorkdays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, default: 5, description: '反馈期限（工作日），默认 5 个工作日' })) },
  { additionalProperties: false },
)
export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false })

export const RequestQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(RequestStatus),
    overdue: Type.Optional(Type.Boolean({ description: 'true：只看逾期未反馈的' })),
    batchId: Type.Optional(Id),
    departmentId: Type.Optional(Id),
    townshipCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
    keyword: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { additionalProperties: false },
)
export const RequestPage = pageOf(RequestReply)
export const RequestParams = Type.Object({ id: Id })
export const EvidenceParams = Type.Object({ id: Id, evidenceId: Id })
export const AnswerBody = Type.Object(
  {
    version: Version,
    findings: Type.Array(
      Type.Object({ circumstanceId: Id, found: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      { maxItems: 100 },
    ),
    paperReply: Type.Optional(Type.String({ maxLength: 200, description: '县级管理员代录纸质函复时必填：函复文号或日期' })),
  },
  { additionalProperties: false },
)
export const SummaryReply = Type.Array(
  Type.Object({ departmentId: Type.String(), departmentName: Type.String(), pending: Type.Integer(), overdue: Type.Integer(), answered: Type.Integer() }),
)
export const LedgerQuery = Type.Object({ batchId: Type.Optional(Id) }, { additionalProperties: false })
