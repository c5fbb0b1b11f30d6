import type { ColumnType, Selectable } from 'kysely'

/** 宣传方式: LED屏, 横幅/标语, 村村响广播, 会议宣讲, 微信群/公众号, 其他 (described in `channel_other`). */
export type Channel = 'led' | 'banner' | 'broadcast' | 'meeting' | 'wechat' | 'other'

export interface PublicityActivityTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  campaign_id: string
  unit_code: string
  channel: Channel
  /** What "other" was (e.g. 入户发放明白纸); empty for the named channels. */
  channel_other: ColumnType<string, string | undefined, string>
  held_on: string
  theme: string
  /** 覆盖人数: people reached, as the filer estimates. */
  reach: number
  place: ColumnType<string, string | undefined, string>
  created_by: string
  created_by_name: string
  updated_by_name: string
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type PublicityActivityRow = Selectable<PublicityActivityTable>

export interface PublicityPhotoTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  activity_id: string
  file_name: string
  content_type: string
  data: Buffer
  created_at: ColumnType<Date, Date | undefined, never>
}
