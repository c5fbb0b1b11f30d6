import { isPartyBody } from './validate.ts'
import type { Ballot, Gender, TallyInput, TallyPost } from './types.ts'

/** One contender's own figures at one post, before anything is carried down. */
export interface Line {
  candidateId: string | null
  name: string
  gender?: Gender
  post: TallyPost
  approve: number
  disapprove: number
  abstain: number
}

/** The posts whose votes carry down, highest first (rule 11). */
export const CHAIN: readonly TallyPost[] = ['director', 'deputy_director', 'member']

export type VoidReason = 'ruled_void' | 'contradictory' | 'overvote' | 'write_in_without_disapproval' | 'same_person_two_posts'

export interface Aggregate {
  ballotsReturned: number
  validBallots: number
  voidBallots: number
  voidByReason: Record<string, number>
  /** Candidate lines first (input order), then write-ins in order of first appearance. */
  lines: Line[]
}

interface Prepared {
  posts: { post: TallyPost; seats: number; cands: TallyInput['candidates'] }[]
  byPostName: Map<string, TallyInput['candidates'][number]>
  /** Candidates of the carry-down chain with their place in it (rule 11). */
  chained: { id: string; name: string; at: number }[]
  party: boolean
  carry: boolean
  /** Some name stands for two posts: only then can a ballot without write-ins name one person twice. */
  sharedNames: boolean
}

// Built once per input: a round of 10,000 ballots asks the same questions 10,000 times.
const prepared = new WeakMap<TallyInput, Prepared>()
function prepare(input: TallyInput): Prepared {
  let p = prepared.get(input)
  if (!p) {
    p = {
      posts: input.posts.map((x) => ({ post: x.post, seats: x.seats, cands: input.candidates.filter((c) => c.post === x.post) })),
      byPostName: new Map(input.candidates.map((c) => [`${c.post}\u0000${c.name}`, c])),
      chained: input.candidates.filter((c) => CHAIN.includes(c.post)).map((c) => ({ id: c.id, name: c.name, at: CHAIN.indexOf(c.post) })),
      party: isPartyBody(input.body),
      carry: input.rules?.carryDown ?? true,
      sharedNames: new Set(input.candidates.map((c) => c.name)).size < new Set(input.candidates.map((c) => `${c.post}\u0000${c.name}`)).size,
    }
    prepared.set(input, p)
  }
  return p
}

/** Why a ballot is void (rules 4 and 12), or null when it counts. */
export function voidReason(input: TallyInput, ballot: Ballot): VoidReason | null {
  if (ballot.void) return 'ruled_void'
  const p = prepare(input)
  const marks = ballot.marks ?? {}
  if (!ballot.writeIns?.length && !p.sharedNames) {
    // The common ballot: only the number of approvals per post can make it void.
    for (const { seats, cands } of p.posts) {
      let n = 0
      for (const c of cands) if (marks[c.id] === 'approve') n++
      if (n > seats) return 'overvote'
    }
    return null
  }
  const approvedNamesByPost = new Map<TallyPost, Set<string>>()
  for (const { post, seats, cands } of p.posts) {
    const approved = new Set<string>()
    let disapprovals = 0
    for (const c of cands) {
      if (marks[c.id] === 'approve') approved.add(c.name)
      if (marks[c.id] === 'disapprove') disapprovals++
    }
    let writeIns = 0
    const written = new Set<string>()
    for (const w of ballot.writeIns ?? []) {
      if (w.post !== post || written.has(w.name)) continue
      written.add(w.name)
      const same = p.byPostName.get(`${post}\u0000${w.name}`)
      if (same) {
        // A write-in naming a candidate of this post is that candidate; marking them against it is contradictory.
        const m = marks[same.id]
        if (m === 'disapprove' || m === 'abstain') return 'contradictory'
        approved.add(same.name)
      } else {
        writeIns++
        approved.add(w.name)
      }
    }
    // approved holds each approved candidate once and each other written name once (rule 4: approvals + write-ins).
    if (approved.size > seats) return 'overvote'
    if (p.party && writeIns > disapprovals) return 'write_in_without_disapproval'
    approvedNamesByPost.set(post, approved)
  }
  if (!p.party) {
    const seen = new Set<string>()
    for (const names of approvedNamesByPost.values()) {
      for (const n of names) {
        if (seen.has(n)) return 'same_person_two_posts'
        seen.add(n)
      }
    }
    // With carry-down an approval for a higher post is also one for each lower post (rule 11):
    // the same ballot disapproving that person lower down says yes and no to one seat.
    if (p.carry) {
      for (const [post, names] of approvedNamesByPost) {
        const at = CHAIN.indexOf(post)
        if (at < 0 || names.size === 0) continue
        if (p.chained.some((c) => c.at > at && marks[c.id] === 'disapprove' && names.has(c.name))) return 'contradictory'
      }
    }
  }
  return null
}

