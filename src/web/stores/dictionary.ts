import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DictionaryAPI, type DictEntry, type DictType } from '../api/dictionary.ts'

/** The national code lists (民族、学历、政治面貌、性别), fetched once and shared by the pages. */
export const useDictionaryStore = defineStore('dictionary', () => {
  const entries = ref<DictEntry[]>([])
  const loaded = ref(false)
  let pending: Promise<DictEntry[]> | null = null

  /** `type:code` → entry. */
  const byKey = computed(() => new Map(entries.value.map((e) => [`${e.type}:${e.code}`, e])))

  /** Loads every list once; later calls reuse the answer. */
  function load(force = false): Promise<DictEntry[]> {
    if (loaded.value && !force) return Promise.resolve(entries.value)
    pending ??= DictionaryAPI.list()
      .then((r) => {
        entries.value = r
        loaded.value = true
        return r
      })
      .finally(() => (pending = null))
    return pending
  }

  /** The label of a code, or the code itself while the lists load (or for an unknown code). */
  function labelOf(type: DictType, code: string | null | undefined): string {
    if (!code) return ''
    return byKey.value.get(`${type}:${code}`)?.label ?? code
  }

  /** Choices for a select: the active codes, plus `keep` (a retired code a record still has). */
  function options(type: DictType, keep?: string): DictEntry[] {
    return entries.value.filter((e) => e.type === type && (e.status === 'active' || e.code === keep))
  }

  function reset(): void {
    entries.value = []
    loaded.value = false
    pending = null
  }

  return { entries, loaded, load, labelOf, options, reset }
})
