/**
 * The life of a nominee (人选), from the township's draft to a formal candidate (issue 3):
 *
 *   draft → submitted → under_review → qualified → in_notice (公示) → candidate
 *                    ↘ (returned) draft           ↘ disqualified (an objection upheld)
 *                                   ↘ disqualified
 *   any state but the two final ones → withdrawn (with a reason)
 *
 * Pure: the service loads the nominee, asks this engine, and writes only what it answers.
 */
export type NomineeState = 'draft' | 'submitted' | 'under_review' | 'qualified' | 'disqualified' | 'in_notice' | 'candidate' | 'withdrawn'

export type NomineeAction =
  | { type: 'submit' }
  | { type: 'return'; reason: string }
  | { type: 'open_review' }
  | { type: 'conclude'; verdict: 'qualified' | 'disqualified' }
  | { type: 'start_notice' }
  | { type: 'close_notice'; objectionUpheld: boolean }
  | { type: 'withdraw'; reason: string }

export const stateLabels: Record<NomineeState, string> = {
  draft: '草稿',
  submitted: '已报送',
  under_review: '联审中',
  qualified: '审查通过',
  disqualified: '审查未通过',
  in_notice: '公示中',
  candidate: '正式候选人',
  withdrawn: '已退出',
}

export const finalStates: readonly NomineeState[] = ['disqualified', 'withdrawn']

export type Transition = { ok: true; state: NomineeState } | { ok: false; message: string }

const refuse = (state: NomineeState, what: string): Transition => ({ ok: false, message: `人选当前为“${stateLabels[state]}”，不能${what}` })

export function transition(state: NomineeState, action: NomineeAction): Transition {
  switch (action.type) {
    case 'submit':
      return state === 'draft' ? { ok: true, state: 'submitted' } : refuse(state, '报送')
    case 'return':
      if (!action.reason.trim()) return { ok: false, message: '退回须写明原因' }
      return state === 'submitted' ? { ok: true, state: 'draft' } : refuse(state, '退回')
    case 'open_review':
      return state === 'submitted' ? { ok: true, state: 'under_review' } : refuse(state, '发起联审')
    case 'conclude':
      return state === 'under_review' ? { ok: true, state: action.verdict } : refuse(state, '作出审查结论')
    case 'start_notice':
      return state === 'qualified' ? { ok: true, state: 'in_notice' } : refuse(state, '开始公示')
    case 'close_notice':
      if (state !== 'in_notice') return refuse(state, '结束公示')
      return { ok: true, state: action.objectionUpheld ? 'disqualified' : 'candidate' }
    case 'withdraw':
      if (!action.reason.trim()) return { ok: false, message: '退出须写明原因' }
      return finalStates.includes(state) ? refuse(state, '退出') : { ok: true, state: 'withdrawn' }
  }
}

export type Severity = 'bar' | 'discourage'

export interface Finding {
  severity: Severity
  /** null while the department has not answered. */
  found: boolean | null
}

export type ReviewOutcome = 'pending' | 'qualified' | 'disqualified' | 'county_decision'

/**
 * The joint review's verdict from every department's findings: any bar found disqualifies at once;
 * otherwise it waits for every answer; a discourage found goes to the county to decide (with a
 * recorded reason); all clear qualifies.
 */
export function reviewOutcome(findings: readonly Finding[]): ReviewOutcome {
  if (findings.some((f) => f.severity === 'bar' && f.found === true)) return 'disqualified'
  if (findings.length === 0 || findings.some((f) => f.found === null)) return 'pending'
  if (findings.some((f) => f.severity === 'discourage' && f.found === true)) return 'county_decision'
  return 'qualified'
}
