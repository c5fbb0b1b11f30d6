import type { ColumnType, Selectable } from 'kysely'

export type WebhookKind = 'wecom' | 'dingtalk'

export interface AlertSettingTable {
  county_code: string
  report_hour: ColumnType<number, number | undefined, number>
  webhook_kind: WebhookKind | null
  webhook_url: string | null
  updated_by: string
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}
export type AlertSettingRow = Selectable<AlertSettingTable>
