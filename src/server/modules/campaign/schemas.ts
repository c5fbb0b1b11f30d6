import { Type } from 'typebox'
import { Id, Version } from '../../http/schemas.ts'

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })

export const CampaignReply = Type.Object({
  id: Id,
  year: Type.Integer(),
  name: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.Union([Type.String(), Type.Null()]),
  referenceDate: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
  version: Type.Integer(),
})

const fields = {
  year: Type.Integer({ minimum: 2000, maximum: 2100, description: '换届年度' }),
  name: Type.String({ minLength: 1, maxLength: 60 }),
  startsOn: DateString,
  endsOn: Type.Optional(Type.Union([DateString, Type.Null()])),
  referenceDate: Type.Optional(Type.Union([DateString, Type.Null()], { description: '年龄计算基准日；不填则按各村选举日' })),
}
export const CampaignBody = Type.Object(fields, { additionalProperties: false })
export const CampaignPatchBody = Type.Object({ ...fields, version: Version }, { additionalProperties: false })
export const CampaignParams = Type.Object({ id: Id })
export const CampaignList = Type.Object({ items: Type.Array(CampaignReply) })
