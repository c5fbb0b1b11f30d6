/**
 * The papers of an election meeting, built from its record: the ballot paper (选票), the count
 * sheet (计票单, blank for the meeting or filled from the count), the result announcement
 * (选举结果公告, with the result's fingerprint and the audit-chain head) and the report to the
 * upper level (选举结果报告单). Layout lives in files/form-doc.ts and files/ballot-paper.ts.
 */
import { ageOn } from '../../../rules/age/index.ts'
import { educations, ethnicities, isCollegeOrAbove, isPartyMember, labelOf, politicalStatuses } from '../../../rules/codes/index.ts'
import type { BallotPaper } from '../../files/ballot-paper.ts'
import type { Block, FormDoc } from '../../files/form-doc.ts'
import { chineseDate } from '../notice/documents.ts'
import { isPartyBody, postLabels, postOrder } from '../../../rules/tally/index.ts'
import type { TallyPost, TallyResult } from '../../../rules/tally/types.ts'
import type { Sheet } from '../../../rules/tally/reconcile.ts'
import type { ElectionListRow } from './repo.ts'
import type { CandidateRow, StaffRole } from './table.ts'
import { roundLabels } from './service.ts'
import { shortFingerprint } from './results.ts'

export interface ElectionPapers {
  election: ElectionListRow
  posts: { post: TallyPost; seats: number }[]
  cands: CandidateRow[]
  staff: { role: StaffRole; name: string }[]
  stations: { id: string; kind: string; name: string }[]
  /** The winners' registry records, for the report's 当选人基本情况 (by person id). */
  people?: Map<string, { gender: '1' | '2'; birth_date: string; ethnicity: string; education: string; political_status: string }>
}

const bodyTitle: Record<ElectionListRow['body'], string> = {
  party_committee: '党组织委员会委员',
  party_secretary: '党组织书记、副书记',
  villager_committee: '村民委员会成员',
  resident_committee: '居民委员会成员',
}

const meetingOf = (e: ElectionListRow) =>
  ({
    party_committee: `${e.unit_name}党员大会`,
    party_secretary: `${e.unit_name}党组织委员会第一次全体会议`,
    villager_committee: `${e.unit_name}村民选举委员会`,
    resident_committee: `${e.unit_name}居民选举委员会`,
  })[e.body]

const roundSuffix = (e: ElectionListRow) => (e.round === 'first' ? '' : `（${roundLabels[e.round]}）`)
const sortedPosts = (p: ElectionPapers) => [...p.posts].sort((a, b) => postOrder.indexOf(a.post) - postOrder.indexOf(b.post))
const candsOf = (p: ElectionPapers, post: TallyPost) => p.cands.filter((c) => c.post === post).sort((a, b) => a.position - b.position)
const n = (v: number | undefined, filled: boolean) => (filled && v !== undefined ? String(v) : '')

export function ballotPaper(p: ElectionPapers): BallotPaper {
  const e = p.election
  const party = isPartyBody(e.body)
  return {
    title: `${e.unit_name}${bodyTitle[e.body]}选举选票${roundSuffix(e)}`,
    instructions: [
      '在候选人姓名后的“赞成”“不赞成”“弃权”栏中任选一栏划“○”，不划的视为弃权。',
      party
        ? '对不赞成的候选人，可在“另选人”栏内写上另选的人的姓名并在“赞成”栏划“○”；投不赞成票才能另选他人。'
        : '可在“另选人”栏内写上另选的人的姓名并在“赞成”栏划“○”；同一人不得在两个职务中都被选。',
      '每个职务所选（赞成加另选）的人数不得多于应选名额，多于应选名额的选票无效。',
      '用钢笔或签字笔填写，字迹清楚；无法辨认的选票无效。',
    ],
    sections: sortedPosts(p).map(({ post, seats }) => ({
      heading: party && e.body === 'party_committee' ? '委员候选人（按姓氏笔画为序）' : `${postLabels[post]}候选人`,
      seats,
      candidates: candsOf(p, post).map((c) => c.name),
      writeInLines: seats,
    })),
    options: ['赞成', '不赞成', '弃权'],
    footer: `${chineseDate(e.held_on)}　${meetingOf(e)}`,
  }
}

