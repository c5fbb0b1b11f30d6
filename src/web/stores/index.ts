import { useAppStore } from './app.ts'
import { useDictionaryStore } from './dictionary.ts'
import { useTerritoryStore } from './territory.ts'
import { useUserStore } from './user.ts'

/** Clears every store, so nothing of the last user stays in memory after logout or a lost session. */
export function resetAllStores(): void {
  useUserStore().reset()
  useTerritoryStore().reset()
  useAppStore().reset()
  useDictionaryStore().reset()
}
