import { markRaw, type Component } from 'vue'
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { AlarmClock, Aim, Avatar, ChatDotRound, Edit, Files, Management, Microphone, Promotion, Reading, Bell, Calendar, DataAnalysis, EditPen, Memo, Histogram, Checked, Connection, DataLine, Document, HomeFilled, Lock, MapLocation, OfficeBuilding, Postcard, Setting, Stamp, Tickets, TrendCharts, User, UserFilled, Warning } from '@element-plus/icons-vue'
import { Notebook, Search } from '@element-plus/icons-vue'
import type { RoleName } from '../../shared/roles.ts'
import MainLayout from '../layouts/MainLayout.vue'
import { useUserStore } from '../stores/user.ts'

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title: menu item, breadcrumb and browser tab. */
    title?: string
    /** Menu icon (an @element-plus/icons-vue component). */
    icon?: Component
    /** Roles that may open the page; absent means every signed-in user. */
    roles?: RoleName[]
    /** The menu section the page sits in (基础信息, 组织部署 …); none puts it at the top. */
    group?: MenuGroup
    /** Left out of the menu. */
    hidden?: boolean
    /** Reachable without a session (login, 404). */
    public?: boolean
  }
}

/** The menu's sections, in the order the work runs. */
export const menuGroups = ['基础信息', '组织部署', '进度与三情', '人选与联审', '选举计票', '统计分析', '系统管理'] as const
export type MenuGroup = (typeof menuGroups)[number]

const icon = (c: Component) => markRaw(c)

