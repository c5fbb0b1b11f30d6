import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Session, TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { multipart } from '../../../../test/helpers/upload.ts'
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
const today = todayInChina()

type Progress = { total: number; signed: number; unsigned: string[] }
type Receipt = { unitCode: string; unitName: string; signedAt: string | null; signedByName: string | null; signedRole: string | null }
type Doc = { id: string; issuerCode: string; kind: string; title: string; toAll: boolean; unitCodes: string[]; fileName: string; fileSize: number; canEdit: boolean; progress: Progress; version: number }
type Detail = Doc & { receipts: Receipt[]; canSign: boolean; canUndo: boolean }
type List = { territory: { code: string }; canIssue: boolean; documents: Doc[]; pending: { documentId: string; unitCode: string; unitName: string }[]; units: { code: string }[] }

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')])
const meta = (over: Record<string, unknown> = {}) => ({ kind: 'plan', title: '换届选举工作实施方案', docNumber: '镇党委〔2026〕18号', issuedOn: addDays(today, -3), summary: '步骤和时间节点', toAll: true, unitCodes: [], ...over })
function upload(s: Session, m: unknown, file: Buffer = pdf, name = '实施方案.pdf', headers: Record<string, string> = {}) {
  const form = multipart(file, m === undefined ? {} : { meta: JSON.stringify(m) }, name)
  return s.inject({ method: 'POST', url: '/api/deployment/documents', payload: form.payload, headers: { ...form.headers, ...headers } })
}
const docRows = async () => (await t.db.selectFrom('library_document').select('id').where('county_code', '=', c.countyCode).execute()).length
const receiptRows = async (id: string) => (await t.db.selectFrom('document_receipt').selectAll().where('county_code', '=', c.countyCode).where('document_id', '=', id).execute())
const audits = async (action: string) => (await t.db.selectFrom('audit_log').select('object_id').where('county_code', '=', c.countyCode).where('action', '=', action as never).execute()).map((a) => a.object_id)

beforeAll(async () => {
  ;({ t, c, admin, organiser, otherTownship, cadre, leader, auditor, reviewer } = await deploymentScope('dc'))
  json(await admin.post('/api/campaigns', { year: 2026, name: '本届', startsOn: addDays(today, -90) }))
})
afterAll(() => t.close())

