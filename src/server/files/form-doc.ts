import { AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType } from 'docx'
import pdfmake from 'pdfmake'
import type { Content, TableCell as PdfCell, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js'
import { cjkFonts, isFontFile } from './fonts.ts'

/** The few shapes the election documents (计票单, 选举结果公告, 选举结果报告单) are made of. */
export type Block =
  | { kind: 'paragraph'; text: string; align?: 'left' | 'right' | 'center'; indent?: boolean; bold?: boolean }
  | { kind: 'heading'; text: string }
  | { kind: 'fields'; pairs: [string, string][]; columns?: 2 | 3 }
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] }
  | { kind: 'signatures'; lines: { label: string; names?: string }[] }
  | { kind: 'spacer' }

export interface FormDoc {
  title: string
  subtitle?: string
  blocks: Block[]
  /** Printed small at the foot of every page, e.g. the result fingerprint and audit-chain head. */
  footer?: string
  orientation?: 'portrait' | 'landscape'
}

// GB/T 9704-2012 geometry: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; body in
// 三号 (16 pt) on a fixed 28.95 pt line, title in 二号 (22 pt). A landscape page is the portrait one
// turned so that the table head lies on the binding edge (GB/T 9704 §10.1): its margins turn too.
const PORTRAIT = { top: 37, bottom: 35, left: 28, right: 26 }
const LANDSCAPE = { top: 28, bottom: 26, left: 35, right: 37 }
const margins = (doc: FormDoc) => (doc.orientation === 'landscape' ? LANDSCAPE : PORTRAIT)
const contentWidthMm = (doc: FormDoc) => (doc.orientation === 'landscape' ? 297 : 210) - margins(doc).left - margins(doc).right
const SIGN_LINE = '________________'

/** Tables drop from 四号 to 小四 when their cells get narrow, so a 计票单 with many columns still fits. */
const smallTable = (doc: FormDoc, cells: number) => cells > (doc.orientation === 'landscape' ? 9 : 6)

/** [label, value, label, value …] rows, the last padded, with labels narrower than values. */
function fieldGrid(pairs: [string, string][], columns: number) {
  const rows: string[][] = []
  for (let i = 0; i < pairs.length; i += columns) {
    rows.push(Array.from({ length: columns }, (_, j) => pairs[i + j] ?? ['', '']).flat())
  }
  return { rows, weights: Array.from({ length: columns }, () => [2, 3]).flat() }
}

function tableRows(b: Extract<Block, { kind: 'table' }>): { rows: string[][]; weights: number[] } {
  if (b.widths && b.widths.length !== b.columns.length) throw new Error(`table widths has ${b.widths.length} entries for ${b.columns.length} columns`)
  // A longer row would silently lose data; a shorter one is only blank cells at its end.
  if (b.rows.some((r) => r.length > b.columns.length)) throw new Error('table row has more cells than columns')
  return { rows: b.rows.map((r) => b.columns.map((_, i) => r[i] ?? '')), weights: b.widths ?? b.columns.map(() => 1) }
}

// ---- Word ---------------------------------------------------------------------------------------

const twip = (mm: number) => Math.round(mm * 56.7)
const face = (eastAsia: string) => ({ eastAsia, ascii: 'Times New Roman', hAnsi: 'Times New Roman' })
const TITLE = face('方正小标宋简体')
const BODY = face('仿宋_GB2312')
const HEAD = face('黑体')
// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 小五 9 pt.
const HALF_PT = { title: 44, body: 32, table: 28, tableSmall: 24, footer: 18 }
const LINE = { line: 579, lineRule: LineRuleType.EXACT }
const ALIGN = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER }

/** Line breaks in the text become Word line breaks; everything else is literal (docx escapes XML). */
const runs = (text: string, style: { font: typeof BODY; size: number; bold?: boolean }) =>
  text.split(/\r?\n/).map((t, i) => new TextRun({ ...style, text: t, break: i > 0 ? 1 : undefined }))

