import { Type } from 'typebox'
import { DivisionCode, Id, PageQuery, Version } from '../../http/schemas.ts'
import { CampaignReply } from '../campaign/schemas.ts'

// Channel, day, reach and text lengths are checked by the service, whose messages name the field
// in Chinese; the schema only keeps out what no form sends.
const ChannelKey = Type.String({ maxLength: 20, description: '宣传方式：led LED屏 / banner 横幅标语 / broadcast 村村响广播 / meeting 会议宣讲 / wechat 微信群公众号 / other 其他' })
const fields = {
  channel: ChannelKey,
  channelOther: Type.Optional(Type.String({ maxLength: 200, description: '宣传方式为“其他”时说明是什么' })),
  heldOn: Type.String({ maxLength: 20, description: '宣传日期 YYYY-MM-DD：不晚于今天，不早于本届换届开始' }),
  theme: Type.String({ maxLength: 2000, description: '宣传内容（主题），不超过500字' }),
  reach: Type.Integer({ description: '覆盖人数，0 至 1000000' }),
  place: Type.Optional(Type.String({ maxLength: 500, description: '地点，不超过100字' })),
}

export const ActivityBody = Type.Object({ unitCode: DivisionCode, campaign: Type.Optional(Id), ...fields }, { additionalProperties: false })
export const ActivityPatch = Type.Object({ version: Version, ...fields }, { additionalProperties: false })
export const ActivityParams = Type.Object({ id: Id })
export const PhotoParams = Type.Object({ id: Id, photoId: Id })
export const VersionQuery = Type.Object({ version: Version }, { additionalProperties: false })

const Channel = Type.Object({ key: Type.String(), label: Type.String() })

export const ActivityReply = Type.Object({
  id: Id,
  unitCode: Type.String(),
  unitName: Type.String(),
  channel: Type.String(),
  channelLabel: Type.String(),
  channelOther: Type.String(),
  heldOn: Type.String(),
  theme: Type.String(),
  reach: Type.Integer(),
  place: Type.String(),
  filedBy: Type.String(),
  filedAt: Type.String(),
  updatedBy: Type.String(),
  version: Type.Integer(),
  /** Whether the asking user may change or delete it (the filer's side: the filer, the township, the county). */
  canEdit: Type.Boolean(),
  photos: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
})

export const TownshipQuery = Type.Object({ township: Type.Optional(DivisionCode), campaign: Type.Optional(Id) }, { additionalProperties: false })
export const ListQuery = Type.Object(
  { township: Type.Optional(DivisionCode), campaign: Type.Optional(Id), unit: Type.Optional(DivisionCode), channel: Type.Optional(ChannelKey), ...PageQuery },
  { additionalProperties: false },
)
const Township = Type.Object({ code: Type.String(), name: Type.String() })
export const ActivityPage = Type.Object({ campaign: CampaignReply, township: Township, items: Type.Array(ActivityReply), total: Type.Integer() })

/** What the phone form needs before anything is typed: the round, today, the units the user may file for. */
export const FormReply = Type.Object({
  campaign: CampaignReply,
  today: Type.String(),
  channels: Type.Array(Channel),
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), townshipName: Type.String() })),
})

export const CoverageReply = Type.Object({
  campaign: CampaignReply,
  township: Township,
  today: Type.String(),
  canWrite: Type.Boolean(),
  /** The sentence a township writes about its publicity, from the numbers. */
  text: Type.String(),
  channels: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), units: Type.Integer({ description: '用过该方式的村（社区）数' }), activities: Type.Integer() })),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      counts: Type.Record(Type.String(), Type.Integer()),
      activities: Type.Integer(),
      reach: Type.Integer(),
      /** No activity at all in this round. */
      gap: Type.Boolean(),
    }),
  ),
  totals: Type.Object({ units: Type.Integer(), covered: Type.Integer(), gaps: Type.Array(Type.String()), activities: Type.Integer(), reach: Type.Integer() }),
})
