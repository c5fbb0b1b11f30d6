import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { TerritoryAPI, type Territory } from '../api/territory.ts'
import { nestByParent } from '../utils/tree.ts'

/** The visible division tree (retired entries included), fetched once and shared by the pages. */
export const useTerritoryStore = defineStore('territory', () => {
  const rows = ref<Territory[]>([])
  const loaded = ref(false)
  let pending: Promise<Territory[]> | null = null

  const byCode = computed(() => new Map(rows.value.map((t) => [t.code, t])))
  const tree = computed(() => nestByParent(rows.value))

  /** Loads the tree; pass true after a change to fetch it again. */
  function load(force = false): Promise<Territory[]> {
    if (loaded.value && !force) return Promise.resolve(rows.value)
    pending ??= TerritoryAPI.tree(true)
      .then((r) => {
        rows.value = r
        loaded.value = true
        return r
      })
      .finally(() => (pending = null))
    return pending
  }

  function nameOf(code: string): string {
    return byCode.value.get(code)?.name ?? code
  }

  function reset(): void {
    rows.value = []
    loaded.value = false
    pending = null
  }

  return { rows, loaded, byCode, tree, load, nameOf, reset }
})
