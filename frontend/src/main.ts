import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { makeI18n } from './i18n';
import { makeRouter } from './router';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
const i18n = makeI18n();
document.documentElement.lang = i18n.global.locale.value;
app.use(i18n);
app.use(makeRouter());
app.mount('#app');
