// en, ru, de. The core texts live in en/ru/de.ts; each feature area adds its own
// namespaces in `areas/<area>.ts` ({ en, ru, de }), merged here at build time.
import { createI18n } from 'vue-i18n';
import de from './de';
import en from './en';
import ru from './ru';

type Tree = { [key: string]: string | Tree };
interface Area {
  en: Tree;
  ru: Tree;
  de: Tree;
}

const areas = Object.values(import.meta.glob<Area>('./areas/*.ts', { eager: true, import: 'default' }));

function merged(core: Tree, locale: keyof Area): Tree {
  const out: Tree = { ...core };
  for (const area of areas) {
    for (const [key, value] of Object.entries(area[locale])) {
      if (key in out) throw new Error(`i18n: namespace "${key}" is defined twice`);
      out[key] = value;
    }
  }
  return out;
}

export const messages = { en: merged(en, 'en'), ru: merged(ru, 'ru'), de: merged(de, 'de') };
export type Locale = keyof typeof messages;
export const locales: readonly Locale[] = ['en', 'ru', 'de'];

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
