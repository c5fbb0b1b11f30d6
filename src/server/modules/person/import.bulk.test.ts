import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testApp, type Session, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { multipart, workbook } from '../../../../test/helpers/upload.ts'
import { checkCharOf } from '../../../rules/id-number/index.ts'
import { levelOfCode } from '../../scope.ts'
import { bulkTransaction } from '../../db/bulk.ts'
import type { Ctx } from '../../http/context.ts'
import { maskIdNumber } from '../../../shared/mask.ts'
import { verifyChain } from '../audit/service.ts'
import { planPeopleImport, writePeopleImport } from './import.ts'

let t: TestApp
let c: CountyFixture
let organiser: Session
let ctx: Ctx
let unitNames: string[]
// Each test uses its own range of ID numbers: no test depends on another's rows.
let nextBody = 0

const header = ['姓名*', '身份证号*', '民族*', '学历*', '政治面貌*', '入党时间', '手机号', '所在村（社区）*', '后备干部']

/** `count` valid, distinct ID numbers (born 1960–1999, area 150999). */
function idNumbers(count: number): string[] {
  return Array.from({ length: count }, () => {
    const n = nextBody++
    const body = `150999${1960 + (n % 40)}${String(1 + (Math.floor(n / 40) % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 480) % 28)).padStart(2, '0')}${String(Math.floor(n / 13440) + 100).padStart(3, '0')}`
    return body + checkCharOf(body)
  })
}

function fileRows(ids: string[]): (string | null)[][] {
  return ids.map((id, i) => [`测试${i}号`, id, i % 5 ? '汉族' : '蒙古族', '31', i % 4 ? '13' : '01', i % 4 ? null : '2010-07-01', i % 3 ? `139${String(i).padStart(8, '0')}` : null, unitNames[i % unitNames.length]!, i % 10 ? '否' : '是'])
}

const peopleOf = () => t.db.selectFrom('person').selectAll().where('county_code', '=', c.countyCode).execute()
const importAudits = () => t.db.selectFrom('audit_log').select(['action', 'object_id']).where('county_code', '=', c.countyCode).where('action', 'like', 'person.import%').execute()
const head = () => t.db.selectFrom('audit_head').select(['seq', 'hash']).where('county_code', '=', c.countyCode).executeTakeFirstOrThrow()

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  const u = await t.make.user({ role: 'township_organiser', territoryCode: c.townships[0], username: 'pb_org' })
  organiser = await t.login('pb_org')
  unitNames = (await t.db.selectFrom('territory').select('name').where('code', 'in', c.units[0]).orderBy('code').execute()).map((r) => r.name)
  const row = await t.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow()
  ctx = {
    requestId: 'bulk-test',
    ip: '127.0.0.1',
    userAgent: 'vitest',
    actor: {
      userId: row.id,
      countyCode: row.county_code,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      territoryCode: row.territory_code,
      territoryLevel: levelOfCode(row.territory_code),
      departmentId: null,
      unitCodes: [],
      sessionHash: '',
      mustChangePassword: false,
    },
  }
})
afterAll(() => t.close())

