import { Type } from 'typebox'
import { DivisionCode, Id, Version } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

// Text lengths are checked (with Chinese field names) in the services; these bounds only stop
// absurd requests before they are parsed further.
const Text = (max: number) => Type.String({ maxLength: max * 2 })
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const ViewQuery = Type.Object(
  { territory: Type.Optional(Type.Union([DivisionCode], { description: '县的区划代码（县级）或乡镇的；默认本人所在' })), campaign: Type.Optional(Id) },
  { additionalProperties: false },
)
export const VersionQuery = Type.Object({ version: Version }, { additionalProperties: false })
export const IdParams = Type.Object({ id: Id })
const TerritoryReply = Type.Object({ code: Type.String(), name: Type.String(), level: Type.Enum(['county', 'township']) })

// ---- 部署会议 -------------------------------------------------------------------------------------

export const MeetingKind = Type.Enum(['mobilisation', 'training', 'progress_review', 'other'], { description: '动员部署会 / 业务培训会 / 党委会专题研究、进度调度会 / 其他' })
const DecisionFields = Type.Object(
  {
    id: Type.Optional(Id),
    content: Text(500),
    owner: Text(40),
    deadline: Type.Optional(Nullable(Day)),
    doneOn: Type.Optional(Nullable(Day)),
    doneNote: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
)
const MeetingFields = {
  kind: MeetingKind,
  title: Text(100),
  heldOn: Day,
  place: Text(100),
  host: Text(40),
  attendees: Type.Array(Text(60), { maxItems: 200, description: '参会人员（姓名或职务，如“各村党组织书记”）' }),
  attendeeCount: Type.Integer({ minimum: 0, maximum: 100_000, description: '参会人数' }),
  minutes: Text(20_000),
  decisions: Type.Array(DecisionFields, { maxItems: 50, description: '议定事项' }),
}
export const MeetingBody = Type.Object({ territory: Type.Optional(DivisionCode), campaign: Type.Optional(Id), ...MeetingFields }, { additionalProperties: false })
export const MeetingPatchBody = Type.Object({ version: Version, ...MeetingFields }, { additionalProperties: false })
export const DecisionParams = Type.Object({ id: Id, decisionId: Id })
export const DecisionDoneBody = Type.Object(
  { version: Version, doneOn: Nullable(Day), doneNote: Text(500) },
  { additionalProperties: false, description: '标记议定事项完成（doneOn 为 null 即撤销完成）；version 是会议的版本号' },
)

const DecisionStatus = Type.Enum(['done', 'overdue', 'open'])
export const DecisionReply = Type.Object({
  id: Id,
  seq: Type.Integer(),
  content: Type.String(),
  owner: Type.String(),
  deadline: Nullable(Type.String()),
  doneOn: Nullable(Type.String()),
  doneNote: Type.String(),
  status: DecisionStatus,
})
export const MeetingReply = Type.Object({
  id: Id,
  territoryCode: Type.String(),
  territoryName: Type.String(),
  level: Type.Enum(['county', 'township']),
  kind: MeetingKind,
  kindLabel: Type.String(),
  title: Type.String(),
  heldOn: Type.String(),
  place: Type.String(),
  host: Type.String(),
  attendees: Type.Array(Type.String()),
  attendeeCount: Type.Integer(),
  minutes: Type.String(),
  decisions: Type.Array(DecisionReply),
  canEdit: Type.Boolean(),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
})
export const MeetingListReply = Type.Object({
  campaign: CampaignReply,
  territory: TerritoryReply,
  today: Type.String(),
  canEdit: Type.Boolean(),
  meetings: Type.Array(MeetingReply),
  /** The decisions not yet done, across the meetings listed, the overdue first. */
  openDecisions: Type.Array(Type.Object({ ...DecisionReply.properties, meetingId: Id, meetingTitle: Type.String(), heldOn: Type.String(), meetingVersion: Type.Integer() })),
  kindLabels: Type.Record(Type.String(), Type.String()),
})

// ---- 文件资料 -------------------------------------------------------------------------------------

export const DocumentKind = Type.Enum(['plan', 'notice', 'handbook', 'other'], { description: '工作方案 / 通知 / 工作手册 / 其他' })
export const DocumentFields = {
  kind: DocumentKind,
  title: Text(100),
  docNumber: Text(40),
  issuedOn: Day,
  summary: Text(500),
  toAll: Type.Boolean({ description: '分发到发文单位辖区内全部村（社区）' }),
  unitCodes: Type.Array(DivisionCode, { maxItems: 2000, description: 'toAll 为 false 时选定的村（社区）' }),
}
/** Sent as the multipart field `meta` (JSON) before the file. */
export const DocumentMeta = Type.Object({ territory: Type.Optional(DivisionCode), campaign: Type.Optional(Id), ...DocumentFields }, { additionalProperties: false })
export const DocumentPatchBody = Type.Object({ version: Version, ...DocumentFields }, { additionalProperties: false })
export const DocumentQuery = Type.Object({ territory: Type.Optional(DivisionCode) }, { additionalProperties: false })
export const ReceiptBody = Type.Object({ unitCode: DivisionCode }, { additionalProperties: false })
export const ReceiptParams = Type.Object({ id: Id, unitCode: DivisionCode })

const Progress = Type.Object({ total: Type.Integer(), signed: Type.Integer(), unsigned: Type.Array(Type.String(), { description: '未签收的村（社区）名称' }) })
export const DocumentReply = Type.Object({
  id: Id,
  issuerCode: Type.String(),
  issuerName: Type.String(),
  kind: DocumentKind,
  kindLabel: Type.String(),
  title: Type.String(),
  docNumber: Type.String(),
  issuedOn: Type.String(),
  summary: Type.String(),
  toAll: Type.Boolean(),
  unitCodes: Type.Array(Type.String()),
  fileName: Type.String(),
  fileSize: Type.Integer(),
  contentType: Type.String(),
  canEdit: Type.Boolean(),
  progress: Progress,
  updatedBy: Type.String(),
  version: Type.Integer(),
})
export const ReceiptReply = Type.Object({
  unitCode: Type.String(),
  unitName: Type.String(),
  signedAt: Nullable(Type.String()),
  signedByName: Nullable(Type.String()),
  signedRole: Nullable(Type.String()),
})
export const DocumentDetailReply = Type.Object({ ...DocumentReply.properties, receipts: Type.Array(ReceiptReply), canSign: Type.Boolean(), canUndo: Type.Boolean() })
export const DocumentListReply = Type.Object({
  campaign: CampaignReply,
  territory: TerritoryReply,
  canIssue: Type.Boolean(),
  documents: Type.Array(DocumentReply),
  /** For a contact cadre: each of their units that has a document still to sign. */
  pending: Type.Array(Type.Object({ documentId: Id, title: Type.String(), kindLabel: Type.String(), docNumber: Type.String(), issuerName: Type.String(), issuedOn: Type.String(), unitCode: Type.String(), unitName: Type.String() })),
  /** The units a new document of this territory can go to. */
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  kindLabels: Type.Record(Type.String(), Type.String()),
  maxFileMb: Type.Integer(),
})

// ---- 百问百答 -------------------------------------------------------------------------------------

export const QaQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: '关键词（问题或答案中的字词，空格分隔多个）或问题的拼音首字母，如 xmdj' })),
    category: Type.Optional(Type.String({ maxLength: 40 })),
    page: Type.Integer({ minimum: 1, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  },
  { additionalProperties: false },
)
const QaFields = { category: Text(20), question: Text(200), answer: Text(5000), basis: Text(500) }
export const QaBody = Type.Object(QaFields, { additionalProperties: false })
export const QaPatchBody = Type.Object({ version: Version, ...QaFields }, { additionalProperties: false })
const Marks = Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), { description: '命中位置 [开始, 结束)（UTF-16 下标）' })
export const QaReply = Type.Object({
  id: Id,
  category: Type.String(),
  question: Type.String(),
  answer: Type.String(),
  basis: Type.String(),
  initials: Type.String(),
  questionMarks: Marks,
  answerMarks: Marks,
  updatedBy: Type.String(),
  version: Type.Integer(),
})
export const QaPage = Type.Object({
  items: Type.Array(QaReply),
  total: Type.Integer(),
  categories: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() })),
  canEdit: Type.Boolean(),
})
export const ImportReply = Type.Object({ created: Type.Integer() })
