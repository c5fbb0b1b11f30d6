/**
 * The count sheet's own arithmetic (quality.md §3.3, R1, R3, R6, R7): checked before a count can
 * be submitted, each failure naming the field and both numbers. R2, R4, R5 and R8 are the engine's.
 */
import type { TallyPost } from './types.ts'

export interface BallotAccount {
  printed: number
  issued: number
  returned: number
  spoiled: number
  unused: number
}

export interface StationFigures extends BallotAccount {
  stationId: string
}

/** What a count sheet (计票单) records; in ballot-by-ballot entry the candidate figures come from the ballots. */
export interface Sheet extends BallotAccount {
  stations: StationFigures[]
  validBallots: number
  voidBallots: number
  candidates: Record<string, { approve: number; disapprove: number; abstain: number }>
  writeIns: { name: string; post: TallyPost; approve: number }[]
}

export interface Problem {
  rule: 'R1' | 'R3' | 'R6' | 'R7'
  field: string
  message: string
}

export const accountLabels: Record<keyof BallotAccount, string> = {
  printed: '印制（领取）选票数',
  issued: '发出选票数',
  returned: '收回选票数',
  spoiled: '损坏（退换）选票数',
  unused: '未发出选票数',
}

export interface ReconcileContext {
  party: boolean
  entitled: number
  present: number | null
  /** Ballot-by-ballot entry: how many ballots were entered. */
  ballotsEntered?: number
  stationNames: Record<string, string>
}

export function reconcile(sheet: Sheet, ctx: ReconcileContext): Problem[] {
  const out: Problem[] = []
  if (ctx.ballotsEntered !== undefined && ctx.ballotsEntered !== sheet.returned) {
    out.push({ rule: 'R1', field: 'returned', message: `收回选票数填写为 ${sheet.returned} 张，逐张录入的选票为 ${ctx.ballotsEntered} 张，两者应相等` })
  }
  if (sheet.validBallots + sheet.voidBallots !== sheet.returned) {
    out.push({ rule: 'R1', field: 'returned', message: `收回选票数 ${sheet.returned} 张，应等于有效票 ${sheet.validBallots} 张 + 无效票 ${sheet.voidBallots} 张 = ${sheet.validBallots + sheet.voidBallots} 张` })
  }
  if (ctx.party && ctx.present !== null && sheet.issued > ctx.present) {
    out.push({ rule: 'R3', field: 'issued', message: `发出选票 ${sheet.issued} 张，多于实到会有选举权的党员 ${ctx.present} 人` })
  }
  if (!ctx.party && sheet.issued > ctx.entitled) {
    out.push({ rule: 'R3', field: 'issued', message: `发出选票 ${sheet.issued} 张，多于登记选民 ${ctx.entitled} 人` })
  }
  const r6 = (a: BallotAccount, where: string, field: string) => {
    const sum = a.issued + a.unused + a.spoiled
    if (a.printed !== sum) out.push({ rule: 'R6', field, message: `${where}印制（领取）选票 ${a.printed} 张，应等于发出 ${a.issued} + 未发出 ${a.unused} + 损坏 ${a.spoiled} = ${sum} 张` })
  }
  r6(sheet, '', 'printed')
  sheet.stations.forEach((s, i) => r6(s, `${ctx.stationNames[s.stationId] ?? `第${i + 1}个投票点`}：`, `stations[${i}].printed`))
  if (sheet.stations.length) {
    for (const k of Object.keys(accountLabels) as (keyof BallotAccount)[]) {
      const sum = sheet.stations.reduce((n, s) => n + s[k], 0)
      if (sum !== sheet[k]) out.push({ rule: 'R7', field: k, message: `各投票点（含流动票箱）${accountLabels[k]}合计 ${sum} 张，与总数 ${sheet[k]} 张不符` })
    }
  }
  return out
}

/** Only R6 may be passed, with a discrepancy note signed off by a second person. */
export const hardProblems = (problems: Problem[]) => problems.filter((p) => p.rule !== 'R6')

/** Cell-by-cell comparison of two entries of the same sheet (blind double entry). */
export function compareSheets(a: Sheet, b: Sheet, names: Record<string, string>): { field: string; label: string; first: number; second: number }[] {
  const diffs: { field: string; label: string; first: number; second: number }[] = []
  const cmp = (field: string, label: string, x: number | undefined, y: number | undefined) => {
    if ((x ?? 0) !== (y ?? 0)) diffs.push({ field, label, first: x ?? 0, second: y ?? 0 })
  }
  for (const k of Object.keys(accountLabels) as (keyof BallotAccount)[]) cmp(k, accountLabels[k], a[k], b[k])
  cmp('validBallots', '有效票', a.validBallots, b.validBallots)
  cmp('voidBallots', '无效票', a.voidBallots, b.voidBallots)
  const stationIds = new Set([...a.stations, ...b.stations].map((s) => s.stationId))
  for (const id of stationIds) {
    const x = a.stations.find((s) => s.stationId === id)
    const y = b.stations.find((s) => s.stationId === id)
    for (const k of Object.keys(accountLabels) as (keyof BallotAccount)[]) cmp(`stations.${id}.${k}`, `${names[`station:${id}`] ?? id}${accountLabels[k]}`, x?.[k], y?.[k])
  }
  for (const id of new Set([...Object.keys(a.candidates), ...Object.keys(b.candidates)])) {
    for (const k of ['approve', 'disapprove', 'abstain'] as const) {
      cmp(`candidates.${id}.${k}`, `${names[id] ?? id}${{ approve: '赞成', disapprove: '不赞成', abstain: '弃权' }[k]}票`, a.candidates[id]?.[k], b.candidates[id]?.[k])
    }
  }
  const key = (w: { name: string; post: string }) => `${w.post}:${w.name}`
  for (const k of new Set([...a.writeIns, ...b.writeIns].map(key))) {
    const [post, name] = [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)]
    cmp(`writeIns.${k}`, `另选人${name}（${names[`post:${post}`] ?? post}）得票`, a.writeIns.find((w) => key(w) === k)?.approve, b.writeIns.find((w) => key(w) === k)?.approve)
  }
  return diffs
}
