import type { Static } from 'typebox'
import type { DictEntryReply } from '../../server/modules/dictionary/schemas.ts'
import { http } from './http.ts'

/** The national code lists the server keeps (GB 3304, GB/T 4658, GB/T 4762, GB/T 2261.1). */
export type DictType = 'ethnicity' | 'education' | 'political_status' | 'gender'

/** The server's reply shape (imported type-only), with the list name narrowed. */
export type DictEntry = Omit<Static<typeof DictEntryReply>, 'type'> & { type: DictType }

const base = '/api/dictionaries'

export const DictionaryAPI = {
  /** One list, or every list when `type` is left out. */
  list: (type?: DictType) => http.get<DictEntry[]>(base, { type }),
}
