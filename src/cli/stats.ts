import { loadConfig } from '../server/config.ts'
import { createDb } from '../server/db/create-db.ts'
import { DomainError } from '../server/http/errors.ts'
import { statsReport } from '../server/modules/stats/report.ts'
import { unitStatusLabels } from '../server/modules/stats/compute.ts'
import type { StatsBody } from '../rules/composition/index.ts'
import type { Command } from './command.ts'

const bodies: StatsBody[] = ['party_committee', 'villager_committee', 'resident_committee']

/** Pads to a display width, counting a CJK character as two columns. */
function cell(text: string | number, width: number): string {
  const s = String(text)
  const w = [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0)
  return s + ' '.repeat(Math.max(1, width - w))
}

export const statsCommand: Command = {
  name: 'stats',
  summary: '换届统计：某区划（村、乡镇、县，或省、市代码前缀）某班子的进度、结构数字和情况综述',
  details: '例：huanjie stats --region 150999100000 --body party_committee --year 2021 --json',
  options: {
    region: { type: 'string', description: '区划代码：12 位统计用区划代码，或省（2 位）、市（4 位）前缀' },
    body: { type: 'string', description: '班子：party_committee（党组织，默认）| villager_committee | resident_committee' },
    year: { type: 'string', description: '换届年度（届次），默认当前届次' },
    json: { type: 'boolean', description: '以 JSON 输出' },
  },
  async run(_positionals, v) {
    const region = typeof v.region === 'string' ? v.region.trim() : ''
    if (!region) throw new Error('缺少选项 --region（区划代码）')
    const body = (typeof v.body === 'string' ? v.body : 'party_committee') as StatsBody
    if (!bodies.includes(body)) throw new Error(`--body 应为 ${bodies.join('、')} 之一`)
    const year = typeof v.year === 'string' ? Number(v.year) : undefined
    if (year !== undefined && !Number.isInteger(year)) throw new Error('--year 应为年份，如 2021')
    const config = loadConfig()
    const d = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
    try {
      const r = await statsReport(d.db, { region, body, year }).catch((err: unknown) => {
        throw err instanceof DomainError ? new Error(err.message) : err
      })
      if (v.json) {
        console.log(JSON.stringify(r, null, 2))
        return 0
      }
      const p = r.progress
      console.log(`${r.region.name} · ${r.year}年换届 · ${r.bodyLabel}`)
      console.log(`进度：${p.total}个村（社区），已完成${p.finished}，进行中${p.inProgress}，未开始${p.notStarted}`)
      console.log('')
      console.log(r.paragraph)
      console.log('')
      console.log([cell('单位', 16), cell('状态', 8), cell('成员', 6), cell('女性', 6), cell(`${r.youthAge}岁以下`, 10), cell('大专及以上', 12), '平均年龄'].join(''))
      for (const c of r.children) {
        const f = c.elected
        const status = c.status ? unitStatusLabels[c.status] : `${c.progress.finished}/${c.progress.total}`
        console.log([cell(c.name, 16), cell(status, 8), cell(f.members, 6), cell(f.women, 6), cell(f.under35, 10), cell(f.college, 12), f.averageAge ?? '—'].join(''))
      }
      return 0
    } finally {
      await d.close()
    }
  },
}
