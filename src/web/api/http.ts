import { ElMessage } from 'element-plus'

/** One line of an error reply: an import row/column, or a form field. */
export interface ErrorDetail {
  row?: number
  column?: string
  field?: string
  message: string
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface PageParams {
  page: number
  pageSize: number
}

export interface Ok {
  ok: boolean
}

/** A failed request: the HTTP status and the server's `{ code, message, details }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message)
  }
}

type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  /** A plain object is sent as JSON; FormData as multipart. */
  body?: unknown
  /** Do not show ElMessage for any error: the caller shows it (e.g. the login form). */
  silent?: boolean
  /** Error codes the caller shows itself (e.g. IMPORT_INVALID as a list). */
  quietCodes?: string[]
  /** A 401 is just an error (login, the first /me), not "session over, go to login". */
  noAuthRedirect?: boolean
  /** Extra request headers (e.g. Idempotency-Key); the CSRF and Content-Type headers `send` sets still win. */
  headers?: Record<string, string>
}

interface HttpHooks {
  onUnauthenticated: () => void
  onPasswordChangeRequired: () => void
}

let hooks: HttpHooks = { onUnauthenticated: () => {}, onPasswordChangeRequired: () => {} }
/** Several requests can fail with 401 at once (the home page); tell the user only once. */
let unauthenticatedShownAt = 0

export function configureHttp(h: HttpHooks): void {
  hooks = h
}

function urlOf(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    params.append(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'HTTP_' + res.status
  let message = `请求失败（${res.status}）`
  let details: ErrorDetail[] = []
  try {
    const body = (await res.json()) as { code?: unknown; message?: unknown; details?: unknown }
    if (typeof body.code === 'string') code = body.code
    if (typeof body.message === 'string' && body.message) message = body.message
    if (Array.isArray(body.details)) details = body.details as ErrorDetail[]
  } catch {
    if (res.status === 429) message = '操作过于频繁，请稍后再试'
    else if (res.status >= 500) message = '服务器出错，请稍后再试或联系管理员'
  }
  return new ApiError(res.status, code, message, details)
}

function handleError(err: ApiError, opts: RequestOptions): void {
  if (err.status === 401 && !opts.noAuthRedirect) {
    const now = Date.now()
    if (now - unauthenticatedShownAt > 3000) {
      unauthenticatedShownAt = now
      ElMessage.warning(err.message || '登录已超时，请重新登录')
    }
    hooks.onUnauthenticated()
    return
  }
  if (err.status === 403 && err.code === 'PASSWORD_CHANGE_REQUIRED') {
    ElMessage.warning(err.message)
    hooks.onPasswordChangeRequired()
    return
  }
  if (opts.silent || opts.quietCodes?.includes(err.code)) return
  ElMessage.error(err.message)
}

/** Sends one request; resolves with the raw Response when it is 2xx, else shows and rejects. */
export async function send(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  let body: BodyInit | undefined
  // Every state-changing request carries this header; the server refuses it otherwise (CSRF).
  if (method !== 'GET') headers['X-Requested-With'] = 'XMLHttpRequest'
  if (opts.body instanceof FormData) {
    body = opts.body
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(urlOf(path, opts.query), { method, headers, body, credentials: 'same-origin' })
  } catch {
    const err = new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试')
    if (!opts.silent) ElMessage.error(err.message)
    throw err
  }
  if (!res.ok) {
    const err = await errorOf(res)
    handleError(err, opts)
    throw err
  }
  return res
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

type Extra = Omit<RequestOptions, 'method' | 'body' | 'query'>

export const http = {
  get: <T>(path: string, query?: Query, extra?: Extra) => request<T>(path, { ...extra, query }),
  post: <T>(path: string, body?: unknown, extra?: Extra) => request<T>(path, { ...extra, method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body: unknown, extra?: Extra) => request<T>(path, { ...extra, method: 'PUT', body }),
  patch: <T>(path: string, body: unknown, extra?: Extra) => request<T>(path, { ...extra, method: 'PATCH', body }),
  delete: <T>(path: string, extra?: Extra) => request<T>(path, { ...extra, method: 'DELETE' }),
}
