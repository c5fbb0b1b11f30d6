import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { Config } from '../config.ts'
import { authenticate } from '../modules/auth/service.ts'

/** OpenAPI from the route schemas, at /api/docs (signed-in users only unless configured open). */
export async function registerSwagger(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'huanjie 换届 API', version: '0.1.0', description: '村、社区“两委”换届工作系统接口。写操作需带请求头 X-Requested-With: XMLHttpRequest。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: app.sessionCookieName } } },
      security: [{ session: [] }],
    },
  })
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiHooks: {
      onRequest: (request, _reply, done) => {
        if (config.publicApiDocs) return done()
        authenticate(app.db, app.sessionPolicy, request.cookies[app.sessionCookieName]).then(() => done(), done)
      },
    },
  })
}
