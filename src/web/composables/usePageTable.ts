// Keeps the query, rows, total and loading flag of one paged table, with search/reset/page handlers.
// It does NOT show errors (the http client does), cache pages, or mirror the query in the URL.
import { reactive, ref, type Ref, type UnwrapRef } from 'vue'
import type { Page, PageParams } from '../api/http.ts'

export const pageSizes = [10, 20, 50, 100]

export function usePageTable<T, Q extends object>(fetchPage: (q: Q & PageParams) => Promise<Page<T>>, initialQuery: () => Q, pageSize = 20) {
  const query = reactive(initialQuery()) as UnwrapRef<Q>
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  const pager = reactive<PageParams>({ page: 1, pageSize })
  let ticket = 0

  async function load(): Promise<void> {
    const mine = ++ticket
    loading.value = true
    try {
      const res = await fetchPage({ ...(query as Q), page: pager.page, pageSize: pager.pageSize })
      // A slower earlier answer must not overwrite a later one.
      if (mine !== ticket) return
      rows.value = res.items
      total.value = res.total
      // Deleting the last row of the last page: step back a page.
      if (res.items.length === 0 && res.total > 0 && pager.page > 1) {
        pager.page = Math.max(1, Math.ceil(res.total / pager.pageSize))
        await load()
      }
    } catch {
      if (mine === ticket) rows.value = []
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  function handleSearch(): Promise<void> {
    pager.page = 1
    return load()
  }

  function handleReset(): Promise<void> {
    Object.assign(query as object, initialQuery())
    return handleSearch()
  }

  function handlePageChange(page: number): void {
    pager.page = page
    void load()
  }

  function handleSizeChange(size: number): void {
    pager.pageSize = size
    pager.page = 1
    void load()
  }

  return { query, rows, total, loading, pager, load, handleSearch, handleReset, handlePageChange, handleSizeChange }
}
