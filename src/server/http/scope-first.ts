import type { FastifyRequest } from 'fastify'
import type { Ctx } from './context.ts'
import { ctxOf } from '../plugins/auth.ts'

/**
 * A preValidation hook for writes to one object: the object is looked up and scope-checked before
 * the body is validated, so a record of another territory answers 404 (or 403) whatever the body
 * holds, and a probe learns nothing from validation messages. A malformed id is left to the schema.
 */
export function scopeFirst(check: (ctx: Ctx, id: string) => Promise<unknown>, param = 'id', pattern = /^\d{1,18}$/) {
  return async (req: FastifyRequest): Promise<void> => {
    const id = (req.params as Record<string, unknown>)[param]
    if (typeof id === 'string' && pattern.test(id)) await check(ctxOf(req), id)
  }
}