function wordTable(doc: FormDoc, header: string[] | undefined, rows: string[][], weights: number[]): Table {
  const total = twip(contentWidthMm(doc))
  const sum = weights.reduce((a, w) => a + w, 0)
  const widths = weights.map((w) => Math.floor((total * w) / sum))
  const size = smallTable(doc, weights.length) ? HALF_PT.tableSmall : HALF_PT.table
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      // Word's cells have no space above and below the text by default: 1 mm keeps rows readable.
      margins: { top: 57, bottom: 57 },
      children: [new Paragraph({ alignment: AlignmentType.CENTER, children: runs(text, { font: head ? HEAD : BODY, size }) })],
    })
  return new Table({
    width: { size: total, type: WidthType.DXA },
    columnWidths: widths,
    // Fixed: a long name wraps inside its column instead of pushing the table past the margin.
    layout: TableLayoutType.FIXED,
    rows: [
      ...(header ? [new TableRow({ tableHeader: true, cantSplit: true, children: header.map((h, i) => cell(h, i, true)) })] : []),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, i, false)) })),
    ],
  })
}

function wordBlocks(doc: FormDoc, b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'paragraph':
      return [
        new Paragraph({
          alignment: b.align ? ALIGN[b.align] : AlignmentType.JUSTIFIED,
          spacing: LINE,
          indent: b.indent ? { firstLine: 640 } : undefined,
          children: runs(b.text, { font: BODY, size: HALF_PT.body, bold: b.bold }),
        }),
      ]
    case 'heading':
      return [new Paragraph({ spacing: LINE, children: runs(b.text, { font: HEAD, size: HALF_PT.body }) })]
    case 'fields': {
      const g = fieldGrid(b.pairs, b.columns ?? 2)
      return [wordTable(doc, undefined, g.rows, g.weights)]
    }
    case 'table': {
      const t = tableRows(b)
      return [wordTable(doc, b.columns, t.rows, t.weights)]
    }
    case 'signatures':
      return b.lines.map(
        (l) =>
          new Paragraph({
            spacing: { ...LINE, before: 290 },
            children: [...runs(l.label, { font: BODY, size: HALF_PT.body }), ...runs(l.names ?? SIGN_LINE, { font: BODY, size: HALF_PT.body })],
          }),
      )
    case 'spacer':
      return [new Paragraph({ spacing: LINE, children: [] })]
  }
}

/** An editable Word document naming the official 公文 fonts; Word or WPS on the office PC supplies them. */
export async function formDocx(doc: FormDoc): Promise<Buffer> {
  const m = margins(doc)
  const small = { font: BODY, size: HALF_PT.footer }
  const footer = new Footer({
    children: [
      ...(doc.footer ? [new Paragraph({ alignment: AlignmentType.CENTER, children: runs(doc.footer, small) })] : []),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ ...small, children: ['第 ', PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'] })] }),
    ],
  })
  const word = new Document({
    creator: 'huanjie',
    title: doc.title,
    // Empty paragraphs (spacers) take the body font too, so the 28.95 pt line grid holds.
    styles: { default: { document: { run: { font: BODY, size: HALF_PT.body } } } },
    sections: [
      {
        properties: {
          page: {
            // docx swaps width and height itself for landscape.
            size: { width: twip(210), height: twip(297), orientation: doc.orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
            // Word measures the footer from the paper's edge: 18 mm inside the bottom margin keeps its two small lines clear of the body.
            margin: { top: twip(m.top), bottom: twip(m.bottom), left: twip(m.left), right: twip(m.right), header: twip(15), footer: twip(m.bottom - 18) },
          },
        },
        footers: { default: footer },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { ...LINE, after: doc.subtitle ? 0 : 579 }, children: runs(doc.title, { font: TITLE, size: HALF_PT.title }) }),
          ...(doc.subtitle ? [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { ...LINE, after: 579 }, children: runs(doc.subtitle, { font: BODY, size: HALF_PT.body }) })] : []),
          ...doc.blocks.flatMap((b) => wordBlocks(doc, b)),
        ],
      },
    ],
  })
  return Packer.toBuffer(word)
}

// ---- PDF ----------------------------------------------------------------------------------------

export const pt = (mm: number) => (mm * 72) / 25.4

let pdfFontsReady = false

/**
 * pdfmake is one shared instance: give it the Noto CJK fonts and allow no other file or URL. The
 * same setup as notice/documents.ts, which keeps its own copy; files/ must not depend on a module.
 */