/** The pages inside the main layout; the side menu is built from these (meta.title/icon/roles). */
export const layoutChildren: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('../views/home/index.vue'),
    meta: { title: '工作台', icon: icon(HomeFilled) },
  },
  {
    path: 'territories',
    name: 'territories',
    component: () => import('../views/territory/index.vue'),
    meta: { group: '基础信息', title: '区划管理', icon: icon(MapLocation) },
  },
  {
    path: 'people',
    name: 'people',
    component: () => import('../views/person/index.vue'),
    meta: { group: '基础信息', title: '人员信息', icon: icon(Avatar), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'posts',
    name: 'posts',
    component: () => import('../views/post/index.vue'),
    meta: { group: '基础信息', title: '现任班子', icon: icon(UserFilled), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'nominees',
    name: 'nominees',
    component: () => import('../views/nominee/index.vue'),
    meta: { group: '人选与联审', title: '人选管理', icon: icon(Stamp), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'review-batches',
    name: 'review-batches',
    component: () => import('../views/review/batches.vue'),
    meta: { group: '人选与联审', title: '资格联审', icon: icon(Checked), roles: ['county_admin', 'township_organiser', 'leader', 'auditor'] },
  },
  {
    path: 'review-overdue',
    name: 'review-overdue',
    component: () => import('../views/review/overdue.vue'),
    meta: { group: '人选与联审', title: '联审督办', icon: icon(AlarmClock), roles: ['county_admin', 'township_organiser', 'leader', 'auditor'] },
  },
  {
    path: 'review-tasks',
    name: 'review-tasks',
    component: () => import('../views/review/tasks.vue'),
    meta: { group: '人选与联审', title: '审查任务', icon: icon(Tickets), roles: ['reviewer'] },
  },
  {
    path: 'review-tasks/:id',
    name: 'review-task',
    component: () => import('../views/review/task.vue'),
    meta: { title: '填写审查结果', hidden: true, roles: ['reviewer', 'county_admin'] },
  },
  {
    path: 'notices',
    name: 'notices',
    component: () => import('../views/notice/index.vue'),
    meta: { group: '人选与联审', title: '人选公示', icon: icon(Postcard), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'elections',
    name: 'elections',
    component: () => import('../views/election/index.vue'),
    meta: { group: '选举计票', title: '选举计票', icon: icon(DataLine), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  // 选民登记 sits with the vote it is the base of (the registered count is the turnout base); the roll's
  // readers are the server's (voter/service.ts readerRoles): the department reviewer has no access.
  {
    path: 'voters',
    name: 'voters',
    component: () => import('../views/voter/index.vue'),
    meta: { group: '选举计票', title: '选民登记', icon: icon(Notebook), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'voters/lookup',
    name: 'voter-lookup',
    component: () => import('../views/voter/lookup.vue'),
    meta: { group: '选举计票', title: '选民查询', icon: icon(Search), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'elections/progress',
    name: 'election-progress',
    component: () => import('../views/election/progress.vue'),
    meta: { group: '选举计票', title: '选举进度', icon: icon(TrendCharts), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'elections/:id',
    name: 'election',
    component: () => import('../views/election/detail.vue'),
    meta: { title: '选举详情', hidden: true, roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'tally/:id',
    name: 'tally',
    component: () => import('../views/election/count.vue'),
    meta: { title: '计票', hidden: true, roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'tally-rules',
    name: 'tally-rules',
    component: () => import('../views/election/rules.vue'),
    meta: { group: '选举计票', title: '计票规则', icon: icon(Setting), roles: ['county_admin', 'township_organiser', 'leader', 'auditor'] },
  },
  {
    path: 'organisation',
    name: 'organisation',
    component: () => import('../views/organisation/index.vue'),
    meta: { group: '组织部署', title: '组织领导', icon: icon(OfficeBuilding), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'timeline',
    name: 'timeline',
    component: () => import('../views/timeline/index.vue'),
    meta: { group: '组织部署', title: '换届时间表', icon: icon(Calendar), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'reports',
    name: 'reports',
    component: () => import('../views/report/index.vue'),
    meta: { group: '进度与三情', title: '日报汇总', icon: icon(Memo), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'reports/new',
    name: 'report-file',
    component: () => import('../views/report/file.vue'),
    meta: { group: '进度与三情', title: '报送日报告', icon: icon(EditPen), roles: ['county_admin', 'township_organiser', 'contact_cadre'] },
  },
  {
    path: 'alerts',
    name: 'alerts',
    component: () => import('../views/alert/index.vue'),
    meta: { group: '进度与三情', title: '今日提醒', icon: icon(Bell), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'deployment/meetings',
    name: 'meetings',
    component: () => import('../views/deployment/meetings.vue'),
    meta: { group: '组织部署', title: '部署会议', icon: icon(Management), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'deployment/documents',
    name: 'documents',
    component: () => import('../views/deployment/documents.vue'),
    meta: { group: '组织部署', title: '文件资料', icon: icon(Files), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'deployment/qa',
    name: 'qa',
    component: () => import('../views/deployment/qa.vue'),
    meta: { group: '组织部署', title: '百问百答', icon: icon(Reading) },
  },
  {
    path: 'publicity',
    name: 'publicity',
    component: () => import('../views/publicity/index.vue'),
    meta: { group: '进度与三情', title: '政策宣传', icon: icon(Promotion), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'publicity/new',
    name: 'publicity-file',
    component: () => import('../views/publicity/file.vue'),
    meta: { group: '进度与三情', title: '登记宣传活动', icon: icon(Microphone), roles: ['county_admin', 'township_organiser', 'contact_cadre'] },
  },
  {
    path: 'situation',
    name: 'situation',
    component: () => import('../views/situation/index.vue'),
    meta: { group: '进度与三情', title: '三情研判', icon: icon(Aim), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'situation/visits',
    name: 'visits',
    component: () => import('../views/situation/visits.vue'),
    meta: { group: '进度与三情', title: '走访谈心', icon: icon(ChatDotRound), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'situation/visits/new',
    name: 'visit-file',
    component: () => import('../views/situation/visit-file.vue'),
    meta: { group: '进度与三情', title: '登记走访', icon: icon(Edit), roles: ['county_admin', 'township_organiser', 'contact_cadre'] },
  },
  {
    path: 'stats',
    name: 'stats',
    component: () => import('../views/stats/index.vue'),
    meta: { group: '统计分析', title: '换届统计', icon: icon(DataAnalysis), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'stats/units/:code',
    name: 'stats-unit',
    component: () => import('../views/stats/unit.vue'),
    meta: { title: '班子结构', hidden: true, roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'composition-rules',
    name: 'composition-rules',
    component: () => import('../views/stats/rules.vue'),
    meta: { group: '统计分析', title: '结构指标', icon: icon(Histogram), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'auditor'] },
  },
  {
    path: 'circumstances',
    name: 'circumstances',
    component: () => import('../views/circumstance/index.vue'),
    meta: { group: '基础信息', title: '负面清单', icon: icon(Warning), roles: ['county_admin', 'township_organiser', 'leader', 'contact_cadre', 'reviewer', 'auditor'] },
  },
  {
    path: 'users',
    name: 'users',
    component: () => import('../views/user/index.vue'),
    meta: { group: '系统管理', title: '用户管理', icon: icon(User), roles: ['county_admin', 'township_organiser', 'auditor'] },
  },
  {
    path: 'sessions',
    name: 'sessions',
    component: () => import('../views/session/index.vue'),
    meta: { group: '系统管理', title: '在线用户', icon: icon(Connection), roles: ['county_admin', 'township_organiser'] },
  },
  {
    path: 'login-log',
    name: 'login-log',
    component: () => import('../views/login-log/index.vue'),
    meta: { group: '系统管理', title: '登录日志', icon: icon(Document), roles: ['county_admin', 'auditor'] },
  },
  {
    path: 'audit',
    name: 'audit',
    component: () => import('../views/audit/index.vue'),
    meta: { group: '系统管理', title: '审计日志', icon: icon(Lock), roles: ['auditor'] },
  },
  {
    path: 'password',
    name: 'password',
    component: () => import('../views/password/index.vue'),
    meta: { title: '修改密码', hidden: true },
  },
]

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/login/index.vue'),
    meta: { title: '登录', public: true },
  },
  { path: '/', component: MainLayout, children: layoutChildren },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../views/error/404.vue'),
    meta: { title: '页面不存在', public: true },
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  // No scrollBehavior: the page scrolls inside el-main, and vue-router would otherwise keep
  // scroll positions (keyed by URL) in sessionStorage.
})

/** Only same-site paths are followed after login (no `//evil.example`). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login') ? value : '/'
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const user = useUserStore()
  const me = await user.load()
  if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (me.mustChangePassword && to.name !== 'password') return { name: 'password' }
  if (to.meta.roles && !to.meta.roles.includes(me.role)) return { name: 'home' }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 村（社区）“两委”换届工作系统` : '村（社区）“两委”换届工作系统'
})
