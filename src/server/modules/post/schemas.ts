import { Type } from 'typebox'
import { BodyCode, PostCode } from '../nominee/schemas.ts'

export const HoldingReply = Type.Object({
  id: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  personId: Type.String(),
  name: Type.String(),
  idNumber: Type.String({ description: '脱敏' }),
  gender: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  age: Type.Integer(),
  politicalStatus: Type.String(),
  education: Type.String(),
  body: BodyCode,
  bodyLabel: Type.String(),
  post: PostCode,
  postLabel: Type.String(),
  since: Type.Union([Type.String(), Type.Null()]),
  /** The day a newly elected team took over; null while held. */
  endedOn: Type.Union([Type.String(), Type.Null()]),
  /** Elected at an announced count (null: entered or imported by hand). */
  resultId: Type.Union([Type.String(), Type.Null()]),
})
