import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formDocx, formPdf, type FormDoc } from './form-doc.ts'
import { zipEntry } from '../../../test/helpers/zip.ts'

/** The PDF's text through poppler's pdftotext, or undefined on a machine without it. */
function pdfText(pdf: Buffer): string | undefined {
  const tool = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p))
  if (!tool) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'pdftext-'))
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf)
    return execFileSync(tool, ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0

const FOOTER = '结果指纹 8f3a9c0e1d2b4a5f · 审计链 42:ab12cd34'

const sheet = (rows = 3): FormDoc => ({
  title: '东营子村村民委员会选举计票单',
  subtitle: '（2026年3月18日选举大会）',
  footer: FOOTER,
  blocks: [
    { kind: 'paragraph', text: '本次选举大会依法召开，计票结果如下。', indent: true },
    { kind: 'heading', text: '一、投票情况' },
    { kind: 'fields', pairs: [['应到人数', '1234'], ['实到人数', '1100'], ['有效票', '1090']], columns: 2 },
    { kind: 'heading', text: '二、得票情况' },
    {
      kind: 'table',
      columns: ['序号', '姓名', '得票数'],
      rows: [['1', '<script>alert(1)</script>', '900'], ['2', '=1+1', '899'], ...Array.from({ length: rows - 2 }, (_, i) => [String(i + 3), `候选人${i + 3}`, String(898 - i)])],
      widths: [1, 3, 2],
    },
    { kind: 'signatures', lines: [{ label: '计票人：' }, { label: '监票人：', names: '张三、李四' }] },
    { kind: 'spacer' },
    { kind: 'paragraph', text: '东营子村村民选举委员会', align: 'right', bold: true },
  ],
})

describe('formDocx', () => {
  it('writes the title, cells and footer as literal text in the official fonts', async () => {
    const docx = await formDocx(sheet())
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK')
    const xml = zipEntry(docx, 'word/document.xml') ?? ''
    expect(xml).toContain('东营子村村民委员会选举计票单')
    expect(xml).toContain('候选人3')
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(xml).not.toContain('<script>')
    expect(xml).toContain('>=1+1<')
    expect(xml).toContain('张三、李四')
    expect(xml).toContain('________________')
    for (const font of ['方正小标宋简体', '仿宋_GB2312', '黑体']) expect(xml).toContain(`w:eastAsia="${font}"`)
    // GB/T 9704 margins in twips: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1985" w:left="1588"/)
    // The header row repeats on each page.
    expect(xml).toContain('<w:tblHeader/>')
    // Word keeps a footer in its own part, referenced from the section.
    expect(xml).toContain('<w:footerReference')
    const footers = ['word/footer1.xml', 'word/footer2.xml', 'word/footer3.xml'].map((f) => zipEntry(docx, f) ?? '').join('')
    expect(footers).toContain(FOOTER)
    expect(footers).toContain('PAGE')
  })

  it('turns the page for landscape and keeps the paper A4', async () => {
    const xml = zipEntry(await formDocx({ ...sheet(), orientation: 'landscape' }), 'word/document.xml') ?? ''
    expect(xml).toMatch(/<w:pgSz w:w="16840" w:h="11907" w:orient="landscape"/)
  })

  it('refuses a table row wider than its columns, and widths that do not match', async () => {
    const table = (rows: string[][], widths?: number[]): FormDoc => ({ title: 't', blocks: [{ kind: 'table', columns: ['a', 'b'], rows, widths }] })
    await expect(formDocx(table([['1', '2', '3']]))).rejects.toThrow(/more cells than columns/)
    await expect(formPdf(table([['1']], [1, 2, 3]))).rejects.toThrow(/widths/)
    // A short row is only blank cells at its end.
    expect(zipEntry(await formDocx(table([['only']])), 'word/document.xml')).toContain('only')
  })
})

describe('formPdf', () => {
  it('is a PDF with the fonts embedded and the text, footer and page numbers in it', async () => {
    const pdf = await formPdf(sheet())
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.length).toBeGreaterThan(10_000)
    expect(pdf.toString('latin1')).toContain('/FontFile')
    expect(pageCount(pdf)).toBe(1)
    const text = pdfText(pdf)
    if (text === undefined) return // no poppler here: the docx test above has checked the text
    for (const s of ['东营子村村民委员会选举计票单', '候选人3', '<script>alert(1)</script>', '=1+1', '张三、李四', FOOTER]) expect(text).toContain(s)
    // pdftotext drops the thin gaps between the digits and the CJK around them.
    expect(text.replace(/\s/g, '')).toContain('第1页共1页')
  })

  it('repeats the table header and the footer on every page of a long table', async () => {
    const pdf = await formPdf({ ...sheet(60), orientation: 'landscape' })
    const pages = pageCount(pdf)
    expect(pages).toBeGreaterThan(2)
    const text = pdfText(pdf)
    if (text === undefined) return
    expect(text.split('得票数').length - 1).toBe(pages)
    expect(text.split(FOOTER).length - 1).toBe(pages)
    expect(text.replace(/\s/g, '')).toContain(`第${pages}页共${pages}页`)
  })
})
