import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version, pageOf } from '../../http/schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 })
const Name = Type.String({ minLength: 1, maxLength: 50 })
const Text = (max: number) => Type.String({ maxLength: max })

export const TallyBodyCode = Type.Enum(['party_committee', 'party_secretary', 'villager_committee', 'resident_committee'], {
  description: 'party_committee 党组织委员会委员；party_secretary 书记、副书记；villager_committee 村民委员会；resident_committee 居民委员会',
})
export const RoundCode = Type.Enum(['first', 'supplementary', 'revote'], { description: 'first 第一轮；supplementary 另行选举；revote 得票相等重新投票' })
export const TallyPostCode = Type.Enum(['secretary', 'deputy_secretary', 'member', 'director', 'deputy_director', 'woman_member'])
export const MarkCode = Type.Enum(['approve', 'disapprove', 'abstain'])
export const GenderCode = Type.Enum(['male', 'female'])
export const ElectionStatus = Type.Enum(['preparing', 'entering', 'entered', 'confirmed', 'announced'], {
  description: 'preparing 筹备（未开始计票）；entering 录入中；entered 已录入待核对；confirmed 已核对待公布；announced 已公布',
})
export const ResultState = Type.Enum(['draft', 'entered', 'confirmed', 'announced'])
export const NextCode = Type.Enum(['none', 'revote', 'supplementary', 'rerun'])

export const RuleOverrides = Type.Object(
  {
    quorumComparison: Type.Optional(Type.Enum(['>', '>='])),
    partySurplusRatio: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
    carryDown: Type.Optional(Type.Boolean()),
    supplementaryTurnoutRequired: Type.Optional(Type.Boolean()),
    womenFallback: Type.Optional(Type.Enum(['none', 'last_seat'])),
  },
  { additionalProperties: false },
)
export const Rules = Type.Object({
  quorumComparison: Type.Enum(['>', '>=']),
  partySurplusRatio: Type.Number(),
  carryDown: Type.Boolean(),
  supplementaryTurnoutRequired: Type.Boolean(),
  womenFallback: Type.Enum(['none', 'last_seat']),
})

const PostSeats = Type.Object({ post: TallyPostCode, seats: Type.Integer({ minimum: 1, maximum: 20 }) })

export const ElectionSummary = Type.Object({
  id: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  townshipName: Type.String(),
  body: TallyBodyCode,
  bodyLabel: Type.String(),
  round: RoundCode,
  roundLabel: Type.String(),
  parentId: Nullable(Type.String()),
  heldOn: Type.String(),
  place: Type.String(),
  entitled: Type.Integer(),
  present: Nullable(Type.Integer()),
  posts: Type.Array(Type.Object({ post: TallyPostCode, postLabel: Type.String(), seats: Type.Integer() })),
  candidateCount: Type.Integer(),
  status: ElectionStatus,
  statusLabel: Type.String(),
  /** What the latest announced count calls for. */
  next: Nullable(NextCode),
  version: Type.Integer(),
})

const Basis = Type.Object({ law: Type.String(), version: Type.String(), article: Type.String() })
export const TallyOutcome = Type.Object({
  valid: Type.Boolean(),
  invalidReasons: Type.Array(Type.String()),
  base: Type.Integer(),
  threshold: Type.Integer(),
  ballotsReturned: Type.Integer(),
  validBallots: Type.Integer(),
  voidBallots: Type.Integer(),
  results: Type.Array(
    Type.Object({
      candidateId: Nullable(Type.String()),
      name: Type.String(),
      post: TallyPostCode,
      approve: Type.Integer(),
      disapprove: Type.Integer(),
      abstain: Type.Integer(),
      elected: Type.Boolean(),
      carried: Type.Integer(),
      rank: Type.Integer(),
      explanation: Type.String(),
      basis: Type.Array(Basis),
    }),
  ),
  elected: Type.Array(Type.Object({ candidateId: Nullable(Type.String()), name: Type.String(), post: TallyPostCode })),
  unfilled: Type.Array(Type.Object({ post: TallyPostCode, seats: Type.Integer() })),
  tie: Type.Array(Type.Object({ post: TallyPostCode, seats: Type.Integer(), candidateIds: Type.Array(Nullable(Type.String())), names: Type.Array(Type.String()) })),
  next: NextCode,
  explanation: Type.Array(Type.String()),
  voidByReason: Type.Record(Type.String(), Type.Integer()),
  rules: Rules,
})

const Account = {
  printed: Count,
  issued: Count,
  returned: Count,
  spoiled: Count,
  unused: Count,
}
export const SheetSchema = Type.Object(
  {
    ...Account,
    stations: Type.Array(Type.Object({ stationId: Id, ...Account }, { additionalProperties: false }), { maxItems: 50 }),
    validBallots: Count,
    voidBallots: Count,
    candidates: Type.Record(Type.String({ pattern: '^\\d{1,18}$' }), Type.Object({ approve: Count, disapprove: Count, abstain: Count }, { additionalProperties: false })),
    writeIns: Type.Array(Type.Object({ name: Name, post: TallyPostCode, approve: Count }, { additionalProperties: false }), { maxItems: 100 }),
  },
  { additionalProperties: false },
)

