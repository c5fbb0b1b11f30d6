import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Session, TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { zipEntry } from '../../../../test/helpers/zip.ts'
import { addDays } from '../../../rules/timeline/index.ts'
import { todayInChina } from '../person/service.ts'
import { deploymentScope, json } from './fixture.ts'

let t: TestApp
let c: CountyFixture
let admin: Session
let organiser: Session
let otherTownship: Session
let cadre: Session
let leader: Session
let auditor: Session
let reviewer: Session
let orgName: string
const today = todayInChina()

type Decision = { id: string; seq: number; content: string; owner: string; deadline: string | null; doneOn: string | null; doneNote: string; status: string }
type Meeting = { id: string; territoryCode: string; level: string; kind: string; kindLabel: string; title: string; heldOn: string; attendees: string[]; attendeeCount: number; decisions: Decision[]; canEdit: boolean; version: number }
type List = { territory: { code: string; level: string }; canEdit: boolean; meetings: Meeting[]; openDecisions: (Decision & { meetingId: string; meetingTitle: string })[] }

const body = (over: Record<string, unknown> = {}) => ({
  kind: 'mobilisation',
  title: '换届工作动员部署会',
  heldOn: addDays(today, -20),
  place: '镇政府会议室',
  host: '镇党委书记 王书记',
  attendees: ['镇领导班子成员', '各村党组织书记'],
  attendeeCount: 40,
  minutes: '会议部署了换届工作。\n要求各村制定方案。',
  decisions: [
    { content: '各村制定换届工作方案', owner: '各村党组织书记', deadline: addDays(today, -5) },
    { content: '完成村情摸底', owner: '包村领导', deadline: addDays(today, 10) },
    { content: '建立日报告制度', owner: '基层党建办', deadline: addDays(today, -15), doneOn: addDays(today, -16), doneNote: '已开通' },
  ],
  ...over,
})
const audits = async (action: string) => (await t.db.selectFrom('audit_log').select(['object_id', 'actor_name']).where('county_code', '=', c.countyCode).where('action', '=', action as never).execute())
const rows = async () => (await t.db.selectFrom('meeting').select('id').where('county_code', '=', c.countyCode).execute()).length

beforeAll(async () => {
  ;({ t, c, admin, organiser, otherTownship, cadre, leader, auditor, reviewer, organiserName: orgName } = await deploymentScope('mt'))
})
afterAll(() => t.close())

