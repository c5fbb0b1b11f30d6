import { sql } from 'kysely'
import fs from 'node:fs'
import path from 'node:path'
import closeWithGrace from 'close-with-grace'
import { loadConfig } from './config.ts'
import { createDb } from './db/create-db.ts'
import { prepareDatabase } from './modules/setup/prepare.ts'
import { buildApp } from './app.ts'
import { isEmpty } from './modules/setup/service.ts'
import { seedDemo, type DemoLogin } from './modules/setup/demo.ts'
import { ensureWebBuild } from './web-build.ts'
import { idCipher, loadOrCreateKey } from './crypto/id-cipher.ts'
import { seedDemo2021 } from './modules/setup/demo-2021.ts'
import { seedDemoReview } from './modules/setup/demo-review.ts'
import { seedDemoElections } from './modules/setup/demo-election.ts'
import { seedDemoCampaignWork } from './modules/setup/demo-campaign-work.ts'
import { seedDemoVoters } from './modules/setup/demo-voter.ts'
import { todayInChina } from './modules/person/service.ts'
import { roleLabels } from '../shared/roles.ts'

function printLogins(logins: DemoLogin[], file: string): void {
  const lines = [
    '演示县“青山旗”已载入。演示账号（密码每次安装随机生成，只显示这一次，也保存在下列文件中）：',
    ...logins.map((l) => `  ${roleLabels[l.role].padEnd(8, '　')} ${l.username.padEnd(14)} 密码 ${l.password}   ${l.displayName}（${l.territory}）`),
  ]
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 })
  console.log(`\n${lines.join('\n')}\n  （已保存到 ${file}）\n`)
}

/** `npm start`: build the web app if needed, open the database, migrate, seed an empty one, listen. */
export async function startServer(): Promise<void> {
  const config = loadConfig()
  const root = process.cwd()
  ensureWebBuild(root, config.webDir, (m) => console.log(m))
  const database = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await prepareDatabase(database.db)
    const loginsFile = path.join(config.dataDir, 'demo-logins.txt')
    if (await isEmpty(database.db)) {
      fs.mkdirSync(config.dataDir, { recursive: true })
      const logins = await seedDemo(database.db)
      const cipher = idCipher(loadOrCreateKey(config.idKeyFile))
      await seedDemo2021(database.db, cipher)
      await seedDemoReview(database.db, cipher, todayInChina())
      await seedDemoElections(database.db, cipher, todayInChina())
      await seedDemoCampaignWork(database.db, todayInChina())
      await seedDemoVoters(database.db, cipher, todayInChina())
      printLogins(logins, loginsFile)
    } else if (fs.existsSync(loginsFile)) {
      console.log(`演示账号见 ${loginsFile}`)
    }
    // PGlite has no autovacuum, so without this its planner never has statistics: a user lookup
    // by username took 2.8 ms instead of 0.46 ms in the report-rush benchmark.
    if (database.engine === 'pglite') await sql`analyze`.execute(database.db)
  } catch (err) {
    await database.close()
    throw err
  }
  const app = await buildApp({ config, db: database.db, engine: database.engine, idKey: loadOrCreateKey(config.idKeyFile) })
  // A clean close checkpoints PGlite; without it recent commits may be lost (quality.md §4.2).
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after error')
    await app.close()
    await database.close()
  })
  await app.listen({ port: config.port, host: config.host })
  const where = database.engine === 'pglite' ? `嵌入式数据库 ${config.dataDir}` : 'PostgreSQL 服务器（DATABASE_URL）'
  console.log(`huanjie 已启动：http://localhost:${config.port}  （${where}）`)
}
