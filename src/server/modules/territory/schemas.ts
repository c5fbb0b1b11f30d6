import { Type, type Static } from 'typebox'
import { DivisionCode, PageQuery, Version, pageOf } from '../../http/schemas.ts'

export const TerritoryReply = Type.Object({
  code: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  level: Type.Union([Type.Literal('county'), Type.Literal('township'), Type.Literal('unit')]),
  kind: Type.String(),
  kindLabel: Type.String(),
  name: Type.String(),
  initials: Type.String(),
  sort: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  /** A multi-ethnic unit's smaller ethnic group (GB 3304 code); null otherwise. */
  minorityEthnicity: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  updatedAt: Type.String(),
})

export const TerritoryPage = pageOf(TerritoryReply)

export const TerritoryQuery = Type.Object(
  {
    ...PageQuery,
    parentCode: Type.Optional(DivisionCode),
    level: Type.Optional(Type.Union([Type.Literal('county'), Type.Literal('township'), Type.Literal('unit')])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
    keyword: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { additionalProperties: false },
)
export type TerritoryQuery = Static<typeof TerritoryQuery>

export const TerritoryParams = Type.Object({ code: DivisionCode })

const Name = Type.String({ minLength: 1, maxLength: 50 })
const Kind = Type.String({ minLength: 1, maxLength: 20 })
const Sort = Type.Integer({ minimum: 0, maximum: 9999 })

export const TerritoryBody = Type.Object({ code: DivisionCode, name: Name, kind: Kind, sort: Type.Optional(Sort) }, { additionalProperties: false })

export const TerritoryPatch = Type.Object(
  {
    version: Version,
    name: Type.Optional(Name),
    kind: Type.Optional(Kind),
    sort: Type.Optional(Sort),
    minorityEthnicity: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{2}$', description: '多民族聚居村（社区）中人数较少民族的代码；不是多民族村则为 null' }), Type.Null()])),
  },
  { additionalProperties: false },
)

export const StatusBody = Type.Object(
  { version: Version, status: Type.Union([Type.Literal('active'), Type.Literal('retired')]) },
  { additionalProperties: false },
)

export const ImportReply = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() })
