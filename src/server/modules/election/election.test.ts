import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { idNumberFor } from '../../../../test/helpers/ids.ts'
import { tinyPdf } from '../../../../test/helpers/scenario.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let organiser2: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let auditor: Session
let unit: string

type Detail = { id: string; version: number; status: string; warnings: string[]; candidates: { id: string; name: string; position: number; personId: string | null }[]; results: { id: string; state: string }[]; editable: boolean }
type Result = {
  id: string
  version: number
  state: string
  hidden: boolean
  sheet: Record<string, unknown> | null
  problems: { rule: string; message: string }[]
  outcome: { valid: boolean; elected: { name: string }[]; tie: { names: string[]; seats: number }[]; next: string; threshold: number; results: { name: string; approve: number; elected: boolean; explanation: string }[] } | null
  canEnterBlind: boolean
  fingerprint: string | null
  chainHead: string | null
  correctsId: string | null
}

const json = <T>(res: { statusCode: number; body: string; json: () => T }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code)
  return res.json()
}

const account = { printed: 10, issued: 9, returned: 9, spoiled: 0, unused: 1, stations: [] as unknown[] }

async function person(name: string, seq: number) {
  return json<{ id: string }>(await organiser.post('/api/people', { name, idNumber: idNumberFor(seq), ethnicity: '01', education: '31', politicalStatus: '01', partyJoinedOn: '2001-07-01', unitCode: unit }), 201)
}

async function partyElection(seats = 3, names = ['张三', '李四', '王五', '赵六']) {
  const e = json<Detail>(await organiser.post('/api/elections', { unitCode: unit, body: 'party_committee', heldOn: '2026-11-20', place: '村委会会议室', entitled: 10, present: 9, posts: [{ post: 'member', seats }] }), 201)
  return json<Detail>(await organiser.put(`/api/elections/${e.id}/candidates`, { version: e.version, candidates: names.map((name) => ({ post: 'member', name, gender: name === '李四' ? 'female' : 'male' })) }))
}

/**
 * Nine ballots, threshold floor(9/2)+1 = 5 (base = present 9):
 * 3 × 王李张, 3 × 王李赵, 2 × 王张赵, 1 × 李张赵 → 王五 8, 李四 7, 张三 6, 赵六 6.
 * Seats 3: 王五 and 李四 are elected; 张三 and 赵六 tie for the last seat → revote.
 */
function tieBallots(ids: Record<string, string>) {
  const b = (...names: string[]) => ({ marks: Object.fromEntries(names.map((n) => [ids[n]!, 'approve'])) })
  return [...Array(3).fill(b('王五', '李四', '张三')), ...Array(3).fill(b('王五', '李四', '赵六')), ...Array(2).fill(b('王五', '张三', '赵六')), b('李四', '张三', '赵六')]
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  unit = c.units[0][1]!
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'el_admin' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'el_org' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'el_org2' })
  await t.make.user({ role: 'township_organiser', territoryCode: c.townships[1], username: 'el_org_t1' })
  await t.make.user({ role: 'contact_cadre', territoryCode: c.townships[0], unitCodes: [unit], username: 'el_cadre' })
  await t.make.user({ role: 'leader', territoryCode: c.townships[0], username: 'el_leader' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'el_auditor' })
  admin = await t.login('el_admin')
  organiser = await t.login('el_org')
  organiser2 = await t.login('el_org2')
  otherTownship = await t.login('el_org_t1')
  cadre = await t.login('el_cadre')
  leader = await t.login('el_leader')
  auditor = await t.login('el_auditor')
})
afterAll(() => t.close())

