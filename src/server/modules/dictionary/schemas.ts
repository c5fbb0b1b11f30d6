import { Type } from 'typebox'

export const DictEntryReply = Type.Object({
  type: Type.String(),
  typeLabel: Type.String(),
  code: Type.String(),
  label: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
})

export const DictQuery = Type.Object(
  { type: Type.Optional(Type.Union([Type.Literal('ethnicity'), Type.Literal('education'), Type.Literal('political_status'), Type.Literal('gender')])) },
  { additionalProperties: false },
)
