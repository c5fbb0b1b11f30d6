import Fastify, { type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import multipart from '@fastify/multipart'
import type { Kysely } from 'kysely'
import type { Config } from './config.ts'
import type { DB } from './db/schema.ts'
import type { Engine } from './db/create-db.ts'
import { registerErrorHandlers } from './http/error-handler.ts'
import { assertCleanInput } from './http/clean-input.ts'
import { ctxOf, registerAuth } from './plugins/auth.ts'
import { recordAudit } from './modules/audit/service.ts'
import { registerSwagger } from './plugins/swagger.ts'
import { registerStaticWeb } from './plugins/static-web.ts'
import { healthRoutes } from './modules/health/routes.ts'
import { authRoutes } from './modules/auth/routes.ts'
import { territoryRoutes } from './modules/territory/routes.ts'
import { departmentRoutes } from './modules/department/routes.ts'
import { userRoutes } from './modules/user/routes.ts'
import { auditRoutes } from './modules/audit/routes.ts'
import { dictionaryRoutes } from './modules/dictionary/routes.ts'
import { personRoutes } from './modules/person/routes.ts'
import { circumstanceRoutes } from './modules/circumstance/routes.ts'
import { postRoutes } from './modules/post/routes.ts'
import { nomineeRoutes } from './modules/nominee/routes.ts'
import { reviewBatchRoutes, reviewRequestRoutes } from './modules/review/routes.ts'
import { noticeRoutes } from './modules/notice/routes.ts'
import { electionRoutes, tallyResultRoutes, tallyRuleRoutes } from './modules/election/routes.ts'
import { campaignRoutes } from './modules/campaign/routes.ts'
import { compositionRuleRoutes, statsRoutes } from './modules/stats/routes.ts'
import { timelineRoutes } from './modules/timeline/routes.ts'
import { reportRoutes } from './modules/report/routes.ts'
import { alertRoutes, alertSettingRoutes } from './modules/alert/routes.ts'
import { organisationRoutes } from './modules/organisation/routes.ts'
import { deploymentRoutes } from './modules/deployment/routes.ts'
import { publicityRoutes } from './modules/publicity/routes.ts'
import { situationRoutes } from './modules/situation/routes.ts'
import { voterRoutes } from './modules/voter/routes.ts'
import { voterPublicationRoutes } from './modules/voter/publication-routes.ts'
import { stationRoutes } from './modules/voter/station-routes.ts'
import { idCipher, type IdCipher } from './crypto/id-cipher.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>
    engine: Engine
    config: Config
    idCipher: IdCipher
  }
}

export interface AppDeps {
  config: Config
  db: Kysely<DB>
  engine: Engine
  /** The ID-number encryption key (see crypto/id-cipher.ts). */
  idKey: Buffer
  /** Pass false to keep request logs out of test output. */
  logger?: boolean
}

/** Builds the whole application; it never listens (server.ts does, tests use inject). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            // Nothing that identifies or authenticates a person reaches the log.
            redact: ['req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers.authorization'],
          },
    trustProxy: deps.config.trustProxy.length ? deps.config.trustProxy : false,
    bodyLimit: 1024 * 1024,
    requestTimeout: 60_000,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  })
  app.decorate('db', deps.db)
  app.decorate('engine', deps.engine)
  app.decorate('config', deps.config)
  app.decorate('idCipher', idCipher(deps.idKey))

  await app.register(cookie)
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Element Plus sets inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: deps.config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  })
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } })
  registerErrorHandlers(app, async (request, err) => {
    try {
      const ctx = ctxOf(request)
      await app.db.transaction().execute((trx) =>
        recordAudit(trx, ctx, {
          action: 'access.denied',
          objectType: 'route',
          objectId: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
          result: 'failure',
          extra: { code: err.code, message: err.message },
        }),
      )
    } catch (e) {
      request.log.error({ err: e }, 'could not audit a denied request')
    }
  })
  app.addHook('preValidation', async (request) => {
    assertCleanInput(request.body, request.query, request.params)
  })
  registerAuth(app, {
    policy: { idleMinutes: deps.config.sessionIdleMinutes, absoluteHours: deps.config.sessionAbsoluteHours },
    secureCookies: deps.config.secureCookies,
  })
  await registerSwagger(app, deps.config)

  await app.register(healthRoutes, { prefix: '/api' })
  await app.register(authRoutes, { prefix: '/api/auth' })
  await app.register(territoryRoutes, { prefix: '/api/territories' })
  await app.register(departmentRoutes, { prefix: '/api/departments' })
  await app.register(userRoutes, { prefix: '/api/users' })
  await app.register(auditRoutes, { prefix: '/api/audit' })
  await app.register(dictionaryRoutes, { prefix: '/api/dictionaries' })
  await app.register(personRoutes, { prefix: '/api/people' })
  await app.register(circumstanceRoutes, { prefix: '/api/circumstances' })
  await app.register(postRoutes, { prefix: '/api/posts' })
  await app.register(nomineeRoutes, { prefix: '/api/nominees' })
  await app.register(reviewBatchRoutes, { prefix: '/api/review-batches' })
  await app.register(reviewRequestRoutes, { prefix: '/api/review-requests' })
  await app.register(noticeRoutes, { prefix: '/api/notices' })
  await app.register(electionRoutes, { prefix: '/api/elections' })
  await app.register(tallyResultRoutes, { prefix: '/api/tally-results' })
  await app.register(tallyRuleRoutes, { prefix: '/api/tally-rules' })
  await app.register(campaignRoutes, { prefix: '/api/campaigns' })
  await app.register(statsRoutes, { prefix: '/api/stats' })
  await app.register(compositionRuleRoutes, { prefix: '/api/composition-rules' })
  await app.register(timelineRoutes, { prefix: '/api/timeline' })
  await app.register(reportRoutes, { prefix: '/api/reports' })
  await app.register(alertRoutes, { prefix: '/api/alerts' })
  await app.register(alertSettingRoutes, { prefix: '/api/alert-settings' })
  await app.register(organisationRoutes, { prefix: '/api/organisation' })
  await app.register(deploymentRoutes, { prefix: '/api/deployment' })
  await app.register(publicityRoutes, { prefix: '/api/publicity' })
  await app.register(situationRoutes, { prefix: '/api/situation' })
  await app.register(voterRoutes, { prefix: '/api/voters' })
  await app.register(voterPublicationRoutes, { prefix: '/api/voters' })
  await app.register(stationRoutes, { prefix: '/api/voters' })

  await registerStaticWeb(app, deps.config.webDir)
  return app
}
