import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { createActivity } from '../publicity/service.ts'
import type { Channel } from '../publicity/table.ts'
import { demoCtx } from './demo-review.ts'

type Row = [unit: string, channel: Channel, heldOn: string, theme: string, reach: number, place: string, other?: string]

const unit = (n: string) => `150999100${n}`

/**
 * 新营子镇's publicity in the 2026 round, September to late November: the contact cadre's three
 * villages (东营子村, 西营子村, 南沟村) filed by her, the rest by the township; most units and every
 * channel used, while 繁荣社区, 十里铺村, 双井村 and 团结村 have done nothing yet, so the coverage
 * view has gaps to show. Fixed content; an activity after `today` is left out.
 */
const cadreRows: Row[] = [
  [unit('201'), 'meeting', '2026-09-18', '召开党员大会，宣讲村“两委”换届工作方案和“十严禁”换届纪律', 46, '村党群服务中心'],
  [unit('201'), 'banner', '2026-09-20', '在村口和文化广场悬挂“选好带头人 建设新农村”横幅2条', 820, '村口、文化广场'],
  [unit('201'), 'broadcast', '2026-10-15', '村村响早晚各播放一次换届政策问答，连续播放一周', 1150, '全村'],
  [unit('201'), 'wechat', '2026-11-02', '在村民微信群发布村党组织选举公告和参选须知', 386, '村民微信群'],
  [unit('202'), 'banner', '2026-09-22', '张贴“严肃换届纪律 确保风清气正”宣传标语12条', 690, '各村民小组'],
  [unit('202'), 'other', '2026-10-10', '逐户发放换届政策明白纸，讲清选民登记时间和地点', 412, '各村民小组', '入户发放明白纸'],
  [unit('202'), 'meeting', '2026-10-28', '召开村民代表会议，解读候选人资格条件和不宜确定为候选人的情形', 38, '村委会会议室'],
  [unit('203'), 'broadcast', '2026-10-20', '村村响播放选民登记通知，提醒外出务工人员按时登记或委托投票', 860, '全村'],
  [unit('203'), 'wechat', '2026-11-12', '在外出务工人员微信群发布选民名单公告和委托投票办法', 240, '南沟村在外人员群'],
]

const townshipRows: Row[] = [
  [unit('001'), 'led', '2026-09-15', '社区LED屏滚动播放换届选举政策和投票须知', 2600, '社区服务中心门前'],
  [unit('001'), 'wechat', '2026-10-08', '社区公众号推送《换届选举百问百答》图文', 1480, '新营社区公众号'],
  [unit('001'), 'meeting', '2026-11-05', '召开居民代表会议，通报居民委员会换届工作安排', 52, '社区议事厅'],
  [unit('204'), 'banner', '2026-09-25', '沿主街悬挂换届宣传横幅3条', 730, '主街'],
  [unit('204'), 'meeting', '2026-10-18', '召开户主会宣讲换届政策，现场解答群众疑问', 95, '村委会院内'],
  [unit('205'), 'broadcast', '2026-09-28', '村村响播放《致全村选民的一封信》', 910, '全村'],
  [unit('206'), 'banner', '2026-10-02', '在村部和学校路口悬挂横幅，宣传换届选举基本程序', 640, '村部、学校路口'],
  [unit('206'), 'wechat', '2026-11-08', '在村民微信群转发镇党委换届工作提示', 310, '村民微信群'],
  [unit('207'), 'meeting', '2026-10-12', '召开党员大会，学习换届纪律，签订遵守换届纪律承诺书', 41, '村党群服务中心'],
  [unit('208'), 'other', '2026-10-16', '在村务公开栏张贴换届选举工作公告和选民登记时间', 520, '村务公开栏', '公开栏张贴公告'],
  [unit('208'), 'broadcast', '2026-11-10', '村村响播放候选人推荐提名办法', 780, '全村'],
  [unit('209'), 'banner', '2026-10-05', '悬挂“珍惜民主权利 投好神圣一票”横幅', 560, '村委会门前'],
  [unit('210'), 'wechat', '2026-10-22', '在村民微信群发布选民登记须知，提醒核对本人信息', 275, '村民微信群'],
  [unit('211'), 'meeting', '2026-10-25', '召开村民小组长会议，布置入户宣传和选民登记', 18, '村委会会议室'],
  [unit('212'), 'broadcast', '2026-10-09', '村村响连续三天播放换届选举政策', 690, '全村'],
  [unit('213'), 'banner', '2026-10-11', '悬挂蒙汉双语换届宣传横幅2条', 830, '村口、广场'],
  [unit('213'), 'meeting', '2026-11-03', '召开党员群众代表会议，宣讲班子成员结构要求', 64, '村党群服务中心'],
  [unit('214'), 'other', '2026-10-19', '党员分片入户宣讲换届政策，发放宣传册', 350, '各片区', '党员分片入户'],
  [unit('215'), 'wechat', '2026-10-30', '在村民微信群发布换届选举时间安排', 220, '村民微信群'],
  [unit('216'), 'banner', '2026-10-14', '在村委会和主要路口张贴宣传标语8条', 470, '村委会、主要路口'],
  [unit('218'), 'broadcast', '2026-11-06', '村村响播放选民登记公告', 1020, '全村'],
  [unit('219'), 'meeting', '2026-11-09', '召开村民代表会议，讨论通过村民选举委员会推选办法', 35, '村委会会议室'],
  [unit('221'), 'banner', '2026-11-01', '悬挂换届宣传横幅，张贴选举日程表', 380, '村口'],
  [unit('222'), 'wechat', '2026-11-14', '在村民微信群发布选民名单公示', 260, '村民微信群'],
  [unit('223'), 'led', '2026-11-16', '借用村小学LED屏播放投票须知和流动票箱安排', 430, '村小学门前'],
  [unit('224'), 'meeting', '2026-11-18', '召开少数民族群众代表座谈会，宣讲换届政策', 27, '村党群服务中心'],
  [unit('225'), 'broadcast', '2026-11-20', '村村响播放正式候选人名单公告', 740, '全村'],
]

export async function seedDemoPublicity(db: Kysely<DB>, today: string): Promise<void> {
  const cadre = await demoCtx(db, 'xyz_cadre')
  const organiser = await demoCtx(db, 'xyz_organiser')
  const filings: (readonly [Ctx, Row])[] = [...cadreRows.map((r) => [cadre, r] as const), ...townshipRows.map((r) => [organiser, r] as const)]
  // In the order they happened, so the list's newest-first order is the story told backwards.
  filings.sort((x, y) => x[1][2].localeCompare(y[1][2]))
  for (const [ctx, [unitCode, channel, heldOn, theme, reach, place, other]] of filings) {
    if (heldOn > today) continue
    await createActivity(db, ctx, { unitCode, channel, channelOther: other, heldOn, theme, reach, place })
  }
}
