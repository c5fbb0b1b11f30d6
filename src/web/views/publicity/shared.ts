/**
 * What the 政策宣传 pages share: the form's fields (the phone draft keeps them), the icons of the
 * channels (their names come from the server), and the photo URLs of an activity.
 */
import type { Component } from 'vue'
import { ChatDotRound, Flag, Microphone, Monitor, MoreFilled, UserFilled } from '@element-plus/icons-vue'
import { ApiError } from '../../api/http.ts'
import { PublicityAPI, type Activity, type ActivityInput } from '../../api/publicity.ts'

/** The form's fields without photos (files cannot be stored in a draft). */
export interface ActivityFields {
  unitCode: string
  channel: string
  channelOther: string
  heldOn: string
  theme: string
  reach: number
  place: string
}

export const emptyFields = (): ActivityFields => ({ unitCode: '', channel: '', channelOther: '', heldOn: '', theme: '', reach: 0, place: '' })

/** Something typed or chosen beyond what the form fills in by itself (the unit, today). */
export const hasContent = (f: ActivityFields) => !!f.channel || !!f.channelOther.trim() || !!f.theme.trim() || f.reach > 0 || !!f.place.trim()

export const toBody = (f: ActivityFields, campaign: string): ActivityInput => ({
  unitCode: f.unitCode,
  campaign,
  channel: f.channel,
  channelOther: f.channel === 'other' ? f.channelOther : '',
  heldOn: f.heldOn,
  theme: f.theme,
  reach: f.reach,
  place: f.place,
})

export const channelIcons: Record<string, Component> = { led: Monitor, banner: Flag, broadcast: Microphone, meeting: UserFilled, wechat: ChatDotRound, other: MoreFilled }

export const photosOf = (a: Activity) => a.photos.map((p) => ({ url: PublicityAPI.photoUrl(a.id, p.id), name: p.name }))

/** Whether a day can be picked: not after today, not before the round began. */
export const dayAllowed = (day: string, today: string, startsOn: string) => day <= today && day >= startsOn

/** A date picker's Date as the server's 'YYYY-MM-DD' (the picker hands local midnight). */
export const dayOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

export interface FailedPhoto {
  file: File
  reason: string
}

/** Sends photos one by one after the activity is saved: it stands whatever happens, and each photo that fails comes back with why. */
export async function sendPhotos(a: Activity, files: File[]): Promise<{ activity: Activity; failed: FailedPhoto[] }> {
  let activity = a
  const failed: FailedPhoto[] = []
  for (const file of files) {
    try {
      activity = await PublicityAPI.addPhoto(a.id, file)
    } catch (e) {
      failed.push({ file, reason: e instanceof ApiError ? (e.status === 0 ? '网络不通' : e.message) : '上传失败' })
    }
  }
  return { activity, failed }
}
