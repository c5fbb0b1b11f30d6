import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ctxOf } from '../../plugins/auth.ts'
import { errorReplies, FileReply, OkReply } from '../../http/schemas.ts'
import { DOCX, sendFile } from '../../http/download.ts'
import { readCheckedFile } from '../../files/uploads.ts'
import * as service from './service.ts'
import * as results from './results.ts'
import * as files from './files.ts'
import {
  AnnounceBody,
  BallotListReply,
  BallotsBody,
  BallotsReply,
  CandidatesBody,
  ConfirmBody,
  CopiesQuery,
  CorrectBody,
  ElectionBody,
  ElectionDetail,
  ElectionPage,
  ElectionParams,
  ElectionPatchBody,
  ElectionQuery,
  FormatParams,
  NewResultBody,
  NextRoundBody,
  ProgressQuery,
  ProgressReply,
  ResultParams,
  ResultQuery,
  ResultReply,
  ReturnBody,
  SheetBody,
  StaffBody,
  StationsBody,
  SubmitBody,
  TallyRulesBody,
  TallyRulesReply,
  VersionBody,
} from './schemas.ts'

const tags = ['选举计票']
const readers = service.readerRoles
const writers = service.writerRoles
const announcers = service.announcerRoles
const errors = { ...errorReplies, 422: errorReplies[409] }
const mime = { docx: DOCX, pdf: 'application/pdf' }


