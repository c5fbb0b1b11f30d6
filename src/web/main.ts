import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles/index.css'
import App from './App.vue'
import { router } from './router/index.ts'
import { configureHttp } from './api/http.ts'
import { useUserStore } from './stores/user.ts'
import { resetAllStores } from './stores/index.ts'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)
app.use(ElementPlus, { locale: zhCn })

// The http client knows nothing about routing; it is told here what to do when the session ends.
configureHttp({
  onUnauthenticated() {
    resetAllStores()
    const current = router.currentRoute.value
    if (current.name === 'login') return
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  },
  onPasswordChangeRequired() {
    const user = useUserStore(pinia)
    user.markPasswordChangeRequired()
    if (router.currentRoute.value.name !== 'password') void router.replace({ name: 'password' })
  },
})

app.mount('#app')
