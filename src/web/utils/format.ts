const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** An ISO time as `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai, whatever the browser's zone; '' for none. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  const p: Record<string, string> = {}
  for (const part of shanghai.formatToParts(d)) p[part.type] = part.value
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** A short, readable browser name from a user agent, for narrow table cells. */
export function browserOf(ua: string): string {
  if (/MicroMessenger/i.test(ua)) return '微信'
  if (/Edg\//.test(ua)) return 'Edge'
  if (/Firefox\//.test(ua)) return 'Firefox'
  if (/Chrome\//.test(ua)) return /Mobile/.test(ua) ? 'Chrome（手机）' : 'Chrome'
  if (/Safari\//.test(ua)) return /Mobile/.test(ua) ? 'Safari（手机）' : 'Safari'
  return ua ? ua.slice(0, 24) : '未知'
}
