import { loadConfig } from '../server/config.ts'
import { createDb, type Database } from '../server/db/create-db.ts'
import { currentMigration } from '../server/db/migrate.ts'
import { prepareDatabase } from '../server/modules/setup/prepare.ts'
import { backup, restore } from '../server/db/backup.ts'
import { verifyAllChains } from '../server/modules/audit/service.ts'
import { appendAudit } from '../server/modules/audit/service.ts'
import { seedDemo } from '../server/modules/setup/demo.ts'
import { seedDemo2021 } from '../server/modules/setup/demo-2021.ts'
import { seedDemoReview } from '../server/modules/setup/demo-review.ts'
import { seedDemoElections } from '../server/modules/setup/demo-election.ts'
import { seedDemoCampaignWork } from '../server/modules/setup/demo-campaign-work.ts'
import { seedDemoVoters } from '../server/modules/setup/demo-voter.ts'
import { idCipher, loadOrCreateKey } from '../server/crypto/id-cipher.ts'
import { todayInChina } from '../server/modules/person/service.ts'
import { cliRequest, createCounty, createSystemUser, systemActor } from '../server/modules/setup/service.ts'
import { startServer } from '../server/server.ts'
import { roleLabels } from '../shared/roles.ts'
import type { Role } from '../server/modules/user/table.ts'
import { DomainError } from '../server/http/errors.ts'
import type { Command } from './command.ts'
import { tallyCommand } from './tally.ts'
import { statsCommand } from './stats.ts'
import { alertsCommand } from './alerts.ts'

export type { Command } from './command.ts'

async function withDb<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const d = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    return await fn(d)
  } finally {
    await d.close()
  }
}

function need(values: Record<string, string | boolean | undefined>, key: string, label: string): string {
  const v = values[key]
  if (typeof v !== 'string' || !v.trim()) throw new Error(`缺少选项 --${key}（${label}）`)
  return v.trim()
}

function explain(err: unknown): never {
  if (err instanceof DomainError) throw new Error(err.message)
  throw err
}