export const ProblemReply = Type.Object({ rule: Type.String(), field: Type.String(), message: Type.String() })

export const ResultReply = Type.Object({
  id: Type.String(),
  electionId: Type.String(),
  mode: Type.Enum(['ballots', 'totals']),
  state: ResultState,
  stateLabel: Type.String(),
  correctsId: Nullable(Type.String()),
  correctedById: Nullable(Type.String()),
  correctionReason: Nullable(Type.String()),
  correctionBasis: Nullable(Type.String()),
  /** null while hidden from a second person who may still enter blind (see `hidden`). */
  sheet: Nullable(SheetSchema),
  hidden: Type.Boolean(),
  ballotCount: Type.Integer(),
  outcome: Nullable(TallyOutcome),
  problems: Type.Array(ProblemReply),
  discrepancyNote: Nullable(Type.String()),
  /** Why the count was last sent back for correction. */
  returnReason: Nullable(Type.String()),
  enteredBy: Type.String(),
  enteredByMe: Type.Boolean(),
  enteredAt: Nullable(Type.String()),
  confirmMode: Nullable(Type.Enum(['scan', 'double'])),
  confirmedBy: Nullable(Type.String()),
  confirmedAt: Nullable(Type.String()),
  scan: Nullable(Type.Object({ name: Type.String(), type: Type.String(), sha256: Type.String() })),
  announcedAt: Nullable(Type.String()),
  fingerprint: Nullable(Type.String()),
  chainHead: Nullable(Type.String()),
  /** Whether the signed-in user may confirm by blind double entry (not the enterer, never saw the figures). */
  canEnterBlind: Type.Boolean(),
  version: Type.Integer(),
})

export const ElectionDetail = Type.Intersect([
  ElectionSummary,
  Type.Object({
    unitKind: Type.String(),
    rules: Rules,
    ruleOverrides: RuleOverrides,
    decisionNote: Type.String(),
    approvalRef: Nullable(Type.String()),
    approvedOn: Nullable(Type.String()),
    revoteOf: Nullable(Type.Enum(['first', 'supplementary'])),
    candidates: Type.Array(
      Type.Object({
        id: Type.String(),
        post: TallyPostCode,
        postLabel: Type.String(),
        personId: Nullable(Type.String()),
        nomineeId: Nullable(Type.String()),
        name: Type.String(),
        gender: GenderCode,
        position: Type.Integer(),
      }),
    ),
    staff: Type.Array(Type.Object({ id: Type.String(), role: Type.Enum(['chief_monitor', 'monitor', 'counter', 'caller']), roleLabel: Type.String(), name: Type.String() })),
    stations: Type.Array(Type.Object({ id: Type.String(), kind: Type.Enum(['main', 'sub', 'mobile']), kindLabel: Type.String(), name: Type.String() })),
    results: Type.Array(ResultReply),
    /** Warnings before the vote: too few candidates for 差额, a woman-only post without a woman … */
    warnings: Type.Array(Type.String()),
    /** Whether candidates, posts and counts can still change (nothing entered yet). */
    editable: Type.Boolean(),
  }),
])

export const ElectionQuery = Type.Object({
  ...PageQuery,
  unitCode: Type.Optional(DivisionCode),
  body: Type.Optional(TallyBodyCode),
  status: Type.Optional(ElectionStatus),
})
export const ElectionPage = pageOf(ElectionSummary)
export const ElectionParams = Type.Object({ id: Id })

