import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { forbidden } from '../../http/errors.ts'
import { buildSheet, type SheetColumn } from '../../files/xlsx.ts'
import { scopePrefix } from '../../scope.ts'
import { labelOf, politicalStatuses } from '../../../rules/codes/index.ts'
import { recordAudit } from '../audit/service.ts'
import * as nomineeRepo from '../nominee/repo.ts'
import { toNominee } from '../nominee/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'

/**
 * The joint review ledger (联审台账): one row per nominee, one column per department with what it
 * found, then the verdict, the county's decision and the talk. Names and ID numbers are masked as
 * everywhere; text columns are written as text so nothing in them can become a formula.
 */
export async function reviewLedger(db: Kysely<DB>, ctx: Ctx, q: { batchId?: string }): Promise<Buffer> {
  const a = ctx.actor
  if (a.role === 'reviewer' || a.role === 'contact_cadre') throw forbidden('您的角色不能导出联审台账')
  const c = a.countyCode
  const nominees = (await nomineeRepo.listNominees(db, { countyCode: c, unitPrefix: scopePrefix(a), batchId: q.batchId })).filter((n) => n.batch_id)
  const ids = nominees.map((n) => n.id)
  const requests = ids.length ? await repo.listRequests(db, { countyCode: c, nomineeIds: ids }) : []
  const live = requests.filter((r) => nominees.some((n) => n.id === r.nominee_id && n.batch_id === r.batch_id))
  const [findings, talks] = await Promise.all([repo.findingsOf(db, c, live.map((r) => r.id)), nomineeRepo.talksOf(db, c, ids)])
  const departments = [...new Map(live.map((r) => [r.department_id, r.department_name])).entries()]
  const today = todayInChina()

  const columns: SheetColumn[] = [
    { header: '序号', key: 'no', width: 6 },
    { header: '乡镇（苏木、街道）', key: 'township', width: 14, text: true },
    { header: '村（社区）', key: 'unit', width: 14, text: true },
    { header: '姓名', key: 'name', width: 10, text: true },
    { header: '性别', key: 'gender', width: 6 },
    { header: '年龄', key: 'age', width: 6 },
    { header: '身份证号（脱敏）', key: 'idNumber', width: 22, text: true },
    { header: '政治面貌', key: 'political', width: 12 },
    { header: '拟任职务', key: 'post', width: 22, text: true },
    { header: '产生方式', key: 'putForward', width: 12 },
    ...departments.map(([id, name]) => ({ header: `${name}意见`, key: `d${id}`, width: 24, text: true })),
    { header: '联审结论', key: 'verdict', width: 14 },
    { header: '县级决定理由', key: 'decision', width: 24, text: true },
    { header: '谈话记录', key: 'talk', width: 30, text: true },
  ]
  const rows = nominees.map((n, i) => {
    const v = toNominee(n, today)
    const row: Record<string, unknown> = {
      no: i + 1,
      township: v.townshipName,
      unit: v.unitName,
      name: v.name,
      gender: v.gender === '1' ? '男' : '女',
      age: v.age,
      idNumber: v.idNumber,
      political: labelOf(politicalStatuses, v.politicalStatus),
      post: `${v.bodyLabel}${v.postLabel.replace(/^党组织/, '')}`,
      putForward: v.putForwardLabel,
      verdict: v.stateLabel,
      decision: v.decisionReason ? `${v.decision === 'qualified' ? '通过' : '不通过'}：${v.decisionReason}` : '',
      talk: talks
        .filter((t) => t.nominee_id === n.id)
        .map((t) => `${t.talked_on} ${t.talkers}：${t.response}`)
        .join('\n'),
    }
    for (const [id] of departments) {
      const r = live.find((x) => x.nominee_id === n.id && x.department_id === id)
      if (!r) continue
      const found = findings.filter((f) => f.request_id === r.id && f.found)
      row[`d${id}`] =
        r.status === 'pending'
          ? r.deadline < today
            ? `逾期未反馈（期限 ${r.deadline}）`
            : `待反馈（期限 ${r.deadline}）`
          : r.status === 'cancelled'
            ? '已撤回'
            : found.length
              ? found.map((f) => `发现：${f.text}${f.note ? `（${f.note}）` : ''}`).join('；')
              : '无负面清单所列情形'
    }
    return row
  })
  const stamp = new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })
  const buf = await buildSheet('联审台账', columns, rows, `导出人：${a.displayName}（${a.username}） 导出时间：${stamp} 身份证号已脱敏`)
  await db.transaction().execute((trx) =>
    recordAudit(trx, ctx, { action: 'review.ledger.export', objectType: 'review_batch', objectId: q.batchId ?? 'all', extra: { rows: rows.length } }),
  )
  return buf
}
