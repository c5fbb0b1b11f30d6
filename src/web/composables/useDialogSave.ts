// The save step every edit dialog shares: validate the form, save, and turn a refusal into the
// dialog's problem list. A version conflict (someone else saved first) closes the dialog and asks
// the page to reload. It does NOT show success messages or close on success: the save does that.
import { ref, type Ref } from 'vue'
import type { FormInstance } from 'element-plus'
import { ApiError, type ErrorDetail } from '../api/http.ts'

export function useDialogSave(formRef: Ref<FormInstance | undefined>, save: () => Promise<void>, onVersionConflict: () => void) {
  const saving = ref(false)
  const problems = ref<ErrorDetail[]>([])

  function handleError(e: unknown) {
    if (!(e instanceof ApiError)) return
    if (e.code === 'VERSION_CONFLICT') onVersionConflict()
    else if (e.details.length) problems.value = e.details
    else if (e.status === 400 || e.status === 409 || e.status === 422) problems.value = [{ message: e.message }]
  }

  async function handleSubmit(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false)
    if (!valid) return
    problems.value = []
    saving.value = true
    try {
      await save()
    } catch (e) {
      handleError(e)
    } finally {
      saving.value = false
    }
  }

  return { saving, problems, handleSubmit }
}
