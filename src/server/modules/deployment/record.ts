/**
 * 会议记录 as Word: the meeting's facts, who attended, the minutes and the decisions with their
 * owners, deadlines and state — the sheet a township files with its 换届 records.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { formDocx, type Block } from '../../files/form-doc.ts'
import { chineseDate } from '../notice/documents.ts'
import { getMeeting } from './meetings.ts'

const statusText = (d: { status: string; doneOn: string | null; doneNote: string }) =>
  d.status === 'done' ? `已完成（${d.doneOn}）${d.doneNote ? `\n${d.doneNote}` : ''}` : d.status === 'overdue' ? '逾期未完成' : '推进中'

export async function meetingRecordDocx(db: Kysely<DB>, ctx: Ctx, id: string): Promise<{ data: Buffer; name: string }> {
  const m = await getMeeting(db, ctx, id)
  const paragraphs = (t: string) => t.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  const blocks: Block[] = [
    {
      kind: 'fields',
      pairs: [
        ['会议名称', m.title],
        ['会议类型', m.kindLabel],
        ['时间', chineseDate(m.heldOn)],
        ['地点', m.place || '—'],
        ['主持人', m.host || '—'],
        ['参会人数', `${m.attendeeCount}人`],
      ],
    },
    { kind: 'paragraph', text: `参会人员：${m.attendees.join('、') || '—'}`, indent: false },
    { kind: 'heading', text: '一、会议纪要' },
    ...(m.minutes ? paragraphs(m.minutes).map((text) => ({ kind: 'paragraph' as const, text, indent: true })) : [{ kind: 'paragraph' as const, text: '（未填写）', indent: true }]),
    { kind: 'heading', text: '二、议定事项' },
    m.decisions.length
      ? {
          kind: 'table',
          columns: ['序号', '议定事项', '责任人', '完成时限', '完成情况'],
          widths: [1, 6, 2, 2.4, 3],
          rows: m.decisions.map((d) => [String(d.seq), d.content, d.owner, d.deadline ?? '—', statusText(d)]),
        }
      : { kind: 'paragraph', text: '本次会议无议定事项。', indent: true },
    { kind: 'spacer' },
    { kind: 'paragraph', text: `${m.territoryName}（整理：${m.updatedBy}）`, align: 'right', indent: false },
  ]
  const title = `${m.title}会议记录`
  return { data: await formDocx({ title: '会议记录', subtitle: m.title, blocks, footer: `${m.territoryName} ${m.kindLabel}` }), name: `${title}.docx` }
}
