import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies } from '../../http/schemas.ts'
import * as service from './service.ts'
import { CampaignBody, CampaignList, CampaignParams, CampaignPatchBody, CampaignReply } from './schemas.ts'

const tags = ['换届届次']
const errors = { ...errorReplies, 422: errorReplies[409] }

export const campaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: [...service.readerRoles] },
    schema: { tags, summary: '本县的换届届次', response: { 200: CampaignList, ...errors } },
    handler: async (req) => ({ items: await service.listCampaigns(app.db, ctxOf(req)) }),
  })
  app.post('/', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '新建换届届次（县级管理员）', body: CampaignBody, response: { 200: CampaignReply, ...errors } },
    handler: (req) => service.createCampaign(app.db, ctxOf(req), req.body),
  })
  app.put('/:id', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '修改换届届次（县级管理员）', params: CampaignParams, body: CampaignPatchBody, response: { 200: CampaignReply, ...errors } },
    handler: (req) => service.updateCampaign(app.db, ctxOf(req), req.params.id, req.body),
  })
}
