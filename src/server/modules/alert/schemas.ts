import { Type } from 'typebox'

const Kind = Type.Union([Type.Literal('wecom'), Type.Literal('dingtalk'), Type.Null()], { description: '企业微信 / 钉钉群机器人；null 不推送' })

export const AlertsReply = Type.Object({
  date: Type.String(),
  reportHour: Type.Integer(),
  afterHour: Type.Boolean(),
  townships: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      missing: Type.Array(Type.String()),
      overdue: Type.Array(Type.Object({ unit: Type.String(), milestones: Type.Array(Type.String()) })),
    }),
  ),
  text: Type.String(),
})
export const AlertSettingsReply = Type.Object({ reportHour: Type.Integer(), webhookKind: Kind, webhookUrl: Type.Union([Type.String(), Type.Null()]), version: Type.Integer() })
export const AlertSettingsBody = Type.Object(
  {
    reportHour: Type.Integer({ minimum: 0, maximum: 23, description: '几点后仍未报送算作未报送' }),
    webhookKind: Kind,
    webhookUrl: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
    version: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)
