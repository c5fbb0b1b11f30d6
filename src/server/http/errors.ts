export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'SESSION_EXPIRED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'CSRF'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VERSION_CONFLICT'
  | 'RULE'
  | 'IMPORT_INVALID'
  | 'TOO_MANY_REQUESTS'
  | 'ACCOUNT_LOCKED'
  | 'INTERNAL'

export interface ErrorDetail {
  row?: number
  column?: string
  field?: string
  message: string
}

/** A failure the user can act on; its message is Chinese and says what to fix. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message)
  }
}

export const invalid = (message: string, details?: ErrorDetail[]) => new DomainError(400, 'VALIDATION', message, details)
export const unauthenticated = (message = '请先登录') => new DomainError(401, 'UNAUTHENTICATED', message)
export const forbidden = (message = '您没有权限执行此操作') => new DomainError(403, 'FORBIDDEN', message)
export const notFound = (message: string) => new DomainError(404, 'NOT_FOUND', message)
export const conflict = (message: string) => new DomainError(409, 'CONFLICT', message)
export const versionConflict = (message = '该记录已被他人修改，请刷新后重试') => new DomainError(409, 'VERSION_CONFLICT', message)
export const ruleViolation = (message: string, details?: ErrorDetail[]) => new DomainError(422, 'RULE', message, details)
