import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { ruleViolation } from '../http/errors.ts'
import { cjkPdfmake, pt } from './form-doc.ts'

export interface BallotPaper {
  /** e.g. "东营子村党支部委员会委员选举选票" */
  title: string
  /** The lines of 填写说明, printed under the title after that label. */
  instructions: string[]
  /** Candidates in the order given, which is the order printed: never re-sorted here. */
  sections: { heading: string; seats: number; candidates: string[]; writeInLines: number }[]
  /** The three mark columns after each name, usually ['赞成', '不赞成', '弃权']. */
  options: [string, string, string]
  /** Printed at the foot of the page, e.g. "年  月  日" or the meeting name. */
  footer?: string
}

export const MAX_COPIES = 2000

// A4 portrait with 15 mm margins (20 mm at the foot, which holds the footer); sizes in pt.
const PAGE = { width: pt(210 - 30), height: pt(297 - 15 - 20) }
const FONT = { title: 20, text: 10.5, heading: 14, head: 12, name: 14, number: 12, footer: 12 }
// Noto CJK's line box is 1.437 em (serif) or 1.448 em (sans); 1.5 leaves room for rounding.
const EM_LINE = 1.5
// Row heights: 10 mm boxes when the page has room, never below 6 mm (still room for a ○ or ×).
const ROW = { max: pt(10), min: pt(6), head: pt(7) }
// Cells are centred vertically in rows of a set height, so they need no padding above or below:
// what a row adds to its set height is then only its 1 pt rule.
const LAYOUT: CustomTableLayout = { paddingTop: () => 0, paddingBottom: () => 0 }
const ROW_EXTRA = 1
const NUMBER_WIDTH = pt(14)
const BOX_WIDTH = pt(20)

// The name column takes what the others leave: 4 pt padding each side of 5 cells, 6 rules of 1 pt.
const NAME_WIDTH = PAGE.width - NUMBER_WIDTH - 3 * BOX_WIDTH - 5 * 8 - 6

/** Lines a text takes at a font size in a width: CJK glyphs are 1 em, ASCII 0.7 em on average. */
function lines(text: string, size: number, width = PAGE.width): number {
  const ems = [...text].reduce((sum, c) => sum + (c.charCodeAt(0) < 0x80 ? 0.7 : 1), 0)
  // Breaking at word and punctuation boundaries wastes some of each line.
  return Math.max(1, Math.ceil((ems * size) / (width * 0.9)))
}

const heading = (s: BallotPaper['sections'][number]) => `${s.heading}（应选 ${s.seats} 名）`

/**
 * The box row height that fits one copy on one page. Estimated from font metrics rather than by
 * laying the page out, so 2000 copies cost one layout each; ballotPaperPdf checks the page count.
 */
function rowHeight(paper: BallotPaper): number {
  const line = (size: number) => size * EM_LINE
  const instructionLines = paper.instructions.reduce((n, t) => n + lines(t, FONT.text), 0)
  let fixed = line(FONT.title) * lines(paper.title, FONT.title) + 6 + line(FONT.text) * (instructionLines ? 1 + instructionLines : 0)
  let rows = 0
  for (const s of paper.sections) {
    fixed += 10 + line(FONT.heading) * lines(heading(s), FONT.heading) + 4 + ROW.head + ROW_EXTRA
    rows += s.candidates.length + s.writeInLines
    // A name may wrap: its extra lines are fixed height on top of the box row.
    fixed += s.candidates.reduce((h, c) => h + (lines(c, FONT.name, NAME_WIDTH) - 1) * line(FONT.name), 0)
  }
  const free = PAGE.height - fixed - rows * ROW_EXTRA
  const height = rows ? Math.min(ROW.max, free / rows) : ROW.max
  if (free < 0 || height < ROW.min) {
    throw ruleViolation(`选票内容一页 A4 纸排不下（共 ${rows} 行）：请减少另选人行数、缩短填写说明，或分成几张选票`)
  }
  return height
}

