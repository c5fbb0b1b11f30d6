import type { Static } from 'typebox'
import type { AlertSettingsBody, AlertSettingsReply, AlertsReply } from '../../server/modules/alert/schemas.ts'
import { http } from './http.ts'

/** The server's reply shapes, imported (type-only) so the two cannot drift apart. */
export type Alerts = Static<typeof AlertsReply>
export type AlertSettings = Static<typeof AlertSettingsReply>
export type AlertSettingsInput = Static<typeof AlertSettingsBody>

export const AlertAPI = {
  today: () => http.get<Alerts>('/api/alerts', undefined, { quietCodes: ['RULE'] }),
  settings: () => http.get<AlertSettings>('/api/alert-settings'),
  saveSettings: (body: AlertSettingsInput) => http.put<AlertSettings>('/api/alert-settings', body, { quietCodes: ['VALIDATION', 'VERSION_CONFLICT'] }),
}
