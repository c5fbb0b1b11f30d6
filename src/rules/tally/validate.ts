import { TallyInputError, type TallyBody, type TallyInput, type TallyPost, type TallyRules } from './types.ts'

export const defaultRules: Readonly<TallyRules> = Object.freeze({
  quorumComparison: '>',
  partySurplusRatio: 0.2,
  carryDown: true,
  supplementaryTurnoutRequired: true,
  womenFallback: 'none',
})

export const allowedPosts: Record<TallyBody, readonly TallyPost[]> = {
  party_committee: ['member'],
  party_secretary: ['secretary', 'deputy_secretary'],
  villager_committee: ['director', 'deputy_director', 'woman_member', 'member'],
  resident_committee: ['director', 'deputy_director', 'woman_member', 'member'],
}

/** The order in which posts are decided (rule 11: director → deputy → woman member → member). */
export const postOrder: readonly TallyPost[] = ['secretary', 'deputy_secretary', 'director', 'deputy_director', 'woman_member', 'member']

export const postLabels: Record<TallyPost, string> = {
  secretary: '书记',
  deputy_secretary: '副书记',
  member: '委员',
  director: '主任',
  deputy_director: '副主任',
  woman_member: '妇女委员',
}

export const bodyLabels: Record<TallyBody, string> = {
  party_committee: '党组织委员会委员',
  party_secretary: '党组织书记、副书记',
  villager_committee: '村民委员会',
  resident_committee: '居民委员会',
}

export const isPartyBody = (body: TallyBody) => body === 'party_committee' || body === 'party_secretary'

const fail = (field: string, message: string): never => {
  throw new TallyInputError(field, message)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(field, `${field} 必须是不小于 0 的整数，收到 ${JSON.stringify(v)}`)
  return v as number
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(field, `${field} 必须是 ${allowed.join(' | ')} 之一，收到 ${JSON.stringify(v)}`)
  return v as T
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(field, `${field} 不能为空`)
  return (v as string).trim()
}

