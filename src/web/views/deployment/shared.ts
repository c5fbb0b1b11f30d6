/**
 * What the 安排部署 pages share: whether a page shows the county's own records or a township's
 * (county users pick a township in the CampaignBar, or 县级; a township's users see theirs and can
 * look at the county's), the highlight of a search hit, and small labels.
 */
import { computed, ref, type ComputedRef } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ApiError } from '../../api/http.ts'
import type { Territory } from '../../api/territory.ts'
import { useUserStore } from '../../stores/user.ts'
import { todayInChina } from '../report/shared.ts'

export { newKey } from '../../utils/storage.ts'
export { formatDateTime } from '../../utils/format.ts'
export { todayInChina } from '../report/shared.ts'

export type Level = 'county' | 'township'

/**
 * The level a page shows and the territory code to ask for. County users: 县级 until they pick a
 * township (its code sits in the query as on every campaign page); everyone else: their township
 * unless `level=county` is in the query.
 */
export function useLevel(isCounty: ComputedRef<boolean>, township: ComputedRef<string | undefined>, townships: ComputedRef<Territory[]>, go: (c: { township?: string }) => void) {
  const route = useRoute()
  const router = useRouter()
  const user = useUserStore()
  const level = computed<Level>(() => (isCounty.value ? (township.value ? 'township' : 'county') : route.query.level === 'county' ? 'county' : 'township'))
  /** What to send as `territory`: the county's code, the township picked, or nothing (the server's default: the user's own). */
  const territory = computed(() => (level.value === 'county' ? `${user.me?.countyCode ?? ''}000000` : township.value))

  function setLevel(next: Level) {
    if (isCounty.value) {
      if (next === 'county') go({ township: undefined })
      else if (townships.value[0]) go({ township: townships.value[0].code })
      return
    }
    const query = { ...route.query }
    if (next === 'county') query.level = 'county'
    else delete query.level
    void router.replace({ query })
  }

  return { level, territory, setLevel }
}

/** A text cut into plain and hit parts at the server's marks ([start, end) in UTF-16), to render without v-html. */
export function segments(text: string, marks: readonly (readonly [number, number])[]): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = []
  let at = 0
  for (const [s, e] of marks) {
    if (s < at || e > text.length || s >= e) continue
    if (s > at) out.push({ text: text.slice(at, s), hit: false })
    out.push({ text: text.slice(s, e), hit: true })
    at = e
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false })
  return out
}

/** 1.2 MB, 35.0 KB. */
export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export const decisionStatusLabels: Record<string, { label: string; type: 'success' | 'danger' | 'info' }> = {
  done: { label: '已完成', type: 'success' },
  overdue: { label: '逾期', type: 'danger' },
  open: { label: '推进中', type: 'info' },
}

/** Date pickers: a day after today cannot be chosen. */
export const isFuture = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}` > todayInChina()

/** One 议定事项 as the meeting dialog edits it: `done` opens the day and how it was done. */
export interface DecisionRow {
  id?: string
  content: string
  owner: string
  deadline: string | null
  done: boolean
  doneOn: string | null
  doneNote: string
}

/**
 * The save step of the 安排部署 dialogs: runs the save, keeps a refusal's words for the dialog
 * (which stays open with what was typed), and calls `onStale` when someone else saved first. It
 * does NOT validate the form, show success or close the dialog: the save does that.
 */
export function useSaving(onStale: () => void) {
  const saving = ref(false)
  const error = ref('')
  async function run(save: () => Promise<void>): Promise<void> {
    saving.value = true
    error.value = ''
    try {
      await save()
    } catch (e) {
      if (!(e instanceof ApiError)) return
      error.value = e.status === 0 ? '网络不通，请稍后再保存；重新保存不会重复登记' : e.message
      if (e.code === 'VERSION_CONFLICT') onStale()
    } finally {
      saving.value = false
    }
  }
  return { saving, error, run }
}
