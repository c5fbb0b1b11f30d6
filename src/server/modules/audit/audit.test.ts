import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testApp, type TestApp } from '../../../../test/helpers/app.ts'
import type { CountyFixture } from '../../../../test/helpers/factories.ts'
import { appendAudit, verifyChain } from './service.ts'
import { chainHash } from './hash.ts'

let t: TestApp
let c: CountyFixture

/** Tampering as a database superuser would: with the append-only triggers switched off. */
async function asSuperuser(q: ReturnType<typeof sql>) {
  await t.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await q.execute(trx)
  })
}

beforeAll(async () => {
  t = await testApp()
  c = await t.make.county()
  await t.make.user({ role: 'county_admin', territoryCode: c.county, username: 'au_admin' })
  await t.make.user({ role: 'auditor', territoryCode: c.county, username: 'au_auditor' })
  const admin = await t.login('au_admin')
  for (let i = 0; i < 20; i++) {
    const code = c.units[0][1]!
    const cur = (await admin.get(`/api/territories/${code}`)).json()
    await admin.patch(`/api/territories/${code}`, { version: cur.version, name: `名称${i}` })
  }
})
afterAll(() => t.close())

describe('audit chain', () => {
  it('keeps one unbroken chain when many transactions append at once, from a county’s first entry on', async () => {
    // On PostgreSQL these race to create the head and then contend for it; on PGlite they queue
    // for its one connection. A county of its own, so the other tests' counts stay as they are.
    const county = '659998'
    const who = { countyCode: county, actorId: null, actorName: '并发测试', role: 'county_admin', territoryCode: `${county}000000` }
    const append = (i: number) =>
      t.db.transaction().execute((trx) => appendAudit(trx, who, { requestId: `par-${i}`, ip: '127.0.0.1', userAgent: 'test' }, { action: 'territory.update', objectType: 'territory', objectId: String(i), extra: { i } }))
    const hashes = await Promise.all(Array.from({ length: 30 }, (_, i) => append(i)))
    expect(new Set(hashes).size).toBe(30)
    const after = await verifyChain(t.db, county)
    expect(after).toMatchObject({ ok: true, rows: 30, headSeq: '30' })
    expect(hashes).toContain(after.headHash)
  })

  it('verifies an untouched chain, through the CLI function and the auditor route', async () => {
    const v = await verifyChain(t.db, c.countyCode)
    expect(v.ok).toBe(true)
    expect(v.rows).toBeGreaterThan(20)
    const auditor = await t.login('au_auditor')
    const res = await auditor.get('/api/audit/verify')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, countyCode: c.countyCode })
    const page = await auditor.get('/api/audit?action=territory.update&pageSize=3')
    expect(page.json().total).toBe(20)
    expect(page.json().items).toHaveLength(3)
    expect(page.json().items[0].digest.after.name).toBe('名称19')
  })

  it('keeps the county admin out of the audit log (separation of duties)', async () => {
    const admin = await t.login('au_admin')
    expect((await admin.get('/api/audit')).statusCode).toBe(403)
    expect((await admin.get('/api/audit/verify')).statusCode).toBe(403)
  })

  it('refuses UPDATE and DELETE on audit rows in the database itself', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(t.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_log where seq = 1`.execute(t.db)).rejects.toThrow(/append-only/)
  })

  it('names the row whose content was changed', async () => {
    const original = await t.db.selectFrom('audit_log').select('actor_name').where('county_code', '=', c.countyCode).where('seq', '=', '7').executeTakeFirstOrThrow()
    await asSuperuser(sql`update audit_log set actor_name = '别人' where county_code = ${c.countyCode} and seq = 7`)
    const v = await verifyChain(t.db, c.countyCode)
    expect(v).toMatchObject({ ok: false, firstBadSeq: '7' })
    expect(v.problem).toContain('内容')
    await asSuperuser(sql`update audit_log set actor_name = ${original.actor_name} where county_code = ${c.countyCode} and seq = 7`)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('detects a deleted middle row', async () => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('seq', '=', '10').executeTakeFirstOrThrow()
    await asSuperuser(sql`delete from audit_log where county_code = ${c.countyCode} and seq = 10`)
    const v = await verifyChain(t.db, c.countyCode)
    expect(v).toMatchObject({ ok: false, firstBadSeq: '10' })
    await t.db.insertInto('audit_log').values(row).execute()
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('detects two rows swapped, even with their sequence numbers swapped back', async () => {
    const a = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('seq', '=', '12').executeTakeFirstOrThrow()
    const b = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('seq', '=', '13').executeTakeFirstOrThrow()
    await asSuperuser(sql`delete from audit_log where county_code = ${c.countyCode} and seq in (12, 13)`)
    await t.db.insertInto('audit_log').values([{ ...b, seq: '12' }, { ...a, seq: '13' }]).execute()
    const v = await verifyChain(t.db, c.countyCode)
    expect(v.ok).toBe(false)
    expect(v.firstBadSeq).toBe('12')
    await asSuperuser(sql`delete from audit_log where county_code = ${c.countyCode} and seq in (12, 13)`)
    await t.db.insertInto('audit_log').values([a, b]).execute()
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('detects a cut tail against the chain head', async () => {
    const last = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).orderBy('seq', 'desc').executeTakeFirstOrThrow()
    await asSuperuser(sql`delete from audit_log where county_code = ${c.countyCode} and seq = ${last.seq}`)
    const v = await verifyChain(t.db, c.countyCode)
    expect(v.ok).toBe(false)
    expect(v.firstBadSeq).toBe(last.seq)
    expect(v.problem).toContain('末尾')
    await t.db.insertInto('audit_log').values(last).execute()
  })

  it('hashes every field: a recomputed hash of a forged row still breaks the next link', async () => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('county_code', '=', c.countyCode).where('seq', '=', '5').executeTakeFirstOrThrow()
    const forged = { ...row, action: 'territory.forged' }
    const hash = chainHash(forged)
    await asSuperuser(sql`update audit_log set action = ${forged.action}, hash = ${hash} where county_code = ${c.countyCode} and seq = 5`)
    const v = await verifyChain(t.db, c.countyCode)
    expect(v).toMatchObject({ ok: false, firstBadSeq: '6' })
    await asSuperuser(sql`update audit_log set action = ${row.action}, hash = ${row.hash} where county_code = ${c.countyCode} and seq = 5`)
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('rolls the business write back when its audit row cannot be written', async () => {
    // Inject a failure into the audit insert for one action only.
    await sql`create function fail_audit() returns trigger language plpgsql as $$
      begin if new.action = 'territory.create' then raise exception 'audit store unavailable'; end if; return new; end $$`.execute(t.db)
    await sql`create trigger fail_audit before insert on audit_log for each row execute function fail_audit()`.execute(t.db)
    try {
      const admin = await t.login('au_admin')
      const code = `${c.countyCode}101209`
      const res = await admin.post('/api/territories', { code, name: '无审计村', kind: 'village' })
      expect(res.statusCode).toBe(500)
      expect(res.body).not.toContain('audit store unavailable')
      expect(await t.db.selectFrom('territory').select('code').where('code', '=', code).executeTakeFirst()).toBeUndefined()
    } finally {
      await sql`drop trigger fail_audit on audit_log`.execute(t.db)
      await sql`drop function fail_audit()`.execute(t.db)
    }
    expect((await verifyChain(t.db, c.countyCode)).ok).toBe(true)
  })

  it('never stores a session token or a password in the audit log or the login log', async () => {
    const s = await t.login('au_admin')
    const token = s.cookie.split('.')[1]!
    const rows = await t.db.selectFrom('audit_log').selectAll().execute()
    const logs = await t.db.selectFrom('login_log').selectAll().execute()
    const text = JSON.stringify([rows, logs])
    expect(text).not.toContain(token)
    expect(text).not.toContain('Cz9#kPq2vLm7')
  })
})
