/**
 * The counting engine's input and output: exactly the exchange format of `huanjie tally`
 * (shared/docs/tally-format.md), plus fields the format leaves open (marked "extension").
 */
export type TallyBody = 'party_committee' | 'party_secretary' | 'villager_committee' | 'resident_committee'
export type TallyRound = 'first' | 'supplementary' | 'revote'
export type TallyPost = 'secretary' | 'deputy_secretary' | 'member' | 'director' | 'deputy_director' | 'woman_member'
export type Mark = 'approve' | 'disapprove' | 'abstain'
export type Gender = 'male' | 'female'

/** rules.md "Counting-engine parameters"; every one can be overridden per county and per election. */
export interface TallyRules {
  quorumComparison: '>' | '>='
  partySurplusRatio: number
  carryDown: boolean
  supplementaryTurnoutRequired: boolean
  womenFallback: 'none' | 'last_seat'
}

export interface TallyCandidate {
  id: string
  name: string
  gender: Gender
  post: TallyPost
}

export interface WriteIn {
  name: string
  post: TallyPost
  /** extension: where the counters know it; a male write-in for the woman member's post is refused */
  gender?: Gender
}

export interface Ballot {
  marks?: Record<string, Mark>
  writeIns?: WriteIn[]
  void?: boolean
}

/**
 * extension: the signed count sheet's per-candidate figures, for a round entered as totals rather
 * than ballot by ballot. `ballotsReturned = validBallots + voidBallots` must hold (R1), and for every
 * candidate approve + disapprove + abstain = validBallots (R4).
 */
export interface TallyTotals {
  validBallots: number
  voidBallots: number
  candidates: Record<string, { approve: number; disapprove: number; abstain: number }>
  writeIns?: { name: string; post: TallyPost; approve: number; gender?: Gender }[]
}

export interface TallyInput {
  body: TallyBody
  round: TallyRound
  rules?: Partial<TallyRules>
  entitled: number
  present?: number
  ballotsIssued: number
  posts: { post: TallyPost; seats: number }[]
  candidates: TallyCandidate[]
  /** Every ballot returned, in any order. Exactly one of `ballots` and `totals` is given. */
  ballots?: Ballot[]
  totals?: TallyTotals
  /** extension: for a revote, the kind of round whose tie it breaks (its threshold applies); default first */
  revoteOf?: 'first' | 'supplementary'
}

export type InvalidReason = 'quorum' | 'turnout' | 'ballots_exceed_issued' | 'insufficient_surplus'

export interface LegalBasis {
  law: string
  version: string
  article: string
}

export interface CandidateResult {
  candidateId: string | null
  name: string
  post: TallyPost
  approve: number
  disapprove: number
  abstain: number
  elected: boolean
  /** extension: approvals carried down from higher posts (rule 11), already included in `approve` */
  carried: number
  /** extension: the place by votes among this post's contenders (1 = most), ties share a place */
  rank: number
  /** extension: why elected or not, in Chinese, with the numbers */
  explanation: string
  /** extension: the rules this explanation rests on */
  basis: LegalBasis[]
}

export interface TallyResult {
  valid: boolean
  invalidReasons: InvalidReason[]
  base: number
  threshold: number
  ballotsReturned: number
  validBallots: number
  voidBallots: number
  results: CandidateResult[]
  elected: { candidateId: string | null; name: string; post: TallyPost }[]
  unfilled: { post: TallyPost; seats: number }[]
  tie: { post: TallyPost; seats: number; candidateIds: (string | null)[]; names: string[] }[]
  next: 'none' | 'revote' | 'supplementary' | 'rerun'
  /** extension: how the round as a whole was judged, in Chinese, one sentence each */
  explanation: string[]
  /** extension: void ballots by reason (overvote, write_in_without_disapproval, same_person_two_posts, contradictory, ruled_void) */
  voidByReason: Record<string, number>
  /** extension: the rule set the round was counted with, after overrides */
  rules: TallyRules
}

/** Malformed input: the CLI exits 2 and names `field`; the API answers 422. */
export class TallyInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'TallyInputError'
  }
}
