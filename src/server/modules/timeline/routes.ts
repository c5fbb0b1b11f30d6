import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, IdempotencyHeaders } from '../../http/schemas.ts'
import { idempotent } from '../../http/idempotency.ts'
import * as service from './service.ts'
import { CampaignQuery, DoneBody, DoneReply, MilestoneParams, PhasesBody, ScheduleBody, TimelineQuery, TimelineReply, UnitParams } from './schemas.ts'

const tags = ['换届时间表']
const readers = [...service.readerRoles]
const writers = [...service.writerRoles]
const errors = { ...errorReplies, 422: errorReplies[409] }

export const timelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '一个乡镇的换届时间表：阶段时间、各村选举日、按选举日推算的节点及完成情况', querystring: TimelineQuery, response: { 200: TimelineReply, ...errors } },
    handler: (req) => service.timeline(app.db, ctxOf(req), req.query),
  })
  app.put('/phases', {
    config: { roles: ['county_admin', 'township_organiser'] },
    schema: { tags, summary: '安排乡镇各阶段的起止日期', body: PhasesBody, response: { 200: TimelineReply, ...errors } },
    handler: (req) => service.savePhases(app.db, ctxOf(req), req.body),
  })
  app.put('/units/:code/schedule', {
    config: { roles: writers },
    schema: { tags, summary: '设置村（社区）的党组织和村（居）委会选举日', params: UnitParams, body: ScheduleBody, response: { 200: TimelineReply, ...errors } },
    handler: (req) => service.saveSchedule(app.db, ctxOf(req), req.params.code, req.body),
  })
  app.put('/units/:code/milestones/:key', {
    config: { roles: writers },
    schema: { tags, summary: '标记节点完成（完成日期与佐证）；违反法定期限的日期被拒绝；带 Idempotency-Key 重试只记一次', headers: IdempotencyHeaders, params: MilestoneParams, body: DoneBody, response: { 200: DoneReply, ...errors } },
    handler: (req) => {
      const { code, key } = req.params
      return idempotent(app.db, ctxOf(req), req.headers['idempotency-key'], `PUT /api/timeline/units/${code}/milestones/${key}`, (db) => service.markDone(db, ctxOf(req), code, key, req.body))
    },
  })
  app.delete('/units/:code/milestones/:key', {
    config: { roles: writers },
    schema: { tags, summary: '撤销节点完成', params: MilestoneParams, querystring: CampaignQuery, response: { 200: TimelineReply, ...errors } },
    handler: (req) => service.undoDone(app.db, ctxOf(req), req.params.code, req.params.key, req.query),
  })
}
