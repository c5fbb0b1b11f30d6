import { Type } from 'typebox'
import { DivisionCode, Id, Version } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

const Role = Type.Enum(['first_responsible', 'head', 'deputy', 'responsible', 'member'], { description: '第一责任人 / 组长 / 副组长 / 具体责任人 / 成员' })
const Member = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 20 }), title: Type.String({ maxLength: 40 }), role: Role, department: Type.String({ maxLength: 40 }) },
  { additionalProperties: false },
)
const GroupFields = {
  name: Type.String({ minLength: 1, maxLength: 40 }),
  members: Type.Array(Member, { maxItems: 60 }),
  unitCodes: Type.Array(DivisionCode, { maxItems: 100, description: '指导组联系的村（社区）' }),
  duties: Type.String({ maxLength: 2000 }),
}

export const OrganisationQuery = Type.Object({ township: Type.Optional(DivisionCode), campaign: Type.Optional(Id) }, { additionalProperties: false })
export const GroupBody = Type.Object({ township: DivisionCode, campaign: Type.Optional(Id), kind: Type.Enum(['leading', 'guidance']), ...GroupFields }, { additionalProperties: false })
export const GroupPatchBody = Type.Object({ version: Version, ...GroupFields }, { additionalProperties: false })
export const GroupParams = Type.Object({ id: Id })

export const GroupReply = Type.Object({
  id: Id,
  kind: Type.Enum(['leading', 'guidance']),
  name: Type.String(),
  members: Type.Array(Member),
  unitCodes: Type.Array(Type.String()),
  duties: Type.String(),
  updatedBy: Type.String(),
  version: Type.Integer(),
})
export const OrganisationReply = Type.Object({
  campaign: CampaignReply,
  township: Type.Object({ code: Type.String(), name: Type.String() }),
  canEdit: Type.Boolean(),
  leading: Type.Union([GroupReply, Type.Null()]),
  guidance: Type.Array(GroupReply),
  /** Each unit's 包村 leader and cadre (from the users' assigned units) and its guidance group. */
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), leaders: Type.Array(Type.String()), cadres: Type.Array(Type.String()), guidance: Type.Union([Type.String(), Type.Null()]) })),
  roleLabels: Type.Record(Type.String(), Type.String()),
})