function onlyKeys(o: Record<string, unknown>, keys: readonly string[], field: string) {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${field}.${k}`, `${field} 中没有字段 ${k}`)
}

export function mergeRules(over: unknown): TallyRules {
  if (over === undefined) return { ...defaultRules }
  if (!isObject(over)) return fail('rules', 'rules 必须是对象')
  onlyKeys(over, Object.keys(defaultRules), 'rules')
  const r: TallyRules = { ...defaultRules }
  if (over.quorumComparison !== undefined) r.quorumComparison = oneOf(over.quorumComparison, ['>', '>='] as const, 'rules.quorumComparison')
  if (over.partySurplusRatio !== undefined) {
    const v = over.partySurplusRatio
    // Integer arithmetic needs an exact fraction: at most 6 decimals, so ratio × 10⁶ is an integer.
    const exact = typeof v === 'number' && v >= 0 && v <= 10 && Math.abs(Math.round(v * 1e6) - v * 1e6) <= 1e-6
    if (!exact) fail('rules.partySurplusRatio', `rules.partySurplusRatio 必须是 0 到 10 之间、最多 6 位小数的数，收到 ${JSON.stringify(v)}`)
    r.partySurplusRatio = v as number
  }
  for (const k of ['carryDown', 'supplementaryTurnoutRequired'] as const) {
    if (over[k] !== undefined) {
      if (typeof over[k] !== 'boolean') fail(`rules.${k}`, `rules.${k} 必须是 true 或 false`)
      r[k] = over[k] as boolean
    }
  }
  if (over.womenFallback !== undefined) r.womenFallback = oneOf(over.womenFallback, ['none', 'last_seat'] as const, 'rules.womenFallback')
  return r
}

/**
 * Checks an election round as it arrives (from JSON, the CLI or the API) and returns it typed.
 * Anything the engine cannot count is refused here with the field that is wrong; what the law
 * judges (quorum, turnout, surplus, void ballots) is left to the count.
 */
export type CheckedInput = TallyInput & { rules: TallyRules }

export function checkInput(raw: unknown): CheckedInput {
  if (!isObject(raw)) return fail('', '输入必须是一个 JSON 对象')
  onlyKeys(raw, ['body', 'round', 'rules', 'entitled', 'present', 'ballotsIssued', 'posts', 'candidates', 'ballots', 'totals', 'revoteOf'], '输入')
  const body = oneOf(raw.body, ['party_committee', 'party_secretary', 'villager_committee', 'resident_committee'] as const, 'body')
  const round = oneOf(raw.round, ['first', 'supplementary', 'revote'] as const, 'round')
  const revoteOf = raw.revoteOf === undefined ? undefined : oneOf(raw.revoteOf, ['first', 'supplementary'] as const, 'revoteOf')
  const entitled = count(raw.entitled, 'entitled')
  const ballotsIssued = count(raw.ballotsIssued, 'ballotsIssued')
  let present: number | undefined
  if (isPartyBody(body)) {
    if (raw.present === undefined) fail('present', '党组织选举必须给出实到会人数 present')
    present = count(raw.present, 'present')
    if (present > entitled) fail('present', `实到会人数 present（${present}）不能大于应到会人数 entitled（${entitled}）`)
    // R3: more ballots handed out than members present is a counting error, not an outcome.
    if (ballotsIssued > present) fail('ballotsIssued', `发出选票 ballotsIssued（${ballotsIssued}）不能大于实到会人数 present（${present}）`)
  } else {
    if (raw.present !== undefined) present = count(raw.present, 'present')
    if (ballotsIssued > entitled) fail('ballotsIssued', `发出选票 ballotsIssued（${ballotsIssued}）不能大于登记选民数 entitled（${entitled}）`)
  }

  if (!Array.isArray(raw.posts) || raw.posts.length === 0) fail('posts', 'posts 至少要有一个职务')
  const posts = (raw.posts as unknown[]).map((p, i) => {
    const f = `posts[${i}]`
    if (!isObject(p)) return fail(f, `${f} 必须是对象`)
    onlyKeys(p, ['post', 'seats'], f)
    const post = oneOf(p.post, allowedPosts[body], `${f}.post`)
    const seats = count(p.seats, `${f}.seats`)
    if (seats < 1) fail(`${f}.seats`, `${f}.seats 应选人数至少为 1`)
    return { post, seats }
  })
  const postSet = new Set<TallyPost>()
  posts.forEach((p, i) => {
    if (postSet.has(p.post)) fail(`posts[${i}].post`, `职务 ${p.post} 重复`)
    postSet.add(p.post)
  })

  if (!Array.isArray(raw.candidates)) fail('candidates', 'candidates 必须是数组')
  const ids = new Set<string>()
  const namesByPost = new Set<string>()
  const candidates = (raw.candidates as unknown[]).map((c, i) => {
    const f = `candidates[${i}]`
    if (!isObject(c)) return fail(f, `${f} 必须是对象`)
    onlyKeys(c, ['id', 'name', 'gender', 'post'], f)
    const id = text(c.id, `${f}.id`)
    if (ids.has(id)) fail(`${f}.id`, `候选人编号 ${id} 重复`)
    ids.add(id)
    const name = text(c.name, `${f}.name`)
    const gender = oneOf(c.gender, ['male', 'female'] as const, `${f}.gender`)
    const post = oneOf(c.post, [...postSet], `${f}.post`)
    if (post === 'woman_member' && gender !== 'female') fail(`${f}.gender`, `妇女委员职务只能由女性候选，${name} 的性别为男`)
    // Same-post namesakes would be indistinguishable to a write-in and on the count sheet.
    if (namesByPost.has(`${post}\u0000${name}`)) fail(`${f}.name`, `${postLabels[post]}职务有两名同名候选人“${name}”，请在姓名后加注以区分`)
    namesByPost.add(`${post}\u0000${name}`)
    return { id, name, gender, post }
  })

  const hasBallots = raw.ballots !== undefined
  const hasTotals = raw.totals !== undefined
  if (hasBallots === hasTotals) fail('ballots', 'ballots（逐张选票）和 totals（计票单合计）必须且只能给出一个')
  const checkWriteIn = (w: unknown, f: string) => {
    if (!isObject(w)) return fail(f, `${f} 必须是对象`)
    onlyKeys(w, ['name', 'post', 'gender', 'approve'], f)
    const name = text(w.name, `${f}.name`)
    const post = oneOf(w.post, [...postSet], `${f}.post`)
    const gender = w.gender === undefined ? undefined : oneOf(w.gender, ['male', 'female'] as const, `${f}.gender`)
    if (post === 'woman_member' && gender === 'male') fail(`${f}.gender`, `妇女委员职务只能选女性，另选人“${name}”为男性`)
    return { name, post, gender }
  }

  const input: CheckedInput = { body, round, rules: mergeRules(raw.rules), entitled, ballotsIssued, posts, candidates }
  if (present !== undefined) input.present = present
  if (revoteOf) input.revoteOf = revoteOf

  if (hasBallots) {
    if (!Array.isArray(raw.ballots)) fail('ballots', 'ballots 必须是数组')
    input.ballots = (raw.ballots as unknown[]).map((b, i) => {
      const f = `ballots[${i}]`
      if (!isObject(b)) return fail(f, `${f} 必须是对象`)
      onlyKeys(b, ['marks', 'writeIns', 'void'], f)
      if (b.void !== undefined && typeof b.void !== 'boolean') fail(`${f}.void`, `${f}.void 必须是 true 或 false`)
      let marks: Record<string, 'approve' | 'disapprove' | 'abstain'> | undefined
      if (b.marks !== undefined) {
        if (!isObject(b.marks)) fail(`${f}.marks`, `${f}.marks 必须是对象`)
        marks = {}
        for (const [id, m] of Object.entries(b.marks as Record<string, unknown>)) {
          if (!ids.has(id)) fail(`${f}.marks.${id}`, `${f} 标记了不存在的候选人编号 ${id}`)
          marks[id] = oneOf(m, ['approve', 'disapprove', 'abstain'] as const, `${f}.marks.${id}`)
        }
      }
      let writeIns
      if (b.writeIns !== undefined) {
        if (!Array.isArray(b.writeIns)) fail(`${f}.writeIns`, `${f}.writeIns 必须是数组`)
        writeIns = (b.writeIns as unknown[]).map((w, j) => {
          const out = checkWriteIn(w, `${f}.writeIns[${j}]`)
          if (isObject(w) && w.approve !== undefined) fail(`${f}.writeIns[${j}].approve`, '逐张选票的另选人不带票数')
          return out.gender ? out : { name: out.name, post: out.post }
        })
      }
      return { ...(marks ? { marks } : {}), ...(writeIns ? { writeIns } : {}), ...(b.void ? { void: true } : {}) }
    })
  } else {
    input.totals = checkTotals(raw.totals, candidates, checkWriteIn)
  }
  return input
}

function checkTotals(
  raw: unknown,
  candidates: { id: string; name: string; post: TallyPost }[],
  checkWriteIn: (w: unknown, f: string) => { name: string; post: TallyPost; gender?: 'male' | 'female' },
) {
  if (!isObject(raw)) return fail('totals', 'totals 必须是对象')
  onlyKeys(raw, ['validBallots', 'voidBallots', 'candidates', 'writeIns'], 'totals')
  const validBallots = count(raw.validBallots, 'totals.validBallots')
  const voidBallots = count(raw.voidBallots, 'totals.voidBallots')
  if (!isObject(raw.candidates)) return fail('totals.candidates', 'totals.candidates 必须是对象（按候选人编号给出赞成、不赞成、弃权票数）')
  const given = raw.candidates
  const out: Record<string, { approve: number; disapprove: number; abstain: number }> = {}
  for (const id of Object.keys(given)) if (!candidates.some((c) => c.id === id)) fail(`totals.candidates.${id}`, `计票单中有不存在的候选人编号 ${id}`)
  for (const c of candidates) {
    const f = `totals.candidates.${c.id}`
    const t = given[c.id]
    if (!isObject(t)) return fail(f, `缺少候选人 ${c.name} 的票数`)
    onlyKeys(t, ['approve', 'disapprove', 'abstain'], f)
    const row = { approve: count(t.approve, `${f}.approve`), disapprove: count(t.disapprove, `${f}.disapprove`), abstain: count(t.abstain, `${f}.abstain`) }
    const sum = row.approve + row.disapprove + row.abstain
    // R4: every valid ballot says something about every candidate (unmarked = abstain).
    if (sum !== validBallots) fail(f, `候选人 ${c.name} 的赞成、不赞成、弃权票之和为 ${sum}，应等于有效票 ${validBallots}`)
    out[c.id] = row
  }
  const writeIns = raw.writeIns === undefined ? [] : Array.isArray(raw.writeIns) ? raw.writeIns : fail('totals.writeIns', 'totals.writeIns 必须是数组')
  const seen = new Set<string>()
  const w = (writeIns as unknown[]).map((x, i) => {
    const f = `totals.writeIns[${i}]`
    const base = checkWriteIn(x, f)
    const approve = count((x as Record<string, unknown>).approve, `${f}.approve`)
    if (approve > validBallots) fail(`${f}.approve`, `另选人 ${base.name} 的票数 ${approve} 超过有效票 ${validBallots}`)
    if (candidates.some((c) => c.post === base.post && c.name === base.name)) fail(`${f}.name`, `“${base.name}”是本职务的候选人，其票数应计入候选人一栏`)
    if (seen.has(`${base.post}\u0000${base.name}`)) fail(`${f}.name`, `另选人“${base.name}”在同一职务重复出现`)
    seen.add(`${base.post}\u0000${base.name}`)
    return { ...base, approve }
  })
  return { validBallots, voidBallots, candidates: out, writeIns: w }
}
