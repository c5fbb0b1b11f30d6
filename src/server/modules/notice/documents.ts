import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx'
import pdfmake from 'pdfmake'
import type { TFontDictionary } from 'pdfmake/interfaces.js'
import { cjkFonts, isFontFile } from '../../files/fonts.ts'

/** What a notice of qualified nominees says; built by the service, printed by either format. */
export interface NoticeContent {
  title: string
  intro: string
  columns: string[]
  rows: string[][]
  period: string
  objection: string
  contact: string
  issuer: string
  date: string
}

export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

// GB/T 9704-2012 geometry: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; body in
// 三号 仿宋 (16 pt), 22 lines a page (a fixed 28.95 pt line), titles in 二号 小标宋 (22 pt).
const mm = (x: number) => Math.round(x * 56.7)
const TITLE = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' }
const BODY = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' }
const HEAD = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' }
const line = { line: 579, lineRule: LineRuleType.EXACT }

const body = (text: string, opts: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
  new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    spacing: line,
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    children: [new TextRun({ text, font: BODY, size: 32 })],
  })

const cell = (text: string, header: boolean) =>
  new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, font: header ? HEAD : BODY, size: 28 })] })],
  })

/** An editable Word notice that names the official fonts; Word or WPS on the office PC supplies them. */
export async function noticeDocx(c: NoticeContent): Promise<Buffer> {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' }
  const doc = new Document({
    creator: 'huanjie',
    title: c.title,
    sections: [
      {
        properties: { page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) } } },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { ...line, after: 579 }, children: [new TextRun({ text: c.title, font: TITLE, size: 44 })] }),
          body(c.intro),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
            rows: [new TableRow({ tableHeader: true, children: c.columns.map((h) => cell(h, true)) }), ...c.rows.map((r) => new TableRow({ children: r.map((v) => cell(v, false)) }))],
          }),
          body(c.period),
          body(c.objection),
          body(c.contact),
          new Paragraph({ spacing: line, children: [] }),
          body(c.issuer, { indent: false, align: AlignmentType.RIGHT }),
          body(c.date, { indent: false, align: AlignmentType.RIGHT }),
        ],
      },
    ],
  })
  return Packer.toBuffer(doc)
}

let fontsReady = false

/** A PDF for archives and phones, with Noto Serif CJK embedded as a subset (there is no free 仿宋). */
export async function noticePdf(c: NoticeContent): Promise<Buffer> {
  if (!fontsReady) {
    // A font entry may be [file, face name] to pick a face out of a .ttc (pdfmake 0.3); the types predate it.
    pdfmake.setFonts(cjkFonts() as unknown as TFontDictionary)
    pdfmake.setLocalAccessPolicy((p: string) => isFontFile(p))
    pdfmake.setUrlAccessPolicy(() => false)
    fontsReady = true
  }
  const pt = (mmValue: number) => (mmValue * 72) / 25.4
  const doc = pdfmake.createPdf({
    info: { title: c.title, creator: 'huanjie' },
    pageSize: 'A4',
    pageMargins: [pt(28), pt(37), pt(26), pt(35)],
    defaultStyle: { font: 'NotoSerif', fontSize: 16, lineHeight: 1.45 },
    content: [
      { text: c.title, font: 'NotoSerif', bold: true, fontSize: 22, alignment: 'center', margin: [0, 0, 0, 16] },
      { text: `\u3000\u3000${c.intro}`, alignment: 'justify' },
      {
        margin: [0, 8, 0, 8],
        table: {
          headerRows: 1,
          widths: c.columns.map(() => '*'),
          body: [c.columns.map((h) => ({ text: h, font: 'NotoSans', bold: true, fontSize: 13, alignment: 'center' as const })), ...c.rows.map((r) => r.map((v) => ({ text: v, fontSize: 13, alignment: 'center' as const })))],
        },
      },
      { text: `\u3000\u3000${c.period}`, alignment: 'justify' },
      { text: `\u3000\u3000${c.objection}`, alignment: 'justify' },
      { text: `\u3000\u3000${c.contact}`, alignment: 'justify' },
      { text: c.issuer, alignment: 'right', margin: [0, 32, 0, 0] },
      { text: c.date, alignment: 'right' },
    ],
  })
  return doc.getBuffer()
}
