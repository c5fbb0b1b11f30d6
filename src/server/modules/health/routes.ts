import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { sql } from 'kysely'
import { currentMigration, latestMigration } from '../../db/migrate.ts'

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: {
      tags: ['系统'],
      summary: '健康检查：数据库引擎与迁移版本',
      security: [],
      response: {
        200: Type.Object({
          status: Type.Literal('ok'),
          engine: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
          serverVersion: Type.String(),
          migration: Type.Union([Type.String(), Type.Null()]),
          latestMigration: Type.String(),
          time: Type.String(),
        }),
      },
    },
    handler: async () => {
      const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(app.db)
      return {
        status: 'ok' as const,
        engine: app.engine,
        serverVersion: rows[0]?.v ?? '',
        migration: await currentMigration(app.db),
        latestMigration,
        time: new Date().toISOString(),
      }
    },
  })
}
