/**
 * Every audit action the system writes, with its Chinese name. The server's AuditEntry takes only
 * these keys, so a new action cannot be written without a name the auditor's page can show.
 */
export const actionLabels = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.lock': '账号锁定',
  'auth.password.change': '修改密码',
  'session.force_logout': '强制退出',
  'access.denied': '越权访问被拒绝',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.password.reset': '重置密码',
  'user.unlock': '解除锁定',
  'department.create': '新增联审部门',
  'department.update': '修改联审部门',
  'territory.create': '新增区划',
  'territory.update': '修改区划',
  'territory.retire': '停用区划',
  'territory.reactivate': '启用区划',
  'territory.delete': '删除区划',
  'territory.import': '导入区划',
  'territory.import.create': '导入新增区划',
  'territory.import.update': '导入更新区划',
  'territory.export': '导出区划',
  'person.create': '登记人员',
  'person.update': '修改人员信息',
  'person.id_number.reveal': '查看完整身份证号',
  'person.delete': '删除人员登记',
  'person.import': '导入人员',
  'person.import.create': '导入新增人员',
  'person.export': '导出人员（脱敏）',
  'circumstance.create': '新增负面清单情形',
  'circumstance.update': '修改负面清单情形',
  'system.backup': '备份数据库',
  'system.restore': '恢复数据库',
} as const

export type AuditAction = keyof typeof actionLabels

export const objectTypeLabels: Record<string, string> = {
  user: '用户',
  territory: '区划',
  department: '联审部门',
  person: '人员',
  circumstance: '负面清单情形',
  route: '接口',
  database: '数据库',
}

export const actionLabel = (a: string): string => (actionLabels as Record<string, string>)[a] ?? a
export const objectTypeLabel = (t: string): string => objectTypeLabels[t] ?? t
