import { Type, type TSchema } from 'typebox'

/** Shared request/response primitives; module schemas build on these. */
export const DivisionCode = Type.String({ pattern: '^\\d{12}$', description: '12 位统计用区划代码' })
export const Id = Type.String({ pattern: '^\\d{1,18}$' })
export const Version = Type.Integer({ minimum: 1, description: '乐观锁版本号，修改时原样带回' })

export const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
}

export const ErrorReply = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(
    Type.Array(
      Type.Object({
        row: Type.Optional(Type.Integer()),
        column: Type.Optional(Type.String()),
        field: Type.Optional(Type.String()),
        message: Type.String(),
      }),
    ),
  ),
})

/** Sent by phone forms (issue 6 §7): a retried submission with the same key is recorded once and gets the same answer. */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: '同一次提交重试时带同一个值：只记一份，返回同一结果' })) })
export const OkReply = Type.Object({ ok: Type.Boolean() })

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() })
}

/** The error replies every signed-in route can give, for the OpenAPI document. */
export const errorReplies = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
  409: ErrorReply,
}

/** A file download (xlsx, docx, pdf, evidence), for the OpenAPI document; the body is sent as bytes. */
export const FileReply = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: '文件内容' })
