import { http } from './http.ts'

export interface Health {
  status: string
  engine: 'pglite' | 'postgresql'
  serverVersion: string
  migration: string | null
  latestMigration: string
  time: string
}

export const HealthAPI = {
  get: () => http.get<Health>('/api/health', undefined, { silent: true }),
}
