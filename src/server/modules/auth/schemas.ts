import { Type } from 'typebox'
import { RoleSchema } from '../user/schemas.ts'

export const MeReply = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  roleLabel: Type.String(),
  countyCode: Type.String(),
  territoryCode: Type.String(),
  territoryName: Type.String(),
  territoryLevel: Type.Union([Type.Literal('county'), Type.Literal('township'), Type.Literal('unit')]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  unitCodes: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
})

export const SessionReply = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  territoryCode: Type.String(),
  ip: Type.String(),
  userAgent: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  current: Type.Boolean(),
})

export const LoginLogReply = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  ip: Type.String(),
  userAgent: Type.String(),
  success: Type.Boolean(),
  message: Type.String(),
  at: Type.String(),
})
