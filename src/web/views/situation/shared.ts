/**
 * What the 三情 pages share: the labels (from rules/situation, the same the server uses), the
 * colours of the risk levels, the sentence that says why opinions are hidden, the phone visit
 * form's empty state, and how an edit dialog saves.
 */
import { ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError } from '../../api/http.ts'
import type { RiskLevel, VisitCategory } from '../../../rules/situation/index.ts'

export {
  dimensionLabels,
  dimensions,
  effectiveLevel,
  ratingLabels,
  ratings,
  riskCategories,
  riskCategoryLabels,
  riskLabels,
  riskLevels,
  riskOf,
  riskShortLabels,
  talkIntentionLabels,
  talkIntentions,
  visitCategories,
  visitCategoryLabels,
  compareLevels,
} from '../../../rules/situation/index.ts'
export type { Rating, RiskLevel, TalkIntention, VisitCategory } from '../../../rules/situation/index.ts'

/** el-tag types: 低 green, 中 orange, 高 red. */
export const levelTag: Record<RiskLevel, 'success' | 'warning' | 'danger'> = { low: 'success', medium: 'warning', high: 'danger' }

/** Why a county user or a contact cadre sees 已隐藏 (service.ts on the server says the same). */
export const HIDDEN_REASON =
  '走访和谈心谈话记录中的个人意见、跟进内容和联系电话属于个人信息，只有本乡镇（乡镇组织员、本镇领导小组成员）和纪检审计员可以查看；县级用户和包村干部看不到这些内容（包村干部只在提交时看到自己刚填写的内容）。'
export const HIDDEN = '（已隐藏）'

/** Short words for the big category buttons of the phone form. */
export const categoryHints: Record<VisitCategory, string> = {
  party_veteran: '老党员、老干部',
  villager: '村民、群众代表',
  hardship: '低保户、困难家庭',
  petitioner: '有信访诉求的群众',
}

/** The phone visit form's fields (the draft). */
export interface VisitFields {
  unitCode: string
  category: string
  visitee: string
  phone: string
  visitedOn: string
  opinions: string
  followUpNeeded: boolean
  followUp: string
}

export const emptyVisit = (): VisitFields => ({ unitCode: '', category: '', visitee: '', phone: '', visitedOn: '', opinions: '', followUpNeeded: false, followUp: '' })

/** Something worth keeping as a draft: the pre-filled unit and day alone are not. */
export const visitHasContent = (f: VisitFields) => !!(f.category || f.visitee.trim() || f.phone.trim() || f.opinions.trim() || f.followUp.trim() || f.followUpNeeded)

/** The first thing to fix before sending, in the form's words; null when the form is complete. */
export function visitProblem(f: VisitFields): string | null {
  if (!f.unitCode) return '请选择村（社区）'
  if (!f.category) return '请选择走访类别'
  if (!f.visitee.trim()) return '请填写走访对象姓名'
  if (f.phone.trim() && !/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(f.phone.trim())) return '联系电话应为11位手机号或带区号的固定电话'
  if (!f.visitedOn) return '请选择走访日期'
  if (!f.opinions.trim()) return '请记录走访对象的意见建议（没有意见可写“无”）'
  if (f.followUpNeeded && !f.followUp.trim()) return '请写明需要跟进的事项'
  return null
}

/** "3天前到期" / "已逾期 5 天": how a deadline reads on a given day. */
export function deadlineText(deadline: string, today: string, overdue: boolean): string {
  const days = Math.round((Date.parse(today) - Date.parse(deadline)) / 86_400_000)
  if (overdue) return `已逾期 ${days} 天`
  if (days === 0) return '今天到期'
  return days < 0 ? `还有 ${-days} 天` : ''
}

/**
 * An edit dialog's save: runs the request, then says so, tells the page and closes; a refusal
 * stays in the dialog as `error` (with what was typed), and a version conflict also asks the page
 * to reload, so reopening edits the newer record.
 */
export function useDialogSave(visible: Ref<boolean>, onSaved: () => void, onStale: () => void) {
  const error = ref('')
  const saving = ref(false)
  async function save(run: () => Promise<unknown>, done: string): Promise<void> {
    saving.value = true
    error.value = ''
    try {
      await run()
      ElMessage.success(done)
      onSaved()
      visible.value = false
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      error.value = e.status === 0 ? '网络不通，请稍后再点“保存”，不会重复登记' : e.message
      if (e.code === 'VERSION_CONFLICT') onStale()
    } finally {
      saving.value = false
    }
  }
  return { error, saving, save }
}
