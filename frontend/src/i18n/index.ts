// en, ru, de; the browser's language picks one (a setting comes with the settings view).
import { createI18n } from 'vue-i18n';
import de from './de';
import en from './en';
import ru from './ru';

export const messages = { en, ru, de };
export type Locale = keyof typeof messages;

export function browserLocale(languages: readonly string[] = navigator.languages ?? []): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'ru' || base === 'de') return base;
  }
  return 'en';
}

export function makeI18n(locale: Locale = browserLocale()) {
  return createI18n({ legacy: false, locale, fallbackLocale: 'en', messages });
}
