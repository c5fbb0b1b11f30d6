import { createCampaign } from '../campaign/service.ts'
import { markDone, savePhases } from '../timeline/service.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import type { Sheet } from '../../../rules/tally/reconcile.ts'
import type { Ballot } from '../../../rules/tally/types.ts'
import { createElection, setCandidates, setStaff, setStations, updateElection } from '../election/service.ts'
import { addBallots, announce, confirm, saveSheet, startCount, submit } from '../election/results.ts'
import { DEMO_COUNTY } from './demo.ts'
import { demoCtx, demoPersonMaker } from './demo-review.ts'

const DONGYING = '150999100201'
const XIYING = '150999100202'
const NANGOU = '150999100203'

/**
 * Demo elections in 新营子镇, so that the vote count (选举计票) can be seen in every state:
 * 东营子村's Party committee counted from the signed count sheet, confirmed blind by a second person
 * and announced (the three elected replace the 2021 Party team of demo-2021), then its
 * secretary elected by the new committee and approved by the township; 西营子村's
 * entered ballot by ballot and waiting for a second person's confirmation; 南沟村's villagers'
 * committee still being prepared. Written through the election services as the demo users; fixed
 * dates and figures, nothing random. Call after seedDemoReview (it uses the people it registers).
 */
export async function seedDemoElections(db: Kysely<DB>, cipher: IdCipher, _today: string): Promise<void> {
  const admin = await demoCtx(db, 'qs_admin')
  const organiser = await demoCtx(db, 'xyz_organiser')
  const cadre = await demoCtx(db, 'xyz_cadre')
  await createCampaign(db, admin, { year: 2026, name: '2026年村（社区）“两委”换届', startsOn: '2026-09-01' })
  // Sequence numbers 51 on: clear of demo-review's.
  const person = demoPersonMaker(db, cipher, organiser, 50)
  const registered = async (unitCode: string, name: string) =>
    (await db.selectFrom('person').select('id').where('county_code', '=', DEMO_COUNTY).where('unit_code', '=', unitCode).where('name', '=', name).executeTakeFirstOrThrow()).id

  // 1. 东营子村: Party committee, counted from the signed count sheet, confirmed and announced.
  {
    const gao = await person('高志远', DONGYING, '1991-05-18', false, true, '21')
    const names = ['孙国华', '周丽娟', '吴振东']
    const ids = [...(await Promise.all(names.map((n) => registered(DONGYING, n)))), gao.id]
    let e = await createElection(db, organiser, { unitCode: DONGYING, body: 'party_committee', heldOn: '2026-11-20', place: '村委会会议室', entitled: 23, present: 21, posts: [{ post: 'member', seats: 3 }] })
    e = await setCandidates(db, organiser, e.id, e.version, ids.map((personId) => ({ post: 'member', personId })))
    e = await setStaff(db, organiser, e.id, e.version, [
      { role: 'chief_monitor', name: '王德山' },
      { role: 'monitor', name: '李玉兰' },
      { role: 'monitor', name: '张福生' },
      { role: 'counter', name: '赵桂芳' },
      { role: 'counter', name: '刘长青' },
    ])
    e = await setStations(db, organiser, e.id, e.version, [
      { kind: 'main', name: '村委会会议室' },
      { kind: 'mobile', name: '流动票箱（行动不便党员）' },
    ])
    const station = (kind: string) => e.stations.find((s) => s.kind === kind)!.id
    const cand = (name: string) => e.candidates.find((c) => c.name === name)!.id
    // 23 printed = 21 issued + 1 unused + 1 spoiled; 20 valid + 1 void = 21 returned; threshold floor(21/2)+1 = 11.
    const sheet: Sheet = {
      printed: 23,
      issued: 21,
      returned: 21,
      spoiled: 1,
      unused: 1,
      stations: [
        { stationId: station('main'), printed: 20, issued: 18, returned: 18, spoiled: 1, unused: 1 },
        { stationId: station('mobile'), printed: 3, issued: 3, returned: 3, spoiled: 0, unused: 0 },
      ],
      validBallots: 20,
      voidBallots: 1,
      candidates: {
        [cand('孙国华')]: { approve: 18, disapprove: 1, abstain: 1 },
        [cand('周丽娟')]: { approve: 16, disapprove: 2, abstain: 2 },
        [cand('高志远')]: { approve: 14, disapprove: 3, abstain: 3 },
        [cand('吴振东')]: { approve: 9, disapprove: 6, abstain: 5 },
      },
      writeIns: [],
    }
    let r = await startCount(db, organiser, e.id, 'totals')
    r = await saveSheet(db, organiser, r.id, r.version, sheet)
    r = await submit(db, organiser, r.id, r.version)
    // The county admin types the same count sheet without seeing the first entry (背对背录入).
    r = await confirm(db, admin, r.id, { version: r.version, mode: 'double', sheet })
    await announce(db, organiser, r.id, r.version)

    // The new committee's first plenary meeting elects the secretary (等额), approved by the township.
    let s = await createElection(db, organiser, { unitCode: DONGYING, body: 'party_secretary', heldOn: '2026-11-20', place: '村委会会议室', entitled: 3, present: 3, posts: [{ post: 'secretary', seats: 1 }] })
    s = await setCandidates(db, organiser, s.id, s.version, [{ post: 'secretary', personId: ids[0]! }])
    s = await updateElection(db, organiser, s.id, { version: s.version, approvalRef: '新营子镇党委〔2026〕31号', approvedOn: '2026-11-24' })
    const secretarySheet: Sheet = {
      printed: 3,
      issued: 3,
      returned: 3,
      spoiled: 0,
      unused: 0,
      stations: [],
      validBallots: 3,
      voidBallots: 0,
      candidates: { [s.candidates[0]!.id]: { approve: 3, disapprove: 0, abstain: 0 } },
      writeIns: [],
    }
    let rs = await startCount(db, organiser, s.id, 'totals')
    rs = await saveSheet(db, organiser, rs.id, rs.version, secretarySheet)
    rs = await submit(db, organiser, rs.id, rs.version)
    rs = await confirm(db, admin, rs.id, { version: rs.version, mode: 'double', sheet: secretarySheet })
    await announce(db, organiser, rs.id, rs.version)
  }

  // 2. 西营子村: Party committee, entered ballot by ballot by the contact cadre, waiting for a second person.
  {
    const names = ['韩立新', '杨秀英']
    const ids = [
      ...(await Promise.all(names.map((n) => registered(XIYING, n)))),
      (await person('马春生', XIYING, '1980-10-06', false, true)).id,
      (await person('包金花', XIYING, '1987-03-25', true, true)).id,
    ]
    let e = await createElection(db, cadre, { unitCode: XIYING, body: 'party_committee', heldOn: '2026-11-22', place: '村党群服务中心', entitled: 17, present: 15, posts: [{ post: 'member', seats: 3 }] })
    e = await setCandidates(db, cadre, e.id, e.version, ids.map((personId) => ({ post: 'member', personId })))
    e = await setStaff(db, cadre, e.id, e.version, [
      { role: 'chief_monitor', name: '孟庆祥' },
      { role: 'monitor', name: '苏丽华' },
      { role: 'counter', name: '段志勇' },
      { role: 'caller', name: '石淑珍' },
    ])
    e = await setStations(db, cadre, e.id, e.version, [{ kind: 'main', name: '村党群服务中心' }])
    const c = Object.fromEntries(e.candidates.map((x) => [x.name, x.id]))
    const ballot = (approve: string[], disapprove: string[] = []): Ballot => ({
      marks: Object.fromEntries([...approve.map((n) => [c[n]!, 'approve']), ...disapprove.map((n) => [c[n]!, 'disapprove'])]),
    })
    // 15 returned: 14 valid, 1 void. 韩立新 11, 杨秀英 10, 马春生 9, 包金花 5; threshold floor(15/2)+1 = 8.
    const ballots: Ballot[] = [
      ...Array.from({ length: 5 }, () => ballot(['韩立新', '杨秀英', '马春生'], ['包金花'])),
      ...Array.from({ length: 3 }, () => ballot(['韩立新', '杨秀英', '包金花'])),
      ...Array.from({ length: 2 }, () => ballot(['韩立新', '马春生', '包金花'])),
      ...Array.from({ length: 2 }, () => ballot(['杨秀英', '马春生'])),
      ballot(['韩立新'], ['杨秀英']),
      ballot([]),
      { void: true },
    ]
    let r = await startCount(db, cadre, e.id, 'ballots')
    await addBallots(db, cadre, r.id, ballots)
    const account = { printed: 16, issued: 15, returned: 15, spoiled: 0, unused: 1 }
    r = await saveSheet(db, cadre, r.id, r.version, { ...account, stations: [{ stationId: e.stations[0]!.id, ...account }], validBallots: 0, voidBallots: 0, candidates: {}, writeIns: [] })
    await submit(db, cadre, r.id, r.version)
  }

  // 3. 南沟村: villagers' committee, candidates typed by hand, still being prepared.
  {
    let e = await createElection(db, cadre, {
      unitCode: NANGOU,
      body: 'villager_committee',
      heldOn: '2026-12-06',
      place: '南沟村小学操场',
      entitled: 860,
      posts: [
        { post: 'director', seats: 1 },
        { post: 'deputy_director', seats: 1 },
        { post: 'woman_member', seats: 1 },
        { post: 'member', seats: 2 },
      ],
    })
    const candidates: [('director' | 'deputy_director' | 'woman_member' | 'member'), string, 'male' | 'female'][] = [
      ['director', '冯晓明', 'male'],
      ['director', '何建军', 'male'],
      ['deputy_director', '田志刚', 'male'],
      ['deputy_director', '马永福', 'male'],
      ['woman_member', '陈雅琴', 'female'],
      ['woman_member', '刘桂芝', 'female'],
      ['member', '赵德胜', 'male'],
      ['member', '许红霞', 'female'],
      ['member', '黄宝山', 'male'],
    ]
    e = await setCandidates(db, cadre, e.id, e.version, candidates.map(([post, name, gender]) => ({ post, name, gender })))
    await setStations(db, cadre, e.id, e.version, [
      { kind: 'main', name: '南沟村小学操场' },
      { kind: 'sub', name: '后沟组投票站' },
    ])
  }

  // 4. The 2026 timeline of 新营子镇: the phases, and the milestones done so far in the three units.
  await savePhases(db, organiser, {
    township: '150999100000',
    phases: [
      { phase: 'preparation', startsOn: '2026-09-01', endsOn: '2026-10-31' },
      { phase: 'party', startsOn: '2026-11-01', endsOn: '2026-11-30' },
      { phase: 'committee', startsOn: '2026-12-01', endsOn: '2027-01-15' },
      { phase: 'follow_up', startsOn: '2027-01-16', endsOn: '2027-02-28' },
    ],
  })
  const done: [string, string, string, string][] = [
    [DONGYING, 'plan', '2026-10-08', '村“两委”换届工作方案已报镇党委备案'],
    [DONGYING, 'mobilise', '2026-10-12', '召开党员大会动员，照片存档'],
    [DONGYING, 'recommend', '2026-10-26', '党员推荐、群众推荐票已封存'],
    [DONGYING, 'party_review', '2026-11-05', '县级联审无异常'],
    [DONGYING, 'party_notice', '2026-11-10', '村务公开栏公示5日'],
    [DONGYING, 'party_election', '2026-11-20', '选举结果已公布'],
    [XIYING, 'plan', '2026-10-09', '方案已备案'],
    [NANGOU, 'election_committee', '2026-11-06', '村民代表会议推选5人'],
    [NANGOU, 'voter_list', '2026-11-15', '按村民小组张榜公布，登记选民860人'],
  ]
  for (const [unit, key, doneOn, evidence] of done) await markDone(db, organiser, unit, key, { doneOn, evidence })
}
