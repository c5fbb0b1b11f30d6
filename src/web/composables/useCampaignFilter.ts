// The campaign and township filter the campaign-management pages share (时间表, 日报汇总, 组织领导,
// 部署, 宣传, 三情 …): both sit in the route query, so a link or a reload shows the same view. County
// users pick a township; a township's own users (and contact cadres) always see theirs, and the
// server fixes it for them. A campaign id from an old link that no longer exists falls back to the
// current campaign.
import { computed, onMounted, ref } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import { ApiError } from '../api/http.ts'
import { StatsAPI, type Campaign } from '../api/stats.ts'
import { useTerritoryStore } from '../stores/territory.ts'
import { useUserStore } from '../stores/user.ts'

export interface CampaignQuery {
  township?: string
  campaign?: string
}

const one = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined)

/** Reads the filters from the route query; a malformed township code is ignored. */
export function readCampaignQuery(q: LocationQuery): CampaignQuery {
  const township = one(q.township)
  return { township: township && /^\d{12}$/.test(township) ? township : undefined, campaign: one(q.campaign) }
}

/**
 * `needsIt` ends the sentence shown when the county has no campaign yet: "…新建届次（如2026年换届），
 * 再安排时间表。" Loading the campaigns (and, for county users, the townships) starts on mount.
 */
export function useCampaignFilter(needsIt: string) {
  const route = useRoute()
  const router = useRouter()
  const user = useUserStore()
  const territories = useTerritoryStore()

  const campaigns = ref<Campaign[] | null>(null)
  /** Why there is nothing to show (no campaign yet, or the server said 422), in words for the user. */
  const blocked = ref('')
  const loading = ref(false)
  let ticket = 0

  const query = computed(() => readCampaignQuery(route.query))
  const isCounty = computed(() => user.me?.territoryLevel === 'county')
  const townships = computed(() => territories.rows.filter((t) => t.level === 'township' && t.status === 'active'))
  const defaultCampaign = computed(() => campaigns.value?.find((c) => c.current) ?? campaigns.value?.[0])
  const campaignId = computed(() => {
    const asked = query.value.campaign
    return asked && (campaigns.value === null || campaigns.value.some((c) => c.id === asked)) ? asked : defaultCampaign.value?.id
  })
  const township = computed(() => (isCounty.value ? query.value.township : undefined))
  /** Campaigns are loaded and there is at least one: the page may ask for its data. */
  const ready = computed(() => !!campaigns.value?.length)

  /** Changes township or campaign in the route query, keeping the page's other query keys. */
  function go(change: CampaignQuery) {
    const next: LocationQueryRaw = { ...route.query }
    const merged = { township: township.value, campaign: campaignId.value, ...change }
    for (const k of ['township', 'campaign'] as const) {
      if (merged[k]) next[k] = merged[k]
      else delete next[k]
    }
    void router.replace({ query: next })
  }

  async function loadCampaigns() {
    blocked.value = ''
    try {
      const c = await StatsAPI.campaigns()
      campaigns.value = c.items
      if (!c.items.length) blocked.value = `本县尚未设置换届届次：请县级管理员在“结构指标”页面新建届次（如2026年换届），${needsIt}`
    } catch {
      campaigns.value = []
      blocked.value = '未能读取换届届次，请稍后点击右上角刷新'
    }
  }

  /**
   * Runs one load of the page's data; only the latest call's answer is applied, so a quick change
   * of township cannot show an older answer last. A 422 (no campaign after all) becomes `blocked`;
   * anything else the http client has shown already.
   */
  async function fetchLatest<T>(fetch: () => Promise<T>, apply: (value: T) => void) {
    const mine = ++ticket
    loading.value = true
    blocked.value = ''
    try {
      const value = await fetch()
      if (mine === ticket) apply(value)
    } catch (e) {
      if (mine === ticket && e instanceof ApiError && e.status === 422) blocked.value = e.message
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  /** The refresh button: the page's data, or the campaigns when they did not arrive. */
  function refresh(load: () => unknown) {
    if (ready.value) void load()
    else void loadCampaigns()
  }

  function openCampaigns() {
    void router.push({ name: 'composition-rules', hash: '#campaigns' })
  }

  onMounted(async () => {
    if (isCounty.value) void territories.load().catch(() => {})
    await loadCampaigns()
  })

  return { campaigns, blocked, loading, query, isCounty, townships, campaignId, township, ready, go, loadCampaigns, fetchLatest, refresh, openCampaigns }
}
