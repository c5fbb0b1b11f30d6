import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { finalStates, reviewOutcome, transition, type NomineeAction, type NomineeState } from './index.ts'

const action: fc.Arbitrary<NomineeAction> = fc.oneof(
  fc.constant({ type: 'submit' as const }),
  fc.constantFrom('', '材料不全').map((reason) => ({ type: 'return' as const, reason })),
  fc.constant({ type: 'open_review' as const }),
  fc.constantFrom('qualified' as const, 'disqualified' as const).map((verdict) => ({ type: 'conclude' as const, verdict })),
  fc.constant({ type: 'start_notice' as const }),
  fc.boolean().map((objectionUpheld) => ({ type: 'close_notice' as const, objectionUpheld })),
  fc.constantFrom('', '本人申请').map((reason) => ({ type: 'withdraw' as const, reason })),
)

/** Which states may come before each state: the diagram in index.ts, written out independently. */
const allowedFrom: Record<NomineeState, NomineeState[]> = {
  draft: ['submitted'],
  submitted: ['draft'],
  under_review: ['submitted'],
  qualified: ['under_review'],
  disqualified: ['under_review', 'in_notice'],
  in_notice: ['qualified'],
  candidate: ['in_notice'],
  withdrawn: ['draft', 'submitted', 'under_review', 'qualified', 'in_notice', 'candidate'],
}

describe('nominee state machine', () => {
  it('never reaches a state by a step the diagram does not allow, whatever the actions', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        let state: NomineeState = 'draft'
        const path: NomineeState[] = [state]
        for (const a of actions) {
          const r = transition(state, a)
          if (!r.ok) {
            expect(r.message).toMatch(/不能|须写明原因/)
            continue
          }
          expect(allowedFrom[r.state], `${state} → ${r.state}`).toContain(state)
          state = r.state
          path.push(state)
        }
        // A candidate always went through review and public notice.
        const c = path.indexOf('candidate')
        if (c >= 0) {
          expect(path.slice(0, c)).toContain('under_review')
          expect(path[c - 1]).toBe('in_notice')
        }
        // Final states stay final.
        const f = path.findIndex((s) => finalStates.includes(s))
        if (f >= 0) expect(path.slice(f).every((s) => s === path[f])).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('walks the happy path and refuses shortcuts with a Chinese reason', () => {
    expect(transition('draft', { type: 'start_notice' })).toEqual({ ok: false, message: '人选当前为“草稿”，不能开始公示' })
    let s: NomineeState = 'draft'
    for (const a of [{ type: 'submit' }, { type: 'open_review' }, { type: 'conclude', verdict: 'qualified' }, { type: 'start_notice' }, { type: 'close_notice', objectionUpheld: false }] as NomineeAction[]) {
      const r = transition(s, a)
      expect(r.ok).toBe(true)
      if (r.ok) s = r.state
    }
    expect(s).toBe('candidate')
    expect(transition('candidate', { type: 'withdraw', reason: '' })).toEqual({ ok: false, message: '退出须写明原因' })
    expect(transition('candidate', { type: 'withdraw', reason: '迁出本村' })).toEqual({ ok: true, state: 'withdrawn' })
  })
})

describe('joint review outcome', () => {
  it('disqualifies on any bar found, waits for answers, sends a discourage to the county', () => {
    expect(reviewOutcome([])).toBe('pending')
    expect(reviewOutcome([{ severity: 'bar', found: null }, { severity: 'bar', found: true }])).toBe('disqualified')
    expect(reviewOutcome([{ severity: 'bar', found: false }, { severity: 'discourage', found: null }])).toBe('pending')
    expect(reviewOutcome([{ severity: 'bar', found: false }, { severity: 'discourage', found: true }])).toBe('county_decision')
    expect(reviewOutcome([{ severity: 'bar', found: false }, { severity: 'discourage', found: false }])).toBe('qualified')
  })

  it('does not depend on the order of the findings', () => {
    const finding = fc.record({ severity: fc.constantFrom('bar' as const, 'discourage' as const), found: fc.constantFrom(true, false, null) })
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 20 }), (fs) => {
        expect(reviewOutcome([...fs].reverse())).toBe(reviewOutcome(fs))
      }),
    )
  })
})
