import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { RoleName } from '../../shared/roles.ts'
import { AuthAPI, type Me } from '../api/auth.ts'

/**
 * The signed-in user, in memory only: the session itself is an httpOnly cookie, and nothing about
 * the user is written to localStorage or sessionStorage.
 */
export const useUserStore = defineStore('user', () => {
  const me = ref<Me | null>(null)
  /** True once /api/auth/me has been asked in this page load (signed in or not). */
  const loaded = ref(false)
  let pending: Promise<Me | null> | null = null

  const role = computed<RoleName | null>(() => me.value?.role ?? null)
  const signedIn = computed(() => me.value !== null)

  function hasRole(...roles: RoleName[]): boolean {
    return role.value !== null && roles.includes(role.value)
  }

  /** Asks the server who is signed in, once; later calls reuse the answer. */
  function load(): Promise<Me | null> {
    if (loaded.value) return Promise.resolve(me.value)
    pending ??= AuthAPI.me()
      .then((m) => (me.value = m))
      .catch(() => (me.value = null))
      .finally(() => {
        loaded.value = true
        pending = null
      })
    return pending
  }

  async function login(username: string, password: string): Promise<Me> {
    const m = await AuthAPI.login(username, password)
    me.value = m
    loaded.value = true
    return m
  }

  async function logout(): Promise<void> {
    try {
      await AuthAPI.logout()
    } finally {
      reset()
      loaded.value = true
    }
  }

  function markPasswordChangeRequired(): void {
    if (me.value) me.value = { ...me.value, mustChangePassword: true }
  }

  function markPasswordChanged(): void {
    if (me.value) me.value = { ...me.value, mustChangePassword: false }
  }

  function reset(): void {
    me.value = null
    // Loaded: the server said (or we know) nobody is signed in; the guard need not ask again.
    loaded.value = true
    pending = null
  }

  return { me, loaded, role, signedIn, hasRole, load, login, logout, markPasswordChangeRequired, markPasswordChanged, reset }
})