export function aggregateBallots(input: TallyInput): Aggregate {
  const ballots = input.ballots ?? []
  const lines: Line[] = input.candidates.map((c) => ({ candidateId: c.id, name: c.name, gender: c.gender, post: c.post, approve: 0, disapprove: 0, abstain: 0 }))
  const byCandidate = new Map(lines.map((l) => [l.candidateId!, l]))
  const writeInLines = new Map<string, Line>()
  const voidByReason: Record<string, number> = {}
  const p = prepare(input)
  let valid = 0
  for (const ballot of ballots) {
    const reason = voidReason(input, ballot)
    if (reason) {
      voidByReason[reason] = (voidByReason[reason] ?? 0) + 1
      continue
    }
    valid++
    const marks = ballot.marks ?? {}
    const approvedIds = new Set<string>()
    for (const c of input.candidates) {
      if (marks[c.id] === 'approve') approvedIds.add(c.id)
      else if (marks[c.id] === 'disapprove') byCandidate.get(c.id)!.disapprove++
    }
    const written = new Set<string>()
    for (const w of ballot.writeIns ?? []) {
      const key = `${w.post}\u0000${w.name}`
      if (written.has(key)) continue
      written.add(key)
      const same = p.byPostName.get(key)
      if (same) {
        approvedIds.add(same.id)
        continue
      }
      let line = writeInLines.get(key)
      if (!line) {
        line = { candidateId: null, name: w.name, post: w.post, approve: 0, disapprove: 0, abstain: 0 }
        writeInLines.set(key, line)
      }
      if (w.gender && !line.gender) line.gender = w.gender
      line.approve++
    }
    for (const id of approvedIds) byCandidate.get(id)!.approve++
  }
  // Write-ins in a fixed order (by name), so the ballots' order never shows in the result.
  const all = [...lines, ...[...writeInLines.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))]
  // Unmarked counts as abstention (rule 4), and a write-in name not written on a ballot likewise.
  for (const l of all) l.abstain = valid - l.approve - l.disapprove
  return { ballotsReturned: ballots.length, validBallots: valid, voidBallots: ballots.length - valid, voidByReason, lines: all }
}

export function aggregateTotals(input: TallyInput): Aggregate {
  const t = input.totals!
  const lines: Line[] = input.candidates.map((c) => ({ candidateId: c.id, name: c.name, gender: c.gender, post: c.post, ...t.candidates[c.id]! }))
  for (const w of t.writeIns ?? []) {
    lines.push({ candidateId: null, name: w.name, gender: w.gender, post: w.post, approve: w.approve, disapprove: 0, abstain: t.validBallots - w.approve })
  }
  return {
    ballotsReturned: t.validBallots + t.voidBallots,
    validBallots: t.validBallots,
    voidBallots: t.voidBallots,
    voidByReason: t.voidBallots ? { counted_void: t.voidBallots } : {},
    lines,
  }
}