describe('meetings', () => {
  let m: Meeting

  it('needs a campaign first', async () => {
    expect((await organiser.get('/api/deployment/meetings')).statusCode).toBe(422)
    json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: addDays(today, -90) }))
  })

  it('records a township meeting with its decisions, flags the overdue one, and audits it', async () => {
    m = json<Meeting>(await organiser.post('/api/deployment/meetings', body()))
    expect(m).toMatchObject({ territoryCode: c.townships[0], level: 'township', kind: 'mobilisation', kindLabel: '动员部署会', attendeeCount: 40, canEdit: true, version: 1 })
    expect(m.decisions.map((d) => [d.seq, d.status])).toEqual([
      [1, 'overdue'],
      [2, 'open'],
      [3, 'done'],
    ])
    const row = await t.db.selectFrom('meeting').selectAll().where('county_code', '=', c.countyCode).where('id', '=', m.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ territory_code: c.townships[0], title: '换届工作动员部署会', attendees: ['镇领导班子成员', '各村党组织书记'], updated_by: orgName })
    const decisions = await t.db.selectFrom('meeting_decision').selectAll().where('county_code', '=', c.countyCode).where('meeting_id', '=', m.id).orderBy('seq').execute()
    expect(decisions.map((d) => [d.owner, d.done_on])).toEqual([
      ['各村党组织书记', null],
      ['包村领导', null],
      ['基层党建办', addDays(today, -16)],
    ])
    expect(await audits('meeting.create')).toEqual([{ object_id: m.id, actor_name: orgName }])
  })

  it('lists the township’s meetings and the open decisions, overdue first, to every reader in scope', async () => {
    const list = json<List>(await organiser.get('/api/deployment/meetings'))
    expect(list.territory).toMatchObject({ code: c.townships[0], level: 'township' })
    expect(list.meetings.map((x) => x.id)).toEqual([m.id])
    expect(list.openDecisions.map((d) => [d.content, d.status, d.meetingTitle])).toEqual([
      ['各村制定换届工作方案', 'overdue', '换届工作动员部署会'],
      ['完成村情摸底', 'open', '换届工作动员部署会'],
    ])
    for (const s of [cadre, leader]) {
      const l = json<List>(await s.get('/api/deployment/meetings'))
      expect(l.meetings.map((x) => x.id)).toEqual([m.id])
      expect(l.canEdit).toBe(false)
      expect(l.meetings[0]!.canEdit).toBe(false)
    }
    for (const s of [admin, auditor]) expect(json<List>(await s.get(`/api/deployment/meetings?territory=${c.townships[0]}`)).meetings).toHaveLength(1)
    // The county's own list is the county meetings, not the townships'.
    expect(json<List>(await admin.get('/api/deployment/meetings')).meetings).toEqual([])
  })

  it('keeps other townships, reviewers and read-only roles out', async () => {
    expect((await otherTownship.get(`/api/deployment/meetings?territory=${c.townships[0]}`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/deployment/meetings/${m.id}`)).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/deployment/meetings/${m.id}`, { ...body(), version: 1 })).statusCode).toBe(404)
    expect((await otherTownship.del(`/api/deployment/meetings/${m.id}?version=1`)).statusCode).toBe(404)
    expect((await otherTownship.get(`/api/deployment/meetings/${m.id}/record.docx`)).statusCode).toBe(404)
    expect((await otherTownship.post('/api/deployment/meetings', body({ territory: c.townships[0] }))).statusCode).toBe(404)
    expect((await reviewer.get('/api/deployment/meetings')).statusCode).toBe(403)
    expect((await reviewer.get(`/api/deployment/meetings/${m.id}`)).statusCode).toBe(403)
    for (const s of [leader, cadre, auditor]) {
      expect((await s.post('/api/deployment/meetings', body())).statusCode).toBe(403)
      expect((await s.put(`/api/deployment/meetings/${m.id}`, { ...body(), version: 1 })).statusCode).toBe(403)
      expect((await s.put(`/api/deployment/meetings/${m.id}/decisions/${m.decisions[0]!.id}`, { version: 1, doneOn: today, doneNote: '' })).statusCode).toBe(403)
      expect((await s.del(`/api/deployment/meetings/${m.id}?version=1`)).statusCode).toBe(403)
    }
    // A township organiser may not record the county's meetings.
    const county = await organiser.post('/api/deployment/meetings', body({ territory: c.county }))
    expect(county.statusCode).toBe(403)
    expect(county.json().message).toContain('县级会议由县级管理员登记')
    expect(await rows()).toBe(1)
  })

  it('refuses bad input with the field named in Chinese, writing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '  ' }, '请填写会议名称'],
      [{ heldOn: '2026-02-30' }, '会议日期“2026-02-30”不是有效日期'],
      [{ attendeeCount: 0 }, '请填写参会人数'],
      [{ attendeeCount: 1 }, '参会人数（1）少于列出的参会人员（2项）'],
      [{ decisions: [{ content: '落实', owner: ' ' }] }, '请填写第1项议定事项的责任人'],
      [{ decisions: [{ content: '', owner: '张三' }] }, '请填写第1项议定事项的内容'],
      [{ decisions: [{ content: '落实', owner: '张三', deadline: addDays(today, -30) }] }, '第1项议定事项的完成时限不能早于会议日期'],
      [{ decisions: [{ content: '落实', owner: '张三', doneOn: addDays(today, 1) }] }, '第1项议定事项的完成日期不能晚于今天'],
      [{ title: '会'.repeat(101) }, '会议名称不能超过 100 个字'],
      [{ kind: 'party' }, '类别的取值不在允许范围内'],
    ]
    for (const [over, message] of cases) {
      const res = await organiser.post('/api/deployment/meetings', body(over))
      expect(res.statusCode, JSON.stringify(over)).toBe(400)
      expect(res.json().message).toBe(message)
    }
    expect(await rows()).toBe(1)
  })

  it('edits with the version it read: decisions keep their ids, a stale version gets 409 and changes nothing', async () => {
    const [first, second] = m.decisions
    const edited = json<Meeting>(
      await organiser.put(`/api/deployment/meetings/${m.id}`, {
        ...body({ title: '换届工作动员部署会（扩大）' }),
        version: 1,
        decisions: [
          { id: first!.id, content: first!.content, owner: '各村（社区）党组织书记', deadline: first!.deadline, doneOn: addDays(today, -1), doneNote: '方案全部备案' },
          { id: second!.id, content: second!.content, owner: second!.owner, deadline: second!.deadline },
          { content: '新增：组织业务培训', owner: '镇换届办', deadline: addDays(today, 3) },
        ],
      }),
    )
    expect(edited.version).toBe(2)
    expect(edited.decisions.map((d) => [d.id === first!.id, d.id === second!.id, d.owner, d.status])).toEqual([
      [true, false, '各村（社区）党组织书记', 'done'],
      [false, true, '包村领导', 'open'],
      [false, false, '镇换届办', 'open'],
    ])
    expect((await t.db.selectFrom('meeting_decision').select('id').where('county_code', '=', c.countyCode).where('meeting_id', '=', m.id).execute()).length).toBe(3)
    const stale = await organiser.put(`/api/deployment/meetings/${m.id}`, { ...body({ title: '旧版本' }), version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect((await t.db.selectFrom('meeting').select('title').where('county_code', '=', c.countyCode).where('id', '=', m.id).executeTakeFirstOrThrow()).title).toBe('换届工作动员部署会（扩大）')
    const stray = await organiser.put(`/api/deployment/meetings/${m.id}`, { ...body(), version: 2, decisions: [{ id: '999999', content: 'x', owner: 'y' }] })
    expect(stray.statusCode).toBe(400)
    expect(await audits('meeting.update')).toHaveLength(1)
    m = edited
  })

  it('marks one open decision done from the list, and takes it back', async () => {
    const d = m.decisions[1]!
    const done = json<Meeting>(await organiser.put(`/api/deployment/meetings/${m.id}/decisions/${d.id}`, { version: m.version, doneOn: today, doneNote: '摸底完成，形成报告' }))
    expect(done.version).toBe(m.version + 1)
    expect(done.decisions[1]).toMatchObject({ doneOn: today, doneNote: '摸底完成，形成报告', status: 'done' })
    expect((await organiser.put(`/api/deployment/meetings/${m.id}/decisions/${d.id}`, { version: m.version, doneOn: today, doneNote: '' })).statusCode).toBe(409)
    const early = await organiser.put(`/api/deployment/meetings/${m.id}/decisions/${d.id}`, { version: done.version, doneOn: addDays(today, -40), doneNote: '' })
    expect(early.statusCode).toBe(400)
    expect(early.json().message).toBe('完成日期不能早于会议日期')
    const undone = json<Meeting>(await organiser.put(`/api/deployment/meetings/${m.id}/decisions/${d.id}`, { version: done.version, doneOn: null, doneNote: '' }))
    expect(undone.decisions[1]).toMatchObject({ doneOn: null, status: 'open' })
    expect(await audits('meeting.decision')).toHaveLength(2)
    expect((await organiser.put(`/api/deployment/meetings/${m.id}/decisions/999999`, { version: undone.version, doneOn: today, doneNote: '' })).statusCode).toBe(404)
    m = undone
  })

  it('writes the meeting record as Word, for every reader in scope', async () => {
    for (const s of [organiser, cadre, leader, auditor]) {
      const res = await s.get(`/api/deployment/meetings/${m.id}/record.docx`)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-disposition']).toContain('.docx')
      const xml = zipEntry(res.rawPayload, 'word/document.xml') ?? ''
      expect(xml).toContain('会议记录')
      expect(xml).toContain('换届工作动员部署会（扩大）')
      expect(xml).toContain('各村（社区）党组织书记')
      expect(xml).toContain('镇换届办')
      expect(xml).toContain('要求各村制定方案。')
    }
  })

  it('lets the county admin record a county meeting that every township reads but only the county edits', async () => {
    const county = json<Meeting>(await admin.post('/api/deployment/meetings', body({ territory: c.county, title: '全县换届动员部署会议', decisions: [] })))
    expect(county).toMatchObject({ territoryCode: c.county, level: 'county', canEdit: true })
    const seen = json<List>(await otherTownship.get(`/api/deployment/meetings?territory=${c.county}`))
    expect(seen.meetings.map((x) => [x.id, x.canEdit])).toEqual([[county.id, false]])
    expect(seen.canEdit).toBe(false)
    expect(json<Meeting>(await cadre.get(`/api/deployment/meetings/${county.id}`)).title).toBe('全县换届动员部署会议')
    expect((await organiser.put(`/api/deployment/meetings/${county.id}`, { ...body(), version: 1 })).statusCode).toBe(403)
    // The county admin may edit a township's meeting too.
    expect(json<Meeting>(await admin.get(`/api/deployment/meetings/${m.id}`)).canEdit).toBe(true)
  })

  it('answers a retried creation with the first meeting (Idempotency-Key)', async () => {
    const send = () => organiser.inject({ method: 'POST', url: '/api/deployment/meetings', payload: body({ title: '业务培训会', kind: 'training', decisions: [] }), headers: { 'idempotency-key': 'mt-retry-0001' } })
    const a = json<Meeting>(await send())
    const b = json<Meeting>(await send())
    expect(b.id).toBe(a.id)
    expect(await rows()).toBe(3)
  })

  it('deletes with the current version only, with its decisions, audited', async () => {
    const stale = await organiser.del(`/api/deployment/meetings/${m.id}?version=1`)
    expect(stale.statusCode).toBe(409)
    json(await organiser.del(`/api/deployment/meetings/${m.id}?version=${m.version}`))
    expect((await t.db.selectFrom('meeting_decision').select('id').where('county_code', '=', c.countyCode).where('meeting_id', '=', m.id).execute()).length).toBe(0)
    expect(await audits('meeting.delete')).toEqual([{ object_id: m.id, actor_name: orgName }])
    expect((await organiser.get(`/api/deployment/meetings/${m.id}`)).statusCode).toBe(404)
  })
})
