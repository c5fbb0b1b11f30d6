import { basis, withBody } from './basis.ts'
import { CHAIN, type Aggregate, type Line } from './count.ts'
import { bodyLabels, isPartyBody, postLabels, postOrder } from './validate.ts'
import { TallyInputError, type CandidateResult, type InvalidReason, type LegalBasis, type TallyInput, type TallyPost, type TallyResult, type TallyRules } from './types.ts'

/** More than half: floor(n/2)+1. At least a third: ceil(n/3), never below one vote. */
const majorityOf = (n: number) => Math.floor(n / 2) + 1
const thirdOf = (n: number) => Math.max(1, Math.ceil(n / 3))

/** ceil(seats × (1 + ratio)) in integers: the ratio has at most 6 decimals (validate.ts). */
export function partyCandidatesNeeded(seats: number, ratio: number): number {
  const den = 1_000_000
  const num = Math.round(ratio * den)
  return Math.floor((seats * (den + num) + den - 1) / den)
}

interface Work extends Line {
  carried: number
  elected: boolean
  rank: number
  explanation: string
  basis: LegalBasis[]
}

function thresholdOf(input: TallyInput, agg: Aggregate): { base: number; threshold: number; baseText: string; thresholdBasis: LegalBasis[] } {
  if (isPartyBody(input.body)) {
    const base = input.present!
    return { base, threshold: majorityOf(base), baseText: `实到会有选举权的党员 ${base} 人的过半数`, thresholdBasis: basis.partyThreshold }
  }
  const base = agg.ballotsReturned
  const kind = input.round === 'revote' ? (input.revoteOf ?? 'first') : input.round
  if (kind === 'supplementary') return { base, threshold: thirdOf(base), baseText: `已投选票 ${base} 张的三分之一`, thresholdBasis: withBody(input.body, basis.supplementary) }
  return { base, threshold: majorityOf(base), baseText: `参加投票的 ${base} 人的过半数`, thresholdBasis: withBody(input.body, basis.villageThreshold) }
}

function validity(input: TallyInput, rules: TallyRules, agg: Aggregate): { reasons: InvalidReason[]; text: string[] } {
  const reasons: InvalidReason[] = []
  const text: string[] = []
  if (isPartyBody(input.body)) {
    const p = input.present!
    const e = input.entitled
    const ok = rules.quorumComparison === '>' ? p * 5 > e * 4 : p * 5 >= e * 4
    if (!ok) {
      reasons.push('quorum')
      text.push(`实到会 ${p} 人，应到会 ${e} 人：${p}×5=${p * 5}${rules.quorumComparison === '>' ? '不大于' : '小于'} ${e}×4=${e * 4}，到会人数${rules.quorumComparison === '>' ? '未超过' : '不足'}应到会人数的五分之四，选举无效。`)
    } else text.push(`实到会 ${p} 人，应到会 ${e} 人，超过五分之四${rules.quorumComparison === '>=' ? '（含恰好五分之四）' : ''}，到会人数符合规定。`)
  } else {
    const needed = input.round !== 'supplementary' || rules.supplementaryTurnoutRequired
    const r = agg.ballotsReturned
    if (needed && !(r * 2 > input.entitled)) {
      reasons.push('turnout')
      text.push(`收回选票 ${r} 张，登记选民 ${input.entitled} 人：${r}×2=${r * 2} 不大于 ${input.entitled}，参加投票的选民未过半数，选举无效。`)
    } else if (needed) text.push(`登记选民 ${input.entitled} 人，参加投票 ${r} 人，已过半数，选举有效。`)
  }
  if (agg.ballotsReturned > input.ballotsIssued) {
    reasons.push('ballots_exceed_issued')
    text.push(`收回选票 ${agg.ballotsReturned} 张多于发出选票 ${input.ballotsIssued} 张，本轮选举无效，应重新投票。`)
  }
  if (input.round !== 'revote' && input.body !== 'party_secretary') {
    const short: string[] = []
    for (const { post, seats } of input.posts) {
      const n = input.candidates.filter((c) => c.post === post).length
      if (input.body === 'party_committee') {
        const need = partyCandidatesNeeded(seats, rules.partySurplusRatio)
        if (n < need) short.push(`委员应选 ${seats} 名，候选人 ${n} 名，少于差额所需的 ${need} 名（应选人数×${1 + rules.partySurplusRatio}，进一取整）`)
      } else if (n <= seats) short.push(`${postLabels[post]}应选 ${seats} 名，候选人 ${n} 名，候选人须多于应选名额`)
    }
    if (short.length) {
      reasons.push('insufficient_surplus')
      text.push(`${short.join('；')}，不符合差额选举的规定，选举无效。`)
    }
  }
  return { reasons, text }
}

