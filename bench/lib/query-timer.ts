import { PostgresQueryCompiler, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely'

export interface StatementTime {
  /** The statement's SQL, shortened. */
  sql: string
  count: number
  ms: number
}

/**
 * A Kysely plugin that times every statement an application handle runs, from just before it is
 * compiled to its result (so it includes Kysely's compile, the driver, the round trip and the
 * engine; BEGIN and COMMIT are not statements to Kysely and are not seen). For requests made one at
 * a time: under concurrency the times would include waiting for a connection.
 */
export class QueryTimer implements KyselyPlugin {
  private readonly compiler = new PostgresQueryCompiler()
  private readonly open = new WeakMap<object, { sql: string; t0: number }>()
  readonly stats = new Map<string, StatementTime>()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const text = this.compiler
      .compileQuery(args.node, args.queryId)
      .sql.replace(/\s+/g, ' ')
      .replace(/\(\$\d+(, \$\d+)*\)/g, '(…)')
    this.open.set(args.queryId, { sql: text.length > 110 ? `${text.slice(0, 107)}…` : text, t0: performance.now() })
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const o = this.open.get(args.queryId)
    if (o) {
      const s = this.stats.get(o.sql) ?? { sql: o.sql, count: 0, ms: 0 }
      s.count++
      s.ms += performance.now() - o.t0
      this.stats.set(o.sql, s)
    }
    return args.result
  }

  reset(): void {
    this.stats.clear()
  }
}