describe('people import write path (COPY)', () => {
  it('writes through COPY on this engine', async () => {
    expect(await bulkTransaction(t.db, async (_trx, bulk) => bulk.method)).toBe('copy')
  })

  it('imports 1,200 rows: every row with a decryptable number, and 1,200 chained audit rows', async () => {
    const ids = idNumbers(1200)
    const res = await organiser.inject({ method: 'POST', url: '/api/people/import', ...multipart(await workbook(header, fileRows(ids))) })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ created: 1200 })

    const rows = await peopleOf()
    expect(rows).toHaveLength(1200)
    const cipher = t.app.idCipher
    expect(new Set(rows.map((r) => cipher.decrypt(r.id_number_enc)))).toEqual(new Set(ids))
    for (const r of rows) {
      const number = cipher.decrypt(r.id_number_enc)
      expect(r.id_number_index.trim()).toBe(cipher.blindIndex(number))
      expect(r.id_number_masked).toBe(maskIdNumber(number))
      expect(r.birth_date).toBe(`${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`)
      expect(r.version).toBe(1)
    }
    const first = rows.find((r) => r.name === '测试0号')!
    expect([first.ethnicity, first.political_status, first.party_joined_on, first.reserve_cadre, first.unit_code]).toEqual(['02', '01', '2010-07-01', true, c.units[0][0]])
    expect(new Set(rows.map((r) => r.id)).size).toBe(1200)

    const audits = await importAudits()
    const creates = audits.filter((a) => a.action === 'person.import.create')
    expect(creates).toHaveLength(1200)
    expect(new Set(creates.map((a) => a.object_id))).toEqual(new Set(rows.map((r) => r.id)))
    expect(audits.filter((a) => a.action === 'person.import')).toHaveLength(1)
    const digest = await t.db.selectFrom('audit_log').select('digest').where('county_code', '=', c.countyCode).where('action', '=', 'person.import.create').where('object_id', '=', first.id).executeTakeFirstOrThrow()
    expect(digest.digest).toMatchObject({ after: { name: '测试0号', id_number: first.id_number_masked, reserve_cadre: true } })
    expect(JSON.stringify(digest.digest)).not.toContain(cipher.decrypt(first.id_number_enc))
    expect(await verifyChain(t.db, c.countyCode)).toMatchObject({ ok: true })

    // A person registered afterwards gets an id the import did not take.
    const one = idNumbers(1)[0]!
    const add = await organiser.post('/api/people', { name: '后来者', idNumber: one, ethnicity: '01', education: '31', politicalStatus: '13', unitCode: c.units[0][0] })
    expect(add.statusCode, add.body).toBe(201)
    expect(rows.map((r) => r.id)).not.toContain(add.json().id)
  })

  it('leaves no person and no audit row when a duplicate slips past the checks into the middle of the write', async () => {
    const ids = idNumbers(1200)
    const planned = await planPeopleImport(t.db, t.app.idCipher, ctx, await workbook(header, fileRows(ids)))
    expect(planned).toHaveLength(1200)
    // Someone registers row 600's person after the file was checked.
    const add = await organiser.post('/api/people', { name: '抢先登记', idNumber: ids[599], ethnicity: '01', education: '31', politicalStatus: '13', unitCode: c.units[0][0] })
    expect(add.statusCode, add.body).toBe(201)
    const peopleBefore = (await peopleOf()).length
    const auditsBefore = (await importAudits()).length
    const headBefore = await head()

    await expect(writePeopleImport(t.db, ctx, planned)).rejects.toThrow(/person_id_number_uq|duplicate key/)

    expect((await peopleOf()).length).toBe(peopleBefore)
    expect((await importAudits()).length).toBe(auditsBefore)
    expect(await head()).toEqual(headBefore)
    expect(await verifyChain(t.db, c.countyCode)).toMatchObject({ ok: true })
  })

  it('rolls the people back when the audit write fails after they were copied, and the next import still works', async () => {
    const ids = idNumbers(1200)
    const planned = await planPeopleImport(t.db, t.app.idCipher, ctx, await workbook(header, fileRows(ids)))
    const peopleBefore = (await peopleOf()).length
    const auditsBefore = (await importAudits()).length
    const headBefore = await head()
    // A forced error on the last audit row: every person and 1,200 audit rows are in by then.
    await sql`create function hj_test_fail() returns trigger language plpgsql as $$ begin raise exception 'forced audit failure'; end $$`.execute(t.db)
    await sql`create trigger hj_test_fail before insert on audit_log for each row when (new.action = 'person.import') execute function hj_test_fail()`.execute(t.db)
    try {
      await expect(writePeopleImport(t.db, ctx, planned)).rejects.toThrow(/forced audit failure/)
    } finally {
      await sql`drop trigger hj_test_fail on audit_log`.execute(t.db)
      await sql`drop function hj_test_fail()`.execute(t.db)
    }
    expect((await peopleOf()).length).toBe(peopleBefore)
    expect((await importAudits()).length).toBe(auditsBefore)
    expect(await head()).toEqual(headBefore)

    // The connection that held the failed COPY is usable again: the same rows now go in.
    expect(await writePeopleImport(t.db, ctx, planned)).toEqual({ created: 1200 })
    expect((await peopleOf()).length).toBe(peopleBefore + 1200)
    expect((await importAudits()).length).toBe(auditsBefore + 1201)
    expect(await verifyChain(t.db, c.countyCode)).toMatchObject({ ok: true })
  })

  it('falls back to INSERT … unnest on a handle without COPY, with the same rows and chain', async () => {
    const ids = idNumbers(1200)
    const plain = t.db.withoutPlugins()
    expect(await bulkTransaction(plain, async (_trx, bulk) => bulk.method)).toBe('unnest')
    const planned = await planPeopleImport(plain, t.app.idCipher, ctx, await workbook(header, fileRows(ids)))
    const before = (await peopleOf()).length
    expect(await writePeopleImport(plain, ctx, planned)).toEqual({ created: 1200 })
    const rows = await peopleOf()
    expect(rows.length).toBe(before + 1200)
    const index = new Set(rows.map((r) => t.app.idCipher.decrypt(r.id_number_enc)))
    for (const id of ids) expect(index.has(id)).toBe(true)
    expect(await verifyChain(t.db, c.countyCode)).toMatchObject({ ok: true })
  })
})
