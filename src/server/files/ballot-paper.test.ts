import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../http/errors.ts'
import { ballotPaperPdf, type BallotPaper } from './ballot-paper.ts'

/** Page objects, not the /Pages tree: pdfkit writes them uncompressed. */
const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0

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

const paper = (sections: BallotPaper['sections']): BallotPaper => ({
  title: '东营子村党支部委员会委员选举选票',
  instructions: ['一、在候选人姓名后的“赞成”“不赞成”“弃权”栏内只能选一栏画“○”，多画或不画的，该候选人得票无效。', '二、不同意候选人的，可以在“另选人”栏内写上其他党员的姓名。'],
  sections,
  options: ['赞成', '不赞成', '弃权'],
  footer: '东营子村党支部党员大会　2026年3月18日',
})

// Not in any sorted order, so a re-sort would show.
const names = ['赵六', '王五', '<script>', '=1+1', '李四']
const committee = paper([{ heading: '委员', seats: 5, candidates: names, writeInLines: 3 }])

describe('ballotPaperPdf', () => {
  it('prints one A4 page per copy', async () => {
    const pdf = await ballotPaperPdf(committee, 3)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pageCount(pdf)).toBe(3)
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/)
  })

  it('prints the names in the order given, literally, with the seats and the write-in rows', async () => {
    const text = pdfText(await ballotPaperPdf(committee, 1))
    if (text === undefined) return // no poppler here: page count and refusals are still checked
    expect(text).toContain('东营子村党支部委员会委员选举选票')
    expect(text).toContain('填写说明')
    expect(text).toContain('委员（应选 5 名）')
    for (const h of ['序号', '候选人姓名', '赞成', '不赞成', '弃权']) expect(text).toContain(h)
    const at = names.map((n) => text.indexOf(n))
    expect(at.every((i) => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(text.split('另选人').length - 1).toBe(3 + 1) // three rows, and once in the instructions
    expect(text).toContain('2026年3月18日')
  })

  it('fits a full village ballot of three sections on one page a copy', async () => {
    const full = paper([
      { heading: '主任', seats: 1, candidates: ['王志刚', '李秀英'], writeInLines: 1 },
      { heading: '副主任', seats: 1, candidates: ['赵国庆', '孙丽'], writeInLines: 1 },
      { heading: '委员', seats: 7, candidates: Array.from({ length: 12 }, (_, i) => `委员候选人${i + 1}`), writeInLines: 7 },
    ])
    expect(pageCount(await ballotPaperPdf(full, 2))).toBe(2)
  })

  it('refuses a ballot that cannot fit on one page, rather than print a copy on two sheets', async () => {
    const huge = paper([{ heading: '委员', seats: 5, candidates: Array.from({ length: 40 }, (_, i) => `候选人${i}`), writeInLines: 5 }])
    const err = await ballotPaperPdf(huge, 1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DomainError)
    expect((err as DomainError).status).toBe(422)
    expect((err as DomainError).message).toContain('排不下')
  })

  it('refuses copies outside 1 to 2000 and malformed sections', async () => {
    for (const copies of [0, 2001, -1, 1.5, Number.NaN]) await expect(ballotPaperPdf(committee, copies)).rejects.toBeInstanceOf(RangeError)
    await expect(ballotPaperPdf(paper([{ heading: '委员', seats: 0, candidates: names, writeInLines: 0 }]), 1)).rejects.toBeInstanceOf(RangeError)
    await expect(ballotPaperPdf(paper([{ heading: '委员', seats: 1, candidates: names, writeInLines: -1 }]), 1)).rejects.toBeInstanceOf(RangeError)
  })

  it('keeps 500 copies small: the fonts once, a few KB a page', async () => {
    const pdf = await ballotPaperPdf(committee, 500)
    expect(pageCount(pdf)).toBe(500)
    expect(pdf.length).toBeLessThan(3 * 1024 * 1024)
  })
})
