import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor, Ctx } from '../../http/context.ts'
import type { IdCipher } from '../../crypto/id-cipher.ts'
import { levelOfCode } from '../../scope.ts'
import { checkCharOf } from '../../../rules/id-number/index.ts'
import type { Body, PutForward } from '../../../rules/posts/index.ts'
import { createPerson } from '../person/service.ts'
import { createHolding } from '../post/service.ts'
import { createNominee } from '../nominee/service.ts'
import { answerRequest, openBatch, submitBatch } from '../review/service.ts'
import * as reviewRepo from '../review/repo.ts'
import { unitCodesOf } from '../user/repo.ts'
import { DEMO_COUNTY } from './demo.ts'

/** A demo user as the services see them when signed in (a contact cadre or leader with their units). */
export async function demoCtx(db: Kysely<DB>, username: string): Promise<Ctx> {
  const u = await db.selectFrom('app_user').selectAll().where('county_code', '=', DEMO_COUNTY).where('username', '=', username).executeTakeFirstOrThrow()
  const actor: Actor = {
    userId: u.id,
    countyCode: u.county_code,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    territoryCode: u.territory_code,
    territoryLevel: levelOfCode(u.territory_code),
    departmentId: u.department_id,
    unitCodes: u.role === 'contact_cadre' || u.role === 'leader' ? await unitCodesOf(db, u.county_code, u.id) : [],
    sessionHash: '',
    mustChangePassword: false,
  }
  return { actor, requestId: 'demo-seed', ip: 'local', userAgent: 'huanjie-demo' }
}

/**
 * Registers made-up people through the person service. ID numbers are valid in form (GB 11643) in
 * the fictional area 150999; the sequence number (gender digit included) starts after `firstSeq`,
 * so that each seeding step keeps to its own numbers.
 */
export function demoPersonMaker(db: Kysely<DB>, cipher: IdCipher, ctx: Ctx, firstSeq = 0) {
  let seq = firstSeq
  return async (name: string, unitCode: string, birth: string, female: boolean, party: boolean, education = '31', reserveCadre = false) => {
    seq++
    const body = `150999${birth.replaceAll('-', '')}${String(seq * 2 + (female ? 0 : 1)).padStart(3, '0')}`
    return createPerson(db, cipher, ctx, {
      name,
      idNumber: body + checkCharOf(body),
      ethnicity: name.includes('·') ? '02' : '01',
      education,
      politicalStatus: party ? '01' : '13',
      partyJoinedOn: party ? `${Number(birth.slice(0, 4)) + 25}-07-01` : null,
      unitCode,
      reserveCadre,
    })
  }
}

/**
 * Work in progress for the demo county, so that every role finds something on first login: 东营子村's
 * villagers' committee, draft nominees, and a batch in the joint review that 旗人民法院 has answered
 * and 旗公安局 (qs_police) still has to answer. Written through the services as the demo users, so
 * the audit log reads as if they had done it. Names are made up; ID numbers are valid in form
 * (GB 11643) but use the fictional area 150999. Call after seedDemo2021 (it uses the people of
 * 东营子村's Party team, elected in January 2021).
 */
export async function seedDemoReview(db: Kysely<DB>, cipher: IdCipher, today: string): Promise<void> {
  const as = (username: string) => demoCtx(db, username)
  const organiser = await as('xyz_organiser')
  const person = demoPersonMaker(db, cipher, organiser)
  const [dongying, xiying, nangou] = ['150999100201', '150999100202', '150999100203']
  const registered = async (name: string) =>
    (await db.selectFrom('person').select('id').where('county_code', '=', DEMO_COUNTY).where('unit_code', '=', dongying).where('name', '=', name).executeTakeFirstOrThrow()).id
  // 东营子村's villagers' committee of March 2021, its Party secretary also chair (一肩挑).
  const committee: [string, string][] = [
    [await registered('孙国华'), 'chair'],
    [await registered('周丽娟'), 'member'],
    [(await person('郑春梅', dongying, '1990-01-15', true, false)).id, 'member'],
  ]
  for (const [personId, post] of committee) await createHolding(db, organiser, { unitCode: dongying, personId, body: 'committee', post, since: '2021-03-20' })
  // 南沟村: nominees still being drafted.
  const drafts: [string, string, boolean, boolean, Body, string, PutForward][] = [
    ['冯晓明', '1986-08-08', false, true, 'party', 'secretary', 'party_members'],
    ['陈雅琴', '1992-04-30', true, false, 'committee', 'member', 'villagers'],
  ]
  for (const [name, birth, female, party, body, post, how] of drafts) {
    const p = await person(name, nangou, birth, female, party)
    await createNominee(db, organiser, { personId: p.id, unitCode: nangou, body, post, putForward: how })
  }
  // 西营子村: submitted and under review.
  const reviewed: [string, string, boolean, boolean, Body, string, PutForward][] = [
    ['韩立新', '1975-09-09', false, true, 'party', 'secretary', 'organisation'],
    ['杨秀英', '1983-12-12', true, true, 'committee', 'chair', 'joint'],
    ['巴特尔·朝鲁', '1988-02-02', false, false, 'committee', 'member', 'self'],
  ]
  const ids: string[] = []
  for (const [name, birth, female, party, body, post, how] of reviewed) {
    const p = await person(name, xiying, birth, female, party)
    ids.push((await createNominee(db, organiser, { personId: p.id, unitCode: xiying, body, post, putForward: how })).id)
  }
  const batch = await submitBatch(db, organiser, { nomineeIds: ids, title: `新营子镇西营子村“两委”人选联审（${today}报送）` })
  await openBatch(db, await as('qs_admin'), batch.id, { version: batch.version })
  // 旗人民法院 has answered: nothing found.
  const court = await as('qs_court')
  if (!court.actor.departmentId) return
  const requests = await reviewRepo.listRequests(db, { countyCode: DEMO_COUNTY, batchId: batch.id, departmentId: court.actor.departmentId })
  for (const r of requests) {
    const findings = await reviewRepo.findingsOf(db, DEMO_COUNTY, [r.id])
    await answerRequest(db, court, r.id, { version: r.version, findings: findings.map((f) => ({ circumstanceId: f.circumstance_id, found: false })) })
  }
}
