/**
 * 提醒 (issue 6 §2): units that have not filed today's report after the county's hour, and
 * milestones past their day, per township — shown in the app, and optionally pushed as text to a
 * WeCom or DingTalk group robot the county configures (`huanjie alerts --send`, run by cron).
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { forbidden, invalid, versionConflict } from '../../http/errors.ts'
import { recordAudit } from '../audit/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { summary } from '../report/service.ts'
import type { AlertSettingRow, WebhookKind } from './table.ts'

export const readerRoles = ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] as const

/** The only hosts a county's robot may live on: the two platforms' official webhook endpoints (no other outbound calls). */
const webhookHosts: Record<WebhookKind, string> = { wecom: 'qyapi.weixin.qq.com', dingtalk: 'oapi.dingtalk.com' }
const kindLabels: Record<WebhookKind, string> = { wecom: '企业微信群机器人', dingtalk: '钉钉群机器人' }

export async function settingOf(db: Kysely<DB>, countyCode: string): Promise<AlertSettingRow> {
  const row = await db.selectFrom('alert_setting').selectAll().where('county_code', '=', countyCode).executeTakeFirst()
  return row ?? { county_code: countyCode, report_hour: 18, webhook_kind: null, webhook_url: null, updated_by: '', updated_at: new Date(0), version: 0 }
}

/** The URL with its secret token hidden: the page shows where alerts go, not how to post there. */
const maskUrl = (url: string | null) => (url ? url.replace(/(key|access_token)=([^&]{4})[^&]*/, '$1=$2****') : null)

export async function getSettings(db: Kysely<DB>, ctx: Ctx) {
  const s = await settingOf(db, ctx.actor.countyCode)
  return { reportHour: s.report_hour, webhookKind: s.webhook_kind, webhookUrl: maskUrl(s.webhook_url), version: s.version }
}

export function checkWebhook(kind: WebhookKind, url: string): void {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw invalid('机器人地址不是有效的网址', [{ field: 'webhookUrl', message: '无效网址' }])
  }
  if (u.protocol !== 'https:' || u.hostname !== webhookHosts[kind]) throw invalid(`${kindLabels[kind]}的地址应以 https://${webhookHosts[kind]}/ 开头（从群设置中复制）`, [{ field: 'webhookUrl', message: '不是该平台的机器人地址' }])
}

export async function saveSettings(db: Kysely<DB>, ctx: Ctx, input: { reportHour: number; webhookKind: WebhookKind | null; webhookUrl: string | null; version: number }) {
  if (ctx.actor.role !== 'county_admin') throw forbidden('只有县级管理员可以设置提醒')
  const before = await settingOf(db, ctx.actor.countyCode)
  // The page shows a masked URL; sending it back unchanged keeps the stored one.
  const url = input.webhookUrl && input.webhookUrl === maskUrl(before.webhook_url) ? before.webhook_url : input.webhookUrl?.trim() || null
  if ((input.webhookKind === null) !== (url === null)) throw invalid('请同时选择机器人类型并填写地址，或两者都留空', [{ field: 'webhookUrl', message: '与类型不一致' }])
  if (input.webhookKind && url) checkWebhook(input.webhookKind, url)
  if (before.version !== input.version) throw versionConflict('提醒设置已被他人修改，请刷新后重试')
  const values = { report_hour: input.reportHour, webhook_kind: input.webhookKind, webhook_url: url, updated_by: ctx.actor.displayName }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('alert_setting')
      .values({ county_code: ctx.actor.countyCode, ...values })
      .onConflict((oc) => oc.column('county_code').doUpdateSet({ ...values, updated_at: new Date(), version: before.version + 1 }))
      .execute()
    await recordAudit(trx, ctx, { action: 'alert.settings', objectType: 'alert_setting', objectId: ctx.actor.countyCode, before: { ...before, webhook_url: maskUrl(before.webhook_url) }, after: { ...values, webhook_url: maskUrl(url) } })
  })
  return getSettings(db, ctx)
}

/** The hour of day in China now (alerts about today's report start at the county's hour). */
export function hourInChina(now = new Date()): number {
  return Number(now.toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }))
}

export interface TownshipAlerts {
  code: string
  name: string
  /** Units without today's report (empty before the county's hour). */
  missing: string[]
  overdue: { unit: string; milestones: string[] }[]
}

/** Alerts for every township the actor sees (one, or the county's). */
export async function alerts(db: Kysely<DB>, ctx: Ctx, now = new Date()) {
  const a = ctx.actor
  const setting = await settingOf(db, a.countyCode)
  const afterHour = hourInChina(now) >= setting.report_hour
  const townships =
    a.territoryLevel === 'county'
      ? await territoryRepo.allTerritories(db, { countyCode: a.countyCode, prefix: a.countyCode, level: 'township', status: 'active' })
      : [{ code: a.territoryCode, name: '' }]
  const out: TownshipAlerts[] = []
  let date = ''
  for (const t of townships) {
    const s = await summary(db, ctx, { township: t.code })
    date = s.to
    out.push({
      code: s.township.code,
      name: s.township.name,
      missing: afterHour ? s.totals.missing : [],
      overdue: s.units.filter((u) => u.overdue.length).map((u) => ({ unit: u.name, milestones: u.overdue })),
    })
  }
  return { date, reportHour: setting.report_hour, afterHour, townships: out, text: alertText(date, out) }
}

/** The message a township group reads. */
export function alertText(date: string, townships: TownshipAlerts[]): string {
  const lines: string[] = []
  for (const t of townships) {
    if (!t.missing.length && !t.overdue.length) continue
    lines.push(`【${t.name}】`)
    if (t.missing.length) lines.push(`今日未报送日报告（${t.missing.length}个）：${t.missing.join('、')}`)
    for (const o of t.overdue) lines.push(`${o.unit}逾期未完成：${o.milestones.join('、')}`)
  }
  return lines.length ? [`换届工作提醒（${date}）`, ...lines, '请相关村（社区）抓紧办理，并在系统中报送或标记完成。'].join('\n') : `换届工作提醒（${date}）：各村（社区）均已按时报送，没有逾期节点。`
}

/** Posts the text to the robot; both platforms take the same {msgtype, text.content} body. */
export async function sendWebhook(kind: WebhookKind, url: string, text: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  checkWebhook(kind, url)
  const res = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ msgtype: 'text', text: { content: text } }), signal: AbortSignal.timeout(10_000) })
  const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string }
  if (!res.ok || (body.errcode !== undefined && body.errcode !== 0)) throw new Error(`${kindLabels[kind]}未接受消息（HTTP ${res.status}${body.errmsg ? `，${body.errmsg}` : ''}）`)
}

/** A county-wide reader for the command line (alerts only read). */
export function systemReader(countyCode: string): Ctx {
  const actor: Actor = {
    userId: '0',
    countyCode,
    username: 'system',
    displayName: '系统（提醒）',
    role: 'auditor',
    territoryCode: `${countyCode}000000`,
    territoryLevel: 'county',
    departmentId: null,
    unitCodes: [],
    sessionHash: '',
    mustChangePassword: false,
  }
  return { actor, requestId: `cli-${process.pid}`, ip: 'local', userAgent: 'huanjie-cli' }
}
