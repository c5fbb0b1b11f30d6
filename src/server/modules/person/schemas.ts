import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version, pageOf } from '../../http/schemas.ts'

const Gender = Type.Union([Type.Literal('1'), Type.Literal('2')])
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const PersonReply = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumber: Type.String({ description: '脱敏：前 4 位和后 4 位' }),
  birthDate: Type.String(),
  age: Type.Integer(),
  gender: Gender,
  ethnicity: Type.String(),
  education: Type.String(),
  politicalStatus: Type.String(),
  partyJoinedOn: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  unitCode: Type.String(),
  unitName: Type.String(),
  reserveCadre: Type.Boolean(),
  /** Only in the single-person reply: current posts, e.g. 东营子村党组织书记. */
  posts: Type.Optional(Type.Array(Type.String(), { description: '现任职务（仅查看单人时返回）' })),
  version: Type.Integer(),
})

export const PersonPage = pageOf(PersonReply)

export const PersonQuery = Type.Object(
  {
    ...PageQuery,
    unitCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: '村（社区）或乡镇（苏木、街道）的 12 位代码' })),
    keyword: Type.Optional(Type.String({ maxLength: 50 })),
    reserveCadre: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const PersonParams = Type.Object({ id: Id })

const Code = Type.String({ minLength: 1, maxLength: 4 })
const Phone = Type.Union([Type.String({ pattern: '^1[3-9]\\d{9}$' }), Type.Null()])

export const PersonBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    idNumber: Type.String({ minLength: 1, maxLength: 40 }),
    ethnicity: Code,
    education: Code,
    politicalStatus: Code,
    partyJoinedOn: Type.Optional(Type.Union([Day, Type.Null()])),
    phone: Type.Optional(Phone),
    unitCode: DivisionCode,
    reserveCadre: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const PersonPatch = Type.Object(
  {
    version: Version,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    ethnicity: Type.Optional(Code),
    education: Type.Optional(Code),
    politicalStatus: Type.Optional(Code),
    partyJoinedOn: Type.Optional(Type.Union([Day, Type.Null()])),
    phone: Type.Optional(Phone),
    unitCode: Type.Optional(DivisionCode),
    reserveCadre: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const SearchBody = Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false })
export const SearchReply = Type.Object({ person: Type.Union([PersonReply, Type.Null()]) })
export const RevealReply = Type.Object({ idNumber: Type.String() })
