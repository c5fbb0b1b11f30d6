/**
 * 文件资料 (issue 6 §4): work plans, notices and handbooks the county or a township issues in a
 * campaign, each with its file (PDF or Word) and distributed to units — all the issuer's units
 * or chosen ones, fixed when issued. Each unit signs for it (签收): its contact cadre, or the
 * township on its behalf. The issuer sees how many of the units have signed and which have not.
 *
 * Opening or downloading a document does not sign for it: 签收 says a unit has received it and
 * will act on it, which a preview does not show; and a cadre covering three villages opens it once
 * for all three, so the one-tap 签收 names the unit each time.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import { conflict, forbidden, invalid, notFound, versionConflict } from '../../http/errors.ts'
import { canSeeTerritory, covers, levelOfCode, prefixOf } from '../../scope.ts'
import { roleLabels } from '../../../shared/roles.ts'
import { pickCampaign, toCampaign } from '../campaign/service.ts'
import { todayInChina } from '../person/service.ts'
import * as repo from './repo.ts'
import { audit, canWrite, day, isWriter, text, viewOf } from './shared.ts'
import type { DocumentInfo, DocumentKind, DocumentReceiptRow } from './table.ts'

export const kindLabels: Record<DocumentKind, string> = { plan: '工作方案', notice: '通知', handbook: '工作手册', other: '其他' }
export const MAX_FILE_MB = 20
export const MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
const signerRoles: readonly string[] = ['county_admin', 'township_organiser', 'contact_cadre']
const WHAT = '文件资料'

export interface DocumentInput {
  kind: DocumentKind
  title: string
  docNumber: string
  issuedOn: string
  summary: string
  toAll: boolean
  unitCodes: string[]
}

export interface UploadedFile {
  name: string
  type: string
  data: Buffer
}

/** The document's units the actor sees, within a township when a prefix is given. */
const visibleUnits = (a: Actor, d: DocumentInfo, prefix?: string) => d.unit_codes.filter((u) => (!prefix || u.startsWith(prefix)) && canSeeTerritory(a, u))

/** The issuer's people see their documents; everyone else (a contact cadre too) those that reach a unit they see. */
function canSee(a: Actor, d: DocumentInfo): boolean {
  if (a.role === 'reviewer') return false
  return visibleUnits(a, d).length > 0 || (a.role !== 'contact_cadre' && covers(a, d.issuer_code))
}

function toDocument(a: Actor, d: DocumentInfo, receipts: DocumentReceiptRow[], names: Map<string, string>, prefix?: string) {
  const units = visibleUnits(a, d, prefix)
  const signed = new Set(receipts.filter((r) => r.document_id === d.id).map((r) => r.unit_code))
  return {
    id: d.id,
    issuerCode: d.issuer_code,
    issuerName: names.get(d.issuer_code) ?? '',
    kind: d.kind,
    kindLabel: kindLabels[d.kind],
    title: d.title,
    docNumber: d.doc_number,
    issuedOn: d.issued_on,
    summary: d.summary,
    toAll: d.to_all,
    unitCodes: d.unit_codes,
    fileName: d.file_name,
    fileSize: d.file_size,
    contentType: d.content_type,
    canEdit: canWrite(a, d.issuer_code),
    progress: { total: units.length, signed: units.filter((u) => signed.has(u)).length, unsigned: units.filter((u) => !signed.has(u)).map((u) => names.get(u) ?? u) },
    updatedBy: d.updated_by,
    version: d.version,
  }
}

/**
 * The documents of a county (issued by it) or of a township (issued by it, or by the county to
 * any of its units) in a campaign, each with its signing progress over the units in view; for a
 * contact cadre also what their units still have to sign.
 */
