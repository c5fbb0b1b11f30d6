import { ElMessage } from 'element-plus'
import { send, type Query } from '../api/http.ts'

/** `attachment; filename*=UTF-8''%E5%8C%BA%E5%88%92.xlsx` → 区划.xlsx (falls back to filename="…"). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // a malformed escape: try the plain form below
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain?.[1]?.trim() || fallback
}

export function isWeChat(): boolean {
  return /MicroMessenger/i.test(navigator.userAgent)
}

/**
 * Downloads a file from a GET endpoint through fetch → blob → object URL, so errors come back as
 * the usual Chinese messages instead of a page of JSON. WeChat's browser cannot save blobs: say so.
 */
export async function downloadFile(path: string, query?: Query, fallbackName = '下载文件.xlsx'): Promise<void> {
  const res = await send(path, { query })
  if (isWeChat()) {
    ElMessage({ type: 'warning', message: '请点击右上角，在浏览器中打开后再下载', duration: 6000 })
  }
  const blob = await res.blob()
  const name = filenameFromDisposition(res.headers.get('Content-Disposition'), fallbackName)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}
