/**
 * 新营子镇's 三情 in the 2026 campaign: an assessment of every unit (three 难点村, a few 重点村, one
 * raised by the township), eight risk items (one past its deadline, three settled), 38 visits
 * across eleven units that leave categories unvisited here and there (and seventeen units not yet
 * visited at all), and five talks with current cadres. Written through the services as the demo's
 * organiser and contact cadre, so every row has its audit record. All names are made up.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Rating, RiskCategory, TalkIntention, VisitCategory } from '../../../rules/situation/index.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { saveAssessment, createRisk, updateRisk } from '../situation/assessment.ts'
import { createTalk, createVisit, updateVisit } from '../situation/records.ts'
import { DEMO_TOWNSHIP } from './demo.ts'
import { demoCtx } from './demo-review.ts'

const CAMPAIGN_START = '2026-09-01'
const unit = (n: number) => `${DEMO_TOWNSHIP.slice(0, 9)}${String(n).padStart(3, '0')}`

// 2021's numbering: 001–002 the communities, 201–226 the villages (see demo.ts).
const U = {
  xinying: unit(1),
  fanrong: unit(2),
  dongyingzi: unit(201),
  xiyingzi: unit(202),
  nangou: unit(203),
  beigou: unit(204),
  qianjin: unit(205),
  hongqi: unit(206),
  xinfa: unit(207),
  sandaohe: unit(210),
  liuhe: unit(213),
  bajia: unit(215),
  tuanjie: unit(226),
}

type Three = [Rating, Rating, Rating]
/** Development, stability, credibility with a note each; most units are quiet, a few are not. */
const special: Record<string, { r: Three; notes: [string, string, string]; raise?: string; measures: string }> = {
  [U.nangou]: {
    r: ['fair', 'poor', 'fair'],
    notes: ['以种植业为主，集体经济收入偏低', '王、李两大姓因草场承包积怨多年，换届中可能各推人选', '班子成员各有倾向，处事不够公道'],
    measures: '包村领导驻村，分别约谈两姓有威望的老党员，提前做好疏导；选举日增派警力',
  },
  [U.liuhe]: {
    r: ['poor', 'fair', 'poor'],
    notes: ['村集体无经营性收入，欠外债', '蒙汉群众杂居，总体和睦', '书记与主任长期不和，村务议而不决，群众意见大'],
    measures: '列为软弱涣散村整顿，选优配强书记人选，指导组全程指导',
  },
  [U.sandaohe]: {
    r: ['fair', 'poor', 'good'],
    notes: ['道路、饮水设施需改善', '征地补偿遗留问题未了结，有群众长期上访', '班子团结，群众基础较好'],
    measures: '信访办、司法所联合包案，选举前上门化解',
  },
  [U.xiyingzi]: {
    r: ['good', 'fair', 'fair'],
    notes: ['肉牛养殖合作社运转良好', '有宅基地边界纠纷，已调解', '主任年龄偏大，群众希望换年轻人'],
    measures: '做好主任的思想工作，提前物色年轻人选',
  },
  [U.hongqi]: {
    r: ['good', 'good', 'fair'],
    notes: ['设施农业发展较好', '社会稳定', '外出党员多，班子力量偏弱'],
    raise: '外出务工党员占党员总数一半以上，党员大会可能达不到应到会人数，列为重点村',
    measures: '提前联系外出党员，安排返乡参会或委托投票',
  },
  [U.bajia]: {
    r: ['fair', 'fair', 'good'],
    notes: ['产业单一', '个别村民因低保评定有意见', '班子威信较高'],
    measures: '重新公示低保评定结果，逐户解释',
  },
  [U.tuanjie]: {
    r: ['poor', 'good', 'good'],
    notes: ['集体经济薄弱，村级工程欠款未结清', '社会稳定', '班子团结'],
    measures: '镇财政所协调结清工程欠款',
  },
}
const quiet: { r: Three; notes: [string, string, string]; measures: string } = {
  r: ['good', 'good', 'good'],
  notes: ['产业发展平稳，集体经济有稳定收入', '近三年无集体上访，矛盾纠纷及时化解', '班子团结，群众认可度高'],
  measures: '按时间节点正常推进',
}

