import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Layout state: whether the side menu is folded (desktop) or its drawer open (phone). */
export const useAppStore = defineStore('app', () => {
  const collapsed = ref(false)
  const drawerOpen = ref(false)

  function reset(): void {
    collapsed.value = false
    drawerOpen.value = false
  }

  return { collapsed, drawerOpen, reset }
})
