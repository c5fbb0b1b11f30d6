import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'

/**
 * Serves the built web app. Each built file gets its own route (wildcard: false); any other path
 * outside /api gets index.html so the client-side router can take it.
 */
export async function registerStaticWeb(app: FastifyInstance, webDir: string): Promise<void> {
  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    app.log.warn(`web build not found at ${webDir}; only the API is served`)
    return
  }
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: false })
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? '/'
    if (url.startsWith('/api/')) {
      return reply.code(404).send({ code: 'NOT_FOUND', message: `接口不存在：${request.method} ${url}` })
    }
    void reply.header('cache-control', 'no-cache')
    return reply.sendFile('index.html')
  }
  app.get('/', { schema: { hide: true } }, sendIndex)
  app.get('/*', { schema: { hide: true } }, sendIndex)
}
