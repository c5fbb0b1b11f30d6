import { describe, expect, it } from 'vitest'
import { bodyLabel, heldPostLabel, postProblem, postsOf } from './index.ts'

describe('bodies and posts', () => {
  it('names the second committee by the kind of unit', () => {
    expect(bodyLabel('committee', 'village')).toBe('村民委员会')
    expect(bodyLabel('committee', 'gacha')).toBe('嘎查村民委员会')
    expect(bodyLabel('committee', 'community')).toBe('居民委员会')
    expect(bodyLabel('party', 'community')).toBe('社区党组织委员会')
  })

  it('keeps each body to its own posts and the Party committee to Party members', () => {
    expect(postsOf.party).not.toContain('chair')
    expect(postProblem('party', 'chair', true)).toContain('没有这个职务')
    expect(postProblem('committee', 'secretary', true)).toContain('没有这个职务')
    expect(postProblem('party', 'member', false)).toContain('中共党员')
    expect(postProblem('committee', 'chair', false)).toBeNull()
  })

  it('states a held post as a record would', () => {
    expect(heldPostLabel('东营子村', 'party', 'secretary', 'village')).toBe('东营子村党组织书记')
    expect(heldPostLabel('新营社区', 'committee', 'member', 'community')).toBe('新营社区居民委员会委员')
  })
})