export const electionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '选举（每轮投票）列表', querystring: ElectionQuery, response: { 200: ElectionPage, ...errors } },
    handler: (req) => service.listElections(app.db, ctxOf(req), req.query),
  })
  app.get('/progress', {
    config: { roles: readers },
    schema: { tags, summary: '选举进度：各村（社区）各班子的最新一轮及状态', querystring: ProgressQuery, response: { 200: ProgressReply, ...errors } },
    handler: (req) => service.progress(app.db, ctxOf(req), req.query.townshipCode),
  })
  app.post('/', {
    config: { roles: writers },
    schema: { tags, summary: '新建选举（第一轮）', body: ElectionBody, response: { 201: ElectionDetail, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await service.createElection(app.db, ctxOf(req), req.body)),
  })
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '选举详情：职务、候选人、监计票人员、投票点、计票记录、投票前提示', params: ElectionParams, response: { 200: ElectionDetail, ...errors } },
    handler: (req) => service.getElection(app.db, ctxOf(req), req.params.id),
  })
  app.patch('/:id', {
    config: { roles: writers },
    schema: { tags, summary: '修改选举（人数、职务、规则只在计票提交前可改）', params: ElectionParams, body: ElectionPatchBody, response: { 200: ElectionDetail, ...errors } },
    handler: (req) => service.updateElection(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.delete('/:id', {
    config: { roles: writers },
    schema: { tags, summary: '删除尚未计票的选举', params: ElectionParams, response: { 200: OkReply, ...errors } },
    handler: (req) => service.deleteElection(app.db, ctxOf(req), req.params.id),
  })
  app.put('/:id/candidates', {
    config: { roles: writers },
    schema: { tags, summary: '确定候选人名单（党组织委员按姓氏笔画排序）', params: ElectionParams, body: CandidatesBody, response: { 200: ElectionDetail, ...errors } },
    handler: (req) => service.setCandidates(app.db, ctxOf(req), req.params.id, req.body.version, req.body.candidates),
  })
  app.post('/:id/candidates/from-nominees', {
    config: { roles: writers },
    schema: { tags, summary: '从本村（社区）的正式候选人导入', params: ElectionParams, body: VersionBody, response: { 200: ElectionDetail, ...errors } },
    handler: (req) => service.candidatesFromNominees(app.db, ctxOf(req), req.params.id, req.body.version),
  })
  app.put('/:id/staff', {
    config: { roles: writers },
    schema: { tags, summary: '确定监票人、计票人（候选人不得担任）', params: ElectionParams, body: StaffBody, response: { 200: ElectionDetail, ...errors } },
    handler: (req) => service.setStaff(app.db, ctxOf(req), req.params.id, req.body.version, req.body.staff),
  })
  app.put('/:id/stations', {
    config: { roles: writers },
    schema: { tags, summary: '确定中心会场、投票站和流动票箱', params: ElectionParams, body: StationsBody, response: { 200: ElectionDetail, ...errors } },
    handler: (req) => service.setStations(app.db, ctxOf(req), req.params.id, req.body.version, req.body.stations),
  })
  app.post('/:id/results', {
    config: { roles: writers },
    schema: { tags, summary: '开始计票：逐张唱票录入或按计票单合计录入', params: ElectionParams, body: NewResultBody, response: { 201: ResultReply, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await results.startCount(app.db, ctxOf(req), req.params.id, req.body.mode)),
  })
  app.get('/:id/ballot-paper.pdf', {
    config: { roles: readers },
    schema: { tags, summary: '打印选票（PDF，每份一页）', params: ElectionParams, querystring: CopiesQuery, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await files.ballotPaperFile(app.db, ctxOf(req), req.params.id, req.query.copies)
      return sendFile(reply, f.data, f.name, mime.pdf)
    },
  })
  app.get('/:id/count-sheet.:format', {
    config: { roles: readers },
    schema: { tags, summary: '空白计票单（会前打印）', params: FormatParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await files.blankCountSheet(app.db, ctxOf(req), req.params.id, req.params.format)
      return sendFile(reply, f.data, f.name, mime[req.params.format])
    },
  })
}

export const tallyResultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id', {
    config: { roles: readers },
    schema: { tags, summary: '计票记录（背对背核对前，第二人看不到第一次录入的数字，reveal=true 则查看并记录）', params: ResultParams, querystring: ResultQuery, response: { 200: ResultReply, ...errors } },
    handler: (req) => results.getResult(app.db, ctxOf(req), req.params.id, req.query.reveal ?? false),
  })
  app.put('/:id/sheet', {
    config: { roles: writers },
    schema: { tags, summary: '保存计票单数字（草稿，仅录入人）：返回核对问题和预览结果', params: ResultParams, body: SheetBody, response: { 200: ResultReply, ...errors } },
    handler: (req) => results.saveSheet(app.db, ctxOf(req), req.params.id, req.body.version, req.body.sheet),
  })
  app.get('/:id/ballots', {
    config: { roles: readers },
    schema: { tags, summary: '已唱票录入的选票', params: ResultParams, response: { 200: BallotListReply, ...errors } },
    handler: (req) => results.listBallots(app.db, ctxOf(req), req.params.id),
  })
  app.post('/:id/ballots', {
    config: { roles: writers },
    schema: { tags, summary: '唱票：追加选票（草稿，仅录入人）', params: ResultParams, body: BallotsBody, response: { 200: BallotsReply, ...errors } },
    handler: (req) => results.addBallots(app.db, ctxOf(req), req.params.id, req.body.ballots),
  })
  app.delete('/:id/ballots/last', {
    config: { roles: writers },
    schema: { tags, summary: '撤销最后录入的一张选票', params: ResultParams, response: { 200: BallotsReply, ...errors } },
    handler: (req) => results.undoBallot(app.db, ctxOf(req), req.params.id),
  })
  app.post('/:id/submit', {
    config: { roles: writers },
    schema: { tags, summary: '提交核对（R1、R3、R7 不符一律拒绝；R6 须附情况说明）', params: ResultParams, body: SubmitBody, response: { 200: ResultReply, ...errors } },
    handler: (req) => results.submit(app.db, ctxOf(req), req.params.id, req.body.version, req.body.discrepancyNote),
  })
  app.post('/:id/return', {
    config: { roles: writers },
    schema: { tags, summary: '退回录入人修改', params: ResultParams, body: ReturnBody, response: { 200: ResultReply, ...errors } },
    handler: (req) => results.sendBack(app.db, ctxOf(req), req.params.id, req.body.version, req.body.reason),
  })
  app.post('/:id/scan', {
    config: { roles: writers },
    schema: { tags, summary: '上传签字计票单的扫描件或照片（PDF、JPG、PNG，不超过 10 MB）', consumes: ['multipart/form-data'], params: ResultParams, response: { 200: ResultReply, ...errors } },
    handler: async (req) => {
      // Scope and state first: nothing is read from someone else's upload.
      await results.checkScanTarget(app.db, ctxOf(req), req.params.id)
      return results.uploadScan(app.db, ctxOf(req), req.params.id, await readCheckedFile(req, ['pdf', 'jpg', 'png'], 10 * 1024 * 1024, '计票单'))
    },
  })
  app.get('/:id/scan', {
    config: { roles: readers },
    schema: { tags, summary: '查看计票单扫描件（记入审计日志）', params: ResultParams, response: { 200: FileReply, ...errors } },
    handler: async (req, reply) => {
      const f = await results.downloadScan(app.db, ctxOf(req), req.params.id)
      return sendFile(reply, f.data, f.name, f.type)
    },
  })
  app.post('/:id/confirm', {
    config: { roles: writers },
    schema: { tags, summary: '第二人核对确认：对照扫描件，或背对背录入逐格比对', params: ResultParams, body: ConfirmBody, response: { 200: ResultReply, ...errors } },
    handler: (req) => results.confirm(app.db, ctxOf(req), req.params.id, req.body),
  })
  app.post('/:id/announce', {
    config: { roles: announcers },
    schema: { tags, summary: '公布结果：锁定记录，当选人成为新一届班子成员', params: ResultParams, body: AnnounceBody, response: { 200: ResultReply, ...errors } },
    handler: (req) => results.announce(app.db, ctxOf(req), req.params.id, req.body.version, req.body.links),
  })
  app.post('/:id/correct', {
    config: { roles: announcers },
    schema: { tags, summary: '更正已公布的结果：新建一份引用原记录的计票记录，须重新录入、核对、公布', params: ResultParams, body: CorrectBody, response: { 201: ResultReply, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await results.correct(app.db, ctxOf(req), req.params.id, req.body.reason, req.body.basis)),
  })
  app.post('/:id/next-round', {
    config: { roles: announcers },
    schema: {
      tags,
      summary: '发起重新投票（得票相等）或另行选举（未选足），候选人预先填好',
      params: ResultParams,
      body: NextRoundBody,
      response: { 201: ElectionDetail, ...errors },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(req)
      const id = await results.nextRound(app.db, ctx, req.params.id, req.body.kind, req.body.heldOn)
      return reply.code(201).send(await service.getElection(app.db, ctx, id))
    },
  })
  app.get('/:id/tally-input', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '导出计票输入（huanjie tally 的 JSON 格式），可离线独立复核',
      params: ResultParams,
      response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errors },
    },
    handler: (req) => results.tallyInput(app.db, ctxOf(req), req.params.id),
  })
  app.get('/:id/:kind.:format', {
    config: { roles: readers },
    schema: {
      tags,
      summary: '选举文书：announcement 选举结果公告（公布后）、report 选举结果报告单、count-sheet 计票单；docx 或 pdf',
      params: Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }), kind: Type.Enum(['announcement', 'report', 'count-sheet']), format: Type.Enum(['docx', 'pdf']) }),
      response: { 200: FileReply, ...errors },
    },
    handler: async (req, reply) => {
      const f = await files.resultDocument(app.db, ctxOf(req), req.params.id, req.params.kind, req.params.format)
      return sendFile(reply, f.data, f.name, mime[req.params.format])
    },
  })
}

export const tallyRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { roles: readers },
    schema: { tags, summary: '本县计票规则（默认值与本县调整）', response: { 200: TallyRulesReply, ...errors } },
    handler: (req) => service.getRules(app.db, ctxOf(req)),
  })
  app.put('/', {
    config: { roles: ['county_admin'] },
    schema: { tags, summary: '调整本县计票规则（县级管理员）', body: TallyRulesBody, response: { 200: TallyRulesReply, ...errors } },
    handler: (req) => service.saveRules(app.db, ctxOf(req), req.body.overrides),
  })
}
