import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface PersonTable {
  county_code: string
  id: ColumnType<string, string | undefined, never>
  name: string
  id_number_enc: string
  id_number_index: string
  id_number_masked: string
  birth_date: string
  gender: '1' | '2'
  ethnicity: string
  education: string
  political_status: string
  party_joined_on: string | null
  phone: string | null
  unit_code: string
  reserve_cadre: Generated<boolean>
  version: Generated<number>
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
export type PersonRow = Selectable<PersonTable>
export type NewPerson = Insertable<PersonTable>
export type PersonPatch = Updateable<PersonTable>
