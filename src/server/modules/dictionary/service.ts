import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { educations, ethnicities, genders, politicalStatuses } from '../../../rules/codes/index.ts'
import * as repo from './repo.ts'

export const dictTypes = {
  ethnicity: { label: '民族（GB 3304）', items: ethnicities },
  education: { label: '学历（GB/T 4658）', items: educations },
  political_status: { label: '政治面貌（GB/T 4762）', items: politicalStatuses },
  gender: { label: '性别（GB/T 2261.1）', items: genders },
} as const

export type DictType = keyof typeof dictTypes

/** Makes sure the national code lists are in the dictionary table (run after every migration). */
export async function syncDictionaries(db: Kysely<DB>): Promise<void> {
  const items = (Object.entries(dictTypes) as [DictType, (typeof dictTypes)[DictType]][]).flatMap(([type, d]) =>
    d.items.map(([code, label], i) => ({ dict_type: type, code, label, sort: i })),
  )
  await repo.insertMissing(db, items)
}

export interface DictEntry {
  type: string
  typeLabel: string
  code: string
  label: string
  status: 'active' | 'retired'
}

export async function listDictionaries(db: Kysely<DB>, type?: DictType): Promise<DictEntry[]> {
  const rows = type ? await repo.listItems(db, type) : await repo.listAll(db)
  return rows.map((r) => ({ type: r.dict_type, typeLabel: dictTypes[r.dict_type as DictType]?.label ?? r.dict_type, code: r.code, label: r.label, status: r.status }))
}

/** Active codes of one list, for validating input. */
export async function activeCodes(db: Kysely<DB>, type: DictType): Promise<Map<string, string>> {
  const rows = await repo.listItems(db, type)
  return new Map(rows.filter((r) => r.status === 'active').map((r) => [r.code, r.label]))
}
