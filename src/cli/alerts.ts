import { loadConfig } from '../server/config.ts'
import { createDb } from '../server/db/create-db.ts'
import { DomainError } from '../server/http/errors.ts'
import { appendAudit } from '../server/modules/audit/service.ts'
import { alerts, sendWebhook, settingOf, systemReader } from '../server/modules/alert/service.ts'
import { cliRequest, systemActor } from '../server/modules/setup/service.ts'
import type { Command } from './command.ts'

export const alertsCommand: Command = {
  name: 'alerts',
  summary: '今日提醒：各乡镇未报送日报告的村（社区）和逾期节点；加 --send 推送到本县设置的企业微信/钉钉群机器人（可由 cron 定时运行）',
  options: {
    county: { type: 'string', description: '县（旗）代码（6 位）；默认每个县' },
    send: { type: 'boolean', description: '推送到群机器人（未设置机器人的县只打印）' },
  },
  async run(_p, v) {
    const config = loadConfig()
    const d = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
    try {
      const wanted = typeof v.county === 'string' ? v.county.trim().slice(0, 6) : undefined
      const counties = (await d.db.selectFrom('territory').select('county_code').where('level', '=', 'county').execute()).map((c) => c.county_code).filter((c) => !wanted || c === wanted)
      if (wanted && !counties.length) throw new Error(`没有代码为 ${wanted} 的县（旗）`)
      let failed = 0
      for (const county of counties) {
        const a = await alerts(d.db, systemReader(county)).catch((err: unknown) => {
          if (err instanceof DomainError) return { text: `（${county}）${err.message}`, skip: true }
          throw err
        })
        console.log(a.text)
        console.log('')
        const s = await settingOf(d.db, county)
        if (!v.send || 'skip' in a || !s.webhook_kind || !s.webhook_url) continue
        try {
          await sendWebhook(s.webhook_kind, s.webhook_url, a.text)
          await d.db.transaction().execute((trx) => appendAudit(trx, systemActor(county, '系统（提醒）'), cliRequest, { action: 'alert.send', objectType: 'alert_setting', objectId: county, extra: { kind: s.webhook_kind, chars: a.text.length } }))
          console.log(`已推送到${s.webhook_kind === 'wecom' ? '企业微信' : '钉钉'}群机器人`)
        } catch (err) {
          failed++
          console.error(`推送失败（${county}）：${err instanceof Error ? err.message : String(err)}`)
        }
      }
      return failed ? 1 : 0
    } finally {
      await d.close()
    }
  },
}
