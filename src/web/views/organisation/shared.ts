/**
 * What the 组织领导 components share: the member roles in the order a notice lists them, and the
 * group's 成员单位 as the notice counts them.
 */
import type { Group, GroupKind, GroupMember, MemberRole } from '../../api/organisation.ts'

/** The server sends its labels too (reply.roleLabels); these cover a label it leaves out. */
export const roleLabels: Record<MemberRole, string> = { first_responsible: '第一责任人', head: '组长', deputy: '副组长', responsible: '具体责任人', member: '成员' }
export const roleOrder: MemberRole[] = ['first_responsible', 'head', 'deputy', 'responsible', 'member']
/** A guidance group has a head and members; the responsibility roles belong to the leading group. */
export const rolesFor = (kind: GroupKind): MemberRole[] => (kind === 'leading' ? roleOrder : ['head', 'member'])

export const LEADING_NAME = '村（社区）“两委”换届工作领导小组'
const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
/** 第一指导组, 第二指导组 …: the name the next guidance group most likely gets. */
export const guidanceName = (count: number) => (count < numerals.length ? `第${numerals[count]}指导组` : '')

/** The members with one role, in the order they were entered. */
export function byRole(group: Group): { role: MemberRole; members: GroupMember[] }[] {
  return roleOrder.map((role) => ({ role, members: group.members.filter((m) => m.role === role) })).filter((g) => g.members.length > 0)
}

/** 成员单位: each department once, in the order of first mention (纪检, 党政综合办 …). */
export function departmentsOf(group: Group): string[] {
  return [...new Set(group.members.map((m) => m.department.trim()).filter(Boolean))]
}

/** 王建国（镇党委书记）: a member as the notice names them. */
export const memberText = (m: GroupMember) => (m.title ? `${m.name}（${m.title}）` : m.name)
