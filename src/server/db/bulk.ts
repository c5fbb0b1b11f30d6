import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import type { DB } from './schema.ts'

/**
 * Bulk loading (performance.md, goals 1 and 2): a batched INSERT spends its time parsing and
 * planning thousands of parameters, COPY does not. Both engines get COPY inside the caller's
 * transaction — PostgreSQL through COPY FROM STDIN on the transaction's own connection, PGlite
 * through its /dev/blob device — and any other Kysely handle falls back to INSERT … SELECT FROM
 * unnest(arrays), one statement per 10,000 rows.
 */

/** The column types a bulk insert casts to (unnest) or PostgreSQL parses (COPY). */
export type BulkType = 'text' | 'bigint' | 'integer' | 'date' | 'boolean' | 'jsonb' | 'timestamptz'

export interface BulkColumn {
  name: string
  type: BulkType
}

/** jsonb values are passed as their JSON text. */
export type BulkValue = string | number | bigint | boolean | Date | null

export interface BulkWriter {
  readonly method: 'copy' | 'unnest'
  /**
   * `count` new values of a table's identity column, ascending, so rows loaded by COPY (which
   * returns nothing) know their ids before they are sent. Sequence values are never handed out
   * twice, so rows inserted meanwhile with the column's default cannot collide; the ids of a
   * rolled-back load are skipped, as with any identity column.
   */
  takeIds(table: string, column: string, count: number): Promise<string[]>
  /**
   * Inserts the rows (values in `columns` order; an iterable is consumed once, as the rows are
   * sent, so a generator's work overlaps the server's) and returns how many were written.
   */
  insert(table: string, columns: readonly BulkColumn[], rows: Iterable<readonly BulkValue[]>): Promise<number>
}

export type BulkWork<T> = (trx: Transaction<DB>, bulk: BulkWriter) => Promise<T>

/** What createDb registers for its handle: a transaction that comes with a COPY writer. */
export interface BulkSource {
  transaction<T>(work: BulkWork<T>): Promise<T>
}

const sources = new WeakMap<Kysely<DB>, BulkSource>()

export function registerBulkSource(db: Kysely<DB>, source: BulkSource): void {
  sources.set(db, source)
}

/**
 * Runs `work` in one transaction with a writer for many rows: all of it commits or none of it
 * does, COPY included.
 */
export function bulkTransaction<T>(db: Kysely<DB>, work: BulkWork<T>): Promise<T> {
  const source = sources.get(db)
  if (source) return source.transaction(work)
  return db.transaction().execute((trx) => work(trx, unnestWriter(trx)))
}

const ROWS_PER_STATEMENT = 10_000

/** Names come from code, never from input; quoted anyway. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function copyStatement(table: string, columns: readonly BulkColumn[], source: string): string {
  return `copy ${ident(table)} (${columns.map((c) => ident(c.name)).join(', ')}) from ${source}`
}

const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

// Rows written together often share one timestamp: rendered once.
let lastTime = NaN
let lastIso = ''

/** One value in COPY's text format. */
function copyValue(v: BulkValue): string {
  if (v === null) return '\\N'
  if (typeof v === 'boolean') return v ? 't' : 'f'
  if (v instanceof Date) {
    const time = v.getTime()
    if (time !== lastTime) {
      lastIso = v.toISOString()
      lastTime = time
    }
    return lastIso
  }
  const s = typeof v === 'string' ? v : String(v)
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => copyEscapes[c]!) : s
}

const CHUNK_BYTES = 1 << 20

/**
 * COPY text, written straight into buffers of about 1 MB as UTF-8: no line or chunk is ever a
 * JavaScript string, so a load of 100,000 rows does not churn the heap. Counts the rows.
 */
function* copyChunks(rows: Iterable<readonly BulkValue[]>, count: { rows: number }): Generator<Buffer<ArrayBuffer>> {
  let buf = Buffer.allocUnsafeSlow(CHUNK_BYTES)
  let at = 0
  for (const row of rows) {
    for (let k = 0; k < row.length; k++) {
      const text = copyValue(row[k] ?? null)
      // A UTF-16 unit is at most 3 bytes of UTF-8; one more for the separator.
      if (at + text.length * 3 + 1 > buf.length) {
        if (at) yield buf.subarray(0, at)
        buf = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, text.length * 3 + 1))
        at = 0
      }
      at += buf.write(text, at)
      buf[at++] = k === row.length - 1 ? 0x0a : 0x09
    }
    count.rows++
  }
  if (at) yield buf.subarray(0, at)
}

/** The rows in arrays of at most `size`. */
function* batches<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = []
  for (const row of rows) {
    batch.push(row)
    if (batch.length === size) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}

