/**
 * The counting engine (计票): one election round in, its legal outcome out, following
 * shared/docs/rules.md "Decisions" rules 1–15. Pure, integer-only, no I/O: the API, the web entry
 * screens and `huanjie tally` all count through `tally`.
 */
import { aggregateBallots, aggregateTotals } from './count.ts'
import { decide } from './decide.ts'
import { checkInput } from './validate.ts'
import type { TallyResult } from './types.ts'

export * from './types.ts'
export { defaultRules, allowedPosts, postLabels, bodyLabels, postOrder, isPartyBody, mergeRules, checkInput } from './validate.ts'
export { partyCandidatesNeeded } from './decide.ts'
export { voidReason } from './count.ts'

/** Counts a round. Throws TallyInputError (with the offending field) when the input is malformed. */
export function tally(raw: unknown): TallyResult {
  const input = checkInput(raw)
  const agg = input.ballots ? aggregateBallots(input) : aggregateTotals(input)
  return decide(input, input.rules, agg)
}