/** One copy's content; built afresh for each copy, since pdfmake writes layout state into the nodes. */
function page(paper: BallotPaper, h: number): Content[] {
  // Text taller than the row would stretch it past the estimate: at the smallest rows it shrinks.
  const fit = (size: number) => Math.min(size, h / EM_LINE)
  const center = (text: string, style: { font?: string; bold?: boolean; fontSize: number }): TableCell => ({ text, alignment: 'center', verticalAlignment: 'middle', ...style })
  const boxes = (): TableCell[] => paper.options.map(() => ({ text: '' }))
  return [
    { text: paper.title, font: 'NotoSerif', bold: true, fontSize: FONT.title, alignment: 'center', margin: [0, 0, 0, 6] },
    ...(paper.instructions.length ? [{ text: '填写说明：', bold: true }] : []),
    ...paper.instructions,
    ...paper.sections.map(
      (s): Content => ({
        stack: [
          { text: heading(s), font: 'NotoSans', bold: true, fontSize: FONT.heading, margin: [0, 10, 0, 4] },
          {
            layout: LAYOUT,
            table: {
              headerRows: 1,
              dontBreakRows: true,
              widths: [NUMBER_WIDTH, '*', BOX_WIDTH, BOX_WIDTH, BOX_WIDTH],
              heights: [ROW.head, ...Array.from({ length: s.candidates.length + s.writeInLines }, () => h)],
              body: [
                ['序号', '候选人姓名', ...paper.options].map((t) => center(t, { font: 'NotoSans', bold: true, fontSize: FONT.head })),
                ...s.candidates.map((name, i) => [center(String(i + 1), { fontSize: fit(FONT.number) }), center(name, { fontSize: fit(FONT.name) }), ...boxes()]),
                ...Array.from({ length: s.writeInLines }, () => [center('另选人', { fontSize: fit(FONT.text) }), { text: '' }, ...boxes()]),
              ],
            },
          },
        ],
      }),
    ),
  ]
}

function checkPaper(paper: BallotPaper, copies: number) {
  if (!Number.isInteger(copies) || copies < 1 || copies > MAX_COPIES) throw new RangeError(`copies must be a whole number from 1 to ${MAX_COPIES}, got ${copies}`)
  for (const s of paper.sections) {
    if (!Number.isInteger(s.seats) || s.seats < 1) throw new RangeError(`seats must be a whole number from 1, got ${s.seats}`)
    if (!Number.isInteger(s.writeInLines) || s.writeInLines < 0) throw new RangeError(`writeInLines must be a whole number from 0, got ${s.writeInLines}`)
  }
}

/** Counts page objects (not the /Pages tree); pdfkit writes them uncompressed. */
const pdfPageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0

/** The ballot paper, one A4 page a copy, for the printer. */
export async function ballotPaperPdf(paper: BallotPaper, copies: number): Promise<Buffer> {
  checkPaper(paper, copies)
  const h = rowHeight(paper)
  const definition: TDocumentDefinitions = {
    info: { title: paper.title, creator: 'huanjie' },
    pageSize: 'A4',
    pageMargins: [pt(15), pt(15), pt(15), pt(20)],
    defaultStyle: { font: 'NotoSerif', fontSize: FONT.text, lineHeight: 1 },
    footer: paper.footer ? () => ({ text: paper.footer ?? '', fontSize: FONT.footer, alignment: 'right', margin: [pt(15), pt(4), pt(15), 0] }) : undefined,
    content: Array.from({ length: copies }, (_, i): Content => ({ stack: page(paper, h), pageBreak: i > 0 ? 'before' : undefined })),
  }
  const pdf = await cjkPdfmake().createPdf(definition).getBuffer()
  // A copy spilling onto a second sheet would be a second ballot: never hand that to the printer.
  const pages = pdfPageCount(pdf)
  if (pages !== copies) throw new Error(`ballot layout error: ${copies} copies came out as ${pages} pages`)
  return pdf
}
