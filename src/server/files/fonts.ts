import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DomainError } from '../http/errors.ts'

/**
 * Free CJK fonts from Debian's fonts-noto-cjk, embedded (as subsets) in server-side PDFs. The
 * official 公文 fonts (方正小标宋, 仿宋_GB2312) may not be redistributed, so PDFs use Noto Serif
 * CJK SC and say so; the Word version names the official fonts for the office PC to supply.
 */
export const FONT_DIR = process.env.PDF_FONT_DIR ?? '/usr/share/fonts/opentype/noto'

const files = { serif: 'NotoSerifCJK-Regular.ttc', serifBold: 'NotoSerifCJK-Bold.ttc', sans: 'NotoSansCJK-Regular.ttc', sansBold: 'NotoSansCJK-Bold.ttc' }

export function cjkFonts() {
  const path = (f: string) => join(FONT_DIR, f)
  const missing = Object.values(files).filter((f) => !existsSync(path(f)))
  if (missing.length) throw new DomainError(503, 'INTERNAL', `服务器未安装中文字体（Debian 软件包 fonts-noto-cjk），暂时不能生成 PDF，请下载 Word 版，或请管理员安装字体`)
  // A .ttc holds several faces: pick the Simplified Chinese one by its PostScript name.
  return {
    NotoSerif: { normal: [path(files.serif), 'NotoSerifCJKsc-Regular'], bold: [path(files.serifBold), 'NotoSerifCJKsc-Bold'] },
    NotoSans: { normal: [path(files.sans), 'NotoSansCJKsc-Regular'], bold: [path(files.sansBold), 'NotoSansCJKsc-Bold'] },
  }
}

export function isFontFile(p: string): boolean {
  return p.startsWith(FONT_DIR + '/') && Object.values(files).some((f) => p === join(FONT_DIR, f))
}
