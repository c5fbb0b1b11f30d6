import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version, pageOf } from '../../http/schemas.ts'

export const RoleSchema = Type.Union([
  Type.Literal('county_admin'),
  Type.Literal('township_organiser'),
  Type.Literal('leader'),
  Type.Literal('contact_cadre'),
  Type.Literal('reviewer'),
  Type.Literal('auditor'),
])

export const UserReply = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  /** Masked: 138****5678. */
  phone: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  roleLabel: Type.String(),
  territoryCode: Type.String(),
  territoryName: Type.String(),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  unitCodes: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  locked: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
})

export const UserPage = pageOf(UserReply)

export const UserQuery = Type.Object(
  {
    ...PageQuery,
    keyword: Type.Optional(Type.String({ maxLength: 50 })),
    role: Type.Optional(RoleSchema),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    territoryCode: Type.Optional(DivisionCode),
  },
  { additionalProperties: false },
)

export const UserParams = Type.Object({ id: Id })

const Username = Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$', description: '3–32 位字母、数字、下划线、点或短横线' })
const DisplayName = Type.String({ minLength: 1, maxLength: 50 })
const Phone = Type.Union([Type.String({ pattern: '^1[3-9]\\d{9}$' }), Type.Null()])
const UnitCodes = Type.Array(DivisionCode, { maxItems: 200 })

export const UserBody = Type.Object(
  {
    username: Username,
    displayName: DisplayName,
    phone: Type.Optional(Phone),
    role: RoleSchema,
    territoryCode: DivisionCode,
    departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
    unitCodes: Type.Optional(UnitCodes),
  },
  { additionalProperties: false },
)

export const UserPatch = Type.Object(
  {
    version: Version,
    displayName: Type.Optional(DisplayName),
    phone: Type.Optional(Phone),
    role: Type.Optional(RoleSchema),
    territoryCode: Type.Optional(DivisionCode),
    departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
    unitCodes: Type.Optional(UnitCodes),
  },
  { additionalProperties: false },
)

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false })

export const UserStatusBody = Type.Object(
  { version: Version, status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) },
  { additionalProperties: false },
)

/** A generated password is shown once, to the admin who made it, and never stored in clear. */
export const CreatedUserReply = Type.Object({ user: UserReply, initialPassword: Type.String() })
