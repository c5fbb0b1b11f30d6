// Tells whether the screen is phone-sized (< 768px), shared by all components through one listener.
// It does NOT sniff the user agent, change layout by itself, or tell WeChat apart (see utils/download).
import { computed, readonly, ref } from 'vue'

const query = '(max-width: 767.98px)'
const mobile = ref(false)
let listening = false

function listen(): void {
  if (listening || typeof window === 'undefined') return
  listening = true
  const mql = window.matchMedia(query)
  mobile.value = mql.matches
  mql.addEventListener('change', (e) => (mobile.value = e.matches))
}

export function useDevice() {
  listen()
  const isMobile = readonly(mobile)
  /** Dialog width: 92% of a phone screen, else the given desktop width. */
  const dialogWidth = (desktop = '560px') => computed(() => (mobile.value ? '92%' : desktop))
  /** el-pagination layout: fewer parts on a phone. */
  const pagerLayout = computed(() => (mobile.value ? 'total, prev, pager, next' : 'total, sizes, prev, pager, next, jumper'))
  return { isMobile, dialogWidth, pagerLayout }
}