const risks: { unit: string; category: RiskCategory; description: string; owner: string; due: number; settled?: [number, string] }[] = [
  { unit: U.nangou, category: 'clan', description: '王、李两大姓因草场承包积怨，已有各自推人、拉帮结派的苗头', owner: '张志强', due: 10 },
  { unit: U.sandaohe, category: 'petition', description: '村民高某因征地补偿长期上访，扬言选举日到会场“讨说法”', owner: '李秀兰', due: -3 },
  { unit: U.liuhe, category: 'disunity', description: '现任书记与主任长期不和，村务决策议而不决', owner: '张志强', due: 5 },
  { unit: U.liuhe, category: 'vote_buying', description: '有群众反映个别有意参选人员请客吃饭、私下许诺好处', owner: '赵卫东', due: 3 },
  { unit: U.hongqi, category: 'other', description: '外出务工党员多，党员大会可能达不到应到会人数', owner: '吴桂芝', due: 12 },
  { unit: U.xiyingzi, category: 'petition', description: '两户村民宅基地边界纠纷，多次到镇里反映', owner: '刘海燕', due: -5, settled: [8, '镇司法所现场丈量调解，双方签订调解协议，已息诉'] },
  { unit: U.dongyingzi, category: 'clan', description: '推荐人选时两姓村民发生口角', owner: '刘海燕', due: -12, settled: [15, '包村领导分别谈心，双方当面和解，推荐会议顺利召开'] },
  { unit: U.tuanjie, category: 'petition', description: '施工队拖欠农民工工资，群众将矛头指向村班子', owner: '钱立军', due: -6, settled: [9, '镇财政所协调结清工程款，工资已全部发放'] },
]

const opinions: Record<VisitCategory, string[]> = {
  party_veteran: ['支持换届，希望选出年轻、有文化、愿意为大家办事的人', '建议党员大会前把候选人情况讲清楚，让党员心里有数', '新班子要把集体账目管好，按时公开'],
  villager: ['希望新班子带头发展产业，帮大家增收', '村里路灯坏了很久，希望新班子尽快修好', '选举要公平公正，反对拉票', '希望选出真正为群众办事的人'],
  hardship: ['家里老人常年吃药，希望医疗报销能再方便些', '孩子上学有困难，盼望能有助学帮扶', '感谢党和政府，希望低保政策继续落实'],
  petitioner: ['征地补偿问题希望能有个说法，不会去选举会场闹', '问题已经解决，支持村里换届', '希望新班子能把遗留问题解决好'],
}
const names: Record<VisitCategory, string[]> = {
  party_veteran: ['郝福山', '冯德厚', '韩玉珍', '鲁长顺', '邱志和', '范桂兰', '卢守义', '姜春林', '孟宪章'],
  villager: ['白晓东', '潘云霞', '贾建平', '崔立群', '汤明亮', '岳红梅', '雷振山', '万淑芬', '龙海波', '段丽娜', '葛长青', '房秀英'],
  hardship: ['苗大娘', '尹老汉', '黎秀珍', '邵有才', '熊桂香', '祁满仓', '毛凤英'],
  petitioner: ['高占魁', '邢大勇', '武二柱', '蔡金凤', '庞玉林'],
}
/** Which of the 四必访 each visited unit has done so far; the others are still to come. */
const plan: [string, VisitCategory[]][] = [
  [U.dongyingzi, ['party_veteran', 'villager', 'hardship', 'petitioner', 'villager']],
  [U.xiyingzi, ['party_veteran', 'villager', 'hardship']],
  [U.nangou, ['party_veteran', 'villager', 'villager', 'petitioner', 'hardship']],
  [U.beigou, ['villager', 'hardship']],
  [U.qianjin, ['party_veteran', 'villager', 'hardship', 'petitioner']],
  [U.hongqi, ['party_veteran', 'villager']],
  [U.xinfa, ['party_veteran', 'villager', 'hardship', 'petitioner']],
  [U.sandaohe, ['petitioner', 'petitioner', 'villager', 'hardship']],
  [U.liuhe, ['party_veteran', 'villager', 'hardship', 'petitioner', 'villager']],
  [U.xinying, ['villager', 'hardship', 'party_veteran']],
  [U.fanrong, ['villager']],
]

const talks: { unit: string; name: string; post: string; talker: string; intention: TalkIntention; opinions: string; followUp: string; ago: number }[] = [
  { unit: U.dongyingzi, name: '孙国华', post: '村党支部书记', talker: '张志强', intention: 'continue', opinions: '身体还行，愿意再干一届，想把肉牛养殖合作社做大', followUp: '', ago: 25 },
  { unit: U.nangou, name: '李福堂', post: '村委会主任', talker: '李秀兰', intention: 'withdraw', opinions: '年龄大了，家里老伴有病需要照顾，支持年轻人接班', followUp: '请其推荐合适的年轻人选，并做好交接', ago: 20 },
  { unit: U.liuhe, name: '包文亮', post: '村党支部书记', talker: '张志强', intention: 'undecided', opinions: '对与主任的矛盾有顾虑，想看镇里怎么安排', followUp: '一周内再谈一次，讲清换届政策和组织意图', ago: 12 },
  { unit: U.sandaohe, name: '田丽萍', post: '村委会委员（妇女委员）', talker: '李秀兰', intention: 'other_post', opinions: '想参选村委会副主任，愿意多承担工作', followUp: '', ago: 9 },
  { unit: U.xiyingzi, name: '康永胜', post: '村委会主任', talker: '刘海燕', intention: 'continue', opinions: '还想干，但也理解群众希望年轻人上', followUp: '跟踪了解群众意见，适时沟通', ago: 6 },
]