/**
 * One nextval per id: other sessions may take values in between, so none can be assumed. The
 * sequence is looked up once (materialized), not once per row.
 */
const nextvalIds = `
  with s as materialized (select pg_get_serial_sequence($1, $2)::regclass as seq)
  select string_agg(id::text, ',' order by id) as ids
  from (select nextval(s.seq) as id from s, generate_series(1, $3::integer)) r`

const idList = (ids: string | null | undefined) => (ids ? ids.split(',') : [])

/** COPY FROM STDIN on the connection that holds the transaction. */
export function pgCopyWriter(client: pg.ClientBase): BulkWriter {
  return {
    method: 'copy',
    async takeIds(table, column, count) {
      if (count === 0) return []
      const { rows } = await client.query<{ ids: string }>(nextvalIds, [table, column, count])
      return idList(rows[0]?.ids)
    },
    async insert(table, columns, rows) {
      const count = { rows: 0 }
      const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')))
      // Chunks are made only when the connection wants more: little text is alive at a time.
      await pipeline(Readable.from(copyChunks(rows, count), { highWaterMark: 1 }), stream)
      if (stream.rowCount !== count.rows) throw new Error(`COPY ${table}: ${stream.rowCount} of ${count.rows} rows written`)
      return stream.rowCount
    },
  }
}

/**
 * PGlite runs one backend for every pool client, so a COPY sent to the PGlite instance while
 * the pool's only client holds a transaction runs inside that transaction.
 */
export function pgliteCopyWriter(pglite: PGlite): BulkWriter {
  return {
    method: 'copy',
    // PGlite has one session, and the transaction holds it: no other nextval can come between
    // these two, so one statement takes the whole block.
    async takeIds(table, column, count) {
      if (count === 0) return []
      const { rows } = await pglite.query<{ last: string }>(
        `select setval(s, nextval(s) + $3::bigint - 1)::text as last from (select pg_get_serial_sequence($1, $2) as s) q`,
        [table, column, count],
      )
      const first = BigInt(rows[0]!.last) - BigInt(count) + 1n
      return Array.from({ length: count }, (_, i) => String(first + BigInt(i)))
    },
    async insert(table, columns, rows) {
      const count = { rows: 0 }
      const blob = new Blob([...copyChunks(rows, count)])
      if (count.rows === 0) return 0
      const r = await pglite.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob })
      if (r.affectedRows !== count.rows) throw new Error(`COPY ${table}: ${r.affectedRows} of ${count.rows} rows written`)
      return count.rows
    },
  }
}

/** One INSERT … SELECT FROM unnest($1::type[], …) per 10,000 rows: parse and plan once per batch. */
export function unnestWriter(trx: Transaction<DB>): BulkWriter {
  return {
    method: 'unnest',
    async takeIds(table, column, count) {
      if (count === 0) return []
      const { rows } = await sql<{ ids: string }>`
        with s as materialized (select pg_get_serial_sequence(${table}, ${column})::regclass as seq)
        select string_agg(id::text, ',' order by id) as ids
        from (select nextval(s.seq) as id from s, generate_series(1, ${count}::integer)) r`.execute(trx)
      return idList(rows[0]?.ids)
    },
    async insert(table, columns, rows) {
      let written = 0
      for (const batch of batches(rows, ROWS_PER_STATEMENT)) {
        const arrays = columns.map((_, k) => batch.map((row) => row[k] ?? null))
        // Types are the closed BulkType union, not input.
        const unnested = sql.join(columns.map((c, k) => sql`${arrays[k]}::${sql.raw(c.type)}[]`))
        await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))}) select * from unnest(${unnested})`.execute(trx)
        written += batch.length
      }
      return written
    },
  }
}

/**
 * PostgreSQL: the work runs on one pooled connection, through a Kysely handle bound to it, so
 * COPY can be streamed on the same connection inside the same transaction.
 */
export function pgBulkSource(pool: pg.Pool): BulkSource {
  return {
    async transaction(work) {
      const client = await pool.connect()
      let lent = false
      const one = new Kysely<DB>({
        dialect: new PostgresDialect({
          pool: {
            connect: async () => {
              if (lent) throw new Error('bulk transaction connection already in use')
              lent = true
              return client
            },
            end: async () => {},
          },
        }),
      })
      try {
        // Kysely releases the client when the transaction ends (discarding it if rollback failed).
        return await one.transaction().execute((trx) => work(trx, pgCopyWriter(client)))
      } finally {
        if (!lent) client.release()
        await one.destroy()
      }
    },
  }
}

export function pgliteBulkSource(db: Kysely<DB>, pglite: PGlite): BulkSource {
  return {
    transaction: (work) => db.transaction().execute((trx) => work(trx, pgliteCopyWriter(pglite))),
  }
}