export const commands: Command[] = [
  {
    name: 'serve',
    summary: '启动网页服务（npm start 即此命令）：必要时构建前端，迁移数据库，空库时载入演示县',
    async run() {
      await startServer()
      return -1
    },
  },
  {
    name: 'migrate',
    summary: '把数据库迁移到最新版本',
    async run() {
      return withDb(async ({ db }) => {
        const done = await prepareDatabase(db)
        console.log(done.length ? `已执行迁移：${done.join('、')}` : '数据库已是最新版本')
        console.log(`当前版本：${(await currentMigration(db)) ?? '（无）'}`)
        return 0
      })
    },
  },
  {
    name: 'seed-demo',
    summary: '向空数据库载入演示县“青山旗”（新营子镇 26 村 2 社区、白音苏木）和每个角色一个演示账号',
    async run() {
      return withDb(async ({ db }) => {
        await prepareDatabase(db)
        const logins = await seedDemo(db).catch(explain)
        const cipher = idCipher(loadOrCreateKey(loadConfig().idKeyFile))
        await seedDemo2021(db, cipher)
        await seedDemoReview(db, cipher, todayInChina())
        await seedDemoElections(db, cipher, todayInChina())
        await seedDemoCampaignWork(db, todayInChina())
        await seedDemoVoters(db, cipher, todayInChina())
        console.log('演示数据已载入。演示账号（只显示这一次）：')
        for (const l of logins) console.log(`  ${roleLabels[l.role]}  ${l.username}  密码 ${l.password}  ${l.displayName}（${l.territory}）`)
        return 0
      })
    },
  },
  {
    name: 'create-county',
    summary: '新建一个县（旗）作为部署的根区划',
    options: {
      code: { type: 'string', description: '6 位县级区划代码（GB/T 2260），如 150421' },
      name: { type: 'string', description: '名称，如 某某旗' },
      kind: { type: 'string', description: 'county（县，默认）、banner（旗）、district（区）或 city（县级市）' },
    },
    async run(_p, v) {
      return withDb(async ({ db }) => {
        await prepareDatabase(db)
        const code = need(v, 'code', '区划代码')
        await db.transaction().execute((trx) => createCounty(trx, { code, name: need(v, 'name', '名称'), kind: typeof v.kind === 'string' ? v.kind : 'county' })).catch(explain)
        console.log(`已建立县（旗）${code}。下一步：huanjie create-user --role county_admin --territory ${code}000000 …`)
        return 0
      })
    },
  },
  {
    name: 'create-user',
    summary: '创建用户（如县里的第一个管理员）；生成初始密码，首次登录须修改',
    options: {
      username: { type: 'string', description: '登录名（3–32 位字母、数字、_ . -）' },
      name: { type: 'string', description: '姓名' },
      role: { type: 'string', description: `角色：${Object.entries(roleLabels).map(([k, l]) => `${k}（${l}）`).join('、')}` },
      territory: { type: 'string', description: '所属区划的 12 位代码' },
      department: { type: 'string', description: '所属联审部门编号（审查员必填）' },
      phone: { type: 'string', description: '手机号（可选）' },
    },
    async run(_p, v) {
      const role = need(v, 'role', '角色')
      if (!Object.hasOwn(roleLabels, role)) throw new Error(`角色 ${role} 无效，可选：${Object.keys(roleLabels).join('、')}`)
      const territory = need(v, 'territory', '所属区划')
      if (!/^\d{12}$/.test(territory)) throw new Error('--territory 应为 12 位区划代码')
      return withDb(async ({ db }) => {
        await prepareDatabase(db)
        const { password } = await db
          .transaction()
          .execute((trx) =>
            createSystemUser(trx, {
              countyCode: territory.slice(0, 6),
              username: need(v, 'username', '登录名'),
              displayName: need(v, 'name', '姓名'),
              role: role as Role,
              territoryCode: territory,
              departmentId: typeof v.department === 'string' ? v.department : null,
              phone: typeof v.phone === 'string' ? v.phone : null,
            }),
          )
          .catch(explain)
        console.log(`已创建用户 ${String(v.username)}（${roleLabels[role as Role]}）。初始密码：${password}`)
        console.log('请当面或通过安全渠道交给本人；首次登录时必须修改。')
        return 0
      })
    },
  },
  {
    name: 'audit verify',
    summary: '重新计算审计日志哈希链，报告第一条有问题的记录',
    async run() {
      return withDb(async ({ db }) => {
        const verdicts = await verifyAllChains(db)
        if (verdicts.length === 0) console.log('审计日志为空')
        let ok = true
        for (const v of verdicts) {
          if (v.ok) console.log(`县 ${v.countyCode}：完整，共 ${v.rows} 条，链头 #${v.headSeq} ${v.headHash}`)
          else {
            ok = false
            console.log(`县 ${v.countyCode}：校验失败，第一条有问题的记录 #${v.firstBadSeq}：${v.problem}`)
          }
        }
        return ok ? 0 : 1
      })
    },
  },
  {
    name: 'backup',
    args: 'FILE',
    summary: '逻辑备份整个数据库到一个文件（可恢复到任一引擎的空数据库）',
    async run(p) {
      const file = p[0]
      if (!file) throw new Error('请指定备份文件，如 huanjie backup backup-20261129.hjbak')
      return withDb(async ({ db, engine }) => {
        // The backup records itself in each county's chain before it reads, so the file holds it.
        const counties = await db.selectFrom('territory').select('county_code').where('level', '=', 'county').execute()
        await db.transaction().execute(async (trx) => {
          for (const c of counties) await appendAudit(trx, systemActor(c.county_code), cliRequest, { action: 'system.backup', objectType: 'database', objectId: '*', extra: { file } })
        })
        const { tables } = await backup(db, file, engine)
        for (const t of tables) console.log(`  ${t.table.padEnd(16)} ${String(t.rows).padStart(8)} 行  sha256 ${t.sha256.slice(0, 16)}…`)
        console.log(`备份完成：${file}`)
        console.log(`注意：身份证号以密钥文件 ${loadConfig().idKeyFile} 加密，备份中不含密钥；请把该文件另行妥善保存，恢复时放回原处。`)
        return 0
      })
    },
  },
  {
    name: 'restore',
    args: 'FILE',
    summary: '把备份恢复到一个空数据库（PGlite 或 DATABASE_URL 指向的 PostgreSQL），逐表校验',
    details: '从嵌入式数据库迁移到 PostgreSQL 服务器：先 huanjie backup 文件，再 DATABASE_URL=postgres://… huanjie restore 文件。',
    async run(p) {
      const file = p[0]
      if (!file) throw new Error('请指定备份文件')
      return withDb(async ({ db }) => {
        const result = await restore(db, file)
        await prepareDatabase(db)
        for (const t of result.tables) console.log(`  ${t.table.padEnd(16)} ${String(t.rows).padStart(8)} 行  校验一致`)
        const counties = await db.selectFrom('territory').select('county_code').where('level', '=', 'county').execute()
        await db.transaction().execute(async (trx) => {
          for (const c of counties) await appendAudit(trx, systemActor(c.county_code), cliRequest, { action: 'system.restore', objectType: 'database', objectId: '*', extra: { file } })
        })
        console.log(`恢复完成（备份的数据库版本 ${result.migration ?? '（无）'}，已迁移到最新版本）`)
        console.log(`请确认原系统的身份证号密钥文件已放在 ${loadConfig().idKeyFile}，否则已登记的身份证号无法读取。`)
        return 0
      })
    },
  },
  tallyCommand,
  statsCommand,
  alertsCommand,
]