export const ElectionBody = Type.Object(
  {
    unitCode: DivisionCode,
    body: TallyBodyCode,
    heldOn: Day,
    place: Text(100),
    // Optional: a villagers'/residents' committee election takes it from the unit's voter roll when there is one.
    entitled: Type.Optional(Count),
    present: Type.Optional(Count),
    posts: Type.Array(PostSeats, { minItems: 1, maxItems: 4 }),
    rules: Type.Optional(RuleOverrides),
    decisionNote: Type.Optional(Text(1000)),
  },
  { additionalProperties: false },
)
export const ElectionPatchBody = Type.Object(
  {
    version: Version,
    heldOn: Type.Optional(Day),
    place: Type.Optional(Text(100)),
    entitled: Type.Optional(Count),
    present: Type.Optional(Nullable(Count)),
    posts: Type.Optional(Type.Array(PostSeats, { minItems: 1, maxItems: 4 })),
    rules: Type.Optional(RuleOverrides),
    decisionNote: Type.Optional(Text(1000)),
    approvalRef: Type.Optional(Nullable(Text(100))),
    approvedOn: Type.Optional(Nullable(Day)),
  },
  { additionalProperties: false },
)
export const CandidatesBody = Type.Object(
  {
    version: Version,
    candidates: Type.Array(
      Type.Object(
        { post: TallyPostCode, personId: Type.Optional(Id), nomineeId: Type.Optional(Id), name: Type.Optional(Name), gender: Type.Optional(GenderCode) },
        { additionalProperties: false },
      ),
      { maxItems: 60 },
    ),
  },
  { additionalProperties: false },
)
export const StaffBody = Type.Object(
  { version: Version, staff: Type.Array(Type.Object({ role: Type.Enum(['chief_monitor', 'monitor', 'counter', 'caller']), name: Name }, { additionalProperties: false }), { maxItems: 40 }) },
  { additionalProperties: false },
)
export const StationsBody = Type.Object(
  { version: Version, stations: Type.Array(Type.Object({ kind: Type.Enum(['main', 'sub', 'mobile']), name: Name }, { additionalProperties: false }), { maxItems: 50 }) },
  { additionalProperties: false },
)
export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false })
export const NewResultBody = Type.Object({ mode: Type.Enum(['ballots', 'totals']) }, { additionalProperties: false })
export const CopiesQuery = Type.Object({ copies: Type.Integer({ minimum: 1, maximum: 500, default: 1, description: '份数；份数多时可打印 1 份并在打印机中设置份数' }) })
export const FormatParams = Type.Object({ id: Id, format: Type.Enum(['docx', 'pdf']) })

export const ProgressQuery = Type.Object({ townshipCode: Type.Optional(DivisionCode) })
export const ProgressReply = Type.Object({
  units: Type.Array(
    Type.Object({
      unitCode: Type.String(),
      unitName: Type.String(),
      unitKind: Type.String(),
      bodies: Type.Array(
        Type.Object({
          body: TallyBodyCode,
          bodyLabel: Type.String(),
          electionId: Nullable(Type.String()),
          round: Nullable(RoundCode),
          heldOn: Nullable(Type.String()),
          status: Nullable(ElectionStatus),
          statusLabel: Type.String(),
          seats: Type.Integer(),
          elected: Type.Integer(),
          next: Nullable(NextCode),
        }),
      ),
    }),
  ),
  totals: Type.Object({ units: Type.Integer(), announced: Type.Integer(), inProgress: Type.Integer(), notStarted: Type.Integer() }),
})

const BallotSchema = Type.Object(
  {
    marks: Type.Optional(Type.Record(Type.String({ pattern: '^\\d{1,18}$' }), MarkCode)),
    writeIns: Type.Optional(Type.Array(Type.Object({ name: Name, post: TallyPostCode, gender: Type.Optional(GenderCode) }, { additionalProperties: false }), { maxItems: 20 })),
    void: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export const ResultParams = Type.Object({ id: Id })
export const ResultQuery = Type.Object({ reveal: Type.Optional(Type.Boolean({ description: '非录入人查看已录入数字（查看后不能再以背对背方式核对）' })) })
export const SheetBody = Type.Object({ version: Version, sheet: SheetSchema }, { additionalProperties: false })
export const BallotsBody = Type.Object({ ballots: Type.Array(BallotSchema, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false })
export const BallotsReply = Type.Object({ count: Type.Integer() })
export const BallotListReply = Type.Object({ items: Type.Array(Type.Object({ seq: Type.Integer(), ballot: BallotSchema })) })
export const SubmitBody = Type.Object({ version: Version, discrepancyNote: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, { additionalProperties: false })
export const ReturnBody = Type.Object({ version: Version, reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false })
export const ConfirmBody = Type.Union([
  Type.Object({ version: Version, mode: Type.Literal('scan') }, { additionalProperties: false }),
  Type.Object({ version: Version, mode: Type.Literal('double'), sheet: SheetSchema }, { additionalProperties: false }),
])
export const AnnounceBody = Type.Object(
  {
    version: Version,
    /** Elected write-ins (or candidates entered by name only), each tied to a person in the registry. */
    links: Type.Optional(Type.Array(Type.Object({ name: Name, post: TallyPostCode, personId: Id }, { additionalProperties: false }), { maxItems: 30 })),
  },
  { additionalProperties: false },
)
export const CorrectBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000 }), basis: Type.String({ minLength: 1, maxLength: 200, description: '更正的依据（文件名称和文号）' }) },
  { additionalProperties: false },
)
export const NextRoundBody = Type.Object(
  { heldOn: Type.Optional(Day), kind: Type.Optional(Type.Enum(['revote', 'supplementary'], { description: '默认按结果所需：得票相等先重新投票，未选足另行选举' })) },
  { additionalProperties: false },
)

export const TallyRulesReply = Type.Object({ rules: Rules, defaults: Rules, overrides: RuleOverrides, version: Type.Integer() })
export const TallyRulesBody = Type.Object({ overrides: RuleOverrides }, { additionalProperties: false })