export async function seedDemoSituation(db: Kysely<DB>, today: string): Promise<void> {
  const organiser = await demoCtx(db, 'xyz_organiser')
  const cadre = await demoCtx(db, 'xyz_cadre')
  const day = (ago: number) => {
    const d = addDays(today, -ago)
    return d < CAMPAIGN_START ? CAMPAIGN_START : d
  }
  const units = await db.selectFrom('territory').select('code').where('county_code', '=', organiser.actor.countyCode).where('parent_code', '=', DEMO_TOWNSHIP).orderBy('code').execute()

  for (const [i, { code }] of units.entries()) {
    const s = special[code] ?? quiet
    await saveAssessment(db, organiser, code, {
      development: s.r[0],
      developmentNote: s.notes[0],
      stability: s.r[1],
      stabilityNote: s.notes[1],
      credibility: s.r[2],
      credibilityNote: s.notes[2],
      raisedLevel: special[code]?.raise ? 'medium' : null,
      raiseReason: special[code]?.raise ?? '',
      measures: s.measures,
      assessedOn: day(40 - (i % 10)),
      version: 0,
    })
  }

  for (const r of risks) {
    const item = await createRisk(db, organiser, { unitCode: r.unit, category: r.category, description: r.description, owner: r.owner, deadline: addDays(today, r.due), status: 'open', resolution: '', resolvedOn: null })
    if (r.settled) {
      await updateRisk(db, organiser, item.id, { category: r.category, description: r.description, owner: r.owner, deadline: item.deadline, status: 'resolved', resolution: r.settled[1], resolvedOn: day(r.settled[0]), version: item.version })
    }
  }

  const used: Record<VisitCategory, number> = { party_veteran: 0, villager: 0, hardship: 0, petitioner: 0 }
  let n = 0
  for (const [code, categories] of plan) {
    // The contact cadre visits the three units assigned to her; the township the rest.
    const who = cadre.actor.unitCodes.includes(code) ? cadre : organiser
    for (const category of categories) {
      const k = used[category]++
      const words = opinions[category][k % opinions[category].length]!
      const needs = category === 'hardship' || (category === 'villager' && words.includes('路灯'))
      const v = await createVisit(db, who, {
        unitCode: code,
        category,
        visitee: names[category][k % names[category].length]!,
        phone: n % 3 === 0 ? `1390476${String(1000 + n).padStart(4, '0')}` : null,
        visitedOn: day(30 - (n % 28)),
        opinions: words,
        followUpNeeded: needs,
        followUp: needs ? (category === 'hardship' ? '联系民政办核实救助政策落实情况' : '报镇村建办安排维修') : '',
      })
      // Half of the follow-ups are done already.
      if (needs && n % 2 === 0) {
        await updateVisit(db, organiser, v.id, {
          category,
          visitee: v.visitee,
          phone: v.phone,
          visitedOn: v.visitedOn,
          opinions: words,
          followUpNeeded: true,
          followUp: v.followUp ?? '',
          followUpDoneOn: day(Math.max(0, 29 - (n % 28))),
          followUpResult: category === 'hardship' ? '民政办已上门核实，纳入临时救助' : '已更换路灯8盏',
          version: v.version,
        })
      }
      n++
    }
  }

  for (const x of talks) {
    const who = cadre.actor.unitCodes.includes(x.unit) ? cadre : organiser
    // Linked to the people register where the full demo has registered the cadre (孙国华 of 东营子村).
    const person = await db.selectFrom('person').select('id').where('county_code', '=', organiser.actor.countyCode).where('unit_code', '=', x.unit).where('name', '=', x.name).executeTakeFirst()
    await createTalk(db, who, { unitCode: x.unit, talkedOn: day(x.ago), cadreName: x.name, cadrePost: x.post, personId: person?.id ?? null, talker: x.talker, intention: x.intention, opinions: x.opinions, followUp: x.followUp })
  }
}