describe('elections before the vote', () => {
  it('orders Party ballot candidates by surname strokes and warns about too few candidates', async () => {
    const e = await partyElection(3, ['张三', '李四', '王五'])
    // 王 4 strokes; 李 and 张 7 — 李 starts with 横, 张 with 横折 (折 comes last).
    expect(e.candidates.map((x) => x.name)).toEqual(['王五', '李四', '张三'])
    expect(e.warnings.join()).toContain('差额不足：委员应选 3 名，候选人 3 名，至少需要 4 名')
    const row = await t.db.selectFrom('audit_log').select('action').where('county_code', '=', c.countyCode).where('object_id', '=', e.id).where('action', '=', 'election.candidates').executeTakeFirst()
    expect(row).toBeDefined()
  })

  it('refuses a candidate as monitor or counter, and posts a body does not have', async () => {
    const e = await partyElection()
    const res = await organiser.put(`/api/elections/${e.id}/staff`, { version: e.version, staff: [{ role: 'monitor', name: '张三' }] })
    expect(res.statusCode).toBe(422)
    expect(res.json().message).toContain('候选人不得担任监票人')
    const bad = await organiser.post('/api/elections', { unitCode: unit, body: 'party_committee', heldOn: '2026-11-20', place: '', entitled: 10, present: 9, posts: [{ post: 'director', seats: 1 }] })
    expect(bad.statusCode).toBe(400)
    const comm = await organiser.post('/api/elections', { unitCode: c.units[0][0], body: 'villager_committee', heldOn: '2026-11-20', place: '', entitled: 100, posts: [{ post: 'director', seats: 1 }] })
    expect(comm.json().message).toContain('是社区，应选举居民委员会')
  })

  it('keeps a candidate\'s registration: the person cannot be deleted', async () => {
    const e = json<Detail>(await organiser.post('/api/elections', { unitCode: unit, body: 'party_committee', heldOn: '2026-11-20', place: '', entitled: 10, present: 9, posts: [{ post: 'member', seats: 1 }] }), 201)
    const p = await person('钱候选', 3150)
    const d = json<Detail>(await organiser.put(`/api/elections/${e.id}/candidates`, { version: e.version, candidates: [{ post: 'member', personId: p.id }, { post: 'member', name: '孙候选', gender: 'male' }] }))
    expect(d.candidates.find((x) => x.name === '钱候选')?.personId).toBe(p.id)
    const del = await organiser.del(`/api/people/${p.id}?version=1`)
    expect(del.statusCode).toBe(409)
    expect(del.json().message).toContain('是选举的候选人')
  })

  it('does not count before election day', async () => {
    const e = json<Detail>(await organiser.post('/api/elections', { unitCode: unit, body: 'party_committee', heldOn: '2099-01-01', place: '', entitled: 10, present: 9, posts: [{ post: 'member', seats: 1 }] }), 201)
    json(await organiser.put(`/api/elections/${e.id}/candidates`, { version: e.version, candidates: [{ post: 'member', name: '甲', gender: 'male' }, { post: 'member', name: '乙', gender: 'male' }] }))
    const res = await organiser.post(`/api/elections/${e.id}/results`, { mode: 'totals' })
    expect(res.statusCode).toBe(409)
    expect(res.json().message).toContain('尚未到选举日')
  })

  it('keeps elections to their territory', async () => {
    const e = await partyElection()
    expect((await otherTownship.get(`/api/elections/${e.id}`)).statusCode).toBe(404)
    expect((await cadre.get(`/api/elections/${e.id}`)).statusCode).toBe(200)
    expect((await leader.get(`/api/elections/${e.id}`)).statusCode).toBe(200)
    expect((await leader.post(`/api/elections/${e.id}/results`, { mode: 'totals' })).statusCode).toBe(403)
    expect((await otherTownship.post(`/api/elections/${e.id}/results`, { mode: 'totals' })).statusCode).toBe(404)
    const list = json<{ items: { id: string }[] }>(await otherTownship.get('/api/elections'))
    expect(list.items.some((x) => x.id === e.id)).toBe(false)
  })
})

