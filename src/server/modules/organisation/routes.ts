import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { DOCX, sendFile } from '../../http/download.ts'
import { errorReplies, FileReply, OkReply } from '../../http/schemas.ts'
import * as service from './service.ts'
import { GroupBody, GroupParams, GroupPatchBody, GroupReply, OrganisationQuery, OrganisationReply } from './schemas.ts'

const tags = ['组织领导']
const readers = [...service.readerRoles]
const writers = ['county_admin' as const, 'township_organiser' as const]
const errors = { ...errorReplies, 422: errorReplies[409] }

export const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '乡镇换届领导小组、指导组和各村包村领导、包村干部', querystring: OrganisationQuery, response: { 200: OrganisationReply, ...errors } },
    handler: (req) => service.organisation(app.db, ctxOf(req), req.query),
  })
  app.post('/groups', {
    config: { roles: writers },
    schema: { tags, summary: '成立领导小组（每乡镇每届一个）或指导组', body: GroupBody, response: { 200: GroupReply, ...errors } },
    handler: (req) => service.createGroup(app.db, ctxOf(req), req.body),
  })
  app.put('/groups/:id', {
    config: { roles: writers },
    schema: { tags, summary: '调整领导小组或指导组', params: GroupParams, body: GroupPatchBody, response: { 200: GroupReply, ...errors } },
    handler: (req) => service.updateGroup(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/groups/:id', {
    config: { roles: writers },
    schema: { tags, summary: '撤销指导组', params: GroupParams, response: { 200: OkReply, ...errors } },
    handler: (req) => service.deleteGroup(app.db, ctxOf(req), req.params.id),
  })
  app.get('/notice.docx', {
    config: { roles: readers },
    schema: { tags, summary: '关于成立换届工作领导小组和指导组的通知（Word）', querystring: OrganisationQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await service.noticeDocx(app.db, ctxOf(req), req.query)
      return sendFile(reply, f.data, f.name, DOCX)
    },
  })
}
