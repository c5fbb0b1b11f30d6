/**
 * `huanjie stats`: the statistics of any region, without a signed-in user — a unit, a township, a
 * county, or a city or province prefix rolling up every county under it (each county's campaign of
 * the year). Operators run it on the server; it reads only.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { invalid } from '../../http/errors.ts'
import { levelOfCode, prefixOf } from '../../scope.ts'
import { defaultCompositionRules, type StatsBody } from '../../../rules/composition/index.ts'
import { todayInChina } from '../person/service.ts'
import * as territoryRepo from '../territory/repo.ts'
import { checkUnits, paragraphOf, progressOf, rollup, statsBodies, unitStats, withAverage } from './compute.ts'
import { countyRules } from './service.ts'
import * as repo from './repo.ts'
import * as campaignRepo from '../campaign/repo.ts'

export interface ReportOptions {
  /** 12-digit code, or a shorter prefix of one (2 digits: a province, 4: a city). */
  region: string
  body: StatsBody
  year?: number
}

export async function statsReport(db: Kysely<DB>, o: ReportOptions) {
  if (!/^\d{2,12}$/.test(o.region)) throw invalid(`区划代码“${o.region}”无效：应为 2 至 12 位数字（省 2 位、市 4 位、县 6 位或 12 位统计用区划代码）`)
  const full = o.region.length === 12
  const prefix = full ? prefixOf(o.region) : o.region
  const countyCode = prefix.length >= 6 ? prefix.slice(0, 6) : null
  const node = full ? await territoryRepo.findTerritory(db, o.region.slice(0, 6), o.region) : undefined
  if (full && !node) throw invalid(`没有区划代码为 ${o.region} 的区划`)

  const campaigns = await campaignRepo.campaignsUnder(db, prefix)
  const today = todayInChina()
  const year = o.year ?? (campaigns.find((c) => c.starts_on <= today && (c.ends_on === null || c.ends_on >= today)) ?? campaigns.find((c) => c.starts_on <= today) ?? campaigns[0])?.year
  if (year === undefined) throw invalid('该区划尚未设置换届届次（县级管理员在“结构指标”页面新建），无法统计')
  const rules = countyCode ? await countyRules(db, countyCode) : { ...defaultCompositionRules }
  const region = { countyCode, prefix }
  const units = await unitStats(db, region, year, o.body, rules.youthAge)
  const r = rollup(units)
  const campaign = countyCode ? campaigns.find((c) => c.year === year) : undefined
  const checks = campaign ? await checkUnits(db, region, campaign, 'elected', rules, today) : []
  const name = node?.name ?? `区划${prefix}`
  const { text: paragraph, targets } = paragraphOf({ name, kind: node?.kind ?? (prefix.length === 2 ? 'province' : 'city') }, o.body, units, checks, rules.youthAge, today)
  const level = node ? node.level : prefix.length >= 9 ? 'township' : 'county'
  const childKey = (code: string) => (level === 'county' || !node ? code.slice(0, prefix.length < 6 ? 6 : 9) : code)
  const keys = [...new Set(units.map((u) => childKey(u.code)))]
  const names = await repo.areaNames(db, prefix)
  return {
    region: { code: o.region, name, level: node?.level ?? levelOfCode(o.region.padEnd(12, '0')) },
    year,
    body: o.body,
    bodyLabel: statsBodies[o.body].label,
    youthAge: rules.youthAge,
    progress: progressOf(units),
    elected: withAverage(r.elected),
    incumbent: withAverage(r.incumbent),
    finished: withAverage(r.finishedElected),
    finishedWithHead: r.finishedWithHead,
    cross: r.cross,
    electedFrom: r.from,
    electedTo: r.to,
    paragraph,
    targets,
    children: keys.map((k) => {
      const mine = units.filter((u) => childKey(u.code) === k)
      const x = rollup(mine)
      const one = mine.length === 1 && mine[0]!.code === k ? mine[0]! : undefined
      return { code: k.padEnd(12, '0'), name: one?.name ?? names.get(k.padEnd(12, '0')) ?? k, status: one?.status ?? null, progress: progressOf(mine), elected: withAverage(x.elected) }
    }),
  }
}
