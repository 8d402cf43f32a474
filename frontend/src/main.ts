import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { makeI18n } from './i18n';
import { inDesktopApp } from './platform/server';
import { makeRouter } from './router';
import { applyTheme, startLocale, useSettingsStore } from './stores/settings';
import './styles.css';
import './styles/theme.css';

async function boot(): Promise<void> {
  // The desktop app first learns its server (the API base) before anything calls it.
  const desktop = inDesktopApp() ? await import('./platform/desktop') : null;
  await desktop?.startDesktop();
  const app = createApp(App);
  app.use(createPinia());
  const i18n = makeI18n(startLocale());
  app.use(i18n);
  // The saved theme and language apply before the first paint of the app.
  const settings = useSettingsStore();
  applyTheme(settings.theme);
  settings.bindI18n(i18n.global.locale);
  const router = makeRouter();
  app.use(router);
  app.mount('#app');
  desktop?.wireDesktop(router, i18n.global);
}

void boot();
