import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => ({ access: 'a', refresh: 'r' }), set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { applyTheme, startLocale, storedLocale, storedTheme, useSettingsStore } = await import('../src/stores/settings');
const { makeI18n } = await import('../src/i18n');
const AppearanceSettings = (await import('../src/components/settings/AppearanceSettings.vue')).default;

describe('the settings store', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.removeAttribute('data-theme');
    document.documentElement.lang = '';
    setActivePinia(createPinia());
    vi.resetAllMocks();
    api.put.mockResolvedValue(undefined);
  });

  it('follows the system until a theme is chosen, applies a choice at once and keeps it', () => {
    expect(storedTheme()).toBe('system');
    const settings = useSettingsStore();
    expect(settings.theme).toBe('system');

    settings.setTheme('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(localStorage.getItem('chorus.theme')).toBe('dark');
    expect(api.put).toHaveBeenCalledWith('/settings', { body: { theme: 'dark' } });

    // A new page load (a fresh store) starts in the saved theme.
    setActivePinia(createPinia());
    expect(useSettingsStore().theme).toBe('dark');

    useSettingsStore().setTheme('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect(storedTheme()).toBe('system');
    // The server knows light and dark only (§6): "system" stays local.
    expect(api.put).toHaveBeenCalledTimes(1);
  });

  it('ignores a stored value it does not know', () => {
    localStorage.setItem('chorus.theme', 'purple');
    localStorage.setItem('chorus.locale', 'fr');
    expect(storedTheme()).toBe('system');
    expect(storedLocale()).toBeNull();
    applyTheme('light');
    expect(document.documentElement.getAttribute('data-theme')).toBe('light');
  });

  it('switches the language of the i18n instance and <html lang>, and keeps it for the next load', () => {
    const i18n = makeI18n('en');
    const settings = useSettingsStore();
    settings.bindI18n(i18n.global.locale);
    settings.setLocale('ru');
    expect(i18n.global.locale.value).toBe('ru');
    expect(i18n.global.t('profile.settings.title')).toBe('Настройки');
    expect(document.documentElement.lang).toBe('ru');
    expect(localStorage.getItem('chorus.locale')).toBe('ru');
    expect(startLocale()).toBe('ru');
    expect(api.put).toHaveBeenCalledWith('/settings', { body: { language: 'ru' } });
  });

  it('shows a privacy change at once and puts it back when the server refuses', async () => {
    const settings = useSettingsStore();
    api.get.mockResolvedValue({
      theme: 'light',
      notifications_enabled: true,
      language: 'en',
      last_seen_visibility: 'everyone',
      read_receipts_enabled: true,
    });
    await settings.load();
    api.put.mockRejectedValueOnce(new Error('Invalid JSON'));
    const pending = settings.update({ read_receipts_enabled: false });
    expect(settings.server?.read_receipts_enabled).toBe(false);
    await expect(pending).rejects.toThrow('Invalid JSON');
    expect(settings.server?.read_receipts_enabled).toBe(true);

    await settings.update({ last_seen_visibility: 'nobody' });
    expect(settings.server?.last_seen_visibility).toBe('nobody');
    expect(api.put).toHaveBeenLastCalledWith('/settings', { body: { last_seen_visibility: 'nobody' } });
  });
});

describe('the appearance settings', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    api.put.mockResolvedValue(undefined);
  });

  it('switch the whole UI to another language when one is picked (the old client did nothing)', async () => {
    const i18n = makeI18n('en');
    useSettingsStore().bindI18n(i18n.global.locale);
    const wrapper = mount(AppearanceSettings, { global: { plugins: [i18n] } });
    expect(wrapper.get('h2').text()).toBe('Appearance');
    await wrapper.get('input[value="de"]').setValue(true);
    await nextTick();
    expect(wrapper.get('h2').text()).toBe('Darstellung');
    expect(wrapper.get('legend').text()).toBe('Design');
    expect(document.documentElement.lang).toBe('de');

    await wrapper.get('input[value="dark"]').setValue(true);
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect((wrapper.get('input[value="dark"]').element as HTMLInputElement).checked).toBe(true);
  });
});