describe('a Party committee count from ballots to announced result', () => {
  let e: Detail
  let r: Result
  let ids: Record<string, string>

  it('enters ballots one by one and reconciles the sheet (R1, R6)', async () => {
    e = await partyElection()
    ids = Object.fromEntries(e.candidates.map((x) => [x.name, x.id]))
    r = json<Result>(await organiser.post(`/api/elections/${e.id}/results`, { mode: 'ballots' }), 201)
    expect(json<{ count: number }>(await organiser.post(`/api/tally-results/${r.id}/ballots`, { ballots: tieBallots(ids) })).count).toBe(9)
    // A ballot naming no candidate of this election is refused in Chinese, and nothing is added.
    const bad = await organiser.post(`/api/tally-results/${r.id}/ballots`, { ballots: [{ marks: { '999999': 'approve' } }] })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toContain('第 1 张选票 标记了不存在的候选人编号 999999')
    // Another writer cannot add to someone else's draft.
    expect((await organiser2.post(`/api/tally-results/${r.id}/ballots`, { ballots: [{}] })).statusCode).toBe(403)
    r = json<Result>(await organiser.put(`/api/tally-results/${r.id}/sheet`, { version: r.version, sheet: { ...account, printed: 11, returned: 8, validBallots: 0, voidBallots: 0, candidates: {}, writeIns: [] } }))
    expect(r.problems.map((p) => p.rule).sort()).toEqual(['R1', 'R1', 'R6'])
    expect(r.problems.find((p) => p.rule === 'R6')!.message).toContain('印制（领取）选票 11 张，应等于发出 9 + 未发出 1 + 损坏 0 = 10 张')
    const refused = await organiser.post(`/api/tally-results/${r.id}/submit`, { version: r.version })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().details.map((d: { message: string }) => d.message).join()).toContain('逐张录入的选票为 9 张')
    // The outcome preview already knows the tie.
    expect(r.outcome!.tie[0]!.names.sort()).toEqual(['张三', '赵六'])
  })

  it('passes R6 only with a discrepancy note, then submits', async () => {
    r = json<Result>(await organiser.put(`/api/tally-results/${r.id}/sheet`, { version: r.version, sheet: { ...account, printed: 11, validBallots: 0, voidBallots: 0, candidates: {}, writeIns: [] } }))
    expect(r.problems.map((p) => p.rule)).toEqual(['R6'])
    expect((await organiser.post(`/api/tally-results/${r.id}/submit`, { version: r.version })).json().message).toContain('情况说明')
    r = json<Result>(await organiser.post(`/api/tally-results/${r.id}/submit`, { version: r.version, discrepancyNote: '多领 1 张，已当场销毁，监票人签字' }))
    expect(r.state).toBe('entered')
    expect(r.outcome!.elected.map((x) => x.name).sort()).toEqual(['李四', '王五'])
    expect(r.outcome!.next).toBe('revote')
  })

  it('needs a second person, who enters blind; a mismatch names the cells', async () => {
    expect((await organiser.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'scan' })).statusCode).toBe(403)
    const seen = json<Result>(await organiser2.get(`/api/tally-results/${r.id}`))
    expect(seen.hidden).toBe(true)
    expect(seen.sheet).toBeNull()
    expect(seen.canEnterBlind).toBe(true)
    const typed = (zhang: number) => ({
      ...account,
      printed: 11,
      validBallots: 9,
      voidBallots: 0,
      candidates: { [ids['王五']!]: { approve: 8, disapprove: 0, abstain: 1 }, [ids['李四']!]: { approve: 7, disapprove: 0, abstain: 2 }, [ids['张三']!]: { approve: zhang, disapprove: 0, abstain: 9 - zhang }, [ids['赵六']!]: { approve: 6, disapprove: 0, abstain: 3 } },
      writeIns: [],
    })
    const wrong = await organiser2.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'double', sheet: typed(7) })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json().details.map((d: { message: string }) => d.message)).toEqual(['张三赞成票：第一次 6，第二次 7', '张三弃权票：第一次 3，第二次 2'])
    const mismatch = await t.db.selectFrom('audit_log').select('result').where('county_code', '=', c.countyCode).where('action', '=', 'tally.confirm.mismatch').where('object_id', '=', r.id).executeTakeFirst()
    expect(mismatch?.result).toBe('failure')
    r = json<Result>(await organiser2.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'double', sheet: typed(6) }))
    expect(r.state).toBe('confirmed')
  })

  it('announces only with every winner tied to a person, locks the row and makes the new team', async () => {
    expect((await cadre.post(`/api/tally-results/${r.id}/announce`, { version: r.version })).statusCode).toBe(403)
    const unlinked = await organiser.post(`/api/tally-results/${r.id}/announce`, { version: r.version })
    expect(unlinked.statusCode).toBe(422)
    expect(unlinked.json().message).toContain('王五（委员）')
    const wang = await person('王五', 3101)
    const li = await person('李四', 3102)
    const old = await person('孙老支书', 3103)
    json(await organiser.post('/api/posts', { unitCode: unit, personId: old.id, body: 'party', post: 'secretary', since: '2021-05-01' }), 201)
    r = json<Result>(
      await organiser.post(`/api/tally-results/${r.id}/announce`, {
        version: r.version,
        links: [
          { name: '王五', post: 'member', personId: wang.id },
          { name: '李四', post: 'member', personId: li.id },
        ],
      }),
    )
    expect(r.state).toBe('announced')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    const head = await t.db.selectFrom('audit_head').select('hash').where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()
    const announceRow = await t.db.selectFrom('audit_log').select('hash').where('county_code', '=', c.countyCode).where('action', '=', 'tally.announce').where('object_id', '=', r.id).executeTakeFirstOrThrow()
    expect(r.chainHead).toBe(announceRow.hash)
    expect(head.hash).not.toBe('')

    const holdings = await t.db.selectFrom('post_holding').selectAll().where('county_code', '=', c.countyCode).where('unit_code', '=', unit).where('body', '=', 'party').execute()
    expect(holdings.find((h) => h.person_id === old.id)?.ended_on).toBe('2026-11-20')
    expect(holdings.filter((h) => h.ended_on === null).map((h) => h.person_id).sort()).toEqual([wang.id, li.id].sort())
    const team = json<{ name: string }[]>(await organiser.get(`/api/posts?unitCode=${unit}`)).filter((h) => ['王五', '李四', '孙老支书'].includes(h.name))
    expect(team.map((h) => h.name).sort()).toEqual(['李四', '王五'])
    const history = json<{ name: string; endedOn: string | null }[]>(await organiser.get(`/api/posts?unitCode=${unit}&history=true`))
    expect(history.find((h) => h.name === '孙老支书')?.endedOn).toBe('2026-11-20')
  })

  it('the database refuses to change an announced count, even through the application connection', async () => {
    await expect(t.db.updateTable('tally_result').set({ state: 'draft' }).where('county_code', '=', c.countyCode).where('id', '=', r.id).execute()).rejects.toThrow(/locked/)
    await expect(t.db.deleteFrom('tally_result').where('county_code', '=', c.countyCode).where('id', '=', r.id).execute()).rejects.toThrow(/locked/)
    await expect(t.db.updateTable('tally_ballot').set({ ballot: '{}' }).where('county_code', '=', c.countyCode).where('result_id', '=', r.id).execute()).rejects.toThrow(/locked/)
    expect((await organiser.post(`/api/tally-results/${r.id}/return`, { version: r.version, reason: '改' })).statusCode).toBe(409)
  })

  it('the CLI recounts the exported input to the same outcome', async () => {
    const input = json<Record<string, unknown>>(await auditor.get(`/api/tally-results/${r.id}/tally-input`))
    const cli = spawnSync(process.execPath, ['bin/huanjie.js', 'tally', '-'], { input: JSON.stringify(input), encoding: 'utf8' })
    expect(cli.status, cli.stderr).toBe(0)
    expect(JSON.parse(cli.stdout)).toEqual(r.outcome)
  })

  it('creates the revote among the tied, and refuses a second one', async () => {
    const next = json<Detail & { round: string; posts: { post: string; seats: number }[] }>(await organiser.post(`/api/tally-results/${r.id}/next-round`, {}), 201)
    expect(next.round).toBe('revote')
    expect(next.posts).toEqual([{ post: 'member', postLabel: '委员', seats: 1 }])
    expect(next.candidates.map((x) => x.name)).toEqual(['张三', '赵六'])
    expect(next.warnings.join()).not.toContain('差额不足')
    expect((await organiser.post(`/api/tally-results/${r.id}/next-round`, {})).statusCode).toBe(409)
  })

  it('corrects by a new record naming the old one, entered and confirmed again', async () => {
    const fix = json<Result>(await organiser.post(`/api/tally-results/${r.id}/correct`, { reason: '计票单誊写错误', basis: '镇党委〔2026〕12号' }), 201)
    expect(fix.correctsId).toBe(r.id)
    expect(fix.state).toBe('draft')
    const d = json<Detail>(await organiser.get(`/api/elections/${e.id}`))
    expect(d.results.map((x) => x.state)).toEqual(['announced', 'draft'])
    // The copied ballots are there to fix; the old count is untouched.
    expect(json<{ items: unknown[] }>(await organiser.get(`/api/tally-results/${fix.id}/ballots`)).items).toHaveLength(9)
  })
})