function headerPairs(e: ElectionListRow, sheet: Sheet | null, filled: boolean): [string, string][] {
  const pairs: [string, string][] = [
    ['村（社区）', `${e.township_name}${e.unit_name}`],
    ['选举日期', chineseDate(e.held_on)],
    ['地点', e.place || '—'],
  ]
  if (isPartyBody(e.body)) pairs.push(['应到会党员', `${e.entitled} 人`], ['实到会党员', `${e.present ?? ''} 人`])
  else pairs.push(['登记选民', `${e.entitled} 人`])
  const s = sheet ?? undefined
  pairs.push(
    ['印制（领取）选票', `${n(s?.printed, filled)} 张`],
    ['发出选票', `${n(s?.issued, filled)} 张`],
    ['收回选票', `${n(s?.returned, filled)} 张`],
    ['有效票', `${n(s?.validBallots, filled)} 张`],
    ['无效票', `${n(s?.voidBallots, filled)} 张`],
    ['损坏（退换）', `${n(s?.spoiled, filled)} 张`],
    ['未发出', `${n(s?.unused, filled)} 张`],
  )
  return pairs
}

function staffLines(p: ElectionPapers) {
  const names = (role: StaffRole) => p.staff.filter((s) => s.role === role).map((s) => s.name).join('、') || undefined
  return [
    { label: '总监票人', names: names('chief_monitor') },
    { label: '监票人', names: names('monitor') },
    { label: '计票人', names: names('counter') },
    { label: '唱票人', names: names('caller') },
  ]
}

/** The count sheet: blank for the meeting (sheet null) or filled from a submitted count. */
export function countSheet(p: ElectionPapers, sheet: Sheet | null, outcome: TallyResult | null): FormDoc {
  const e = p.election
  const filled = sheet !== null
  const blocks: Block[] = [{ kind: 'fields', pairs: headerPairs(e, sheet, filled), columns: 2 }]
  if (p.stations.length) {
    blocks.push({ kind: 'heading', text: '各投票点（含流动票箱）选票情况' })
    blocks.push({
      kind: 'table',
      columns: ['投票点', '领取', '发出', '收回', '损坏', '未发出'],
      rows: p.stations.map((st) => {
        const f = sheet?.stations.find((x) => x.stationId === st.id)
        return [st.name, n(f?.printed, filled), n(f?.issued, filled), n(f?.returned, filled), n(f?.spoiled, filled), n(f?.unused, filled)]
      }),
    })
  }
  for (const { post, seats } of sortedPosts(p)) {
    blocks.push({ kind: 'heading', text: `${postLabels[post]}（应选 ${seats} 名）` })
    const rows = candsOf(p, post).map((c, i) => {
      const f = sheet?.candidates[c.id]
      const r = outcome?.results.find((x) => x.candidateId === c.id && x.post === post)
      return [String(i + 1), c.name, n(f?.approve, filled), n(f?.disapprove, filled), n(f?.abstain, filled), r ? (r.elected ? '当选' : '') : '']
    })
    for (const w of sheet?.writeIns.filter((x) => x.post === post) ?? []) rows.push(['另选', w.name, String(w.approve), '', '', outcome?.results.find((x) => x.candidateId === null && x.name === w.name && x.post === post)?.elected ? '当选' : ''])
    if (!filled) for (let i = 0; i < seats; i++) rows.push(['另选', '', '', '', '', ''])
    blocks.push({ kind: 'table', columns: ['序号', '姓名', '赞成', '不赞成', '弃权', '结果'], rows, widths: [1, 3, 2, 2, 2, 2] })
  }
  if (outcome) blocks.push({ kind: 'paragraph', text: `当选票数：${outcome.threshold} 票（${outcome.explanation[0] ?? ''}）`, indent: false })
  blocks.push({ kind: 'spacer' }, { kind: 'signatures', lines: [...staffLines(p).filter((l) => l.label !== '唱票人'), { label: '填表日期', names: filled ? chineseDate(e.held_on) : undefined }] })
  return { title: `${e.unit_name}${bodyTitle[e.body]}选举计票单${roundSuffix(e)}`, blocks }
}

