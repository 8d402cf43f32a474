import { describe, expect, it } from 'vitest';
import { browserLocale, messages } from '../src/i18n';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out[prefix + key] = value;
    else Object.assign(out, leaves(value, `${prefix}${key}.`));
  }
  return out;
}

describe('the translations', () => {
  const en = leaves(messages.en as Tree);

  it.each(['ru', 'de'] as const)('%s has every English key, non-empty, with the same placeholders', (locale) => {
    const other = leaves(messages[locale] as Tree);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect(other[key], key).toBeTruthy();
      expect(other[key]?.match(/\{\w+\}/g) ?? [], key).toEqual(text.match(/\{\w+\}/g) ?? []);
    }
  });

  it('are real translations, not copies of the English', () => {
    const copies = (locale: 'ru' | 'de') =>
      Object.entries(leaves(messages[locale] as Tree)).filter(([key, text]) => en[key] === text).map(([key]) => key);
    // The product name (and words German shares with English) may stay.
    expect(copies('ru')).toEqual(['app.name']);
    const sharedWithEnglish = [
      'app.name',
      'chats.title',
      'chats.online',
      'messageContent.sticker',
      'chatlist.onlineDot',
      'chatlist.header.online',
      'profile.user.online',
      'admin.audit.targets.chat',
    ];
    expect(copies('de').filter((k) => !sharedWithEnglish.includes(k))).toEqual([]);
  });

  it('picks the first supported browser language', () => {
    expect(browserLocale(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(browserLocale(['ru'])).toBe('ru');
    expect(browserLocale(['ja'])).toBe('en');
  });
});
