import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, IdempotencyHeaders, OkReply } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import { scopeFirst } from '../../http/scope-first.ts'
import { sendFile, sendXlsx } from '../../http/download.ts'
import { readCheckedFile } from '../../files/uploads.ts'
import * as service from './service.ts'
import { coverageXlsx } from './files.ts'
import { ActivityBody, ActivityPage, ActivityParams, ActivityPatch, ActivityReply, CoverageReply, FormReply, ListQuery, PhotoParams, TownshipQuery, VersionQuery } from './schemas.ts'

const tags = ['政策宣传']
const readers = [...service.readerRoles]
const writers = [...service.writerRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

export const publicityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Writes to one activity check its scope before the body is validated (see scopeFirst).
  const target = scopeFirst((ctx, id) => service.loadActivity(app.db, ctx.actor, id))
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '乡镇本届的宣传活动（可按村、宣传方式筛选），新的在前', querystring: ListQuery, response: { 200: ActivityPage, ...errors } },
    handler: (req) => service.listActivities(app.db, ctxOf(req), req.query),
  })
  app.post('/', {
    config: { roles: writers },
    schema: { tags, summary: '登记一项宣传活动；带 Idempotency-Key 重试不会重复登记', headers: IdempotencyHeaders, body: ActivityBody, response: { 200: ActivityReply, ...errors } },
    handler: (req) => idempotent(app.db, ctxOf(req), req.headers['idempotency-key'], 'POST /api/publicity', (db) => service.createActivity(db, ctxOf(req), req.body)),
  })
  app.get('/form', {
    config: { roles: writers },
    schema: { tags, summary: '登记表单所需：本届、今天、可登记的村（社区）和宣传方式', response: { 200: FormReply, ...errors } },
    handler: (req) => service.formOptions(app.db, ctxOf(req)),
  })
  app.get('/coverage', {
    config: { roles: readers },
    schema: { tags, summary: '宣传覆盖：各村（社区）× 宣传方式的次数、覆盖人数，未开展宣传的村', querystring: TownshipQuery, response: { 200: CoverageReply, ...errors } },
    handler: (req) => service.coverage(app.db, ctxOf(req), req.query),
  })
  app.get('/coverage.xlsx', {
    config: { roles: readers },
    schema: { tags, summary: '宣传覆盖情况和活动明细（xlsx）', querystring: TownshipQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await coverageXlsx(app.db, ctxOf(req), req.query)
      return sendXlsx(reply, f.data, f.name)
    },
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '一项宣传活动', params: ActivityParams, response: { 200: ActivityReply, ...errors } },
    handler: (req) => service.getActivity(app.db, ctxOf(req), req.params.id),
  })
  app.put('/:id', {
    preValidation: target,
    config: { roles: writers },
    schema: { tags, summary: '修改宣传活动（登记人、乡镇或县级）', params: ActivityParams, body: ActivityPatch, response: { 200: ActivityReply, ...errors } },
    handler: (req) => service.updateActivity(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/:id', {
    preValidation: target,
    config: { roles: writers },
    schema: { tags, summary: '删除误登记的宣传活动（连同照片）', params: ActivityParams, querystring: VersionQuery, response: { 200: OkReply, ...errors } },
    handler: (req) => service.deleteActivity(app.db, ctxOf(req), req.params.id, req.query.version),
  })
  app.post('/:id/photos', {
    config: { roles: writers },
    schema: { tags, summary: '给宣传活动加一张照片（JPG、PNG，不超过 8 MB，每项最多 6 张）', consumes: ['multipart/form-data'], params: ActivityParams, response: { 200: ActivityReply, ...errors } },
    handler: async (req) => {
      // Scope first: nothing is read from an upload to someone else's activity.
      await service.checkPhotoTarget(app.db, ctxOf(req), req.params.id)
      return service.addPhoto(app.db, ctxOf(req), req.params.id, await readCheckedFile(req, ['jpg', 'png'], service.PHOTO_BYTES, '宣传照片'))
    },
  })
  app.get('/:id/photos/:photoId', {
    config: { roles: readers },
    schema: { tags, summary: '宣传活动照片', params: PhotoParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await service.photo(app.db, ctxOf(req), req.params.id, req.params.photoId)
      return sendFile(reply, f.data, f.name, f.type, { inline: true, cache: 'private, max-age=3600' })
    },
  })
  app.delete('/:id/photos/:photoId', {
    preValidation: target,
    config: { roles: writers },
    schema: { tags, summary: '删除宣传活动的一张照片', params: PhotoParams, response: { 200: ActivityReply, ...errors } },
    handler: (req) => service.removePhoto(app.db, ctxOf(req), req.params.id, req.params.photoId),
  })
}
