import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { DomainError } from './errors.ts'

interface AjvError {
  instancePath?: string
  keyword?: string
  params?: Record<string, unknown>
  message?: string
}

// Field names as users see them in the forms.
const fieldLabels: Record<string, string> = {
  username: '用户名',
  password: '密码',
  oldPassword: '原密码',
  newPassword: '新密码',
  displayName: '姓名',
  phone: '手机号',
  role: '角色',
  territoryCode: '所属区划',
  departmentId: '所属部门',
  code: '区划代码',
  parentCode: '上级区划',
  name: '名称',
  kind: '类别',
  sort: '排序',
  version: '版本号',
  page: '页码',
  pageSize: '每页条数',
  unitCodes: '包联村（社区）',
  status: '状态',
  keyword: '关键字',
  level: '层级',
  title: '标题',
  heldOn: '日期',
  place: '地点',
  host: '主持人',
  attendees: '参会人员',
  attendeeCount: '参会人数',
  minutes: '会议纪要',
  decisions: '议定事项',
  content: '内容',
  owner: '责任人',
  deadline: '完成时限',
  doneOn: '完成日期',
  doneNote: '完成情况',
  docNumber: '文号',
  issuedOn: '印发日期',
  category: '类别',
  question: '问题',
  answer: '答案',
  basis: '依据',
  channel: '宣传方式',
  channelOther: '具体方式',
  theme: '宣传内容',
  reach: '覆盖人数',
  unitCode: '村（社区）',
  visitedOn: '走访日期',
  visitee: '走访对象',
  opinions: '意见建议',
  followUp: '后续跟进',
  followUpDone: '跟进完成',
  talkedOn: '谈话日期',
  talker: '谈话人',
  cadreName: '谈话对象',
  cadrePost: '职务',
  attitude: '参选意向',
  description: '情况描述',
  resolution: '化解情况',
  resolvedOn: '化解日期',
  development: '发展情况',
  stability: '稳定情况',
  credibility: '班子威信',
  raisedLevel: '调高后的等级',
  raiseReason: '调高理由',
  notes: '备注',
  reportDate: '报告日期',
  progress: '今日进展',
  problems: '存在问题',
  nextSteps: '下步打算',
  campaign: '换届届次',
  township: '乡镇',
  idNumber: '身份证号',
  villageGroup: '村民小组',
  group: '村民小组',
  livingSince: '居住起始日期',
  meetingApprovedOn: '村民会议同意日期',
  deprived: '被剥夺政治权利',
  note: '备注',
  electionDay: '选举日',
  reason: '原因',
  townshipCode: '乡镇',
  q: '查询内容',
  giverVoterId: '委托人',
  holderVoterId: '受委托人',
  relation: '与委托人关系',
  appliedOn: '申请日期',
  giverAway: '委托人选举期间外出',
  monitors: '监票人数',
  voterIds: '选民',
  groups: '村民小组',
  proposals: '更新事项',
  change: '变动类型',
  fromCampaign: '上届届次',
  publishedOn: '公布日期',
  term: '届次（第几届）',
  voterId: '选民',
  subjectName: '申诉涉及的人员',
  objectorName: '申诉人',
  receivedOn: '收到申诉日期',
  decision: '处理决定',
  decidedOn: '处理决定日期',
  decisionPublishedOn: '处理结果公布日期',
  upheld: '申诉是否成立',
  removeVoter: '同时移出选民',
}

function fieldOf(e: AjvError): string {
  const path = (e.instancePath ?? '').split('/').filter(Boolean)
  const missing = e.keyword === 'required' ? String((e.params?.missingProperty as string | undefined) ?? '') : ''
  const name = missing || path.at(-1) || ''
  return fieldLabels[name] ?? name
}

/** Turns AJV's English into a Chinese sentence naming the field. */
export function describeValidationError(e: AjvError): string {
  const field = fieldOf(e)
  const p = e.params ?? {}
  switch (e.keyword ?? '') {
    case 'required':
      return `缺少必填项：${field}`
    case 'minLength':
      return `${field}至少需要 ${String(p.limit)} 个字符`
    case 'maxLength':
      return `${field}不能超过 ${String(p.limit)} 个字符`
    case 'pattern':
      return `${field}格式不正确`
    case 'type':
      return `${field}的类型不正确`
    case 'enum':
    case 'const':
    case 'anyOf':
      return `${field}的取值不在允许范围内`
    case 'minimum':
      return `${field}不能小于 ${String(p.limit)}`
    case 'maximum':
      return `${field}不能大于 ${String(p.limit)}`
    case 'additionalProperties':
      return `不允许提交字段：${String(p.additionalProperty)}`
    case 'format':
      return `${field}格式不正确`
    default:
      return `${field || '请求'}不符合要求`
  }
}

/**
 * `onDenied` records refused attempts by signed-in users (等保 asks that access violations are
 * audited); it must not throw.
 */
export function registerErrorHandlers(app: FastifyInstance, onDenied?: (request: FastifyRequest, err: DomainError) => Promise<void>): void {
  app.setErrorHandler(async (err: FastifyError & { validation?: AjvError[] }, request, reply) => {
    if (err instanceof DomainError) {
      if (err.status === 403 && request.actor && onDenied) await onDenied(request, err)
      return reply.code(err.status).send({ code: err.code, message: err.message, details: err.details })
    }
    if (err.validation) {
      const all = err.validation.map((v) => ({ field: fieldOf(v), message: describeValidationError(v) }))
      // anyOf failures repeat once per branch; say each thing once.
      const details = all.filter((d, i) => all.findIndex((x) => x.message === d.message) === i)
      return reply.code(400).send({ code: 'VALIDATION', message: details[0]?.message ?? '请求参数不正确', details })
    }
    const status = err.statusCode ?? 500
    if (status === 413) {
      return reply.code(413).send({ code: 'BAD_REQUEST', message: '上传的文件或请求内容过大' })
    }
    if (status === 429) {
      return reply.code(429).send({ code: 'TOO_MANY_REQUESTS', message: '请求过于频繁，请稍后再试' })
    }
    if (status >= 400 && status < 500) {
      request.log.info({ err }, 'client error')
      return reply.code(status).send({ code: 'BAD_REQUEST', message: '请求格式不正确' })
    }
    // Never leak internals (SQL, stack) to the client; the request id finds the log line.
    request.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ code: 'INTERNAL', message: `系统内部错误，请联系管理员（请求编号 ${request.id}）` })
  })

  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send({ code: 'NOT_FOUND', message: `接口不存在：${request.method} ${request.url.split('?')[0]}` })
  })
}