const footerOf = (fingerprint: string | null, chainHead: string | null) =>
  fingerprint ? `结果指纹 ${shortFingerprint(fingerprint)}　审计链 ${chainHead?.slice(0, 16) ?? ''}　可用 huanjie verify 或在系统中核验` : undefined

export function announcement(p: ElectionPapers, sheet: Sheet, outcome: TallyResult, fingerprint: string | null, chainHead: string | null): FormDoc {
  const e = p.election
  const party = isPartyBody(e.body)
  const seats = p.posts.reduce((s, x) => s + x.seats, 0)
  const intro = party
    ? `${e.unit_name}于${chineseDate(e.held_on)}${e.place ? `在${e.place}` : ''}召开${e.body === 'party_committee' ? '党员大会' : '党组织委员会第一次全体会议'}，${e.body === 'party_committee' ? '选举产生新一届党组织委员会委员' : '选举产生党组织书记、副书记'}${roundSuffix(e)}。应到会有选举权的${e.body === 'party_committee' ? '党员' : '委员'} ${e.entitled} 名，实到会 ${e.present} 名，${outcome.invalidReasons.includes('quorum') ? '未超过' : '超过'}应到会人数的五分之四。`
    : `${e.unit_name}于${chineseDate(e.held_on)}${e.place ? `在${e.place}` : ''}举行${e.body === 'villager_committee' ? '村民委员会' : '居民委员会'}选举${roundSuffix(e)}。登记参加选举的${e.body === 'villager_committee' ? '村民' : '居民'} ${e.entitled} 名，参加投票 ${sheet.returned} 名。`
  const counts = `选举采用无记名投票方式，应选 ${seats} 名。共发出选票 ${sheet.issued} 张，收回 ${sheet.returned} 张，其中有效票 ${outcome.validBallots} 张，无效票 ${outcome.voidBallots} 张。`
  const blocks: Block[] = [{ kind: 'paragraph', text: intro }, { kind: 'paragraph', text: counts }]
  if (!outcome.valid) {
    blocks.push({ kind: 'paragraph', text: `${outcome.explanation.slice(1).join('')}本次选举无效，将依法重新组织选举。` })
  } else {
    const elected = outcome.results.filter((r) => r.elected)
    blocks.push({
      kind: 'paragraph',
      text: elected.length
        ? `经计票，下列${party ? '同志' : '人员'}获得的赞成票达到当选所需的 ${outcome.threshold} 票，依得票多少当选${e.body === 'party_committee' ? '（按姓氏笔画为序）' : ''}：`
        : '经计票，本轮无人获得当选所需的票数。',
    })
    const order = (r: TallyResult['results'][number]) => {
      const c = p.cands.find((x) => x.id === r.candidateId)
      return postOrder.indexOf(r.post) * 1000 + (e.body === 'party_committee' ? (c?.position ?? 999) : 0)
    }
    if (elected.length) blocks.push({ kind: 'table', columns: ['当选职务', '姓名', '赞成票'], rows: [...elected].sort((a, b) => order(a) - order(b)).map((r) => [postLabels[r.post], r.name, String(r.approve)]) })
    for (const t of outcome.tie) blocks.push({ kind: 'paragraph', text: `${postLabels[t.post]}最后 ${t.seats} 个名额，${t.names.join('、')}得票相等，将就得票相等者重新投票。` })
    for (const u of outcome.unfilled) blocks.push({ kind: 'paragraph', text: `${postLabels[u.post]}尚缺 ${u.seats} 名，将依法另行选举。` })
    if (e.body === 'party_secretary') blocks.push({ kind: 'paragraph', text: '书记、副书记的选举结果报上级党组织批准。' })
  }
  blocks.push({ kind: 'paragraph', text: '特此公告。' }, { kind: 'spacer' }, { kind: 'paragraph', text: meetingOf(e), align: 'right', indent: false }, { kind: 'paragraph', text: chineseDate(e.held_on), align: 'right', indent: false })
  return { title: `${e.unit_name}${bodyTitle[e.body]}选举结果公告${roundSuffix(e)}`, blocks, footer: footerOf(fingerprint, chainHead) }
}

