/** Role names as users read them; shared by the server (replies, audit) and the web app. */
export const roleLabels = {
  county_admin: '县级管理员',
  township_organiser: '乡镇组织员',
  leader: '领导小组成员',
  contact_cadre: '包村干部',
  reviewer: '联审部门审查员',
  auditor: '纪检审计员',
} as const

export type RoleName = keyof typeof roleLabels

/** Who an audit row names: a role, or the system itself (command line, demo data), or nobody signed in. */
export function actorRoleLabel(role: string): string {
  if (role === 'system') return '系统'
  if (role === 'anonymous') return '未登录'
  return (roleLabels as Record<string, string>)[role] ?? role
}
