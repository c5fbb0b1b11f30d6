import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies } from '../../http/schemas.ts'
import * as service from './service.ts'
import { AlertSettingsBody, AlertSettingsReply, AlertsReply } from './schemas.ts'

const tags = ['提醒']
const errors = { ...errorReplies, 422: errorReplies[409] }

export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: [...service.readerRoles] },
    schema: { tags, summary: '今日提醒：未报送日报告的村（社区）和逾期节点，以及推送用的文字', response: { 200: AlertsReply, ...errors } },
    handler: (req) => service.alerts(app.db, ctxOf(req)),
  })
}

export const alertSettingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: ['county_admin', 'auditor'] },
    schema: { tags, summary: '本县提醒设置（机器人地址只显示掩码）', response: { 200: AlertSettingsReply, ...errors } },
    handler: (req) => service.getSettings(app.db, ctxOf(req)),
  })
  app.put('/', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '设置提醒时间和群机器人（县级管理员）', body: AlertSettingsBody, response: { 200: AlertSettingsReply, ...errors } },
    handler: (req) => service.saveSettings(app.db, ctxOf(req), req.body),
  })
}