export async function listDocuments(db: Kysely<DB>, ctx: Ctx, q: { territory?: string; campaign?: string }) {
  const a = ctx.actor
  const view = await viewOf(db, a, q.territory, WHAT)
  const campaign = await pickCampaign(db, a.countyCode, q.campaign)
  const county = `${a.countyCode}000000`
  const prefix = view.level === 'township' ? prefixOf(view.code) : undefined
  const docs = (await repo.documentsOf(db, a.countyCode, campaign.id, view.level === 'county' ? [county] : [view.code, county])).filter((d) =>
    d.issuer_code === view.code ? canSee(a, d) : visibleUnits(a, d, prefix).length > 0,
  )
  const receipts = await repo.receiptsOf(db, a.countyCode, docs.map((d) => d.id))
  const names = await repo.namesOf(db, a.countyCode, [county, view.code, ...docs.flatMap((d) => visibleUnits(a, d, prefix))])
  const signed = new Set(receipts.map((r) => `${r.document_id}:${r.unit_code}`))
  const pending =
    a.role === 'contact_cadre'
      ? docs.flatMap((d) =>
          visibleUnits(a, d)
            .filter((u) => !signed.has(`${d.id}:${u}`))
            .map((u) => ({ documentId: d.id, title: d.title, kindLabel: kindLabels[d.kind], docNumber: d.doc_number, issuerName: names.get(d.issuer_code) ?? '', issuedOn: d.issued_on, unitCode: u, unitName: names.get(u) ?? u })),
        )
      : []
  const canIssue = canWrite(a, view.code)
  return {
    campaign: toCampaign(campaign),
    territory: view,
    canIssue,
    documents: docs.map((d) => toDocument(a, d, receipts, names, prefix)),
    pending,
    units: canIssue ? await repo.unitsUnder(db, a.countyCode, prefixOf(view.code)) : [],
    kindLabels,
    maxFileMb: MAX_FILE_MB,
  }
}

async function loadDocument(db: Kysely<DB>, a: Actor, id: string) {
  const d = await repo.findDocument(db, a.countyCode, id)
  if (!d || !canSee(a, d)) throw notFound('该文件不存在，或不在您的管辖范围内')
  return d
}

function receiptReply(unitCode: string, unitName: string, r: DocumentReceiptRow | undefined) {
  return { unitCode, unitName, signedAt: r?.signed_at.toISOString() ?? null, signedByName: r?.signed_by_name ?? null, signedRole: r ? ((roleLabels as Record<string, string>)[r.signed_role] ?? r.signed_role) : null }
}

/** One document with the receipt of every unit in view: who signed and when, or nobody yet. */
export async function getDocument(db: Kysely<DB>, ctx: Ctx, id: string, q: { territory?: string } = {}) {
  const a = ctx.actor
  const d = await loadDocument(db, a, id)
  const prefix = q.territory && levelOfCode(q.territory) === 'township' ? prefixOf(q.territory) : undefined
  const units = visibleUnits(a, d, prefix)
  const receipts = await repo.receiptsOf(db, a.countyCode, [d.id])
  const names = await repo.namesOf(db, a.countyCode, [d.issuer_code, ...units])
  const byUnit = new Map(receipts.map((r) => [r.unit_code, r]))
  return {
    ...toDocument(a, d, receipts, names, prefix),
    receipts: units.map((u) => receiptReply(u, names.get(u) ?? u, byUnit.get(u))),
    canSign: signerRoles.includes(a.role) && units.length > 0,
    canUndo: isWriter(a),
  }
}

/** Checks a document's fields and fixes its distribution: all active units under the issuer, or the chosen ones among them. */
async function checked(db: Kysely<DB>, a: Actor, issuerCode: string, input: DocumentInput) {
  const title = text(input.title, '文件标题', 'title', 100, true)
  const issuedOn = day(input.issuedOn, '印发日期', 'issuedOn')
  if (issuedOn > todayInChina()) throw invalid('印发日期不能晚于今天', [{ field: 'issuedOn', message: '晚于今天' }])
  const units = await repo.unitsUnder(db, a.countyCode, prefixOf(issuerCode))
  let codes: string[]
  if (input.toAll) {
    codes = units.map((u) => u.code)
  } else {
    codes = [...new Set(input.unitCodes)]
    if (!codes.length) throw invalid('请选择分发的村（社区），或选择分发到全部村（社区）', [{ field: 'unitCodes', message: '不能为空' }])
    const known = new Set(units.map((u) => u.code))
    const bad = codes.filter((c) => !known.has(c))
    if (bad.length) throw invalid(`以下区划不是发文单位辖区内启用的村（社区）：${bad.join('、')}`, [{ field: 'unitCodes', message: '不在辖区内' }])
  }
  if (!codes.length) throw invalid('发文单位辖区内没有启用的村（社区），无法分发', [{ field: 'unitCodes', message: '没有可分发的村（社区）' }])
  return {
    kind: input.kind,
    title,
    doc_number: text(input.docNumber, '文号', 'docNumber', 40),
    issued_on: issuedOn,
    summary: text(input.summary, '内容摘要', 'summary', 500),
    to_all: input.toAll,
    unit_codes: codes,
  }
}

