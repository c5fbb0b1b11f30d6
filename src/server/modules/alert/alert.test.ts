import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { todayInChina } from '../person/service.ts'
import { alerts, alertText, hourInChina, sendWebhook, systemReader } from './service.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let cadre: Session
const today = todayInChina()
const KEY = 'abcdef0123456789'
const WECOM = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}
/** A moment at the given hour in China today. */
const at = (hour: number) => new Date(`${today}T${String(hour).padStart(2, '0')}:30:00+08:00`)

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'al_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'al_org' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [c.units[0][1]!], username: 'al_cadre' })
  admin = await t.login('al_admin')
  organiser = await t.login('al_org')
  cadre = await t.login('al_cadre')
  json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: addDays(today, -60) }))
  // 201村 votes for its committee in 5 days: its voter list (E−20) is 15 days overdue; it files today's report.
  json(await organiser.put(`/api/timeline/units/${c.units[0][1]}/schedule`, { partyOn: null, committeeOn: addDays(today, 5), version: 0 }))
  json(await cadre.post('/api/reports', { unitCode: c.units[0][1], nothingNew: true, progress: '', problems: '', nextSteps: '', figures: {}, milestones: [] }))
})
afterAll(() => t.close())

describe('alerts', () => {
  it('names the units without today’s report after the county’s hour, and the overdue milestones', async () => {
    const ctx = systemReader(c.countyCode)
    expect(hourInChina(at(20))).toBe(20)
    const evening = await alerts(t.db, ctx, at(20))
    const first = evening.townships.find((x) => x.code === c.townships[0])!
    expect(first.missing).toEqual(['1镇001社区', '1镇202村'])
    expect(first.overdue).toEqual([{ unit: '1镇201村', milestones: expect.arrayContaining(['公布选民名单']) }])
    expect(evening.text).toContain('【第1镇】')
    expect(evening.text).toContain('今日未报送日报告（2个）：1镇001社区、1镇202村')
    // Before the hour nobody is late yet.
    const morning = await alerts(t.db, ctx, at(8))
    expect(morning.townships.every((x) => x.missing.length === 0)).toBe(true)
    expect(alertText(today, [])).toContain('均已按时报送')
  })

  it('shows a township user their own township in the app', async () => {
    const a = json<{ townships: { code: string }[]; text: string }>(await organiser.get('/api/alerts'))
    expect(a.townships.map((x) => x.code)).toEqual([c.townships[0]])
  })

  it('lets the county admin set the hour and a robot on the platform’s own host, masked and audited', async () => {
    const s = json<{ webhookUrl: string; version: number }>(await admin.put('/api/alert-settings', { reportHour: 17, webhookKind: 'wecom', webhookUrl: WECOM, version: 0 }))
    expect(s.webhookUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd****')
    const row = await t.db.selectFrom('alert_setting').selectAll().where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ report_hour: 17, webhook_kind: 'wecom', webhook_url: WECOM })
    const audit = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('action', '=', 'alert.settings').execute()
    expect(audit).toHaveLength(1)
    expect(JSON.stringify(audit[0])).not.toContain(KEY)
    // Sending the masked URL back keeps the stored one.
    json(await admin.put('/api/alert-settings', { reportHour: 18, webhookKind: 'wecom', webhookUrl: s.webhookUrl, version: 1 }))
    expect((await t.db.selectFrom('alert_setting').select('webhook_url').where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()).webhook_url).toBe(WECOM)
    for (const url of ['http://qyapi.weixin.qq.com/x', 'https://evil.example.com/cgi-bin/webhook/send', 'not a url']) {
      const bad = await admin.put('/api/alert-settings', { reportHour: 18, webhookKind: 'wecom', webhookUrl: url, version: 2 })
      expect(bad.statusCode, url).toBe(400)
    }
    expect((await admin.put('/api/alert-settings', { reportHour: 18, webhookKind: 'dingtalk', webhookUrl: WECOM, version: 2 })).json().message).toContain('oapi.dingtalk.com')
    expect((await organiser.put('/api/alert-settings', { reportHour: 18, webhookKind: null, webhookUrl: null, version: 2 })).statusCode).toBe(403)
  })

  it('posts the text in the robots’ common shape and reports a refusal', async () => {
    const sent: { url: string; body: unknown }[] = []
    const ok = (async (url: string, init: RequestInit) => {
      sent.push({ url, body: JSON.parse(init.body as string) })
      return new Response(JSON.stringify({ errcode: 0, errmsg: 'ok' }), { status: 200 })
    }) as unknown as typeof fetch
    await sendWebhook('wecom', WECOM, '换届工作提醒', ok)
    expect(sent).toEqual([{ url: WECOM, body: { msgtype: 'text', text: { content: '换届工作提醒' } } }])
    const refused = (async () => new Response(JSON.stringify({ errcode: 93000, errmsg: 'invalid webhook url' }), { status: 200 })) as unknown as typeof fetch
    await expect(sendWebhook('wecom', WECOM, 'x', refused)).rejects.toThrow('invalid webhook url')
    await expect(sendWebhook('dingtalk', WECOM, 'x', ok)).rejects.toThrow('oapi.dingtalk.com')
  })
})
