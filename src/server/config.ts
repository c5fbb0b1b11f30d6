import path from 'node:path'

/** Everything the server reads from the environment, parsed once and frozen. */
export interface Config {
  readonly port: number
  readonly host: string
  /** PGlite data directory; unused when databaseUrl is set. */
  readonly dataDir: string
  /** A real PostgreSQL server; when absent the embedded PGlite database is used. */
  readonly databaseUrl: string | undefined
  /** Set when the site is served over TLS: cookies get `Secure` and the `__Host-` prefix. */
  readonly secureCookies: boolean
  /** The ID-number encryption key file; generated on first start when absent. */
  readonly idKeyFile: string
  /** Where the built web app lives. */
  readonly webDir: string
  readonly logLevel: string
  readonly sessionIdleMinutes: number
  readonly sessionAbsoluteHours: number
  /** Allow /api/docs without a login (development only). */
  readonly publicApiDocs: boolean
  /**
   * Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs).
   * Without it, behind a proxy every user would share the proxy's address and its login throttle.
   */
  readonly trustProxy: string[]
}

export class ConfigError extends Error {}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`环境变量 ${name}=${raw} 无效：应为 ${min} 到 ${max} 之间的整数`)
  }
  return n
}

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false
  throw new ConfigError(`环境变量 ${name}=${raw} 无效：应为 true 或 false`)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = process.cwd()
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('环境变量 DATABASE_URL 应以 postgres:// 开头')
  }
  return Object.freeze({
    port: intVar(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(root, env.DATA_DIR ?? 'data'),
    databaseUrl,
    idKeyFile: path.resolve(root, env.ID_KEY_FILE ?? path.join(env.DATA_DIR ?? 'data', 'keys', 'id-number.key')),
    secureCookies: boolVar(env, 'SECURE_COOKIES', false),
    webDir: path.resolve(root, env.WEB_DIR ?? 'dist/web'),
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionIdleMinutes: intVar(env, 'SESSION_IDLE_MINUTES', 30, 5, 30),
    sessionAbsoluteHours: intVar(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 12),
    publicApiDocs: boolVar(env, 'PUBLIC_API_DOCS', false),
    trustProxy: (env.TRUST_PROXY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  })
}