describe('counting from the signed count sheet', () => {
  it('confirms against the uploaded scan, and prints the papers', async () => {
    const e = await partyElection(2, ['甲一', '乙二', '丙三'])
    const id = (name: string) => e.candidates.find((x) => x.name === name)!.id
    let r = json<Result>(await cadre.post(`/api/elections/${e.id}/results`, { mode: 'totals' }), 201)
    const sheet = {
      ...account,
      validBallots: 8,
      voidBallots: 1,
      candidates: { [id('甲一')]: { approve: 8, disapprove: 0, abstain: 0 }, [id('乙二')]: { approve: 5, disapprove: 2, abstain: 1 }, [id('丙三')]: { approve: 2, disapprove: 4, abstain: 2 } },
      writeIns: [{ name: '丁四', post: 'member', approve: 1 }],
    }
    r = json<Result>(await cadre.put(`/api/tally-results/${r.id}/sheet`, { version: r.version, sheet }))
    expect(r.problems).toEqual([])
    r = json<Result>(await cadre.post(`/api/tally-results/${r.id}/submit`, { version: r.version }))
    // threshold floor(9/2)+1 = 5: 甲一 8 and 乙二 5 elected.
    expect(r.outcome!.elected.map((x) => x.name)).toEqual(['甲一', '乙二'])
    expect((await organiser.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'scan' })).json().message).toContain('扫描件')
    const boundary = '----hjscan'
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="计票单.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), tinyPdf, Buffer.from(`\r\n--${boundary}--\r\n`)])
    r = json<Result>(await organiser.inject({ method: 'POST', url: `/api/tally-results/${r.id}/scan`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }))
    expect((await organiser.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'scan' })).json().message).toContain('请先查看')
    const revealed = json<Result>(await organiser.get(`/api/tally-results/${r.id}?reveal=true`))
    expect(revealed.hidden).toBe(false)
    expect(revealed.canEnterBlind).toBe(false)
    r = json<Result>(await organiser.post(`/api/tally-results/${r.id}/confirm`, { version: r.version, mode: 'scan' }))
    expect(r.state).toBe('confirmed')
    for (const kind of ['report', 'count-sheet']) {
      const docx = await organiser.get(`/api/tally-results/${r.id}/${kind}.docx`)
      expect(docx.statusCode, docx.body).toBe(200)
      expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK')
    }
    expect((await organiser.get(`/api/tally-results/${r.id}/announcement.pdf`)).statusCode).toBe(409)
    const ballot = await organiser.get(`/api/elections/${e.id}/ballot-paper.pdf?copies=2`)
    expect(ballot.statusCode).toBe(200)
    expect(ballot.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
  }, 60_000)
})

describe('county rule set', () => {
  it('only the county admin changes it, and an election sees it', async () => {
    expect((await organiser.put('/api/tally-rules', { overrides: { quorumComparison: '>=' } })).statusCode).toBe(403)
    const saved = json<{ rules: { quorumComparison: string } }>(await admin.put('/api/tally-rules', { overrides: { quorumComparison: '>=' } }))
    expect(saved.rules.quorumComparison).toBe('>=')
    // 8 of 10 present is exactly 4/5: valid under ">=", warned under ">".
    const e = json<Detail>(await organiser.post('/api/elections', { unitCode: unit, body: 'party_committee', heldOn: '2026-11-21', place: '', entitled: 10, present: 8, posts: [{ post: 'member', seats: 1 }] }), 201)
    expect(e.warnings.join()).not.toContain('到会人数不足')
    json(await admin.put('/api/tally-rules', { overrides: {} }))
    expect(json<Detail>(await organiser.get(`/api/elections/${e.id}`)).warnings.join()).toContain('到会人数不足')
  })
})