describe('document library', () => {
  let plan: Detail
  let notice: Detail

  it('issues a document to all the township’s units, storing the file, audited', async () => {
    plan = json<Detail>(await upload(organiser, meta()))
    expect(plan).toMatchObject({ issuerCode: c.townships[0], kind: 'plan', toAll: true, unitCodes: c.units[0], fileName: '实施方案.pdf', fileSize: pdf.length, canEdit: true, version: 1 })
    expect(plan.progress).toMatchObject({ total: 3, signed: 0 })
    const row = await t.db.selectFrom('library_document').selectAll().where('county_code', '=', c.countyCode).where('id', '=', plan.id).executeTakeFirstOrThrow()
    expect(row.data.equals(pdf)).toBe(true)
    expect(row.content_type).toBe('application/pdf')
    expect(await audits('document.create')).toEqual([plan.id])
    notice = json<Detail>(await upload(organiser, meta({ kind: 'notice', title: '关于选民登记的通知', toAll: false, unitCodes: [c.units[0][1], c.units[0][2]] }), Buffer.from('PK\u0003\u0004 a word file'), '通知.docx'))
    expect(notice).toMatchObject({ toAll: false, unitCodes: [c.units[0][1], c.units[0][2]], progress: { total: 2, signed: 0 } })
  })

  it('refuses bad uploads with the field named, and writes nothing', async () => {
    const cases: [unknown, Buffer, string, number, string][] = [
      [meta({ title: ' ' }), pdf, 'a.pdf', 400, '请填写文件标题'],
      [meta({ issuedOn: addDays(today, 1) }), pdf, 'a.pdf', 400, '印发日期不能晚于今天'],
      [meta({ issuedOn: '2026-13-01' }), pdf, 'a.pdf', 400, '印发日期“2026-13-01”不是有效日期'],
      [meta({ toAll: false, unitCodes: [] }), pdf, 'a.pdf', 400, '请选择分发的村（社区），或选择分发到全部村（社区）'],
      [meta({ toAll: false, unitCodes: [c.units[1][0]] }), pdf, 'a.pdf', 400, `以下区划不是发文单位辖区内启用的村（社区）：${c.units[1][0]}`],
      [meta({ kind: 'memo' }), pdf, 'a.pdf', 400, '文件类别填写不正确'],
      [(({ title: _t, ...m }) => m)(meta()), pdf, 'a.pdf', 400, '缺少文件标题'],
      [undefined, pdf, 'a.pdf', 400, '没有收到文件信息（标题、类别、印发日期等），请刷新页面后重新上传'],
      [meta(), Buffer.from('hello'), 'a.txt', 400, '只能上传 PDF、Word（.docx） 文件'],
      [meta(), Buffer.from('hello, not a pdf'), 'a.pdf', 400, '文件内容不是有效的 PDF 文件，请检查后重新上传'],
    ]
    for (const [m, file, name, status, message] of cases) {
      const res = await upload(organiser, m, file, name)
      expect(res.statusCode, message).toBe(status)
      expect(res.json().message).toBe(message)
    }
    const big = await upload(organiser, meta(), Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]))
    expect(big.statusCode).toBe(413)
    expect(await docRows()).toBe(2)
  })

  it('keeps issuing to the issuer: no county document from a township, no writes from read-only roles', async () => {
    const county = await upload(organiser, meta({ territory: c.county }))
    expect(county.statusCode).toBe(403)
    for (const s of [leader, cadre, auditor]) expect((await upload(s, meta())).statusCode).toBe(403)
    expect((await upload(otherTownship, meta({ territory: c.townships[0] }))).statusCode).toBe(404)
    expect((await reviewer.get('/api/deployment/documents')).statusCode).toBe(403)
    expect((await reviewer.get(`/api/deployment/documents/${plan.id}`)).statusCode).toBe(403)
    expect((await otherTownship.get(`/api/deployment/documents?territory=${c.townships[0]}`)).statusCode).toBe(404)
    for (const url of [`/api/deployment/documents/${plan.id}`, `/api/deployment/documents/${plan.id}/file`]) expect((await otherTownship.get(url)).statusCode).toBe(404)
    expect((await otherTownship.post(`/api/deployment/documents/${plan.id}/receipts`, { unitCode: c.units[0][0] })).statusCode).toBe(404)
    expect((await otherTownship.put(`/api/deployment/documents/${plan.id}`, { ...meta(), version: 1 })).statusCode).toBe(404)
    for (const s of [leader, cadre, auditor]) {
      expect((await s.put(`/api/deployment/documents/${plan.id}`, { ...meta(), version: 1 })).statusCode).toBe(403)
      expect((await s.del(`/api/deployment/documents/${plan.id}?version=1`)).statusCode).toBe(403)
    }
    for (const s of [leader, auditor]) expect((await s.post(`/api/deployment/documents/${plan.id}/receipts`, { unitCode: c.units[0][1] })).statusCode).toBe(403)
    expect(await docRows()).toBe(2)
  })

  it('gives the contact cadre the documents of their unit to sign, one tap each, and a second tap changes nothing', async () => {
    const list = json<List>(await cadre.get('/api/deployment/documents'))
    expect(list.documents.map((d) => [d.id, d.progress.total])).toEqual([
      [notice.id, 1],
      [plan.id, 1],
    ])
    expect(list.pending.map((p) => [p.documentId, p.unitCode])).toEqual([
      [notice.id, c.units[0][1]],
      [plan.id, c.units[0][1]],
    ])
    expect(list.canIssue).toBe(false)
    // Opening the file is not signing for it.
    const file = await cadre.get(`/api/deployment/documents/${plan.id}/file`)
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('application/pdf')
    expect(file.headers['content-disposition']).toMatch(/^inline/)
    expect(file.rawPayload.equals(pdf)).toBe(true)
    expect(await receiptRows(plan.id)).toEqual([])

    const first = json<Receipt>(await cadre.post(`/api/deployment/documents/${plan.id}/receipts`, { unitCode: c.units[0][1] }))
    expect(first).toMatchObject({ unitCode: c.units[0][1], signedRole: '包村干部' })
    expect(first.signedAt).not.toBeNull()
    const again = json<Receipt>(await cadre.post(`/api/deployment/documents/${plan.id}/receipts`, { unitCode: c.units[0][1] }))
    expect(again.signedAt).toBe(first.signedAt)
    expect(await receiptRows(plan.id)).toHaveLength(1)
    expect(await audits('document.receipt')).toEqual([`${plan.id}:${c.units[0][1]}`])
    // Only for their own units.
    const other = await cadre.post(`/api/deployment/documents/${plan.id}/receipts`, { unitCode: c.units[0][2] })
    expect(other.statusCode).toBe(404)
    expect(json<List>(await cadre.get('/api/deployment/documents')).pending.map((p) => p.documentId)).toEqual([notice.id])
    // A unit outside the distribution cannot sign.
    const outside = await organiser.post(`/api/deployment/documents/${notice.id}/receipts`, { unitCode: c.units[0][0] })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().message).toBe('该村（社区）不在本文件的分发范围内')
  })

  it('shows the issuer N of M units signed, N being the receipts written, and names the unsigned', async () => {
    json(await organiser.post(`/api/deployment/documents/${plan.id}/receipts`, { unitCode: c.units[0][0] }))
    const rows = await receiptRows(plan.id)
    const list = json<List>(await organiser.get('/api/deployment/documents'))
    const p = list.documents.find((d) => d.id === plan.id)!.progress
    expect(p.total).toBe(plan.unitCodes.length)
    expect(p.signed).toBe(rows.length)
    expect(p).toEqual({ total: 3, signed: 2, unsigned: ['1镇202村'] })
    const detail = json<Detail>(await organiser.get(`/api/deployment/documents/${plan.id}`))
    expect(detail.receipts.map((r) => [r.unitCode, r.signedRole])).toEqual([
      [c.units[0][0], '乡镇组织员'],
      [c.units[0][1], '包村干部'],
      [c.units[0][2], null],
    ])
    expect(detail.receipts.filter((r) => r.signedAt).length).toBe(rows.length)
    expect(detail).toMatchObject({ canSign: true, canUndo: true })
    expect(json<Detail>(await leader.get(`/api/deployment/documents/${plan.id}`)).progress).toEqual(p)
    expect(json<Detail>(await auditor.get(`/api/deployment/documents/${plan.id}`)).canSign).toBe(false)
  })

  it('edits with the version it read, and keeps signed units in the distribution', async () => {
    const edit = (over: Record<string, unknown>) => organiser.put(`/api/deployment/documents/${plan.id}`, { ...meta(), version: plan.version, ...over })
    const drop = await edit({ toAll: false, unitCodes: [c.units[0][2]] })
    expect(drop.statusCode).toBe(409)
    expect(drop.json().message).toBe('已签收的村（社区）不能移出分发范围：1镇001社区、1镇201村')
    const ok = json<Detail>(await edit({ title: '换届选举工作实施方案（修订）', toAll: false, unitCodes: [c.units[0][0], c.units[0][1]] }))
    expect(ok).toMatchObject({ title: '换届选举工作实施方案（修订）', version: 2, toAll: false, progress: { total: 2, signed: 2, unsigned: [] } })
    const stale = await edit({ title: '旧' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('VERSION_CONFLICT')
    expect(await audits('document.update')).toEqual([plan.id])
    plan = ok
  })

  it('lets the township take back a receipt signed by mistake, not the cadre', async () => {
    expect((await cadre.del(`/api/deployment/documents/${plan.id}/receipts/${c.units[0][1]}`)).statusCode).toBe(403)
    const r = json<Receipt>(await organiser.del(`/api/deployment/documents/${plan.id}/receipts/${c.units[0][0]}`))
    expect(r).toMatchObject({ unitCode: c.units[0][0], signedAt: null })
    expect((await receiptRows(plan.id)).map((x) => x.unit_code)).toEqual([c.units[0][1]])
    expect((await organiser.del(`/api/deployment/documents/${plan.id}/receipts/${c.units[0][0]}`)).statusCode).toBe(404)
    expect(await audits('document.receipt.undo')).toHaveLength(1)
  })

  it('sends a county document to every township, each seeing and signing for its own units', async () => {
    const county = json<Detail>(await upload(admin, meta({ territory: c.county, title: '全县换届工作方案' })))
    expect(county.unitCodes).toEqual([...c.units[0], ...c.units[1]])
    expect(county.progress.total).toBe(6)
    for (const [s, units] of [
      [organiser, c.units[0]],
      [otherTownship, c.units[1]],
    ] as const) {
      const list = json<List>(await s.get('/api/deployment/documents'))
      const d = list.documents.find((x) => x.id === county.id)!
      expect(d).toMatchObject({ canEdit: false, progress: { total: 3, signed: 0 } })
      expect(json<Detail>(await s.get(`/api/deployment/documents/${county.id}`)).receipts.map((r) => r.unitCode)).toEqual(units)
    }
    json(await otherTownship.post(`/api/deployment/documents/${county.id}/receipts`, { unitCode: c.units[1][0] }))
    expect((await organiser.put(`/api/deployment/documents/${county.id}`, { ...meta(), version: 1 })).statusCode).toBe(403)
    const all = json<List>(await admin.get('/api/deployment/documents'))
    expect(all.documents.map((d) => [d.id, d.progress.signed, d.progress.total])).toEqual([[county.id, 1, 6]])
    // The county's own page lists county documents; a township's adds its own.
    expect(json<List>(await admin.get(`/api/deployment/documents?territory=${c.townships[0]}`)).documents.map((d) => d.id).sort()).toEqual([plan.id, notice.id, county.id].sort())
    expect(json<List>(await cadre.get('/api/deployment/documents')).pending.map((p) => p.documentId).sort()).toEqual([notice.id, county.id].sort())
  })

  it('answers a retried upload with the first document (Idempotency-Key)', async () => {
    const before = await docRows()
    const a = json<Detail>(await upload(organiser, meta({ title: '工作手册', kind: 'handbook' }), pdf, '手册.pdf', { 'idempotency-key': 'dc-retry-00001' }))
    const b = json<Detail>(await upload(organiser, meta({ title: '工作手册', kind: 'handbook' }), pdf, '手册.pdf', { 'idempotency-key': 'dc-retry-00001' }))
    expect(b.id).toBe(a.id)
    expect(await docRows()).toBe(before + 1)
  })

  it('deletes with the current version only, its receipts with it', async () => {
    expect((await organiser.del(`/api/deployment/documents/${plan.id}?version=1`)).statusCode).toBe(409)
    json(await organiser.del(`/api/deployment/documents/${plan.id}?version=${plan.version}`))
    expect(await receiptRows(plan.id)).toEqual([])
    expect(await audits('document.delete')).toEqual([plan.id])
    expect((await cadre.get(`/api/deployment/documents/${plan.id}`)).statusCode).toBe(404)
  })
})
