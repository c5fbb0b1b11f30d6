/**
 * What the 日报告 pages share: the figures and their labels, calendar arithmetic on 'YYYY-MM-DD'
 * strings, and the draft a phone keeps in localStorage so a lost signal or a reload loses nothing.
 */
import type { ReportInput } from '../../api/report.ts'
import { readStored, removeStored, writeStored } from '../../utils/storage.ts'

export { newKey } from '../../utils/storage.ts'

export type FigureKey = 'meetings' | 'visits' | 'publicity' | 'talks'
/** The server's `figureLabels`, in the same order; 走访 counts households, the rest occasions. */
export const figures: { key: FigureKey; label: string; unit: string }[] = [
  { key: 'meetings', label: '召开会议', unit: '次' },
  { key: 'visits', label: '走访户数', unit: '户' },
  { key: 'publicity', label: '宣传活动', unit: '次' },
  { key: 'talks', label: '谈心谈话', unit: '次' },
]
/** The server accepts a report for today or up to this many days back (service LATE_DAYS). */
export const LATE_DAYS = 3

/** Today in China, as the server counts days; the browser's own zone may differ. */
export function todayInChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}

export { addDays } from '../../../rules/timeline/index.ts'

/** The form's fields without the unit and day (those name the draft) and without photos (files cannot be stored). */
export interface ReportFields {
  nothingNew: boolean
  progress: string
  problems: string
  nextSteps: string
  figures: Record<FigureKey, number>
  milestones: string[]
}

export interface Draft extends ReportFields {
  /** Kept until the report is accepted, so a retry after a network error files it once. */
  key: string
}

export function emptyFields(): ReportFields {
  return { nothingNew: false, progress: '', problems: '', nextSteps: '', figures: { meetings: 0, visits: 0, publicity: 0, talks: 0 }, milestones: [] }
}

export const hasContent = (f: ReportFields) => f.nothingNew || !!f.progress.trim() || !!f.problems.trim() || !!f.nextSteps.trim() || f.milestones.length > 0 || Object.values(f.figures).some((n) => n > 0)

const PREFIX = 'huanjie.report.'
const draftKey = (user: string, unit: string, day: string) => `${PREFIX}draft.${user}.${unit}.${day}`
const lastKey = (user: string) => `${PREFIX}last.${user}`

export function loadDraft(user: string, unit: string, day: string): Draft | null {
  const d = readStored<Partial<Draft>>(draftKey(user, unit, day))
  if (!d || typeof d.key !== 'string') return null
  const base = emptyFields()
  return {
    key: d.key,
    nothingNew: d.nothingNew === true,
    progress: typeof d.progress === 'string' ? d.progress : '',
    problems: typeof d.problems === 'string' ? d.problems : '',
    nextSteps: typeof d.nextSteps === 'string' ? d.nextSteps : '',
    figures: { ...base.figures, ...(d.figures ?? {}) },
    milestones: Array.isArray(d.milestones) ? d.milestones.filter((k) => typeof k === 'string') : [],
  }
}

export const saveDraft = (user: string, unit: string, day: string, d: Draft) => writeStored(draftKey(user, unit, day), d)

export const clearDraft = (user: string, unit: string, day: string) => removeStored(draftKey(user, unit, day))

/** The unit and day last worked on, so a reload reopens the same draft. */
export const loadLast = (user: string) => readStored<{ unit?: string; day?: string }>(lastKey(user))
export const saveLast = (user: string, unit: string, day: string) => writeStored(lastKey(user), { unit, day })

export function toBody(unitCode: string, campaign: string, day: string, f: ReportFields): ReportInput {
  return {
    unitCode,
    campaign,
    reportDate: day,
    nothingNew: f.nothingNew,
    // 零报告: the hidden text fields are not sent, so an old draft's words do not ride along.
    progress: f.nothingNew ? '' : f.progress,
    problems: f.nothingNew ? '' : f.problems,
    nextSteps: f.nothingNew ? '' : f.nextSteps,
    figures: { ...f.figures },
    milestones: [...f.milestones],
  }
}