/** 当选人基本情况: sex, age on the election day, ethnicity, education, Party status, and rule 18's counts. */
function winnersBlocks(p: ElectionPapers, outcome: TallyResult): Block[] {
  const e = p.election
  const rows = outcome.results
    .filter((r) => r.elected)
    .map((r) => ({ r, person: p.people?.get(p.cands.find((c) => c.id === r.candidateId)?.person_id ?? '') }))
  if (!rows.length || !p.people) return []
  const known = rows.filter((x) => x.person).map((x) => x.person!)
  const age = (b: string) => ageOn(b, e.held_on)
  const label = (list: readonly [string, string][], code: string) => labelOf(list, code) ?? code
  const summary = `当选 ${rows.length} 人，其中女性 ${known.filter((x) => x.gender === '2').length} 人，35周岁以下 ${known.filter((x) => age(x.birth_date) < 35).length} 人，大专及以上学历 ${known.filter((x) => isCollegeOrAbove(x.education)).length} 人，中共党员 ${known.filter((x) => isPartyMember(x.political_status)).length} 人${known.length < rows.length ? `（${rows.length - known.length} 人未关联人员库，未计入）` : ''}。`
  return [
    { kind: 'heading', text: '当选人基本情况' },
    {
      kind: 'table',
      columns: ['职务', '姓名', '性别', '年龄', '民族', '学历', '政治面貌'],
      rows: rows.map(({ r, person: x }) =>
        x
          ? [postLabels[r.post], r.name, x.gender === '2' ? '女' : '男', String(age(x.birth_date)), label(ethnicities, x.ethnicity), label(educations, x.education), label(politicalStatuses, x.political_status)]
          : [postLabels[r.post], r.name, '', '', '', '', ''],
      ),
      widths: [2, 2, 1, 1, 1.5, 3, 3],
    },
    { kind: 'paragraph', text: summary },
  ]
}

export function report(p: ElectionPapers, sheet: Sheet, outcome: TallyResult, fingerprint: string | null, chainHead: string | null): FormDoc {
  const e = p.election
  const party = isPartyBody(e.body)
  const blocks: Block[] = [
    { kind: 'paragraph', text: `${party ? `中共${e.township_name}委员会` : `${e.township_name}人民政府`}：`, indent: false },
    { kind: 'paragraph', text: `${e.unit_name}${bodyTitle[e.body]}选举${roundSuffix(e)}已于${chineseDate(e.held_on)}进行，现将选举结果报告如下。` },
    { kind: 'fields', pairs: [...headerPairs(e, sheet, true), ['当选所需票数', `${outcome.threshold} 票`], ['选举是否有效', outcome.valid ? '有效' : `无效（${outcome.explanation.slice(1, 3).join('')}）`]], columns: 2 },
    { kind: 'heading', text: '得票情况' },
    {
      kind: 'table',
      columns: ['职务', '姓名', '赞成', '不赞成', '弃权', '结果'],
      rows: outcome.results.map((r) => [postLabels[r.post], r.candidateId ? r.name : `${r.name}（另选）`, String(r.approve), String(r.disapprove), String(r.abstain), r.elected ? '当选' : outcome.tie.some((t) => t.names.includes(r.name) && t.post === r.post) ? '得票相等' : '未当选']),
      widths: [2, 3, 2, 2, 2, 2],
    },
    ...outcome.explanation.slice(1).map((t): Block => ({ kind: 'paragraph', text: t })),
    ...winnersBlocks(p, outcome),
  ]
  if (e.decision_note) blocks.push({ kind: 'paragraph', text: `选举大会决定：${e.decision_note}` })
  blocks.push({ kind: 'spacer' }, { kind: 'signatures', lines: [...staffLines(p).filter((l) => l.label !== '唱票人'), { label: '会议主持人' }, { label: '填报人' }] })
  if (e.body === 'party_secretary') blocks.push({ kind: 'fields', pairs: [['上级党组织审批意见', e.approval_ref ? `已批复（${e.approval_ref}${e.approved_on ? `，${chineseDate(e.approved_on)}` : ''}）` : '（盖章）　　年　月　日']], columns: 2 })
  return { title: `${e.unit_name}${bodyTitle[e.body]}选举结果报告单${roundSuffix(e)}`, blocks, footer: footerOf(fingerprint, chainHead) }
}
