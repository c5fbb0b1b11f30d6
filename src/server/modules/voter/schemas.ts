import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version } from '../../http/schemas.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const NullableDay = Type.Union([Day, Type.Null()])
const Category = Type.Enum(['resident', 'away_opt_in', 'non_hukou'], {
  description: '户籍在本村并居住 / 户籍在本村、不在本村居住、本人表示参加选举 / 户籍不在本村、居住一年以上、经村民会议同意',
})
const Group = Type.String({ maxLength: 40, description: '村民小组（居民小组），如“第三组”' })
const Note = Type.String({ maxLength: 500 })
const RollStatus = Type.Enum(['draft', 'published', 'frozen'], { description: '未公布 / 已公布 / 已冻结（选举开始）' })
const ByCategory = Type.Object({ resident: Type.Integer(), away_opt_in: Type.Integer(), non_hukou: Type.Integer() })
const Campaign = Type.Object({ id: Type.String(), name: Type.String() })

export const IdParams = Type.Object({ id: Id })
export const UnitParams = Type.Object({ unitCode: DivisionCode })

export const VoterReply = Type.Object({
  id: Type.String(),
  campaignId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  name: Type.String(),
  idNumber: Type.String({ description: '脱敏：前 4 位和后 4 位' }),
  gender: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  birthDate: Type.String(),
  age: Type.Union([Type.Integer(), Type.Null()], { description: '到选举日的周岁' }),
  villageGroup: Type.String(),
  category: Category,
  livingSince: Type.Union([Type.String(), Type.Null()]),
  meetingApprovedOn: Type.Union([Type.String(), Type.Null()]),
  deprived: Type.Boolean(),
  note: Type.String(),
  status: Type.Enum(['active', 'removed']),
  removedReason: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
})

export const RollReply = Type.Object({
  campaignId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  status: RollStatus,
  electionDay: Type.String(),
  publishedOn: Type.Union([Type.String(), Type.Null()]),
  frozenAt: Type.Union([Type.String(), Type.Null()]),
  voters: Type.Integer({ description: '在册选民数' }),
  version: Type.Integer(),
})

export const VoterQuery = Type.Object(
  {
    ...PageQuery,
    campaign: Type.Optional(Id),
    unitCode: Type.Optional(DivisionCode),
    townshipCode: Type.Optional(DivisionCode),
    group: Type.Optional(Group),
    q: Type.Optional(Type.String({ maxLength: 40, description: '姓名开头的字，或姓名拼音首字母（如 zs 找到张三）' })),
    category: Type.Optional(Category),
    status: Type.Optional(Type.Enum(['active', 'removed'], { description: '默认 active（在册）；removed 为已移出' })),
  },
  { additionalProperties: false },
)

export const VoterPage = Type.Object({
  campaign: Campaign,
  /** The unit's roll when the list is of one unit. */
  roll: Type.Union([RollReply, Type.Null()]),
  items: Type.Array(VoterReply),
  total: Type.Integer(),
})

const fields = {
  name: Type.String({ minLength: 1, maxLength: 128 }),
  villageGroup: Type.Optional(Group),
  category: Category,
  livingSince: Type.Optional(NullableDay),
  meetingApprovedOn: Type.Optional(NullableDay),
  deprived: Type.Optional(Type.Boolean({ description: '依法被剥夺政治权利（是则不能登记）' })),
  note: Type.Optional(Note),
}

export const VoterBody = Type.Object(
  {
    campaign: Type.Optional(Id),
    unitCode: DivisionCode,
    idNumber: Type.String({ minLength: 1, maxLength: 40 }),
    ...fields,
  },
  { additionalProperties: false },
)

export const VoterPatch = Type.Object({ version: Version, ...fields }, { additionalProperties: false })

export const RemoveBody = Type.Object({ version: Version, reason: Type.String({ minLength: 1, maxLength: 200, description: '如：死亡、户籍迁出、重复登记' }) }, { additionalProperties: false })

export const RollBody = Type.Object(
  {
    campaign: Type.Optional(Id),
    electionDay: Day,
    version: Type.Integer({ minimum: 0, description: '新建名单为 0；修改时原样带回' }),
  },
  { additionalProperties: false },
)

export const LookupBody = Type.Object(
  {
    campaign: Type.Optional(Id),
    idNumber: Type.Optional(Type.String({ maxLength: 40, description: '完整身份证号（放在请求体中，不进网址和日志）' })),
    name: Type.Optional(Type.String({ maxLength: 128, description: '不填身份证号时按姓名在本辖区内查找' })),
  },
  { additionalProperties: false },
)

export const LookupReply = Type.Object({
  result: Type.Enum(['registered', 'elsewhere', 'none'], { description: '已在本辖区登记 / 已在其他乡镇登记（不显示详情）/ 未登记' }),
  message: Type.String(),
  voters: Type.Array(
    Type.Object({
      name: Type.String(),
      idNumber: Type.String({ description: '脱敏' }),
      unitCode: Type.String(),
      unitName: Type.String(),
      townshipName: Type.String(),
      villageGroup: Type.String(),
      category: Category,
    }),
  ),
})

export const SummaryQuery = Type.Object(
  { campaign: Type.Optional(Id), unitCode: Type.Optional(DivisionCode), townshipCode: Type.Optional(DivisionCode) },
  { additionalProperties: false },
)

export const SummaryReply = Type.Object({
  campaign: Campaign,
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      roll: Type.Union([Type.Object({ status: RollStatus, electionDay: Type.String(), publishedOn: Type.Union([Type.String(), Type.Null()]), version: Type.Integer() }), Type.Null()]),
      total: Type.Integer(),
      byCategory: ByCategory,
      groups: Type.Array(Type.Object({ group: Type.String(), total: Type.Integer(), byCategory: ByCategory })),
    }),
  ),
  totals: Type.Object({ units: Type.Integer(), withRoll: Type.Integer(), voters: Type.Integer(), byCategory: ByCategory }),
})

export const ImportReply = Type.Object({ created: Type.Integer(), unitCode: Type.String(), unitName: Type.String(), voters: Type.Integer({ description: '导入后在册选民数' }) })
