import { Type } from 'typebox'
import { NomineeReply } from '../nominee/schemas.ts'

export const NoticeReply = Type.Object({
  id: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  issuer: Type.String(),
  startOn: Type.String(),
  endOn: Type.String(),
  contact: Type.String(),
  status: Type.Enum(['open', 'closed']),
  nomineeCount: Type.Integer(),
  version: Type.Integer(),
})
export const NoticeDetail = Type.Intersect([
  NoticeReply,
  Type.Object({ nominees: Type.Array(Type.Intersect([NomineeReply, Type.Object({ objections: Type.Integer(), openObjections: Type.Integer() })])) }),
])