function assertIssuer(a: Actor, issuerCode: string): void {
  if (!isWriter(a)) throw forbidden('您的角色不能印发或修改文件资料')
  if (!canWrite(a, issuerCode)) throw forbidden('乡镇组织员只能印发和修改本乡镇的文件，县级文件由县级管理员管理')
}

/** Scope before anything else of a write: a document out of sight is 404, another issuer's 403 to edit. */
export async function checkWriteTarget(db: Kysely<DB>, ctx: Ctx, id: string, what: 'edit' | 'sign'): Promise<void> {
  const d = await loadDocument(db, ctx.actor, id)
  if (what === 'edit') assertIssuer(ctx.actor, d.issuer_code)
}

/** What the audit log keeps of a document: everything but the file's bytes. */
const auditShape = (d: DocumentInfo) => ({ ...d, unit_codes: d.unit_codes.length })

/**
 * Issues a document. The file is read (`readFile`) only after the scope and the fields are
 * checked, so nothing is read from an upload that would be refused anyway.
 */
export async function createDocument(db: Kysely<DB>, ctx: Ctx, input: DocumentInput & { territory?: string; campaign?: string }, readFile: () => Promise<UploadedFile>) {
  return writeDocument(db, ctx, await prepareDocument(db, ctx, input, readFile))
}

/** The checks and the file, before any transaction: what writeDocument stores. */
export async function prepareDocument(db: Kysely<DB>, ctx: Ctx, input: DocumentInput & { territory?: string; campaign?: string }, readFile: () => Promise<UploadedFile>) {
  const a = ctx.actor
  if (!isWriter(a)) throw forbidden('您的角色不能印发文件资料')
  const view = await viewOf(db, a, input.territory, WHAT)
  assertIssuer(a, view.code)
  const campaign = await pickCampaign(db, a.countyCode, input.campaign)
  const v = await checked(db, a, view.code, input)
  const file = await readFile()
  return { issuer: view.code, campaignId: campaign.id, v, file }
}
export type DocumentPlan = Awaited<ReturnType<typeof prepareDocument>>

export async function writeDocument(db: Kysely<DB>, ctx: Ctx, { issuer, campaignId, v, file }: DocumentPlan) {
  const a = ctx.actor
  const row = await inTransaction(db, async (trx) => {
    const d = await repo.insertDocument(trx, {
      county_code: a.countyCode,
      campaign_id: campaignId,
      issuer_code: issuer,
      ...v,
      file_name: file.name,
      content_type: file.type,
      file_size: file.data.length,
      data: file.data,
      created_by: a.displayName,
      updated_by: a.displayName,
    })
    await audit(trx, ctx, { action: 'document.create', objectType: 'library_document', objectId: d.id, after: auditShape(d), extra: { units: d.unit_codes.length, file: file.name, bytes: file.data.length } })
    return d
  })
  return getDocument(db, ctx, row.id)
}

