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
