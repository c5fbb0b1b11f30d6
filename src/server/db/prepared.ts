import { createHash } from 'node:crypto'
import type pg from 'pg'

/** Statements a connection keeps prepared, at most: beyond it (a long import's odd shapes) they run unnamed. */
const MAX_PER_CONNECTION = 2000
/** Longer texts (multi-row inserts) vary too much to be worth keeping. */
const MAX_TEXT = 4000

const names = new Map<string, string>()
function nameOf(text: string): string {
  let name = names.get(text)
  if (name === undefined) {
    name = `hj_${createHash('sha1').update(text).digest('base64url')}`
    // The texts are the application's own query shapes: a few hundred; the cap is a backstop.
    if (names.size < 10_000) names.set(text, name)
  }
  return name
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown

/**
 * Makes every parameterised query of a pool's connections a named prepared statement, so the
 * server parses and plans each query shape once per connection instead of on every request. Kysely
 * sends unnamed statements; measured in the report-rush benchmark, PGlite spent about twice as long
 * on an unnamed statement as on a named one, and PostgreSQL plans every request's statements anew.
 * Queries without parameters (BEGIN, COMMIT, DDL, multi-statement scripts) stay as they are: a
 * prepared statement holds one command.
 */
export function prepareStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as QueryFn
    const connection = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection
    let prepared = 0
    const query: QueryFn = (config, values, callback) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && config.length <= MAX_TEXT) {
        const name = nameOf(config)
        if (connection.parsedStatements[name] !== undefined || prepared < MAX_PER_CONNECTION) {
          if (connection.parsedStatements[name] === undefined) prepared++
          return original({ name, text: config, values }, callback)
        }
      }
      return original(config, values, callback)
    }
    ;(client as unknown as { query: QueryFn }).query = query
  })
}