export async function updateDocument(db: Kysely<DB>, ctx: Ctx, id: string, input: DocumentInput & { version: number }) {
  const a = ctx.actor
  const before = await loadDocument(db, a, id)
  assertIssuer(a, before.issuer_code)
  const v = await checked(db, a, before.issuer_code, input)
  await db.transaction().execute(async (trx) => {
    // The versioned update locks the row: a receipt being signed waits, then sees the new list.
    const d = await repo.updateDocument(trx, a.countyCode, id, input.version, { ...v, updated_by: a.displayName })
    if (!d) throw versionConflict(`“${before.title}”已被他人修改，请刷新后重试`)
    const kept = new Set(v.unit_codes)
    const dropped = (await repo.receiptsOf(trx, a.countyCode, [id])).filter((r) => !kept.has(r.unit_code))
      .sort((x, y) => x.unit_code.localeCompare(y.unit_code))
    if (dropped.length) {
      const names = await repo.namesOf(trx, a.countyCode, dropped.map((r) => r.unit_code))
      throw conflict(`已签收的村（社区）不能移出分发范围：${dropped.map((r) => names.get(r.unit_code) ?? r.unit_code).join('、')}`)
    }
    await audit(trx, ctx, { action: 'document.update', objectType: 'library_document', objectId: id, before: auditShape(before), after: auditShape(d) })
  })
  return getDocument(db, ctx, id)
}

export async function deleteDocument(db: Kysely<DB>, ctx: Ctx, id: string, version: number) {
  const a = ctx.actor
  const before = await loadDocument(db, a, id)
  assertIssuer(a, before.issuer_code)
  await db.transaction().execute(async (trx) => {
    const receipts = await repo.receiptsOf(trx, a.countyCode, [id])
    if (!(await repo.deleteVersioned(trx, 'library_document', a.countyCode, id, version))) throw versionConflict(`“${before.title}”已被他人修改，请刷新后再删除`)
    await audit(trx, ctx, { action: 'document.delete', objectType: 'library_document', objectId: id, before: auditShape(before), extra: { receipts: receipts.length } })
  })
  return { ok: true }
}

export async function documentFile(db: Kysely<DB>, ctx: Ctx, id: string) {
  const d = await loadDocument(db, ctx.actor, id)
  const f = await repo.documentFile(db, ctx.actor.countyCode, d.id)
  return { name: f.file_name, type: f.content_type, data: f.data }
}

/** Signs for a unit; a second tap (or a retry) finds the first receipt and writes nothing. */
export async function signReceipt(db: Kysely<DB>, ctx: Ctx, id: string, unitCode: string) {
  const a = ctx.actor
  if (!signerRoles.includes(a.role)) throw forbidden('只有包村干部或乡镇组织员可以签收文件')
  const d = await loadDocument(db, a, id)
  if (!canSeeTerritory(a, unitCode)) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  const receipt = await db.transaction().execute(async (trx) => {
    const units = await repo.lockDistribution(trx, a.countyCode, d.id)
    if (!units?.includes(unitCode)) throw invalid('该村（社区）不在本文件的分发范围内', [{ field: 'unitCode', message: '不在分发范围内' }])
    const r = await repo.insertReceipt(trx, { county_code: a.countyCode, document_id: d.id, unit_code: unitCode, signed_by: a.userId, signed_by_name: a.displayName, signed_role: a.role })
    if (r) await audit(trx, ctx, { action: 'document.receipt', objectType: 'document_receipt', objectId: `${d.id}:${unitCode}`, after: r })
    return r ?? (await repo.receiptsOf(trx, a.countyCode, [d.id])).find((x) => x.unit_code === unitCode)
  })
  const names = await repo.namesOf(db, a.countyCode, [unitCode])
  return receiptReply(unitCode, names.get(unitCode) ?? unitCode, receipt)
}

/** Takes back a unit's receipt signed by mistake (the township or the county). */
export async function undoReceipt(db: Kysely<DB>, ctx: Ctx, id: string, unitCode: string) {
  const a = ctx.actor
  if (!isWriter(a)) throw forbidden('只有乡镇组织员或县级管理员可以撤销签收')
  const d = await loadDocument(db, a, id)
  if (!canSeeTerritory(a, unitCode)) throw notFound('该村（社区）不存在，或不在您的管辖范围内')
  await db.transaction().execute(async (trx) => {
    const r = await repo.deleteReceipt(trx, a.countyCode, d.id, unitCode)
    if (!r) throw notFound('该村（社区）尚未签收本文件')
    await audit(trx, ctx, { action: 'document.receipt.undo', objectType: 'document_receipt', objectId: `${d.id}:${unitCode}`, before: r })
  })
  const names = await repo.namesOf(db, a.countyCode, [unitCode])
  return receiptReply(unitCode, names.get(unitCode) ?? unitCode, undefined)
}
