/**
 * The bodies a village or community elects and the posts in each (两委: the Party organisation's
 * committee, and the villagers' or residents' committee). The second body's name depends on the
 * unit: a 村 or 嘎查村 elects a 村民委员会 under the Organic Law of Villagers' Committees, a 社区 a
 * 居民委员会 under the Organic Law of Urban Residents' Committees.
 */
export type Body = 'party' | 'committee'
export type Post = 'secretary' | 'deputy_secretary' | 'chair' | 'vice_chair' | 'member'

export const bodies: readonly Body[] = ['party', 'committee']

export function bodyLabel(body: Body, unitKind: string): string {
  if (body === 'party') return unitKind === 'community' ? '社区党组织委员会' : '村党组织委员会'
  return unitKind === 'community' ? '居民委员会' : unitKind === 'gacha' ? '嘎查村民委员会' : '村民委员会'
}

export const postsOf: Record<Body, readonly Post[]> = {
  party: ['secretary', 'deputy_secretary', 'member'],
  committee: ['chair', 'vice_chair', 'member'],
}

export function postLabel(body: Body, post: Post): string {
  const labels: Record<Post, string> = { secretary: '书记', deputy_secretary: '副书记', chair: '主任', vice_chair: '副主任', member: '委员' }
  return `${body === 'party' ? '党组织' : ''}${labels[post]}`
}

/** "书记" or "村民委员会主任" as a notice prints it. */
export function fullPostLabel(body: Body, post: Post, unitKind: string): string {
  const short: Record<Post, string> = { secretary: '书记', deputy_secretary: '副书记', chair: '主任', vice_chair: '副主任', member: '委员' }
  return `${bodyLabel(body, unitKind)}${short[post]}`
}

export function isPostOf(body: Body, post: string): post is Post {
  return (postsOf[body] as readonly string[]).includes(post)
}

/** Only a Party member may stand for the Party organisation's committee. */
export function postProblem(body: Body, post: string, partyMember: boolean): string | null {
  if (!isPostOf(body, post)) return `“${body === 'party' ? '党组织委员会' : '村（居）民委员会'}”没有这个职务`
  if (body === 'party' && !partyMember) return '党组织委员会的人选必须是中共党员（含预备党员）'
  return null
}

/** How a nominee was put forward (产生方式). */
export const putForwardLabels = {
  party_members: '党员推荐',
  villagers: '群众推荐',
  organisation: '组织推荐',
  joint: '村（居）民代表联名推荐',
  self: '个人自荐',
} as const
export type PutForward = keyof typeof putForwardLabels

/** A post as a person's record states it: 东营子村党组织书记, 东营子村村民委员会主任, 新营社区居民委员会委员. */
export function heldPostLabel(unitName: string, body: Body, post: Post, unitKind: string): string {
  const short = postLabel(body, post).replace(/^党组织/, '')
  return body === 'party' ? `${unitName}党组织${short}` : `${unitName}${bodyLabel(body, unitKind)}${short}`
}