export function cjkPdfmake(): typeof pdfmake {
  if (!pdfFontsReady) {
    // A font entry may be [file, face name] to pick a face out of a .ttc (pdfmake 0.3); the types predate it.
    pdfmake.setFonts(cjkFonts() as unknown as TFontDictionary)
    pdfmake.setLocalAccessPolicy((p: string) => isFontFile(p))
    pdfmake.setUrlAccessPolicy(() => false)
    pdfFontsReady = true
  }
  return pdfmake
}

// Noto CJK's line box is about 1.45 em; 1.25 of it puts 16 pt lines close to Word's fixed 28.95 pt.
const PDF = { title: 22, body: 16, table: 14, tableSmall: 12, footer: 8, lineHeight: 1.25 }

function pdfTable(doc: FormDoc, header: string[] | undefined, rows: string[][], weights: number[]): Content {
  const sum = weights.reduce((a, w) => a + w, 0)
  const fontSize = smallTable(doc, weights.length) ? PDF.tableSmall : PDF.table
  const cell = (text: string, head: boolean): PdfCell => ({ text, alignment: 'center', verticalAlignment: 'middle', ...(head ? { font: 'NotoSans', bold: true } : {}) })
  return {
    margin: [0, 4, 0, 4],
    fontSize,
    lineHeight: 1.1,
    table: {
      headerRows: header ? 1 : 0,
      dontBreakRows: true,
      widths: weights.map((w) => `${((100 * w) / sum).toFixed(4)}%`),
      body: [...(header ? [header.map((h) => cell(h, true))] : []), ...rows.map((r) => r.map((v) => cell(v, false)))],
    },
  }
}

function pdfBlock(doc: FormDoc, b: Block): Content {
  switch (b.kind) {
    case 'paragraph':
      return { text: b.text, alignment: b.align ?? 'justify', leadingIndent: b.indent ? 2 * PDF.body : 0, bold: b.bold ?? false }
    case 'heading':
      return { text: b.text, font: 'NotoSans', bold: true, margin: [0, 4, 0, 0] }
    case 'fields': {
      const g = fieldGrid(b.pairs, b.columns ?? 2)
      return pdfTable(doc, undefined, g.rows, g.weights)
    }
    case 'table': {
      const t = tableRows(b)
      return pdfTable(doc, b.columns, t.rows, t.weights)
    }
    case 'signatures':
      return { stack: b.lines.map((l) => ({ text: [l.label, l.names ?? SIGN_LINE], margin: [0, 14, 0, 0] })) }
    case 'spacer':
      return { text: ' ' }
  }
}

/** A PDF for archives and phones, with Noto CJK embedded as a subset (there is no free 仿宋). */
export async function formPdf(doc: FormDoc): Promise<Buffer> {
  const m = margins(doc)
  const definition: TDocumentDefinitions = {
    info: { title: doc.title, creator: 'huanjie' },
    pageSize: 'A4',
    pageOrientation: doc.orientation ?? 'portrait',
    pageMargins: [pt(m.left), pt(m.top), pt(m.right), pt(m.bottom)],
    defaultStyle: { font: 'NotoSerif', fontSize: PDF.body, lineHeight: PDF.lineHeight },
    // 7 mm below the body, as GB/T 9704 places the page number.
    footer: (page, pages) => ({
      margin: [pt(m.left), pt(7), pt(m.right), 0],
      font: 'NotoSans',
      fontSize: PDF.footer,
      lineHeight: 1,
      alignment: 'center',
      stack: [...(doc.footer ? [doc.footer] : []), `第 ${page} 页 共 ${pages} 页`],
    }),
    content: [
      { text: doc.title, bold: true, fontSize: PDF.title, alignment: 'center', margin: [0, 0, 0, doc.subtitle ? 4 : 16] },
      ...(doc.subtitle ? [{ text: doc.subtitle, alignment: 'center' as const, margin: [0, 0, 0, 16] as [number, number, number, number] }] : []),
      ...doc.blocks.map((b) => pdfBlock(doc, b)),
    ],
  }
  return cjkPdfmake().createPdf(definition).getBuffer()
}