/**
 * Decides one round from its aggregated figures: validity, threshold, and who is elected post by
 * post (rules 1–15). Pure and integer-only.
 */
export function decide(input: TallyInput, rules: TallyRules, agg: Aggregate): TallyResult {
  const { base, threshold, baseText, thresholdBasis } = thresholdOf(input, agg)
  const { reasons, text } = validity(input, rules, agg)
  const party = isPartyBody(input.body)
  const tieBasis = party ? basis.partyTie : withBody(input.body, basis.villageTie)
  const work: Work[] = agg.lines.map((l) => ({ ...l, carried: 0, elected: false, rank: 0, explanation: '', basis: thresholdBasis }))
  const posts = [...input.posts].sort((a, b) => postOrder.indexOf(a.post) - postOrder.indexOf(b.post))
  const electedAt = new Map<string, TallyPost>()
  const heldAt = new Map<string, TallyPost>()
  const pool = new Map<string, { approve: number; candidateId: string | null; gender?: Work['gender'] }>()
  const unfilled: TallyResult['unfilled'] = []
  const tie: TallyResult['tie'] = []
  const carry = !party && rules.carryDown

  for (const { post, seats } of posts) {
    const label = postLabels[post]
    if (carry && CHAIN.includes(post)) {
      for (const [name, from] of pool) {
        if (electedAt.has(name) || heldAt.has(name)) continue
        let line = work.find((w) => w.post === post && w.name === name)
        if (!line) {
          line = { candidateId: from.candidateId, name, gender: from.gender, post, approve: 0, disapprove: 0, abstain: agg.validBallots, carried: 0, elected: false, rank: 0, explanation: '', basis: thresholdBasis }
          work.push(line)
        }
        // A name written in here that stood as a candidate above is that candidate (rule 12).
        if (line.candidateId === null) line.candidateId = from.candidateId
        line.carried += from.approve
        line.approve += from.approve
        line.abstain -= from.approve
        // Ballot by ballot this cannot happen (such a ballot is void); a count sheet can say it.
        if (line.abstain < 0) {
          throw new TallyInputError(
            line.candidateId ? `totals.candidates.${line.candidateId}` : 'totals.writeIns',
            `${name}在较高职务的赞成票 ${from.approve} 票转入${label}后，与其${label}的赞成 ${line.approve - line.carried}、不赞成 ${line.disapprove} 票合计超过有效票 ${agg.validBallots} 张：计票单数字矛盾，请核对`,
          )
        }
      }
    }
    const here = work.filter((w) => w.post === post)
    const out = here.filter((w) => electedAt.has(w.name) || heldAt.has(w.name))
    for (const w of out) {
      const at = postLabels[(electedAt.get(w.name) ?? heldAt.get(w.name))!]
      w.explanation = electedAt.has(w.name) ? `已当选为${at}，不再参加${label}的确定。` : `在${at}的确定中得票相等、待重新投票，本轮不参加${label}的确定。`
    }
    const contenders = here.filter((w) => !out.includes(w)).sort((a, b) => b.approve - a.approve)
    for (const w of contenders) w.rank = 1 + contenders.filter((o) => o.approve > w.approve).length
    if (reasons.length) {
      for (const w of contenders) w.explanation = `赞成 ${w.approve} 票；本轮选举无效（见上），不产生当选人。`
      continue
    }
    const passing = contenders.filter((w) => w.approve >= threshold)
    let electedHere: Work[] = passing
    let tied: Work[] = []
    if (passing.length > seats) {
      const last = passing[seats - 1]!.approve
      const above = passing.filter((w) => w.approve > last)
      const at = passing.filter((w) => w.approve === last)
      if (above.length + at.length > seats) {
        electedHere = above
        tied = at
        tie.push({ post, seats: seats - above.length, candidateIds: at.map((w) => w.candidateId), names: at.map((w) => w.name) })
      } else electedHere = passing.slice(0, seats)
    }
    const left = seats - electedHere.length - (tied.length ? seats - electedHere.length : 0)
    if (left > 0) unfilled.push({ post, seats: left })
    const carriedText = (w: Work) => (w.carried ? `（含较高职务未当选转入的 ${w.carried} 票）` : '')
    for (const w of contenders) {
      if (electedHere.includes(w)) {
        w.elected = true
        electedAt.set(w.name, post)
        w.explanation = `赞成 ${w.approve} 票${carriedText(w)}，达到当选所需的 ${threshold} 票（${baseText}），在${label}中得票居第 ${w.rank} 位，当选${label}。`
      } else if (tied.includes(w)) {
        heldAt.set(w.name, post)
        w.explanation = `赞成 ${w.approve} 票${carriedText(w)}，与 ${tied.filter((o) => o !== w).map((o) => o.name).join('、')} 得票相等，争${label}最后 ${seats - electedHere.length} 个名额，须就得票相等者重新投票。`
        w.basis = tieBasis
      } else if (w.approve >= threshold) {
        w.explanation = `赞成 ${w.approve} 票${carriedText(w)}，达到 ${threshold} 票，但得票居第 ${w.rank} 位，${label}应选 ${seats} 名已满，未当选。`
      } else {
        w.explanation = `赞成 ${w.approve} 票${carriedText(w)}，未达到当选所需的 ${threshold} 票（${baseText}），未当选。`
      }
      if (w.carried) w.basis = [...w.basis, ...basis.carryDown]
      // Rule 11: who is not elected here carries everything so far down the chain.
      if (carry && CHAIN.includes(post) && !w.elected && !tied.includes(w)) pool.set(w.name, { approve: w.approve, candidateId: w.candidateId, gender: w.gender })
    }
  }

  if (!reasons.length && !party && rules.womenFallback === 'last_seat') womenFallback(input, work, threshold, unfilled, tie)

  const valid = reasons.length === 0
  if (valid) {
    if (tie.length) text.push(`有 ${tie.length} 个职务在最后名额上得票相等，须就得票相等者重新投票。`)
    for (const u of unfilled) text.push(`${postLabels[u.post]}尚缺 ${u.seats} 名未选足，不足名额${party ? '另行选举' : '另行选举（以得票多的当选，但不得少于已投选票数的三分之一）'}。`)
  }
  const order = (p: TallyPost) => postOrder.indexOf(p)
  const results: CandidateResult[] = work
    .sort((a, b) => order(a.post) - order(b.post) || b.approve - a.approve || (a.candidateId === null ? 1 : 0) - (b.candidateId === null ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((w) => ({
      candidateId: w.candidateId,
      name: w.name,
      post: w.post,
      approve: w.approve,
      disapprove: w.disapprove,
      abstain: w.abstain,
      elected: w.elected,
      carried: w.carried,
      rank: w.rank,
      explanation: w.explanation,
      basis: w.basis,
    }))
  text.unshift(`${bodyLabels[input.body]}${{ first: '', supplementary: '另行选举', revote: '重新投票' }[input.round]}：收回选票 ${agg.ballotsReturned} 张，有效 ${agg.validBallots} 张，无效 ${agg.voidBallots} 张；当选须得赞成票 ${threshold} 票以上（含）。`)
  return {
    valid,
    invalidReasons: reasons,
    base,
    threshold,
    ballotsReturned: agg.ballotsReturned,
    validBallots: agg.validBallots,
    voidBallots: agg.voidBallots,
    results,
    elected: valid ? results.filter((r) => r.elected).map((r) => ({ candidateId: r.candidateId, name: r.name, post: r.post })) : [],
    unfilled: valid ? unfilled : [],
    tie: valid ? tie : [],
    next: !valid ? 'rerun' : tie.length ? 'revote' : unfilled.length ? 'supplementary' : 'none',
    explanation: text,
    voidByReason: agg.voidByReason,
    rules,
  }
}

/** Rule 15's optional fallback: with no woman elected anywhere, the best woman above the threshold takes the last member seat. */
function womenFallback(input: TallyInput, work: Work[], threshold: number, unfilled: TallyResult['unfilled'], tie: TallyResult['tie']) {
  if (!input.posts.some((p) => p.post === 'member') || input.posts.some((p) => p.post === 'woman_member')) return
  if (work.some((w) => w.elected && w.gender === 'female')) return
  const women = work.filter((w) => w.post === 'member' && w.rank > 0 && !w.elected && w.gender === 'female' && w.approve >= threshold).sort((a, b) => b.approve - a.approve)
  if (!women.length) return
  const best = women.filter((w) => w.approve === women[0]!.approve)
  const why = `按“无女性当选时最后一个委员名额由得票最多且过半的女性当选”的规则（womenFallback=last_seat）`
  const give = (w: Work) => {
    w.elected = true
    w.explanation = `赞成 ${w.approve} 票，达到当选所需的 ${threshold} 票；${why}当选委员。`
    w.basis = basis.women
  }
  const memberTie = tie.findIndex((t) => t.post === 'member')
  const gap = unfilled.findIndex((u) => u.post === 'member')
  if (best.length > 1) {
    // Equal women for one seat: they go to the revote for it instead of the lowest elected member's seat.
    if (gap >= 0) {
      if (--unfilled[gap]!.seats === 0) unfilled.splice(gap, 1)
    } else if (memberTie < 0) {
      const lowest = work.filter((w) => w.post === 'member' && w.elected).sort((a, b) => a.approve - b.approve)[0]
      if (lowest) {
        lowest.elected = false
        lowest.explanation = `赞成 ${lowest.approve} 票；${why}，最后一个委员名额待得票相等的女性重新投票确定。`
      }
    } else return
    for (const w of best) w.explanation = `赞成 ${w.approve} 票；${why}，与其他女性得票相等，须重新投票。`
    tie.push({ post: 'member', seats: 1, candidateIds: best.map((w) => w.candidateId), names: best.map((w) => w.name) })
    return
  }
  const woman = best[0]!
  if (memberTie >= 0 && tie[memberTie]!.names.includes(woman.name)) {
    const t = tie[memberTie]!
    const i = t.names.indexOf(woman.name)
    t.candidateIds.splice(i, 1)
    t.names.splice(i, 1)
    t.seats--
    if (t.seats === 0) tie.splice(memberTie, 1)
  } else if (gap >= 0) {
    if (--unfilled[gap]!.seats === 0) unfilled.splice(gap, 1)
  } else if (memberTie >= 0) {
    const t = tie[memberTie]!
    t.seats--
    if (t.seats === 0) {
      for (const w of work) if (w.post === 'member' && t.names.includes(w.name)) w.explanation = `赞成 ${w.approve} 票；${why}，最后一个委员名额由女性当选，未当选。`
      tie.splice(memberTie, 1)
    }
  } else {
    const lowest = work.filter((w) => w.post === 'member' && w.elected).sort((a, b) => a.approve - b.approve)[0]
    if (!lowest) return
    lowest.elected = false
    lowest.explanation = `赞成 ${lowest.approve} 票；${why}，让出最后一个委员名额，未当选。`
  }
  give(woman)
}
