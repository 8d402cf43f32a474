// What the user chose for this app: theme and language are kept in this browser
// (localStorage) and applied at once; the privacy settings live on the server
// (§6.1/§6.2). Theme and language are also written to the server so that
// another client of the same account can follow them.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { api } from '../api';
import type { UpdateSettingsRequest, UserSettings } from '../api/types';
import { browserLocale, locales, type Locale } from '../i18n';
import { useSessionStore } from './session';

export type ThemeChoice = 'light' | 'dark' | 'system';
export const themes: readonly ThemeChoice[] = ['light', 'dark', 'system'];

const THEME_KEY = 'chorus.theme';
const LOCALE_KEY = 'chorus.locale';

function safeGet(storage: Storage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeSet(storage: Storage | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // private mode or full storage: the choice still applies to this tab
  }
}

export function storedTheme(storage: Storage | undefined = globalThis.localStorage): ThemeChoice {
  const value = safeGet(storage, THEME_KEY);
  return themes.includes(value as ThemeChoice) ? (value as ThemeChoice) : 'system';
}

export function storedLocale(storage: Storage | undefined = globalThis.localStorage): Locale | null {
  const value = safeGet(storage, LOCALE_KEY);
  return locales.includes(value as Locale) ? (value as Locale) : null;
}

/** The language the app starts in: the saved choice, else the browser's. */
export function startLocale(storage: Storage | undefined = globalThis.localStorage): Locale {
  return storedLocale(storage) ?? browserLocale();
}

/** `system` leaves it to `prefers-color-scheme` (styles.css); the others force it (styles/theme.css). */
export function applyTheme(theme: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

export const useSettingsStore = defineStore('settings', () => {
  const theme = ref<ThemeChoice>(storedTheme());
  const locale = ref<Locale>(startLocale());
  /** The server's settings, once loaded. */
  const server = ref<UserSettings | null>(null);
  const loadError = ref<unknown>(null);
  let i18nLocale: { value: string } | null = null;

  // The privacy settings are the account's: the next account loads its own.
  watch(
    () => useSessionStore().loggedIn,
    (loggedIn) => {
      if (loggedIn) return;
      server.value = null;
      loadError.value = null;
    },
  );

  /** The i18n instance's locale, which `setLocale` switches (main.ts binds it). */
  function bindI18n(target: { value: string }): void {
    i18nLocale = target;
    target.value = locale.value;
    document.documentElement.lang = locale.value;
  }

  /** Writes to the server in the background; a failure only matters for the privacy settings. */
  function mirror(patch: UpdateSettingsRequest): void {
    if (!useSessionStore().loggedIn) return;
    void api.put('/settings', { body: patch }).catch(() => undefined);
  }

  function setTheme(value: ThemeChoice): void {
    theme.value = value;
    safeSet(globalThis.localStorage, THEME_KEY, value);
    applyTheme(value);
    if (value !== 'system') mirror({ theme: value });
  }

  function setLocale(value: Locale): void {
    locale.value = value;
    safeSet(globalThis.localStorage, LOCALE_KEY, value);
    if (i18nLocale) i18nLocale.value = value;
    document.documentElement.lang = value;
    mirror({ language: value });
  }

  async function load(): Promise<void> {
    try {
      server.value = await api.get('/settings');
      loadError.value = null;
    } catch (e) {
      loadError.value = e;
    }
  }

  /** Changes server settings: shown at once, put back if the server refuses (the error is thrown). */
  async function update(patch: UpdateSettingsRequest): Promise<void> {
    const before = server.value;
    if (before) server.value = { ...before, ...(patch as Partial<UserSettings>) };
    try {
      await api.put('/settings', { body: patch });
    } catch (e) {
      server.value = before;
      throw e;
    }
  }

  return { theme, locale, server, loadError, bindI18n, setTheme, setLocale, load, update };
});
