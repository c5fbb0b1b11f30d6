import type { Generated, Selectable } from 'kysely'

export interface DictItemTable {
  dict_type: string
  code: string
  label: string
  sort: Generated<number>
  status: Generated<'active' | 'retired'>
}
export type DictItemRow = Selectable<DictItemTable>
