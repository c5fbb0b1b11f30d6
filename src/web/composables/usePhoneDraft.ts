// A phone form's draft (issue 6 §7): what is typed is kept in localStorage on every change, with
// the Idempotency-Key of its submission, so a reload or a lost signal loses nothing and a submit
// retried after a dropped connection is recorded once. One draft per form and user; files (photos)
// cannot be stored and are not part of it.
import { ref, watch, type Ref } from 'vue'
import { useUserStore } from '../stores/user.ts'
import { newKey, readStored, removeStored, writeStored } from '../utils/storage.ts'

interface Stored<T> {
  key: string
  fields: Partial<T>
}

/** Takes each stored value whose kind matches the empty form's, so an old or tampered draft cannot break the form. */
function merge<T extends object>(base: T, stored: Partial<T> | undefined): T {
  const out = { ...base }
  if (!stored || typeof stored !== 'object') return out
  for (const k of Object.keys(base) as (keyof T)[]) {
    const v = stored[k]
    const b = base[k]
    if (v === undefined || v === null) continue
    if (Array.isArray(b) ? Array.isArray(v) : typeof v === typeof b) out[k] = v
  }
  return out
}

export function usePhoneDraft<T extends object>(form: string, empty: () => T, hasContent: (fields: T) => boolean) {
  const user = useUserStore()
  const fields = ref(empty()) as Ref<T>
  /** Made when the form is first filled; kept across retries until the server has accepted it. */
  const key = ref('')
  const storeKey = () => `huanjie.${form}.draft.${user.me?.userId ?? ''}`

  /** Reopens the draft left on this phone, if any; call once the user is known. */
  function restore(): boolean {
    const d = readStored<Stored<T>>(storeKey())
    if (!d || typeof d.key !== 'string' || !d.key) return false
    fields.value = merge(empty(), d.fields)
    key.value = d.key
    return true
  }

  watch(
    fields,
    (f) => {
      if (!key.value && hasContent(f)) key.value = newKey()
      if (key.value) writeStored(storeKey(), { key: key.value, fields: f })
    },
    { deep: true },
  )

  /** The key to send with the submission. */
  function ensureKey(): string {
    if (!key.value) key.value = newKey()
    return key.value
  }

  /** After the server accepted the submission: the next one is a new record with a new key. */
  function clear(): void {
    removeStored(storeKey())
    key.value = ''
    fields.value = empty()
  }

  return { fields, key, restore, ensureKey, clear }
}
