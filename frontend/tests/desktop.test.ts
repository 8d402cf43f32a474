// The desktop app's pure logic: the server base (API and WebSocket URLs), the
// address the person types, chorus:// links, the download links.
import { describe, expect, it } from 'vitest';
import { deepLinkRoute, externalLink } from '../src/platform/deepLink';
import { DESKTOP_DOWNLOADS } from '../src/platform/downloads';
import { apiBaseFor, normalizeServerAddress, websocketUrlFor } from '../src/platform/server';

describe('server base', () => {
  it('is this origin in the browser', () => {
    expect(apiBaseFor(null, undefined)).toBe('/api');
    expect(apiBaseFor(null, 'https://api.example.org')).toBe('https://api.example.org');
    expect(websocketUrlFor(null, { protocol: 'https:', host: 'chat.example.org' })).toBe('wss://chat.example.org/ws');
    expect(websocketUrlFor(null, { protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws');
    expect(websocketUrlFor(null, { protocol: 'http:', host: 'x' }, 'wss://rt.example.org/ws')).toBe('wss://rt.example.org/ws');
  });

  it('is the chosen server in the desktop app', () => {
    const page = { protocol: 'tauri:', host: 'localhost' };
    expect(apiBaseFor('https://chat.example.org', '/ignored')).toBe('https://chat.example.org/api');
    expect(websocketUrlFor('https://chat.example.org', page)).toBe('wss://chat.example.org/ws');
    expect(websocketUrlFor('http://127.0.0.1:8080', page, 'wss://ignored/ws')).toBe('ws://127.0.0.1:8080/ws');
    expect(apiBaseFor('https://example.org/chorus', undefined)).toBe('https://example.org/chorus/api');
    expect(websocketUrlFor('https://example.org/chorus', page)).toBe('wss://example.org/chorus/ws');
  });
});

describe('server address', () => {
  const ok = (input: string) => {
    const answer = normalizeServerAddress(input);
    return answer.ok ? answer.address : `problem:${answer.problem}`;
  };

  it('adds the scheme: https, or http for localhost and IPs', () => {
    expect(ok('chat.example.org')).toBe('https://chat.example.org');
    expect(ok('  chat.example.org/  ')).toBe('https://chat.example.org');
    expect(ok('localhost:8080')).toBe('http://localhost:8080');
    expect(ok('192.168.1.5:8080')).toBe('http://192.168.1.5:8080');
  });

  it('keeps a given scheme, port and path, without trailing slashes', () => {
    expect(ok('http://chat.example.org:8080/chorus/')).toBe('http://chat.example.org:8080/chorus');
    expect(ok('HTTPS://Chat.Example.org')).toBe('https://chat.example.org');
    expect(ok('https://chat.example.org:443')).toBe('https://chat.example.org');
  });

  it('refuses what is not a server address', () => {
    expect(ok('')).toBe('problem:empty');
    expect(ok('   ')).toBe('problem:empty');
    expect(ok('ftp://example.org')).toBe('problem:scheme');
    expect(ok('https://user:pw@example.org')).toBe('problem:extra');
    expect(ok('https://example.org/?x=1')).toBe('problem:extra');
    expect(ok('https://example.org/#top')).toBe('problem:extra');
    expect(ok('exa mple.org')).toBe('problem:invalid');
    expect(ok('http://')).toBe('problem:invalid');
  });
});

describe('chorus:// links', () => {
  it('route joins and direct chats', () => {
    expect(deepLinkRoute('chorus://join/0b7c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e')).toBe('/join/0b7c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e');
    expect(deepLinkRoute('chorus://dm/42')).toBe('/dm/42');
    expect(deepLinkRoute('chorus://dm/42/')).toBe('/dm/42');
    expect(deepLinkRoute('CHORUS://DM/7')).toBe('/dm/7');
    expect(deepLinkRoute('chorus://join/abc?utm=1')).toBe('/join/abc');
  });

  it('ignore everything else', () => {
    expect(deepLinkRoute('chorus://admin/users')).toBeNull();
    expect(deepLinkRoute('chorus://dm/alice')).toBeNull();
    expect(deepLinkRoute('chorus://dm/1/2')).toBeNull();
    expect(deepLinkRoute('chorus://join/..%2Fadmin')).toBeNull();
    expect(deepLinkRoute('chorus://join/%E0%A4%A')).toBeNull();
    expect(deepLinkRoute('https://evil.example/join/x')).toBeNull();
    expect(deepLinkRoute('chorus://join/')).toBeNull();
  });
});

describe('links that leave the desktop app', () => {
  it('are http(s) links to another origin', () => {
    const app = 'tauri://localhost';
    expect(externalLink('https://example.org/a?b=1', app)).toBe('https://example.org/a?b=1');
    expect(externalLink('http://127.0.0.1:9000/bucket/file.pdf', app)).toBe('http://127.0.0.1:9000/bucket/file.pdf');
    expect(externalLink('/c/1', app)).toBeNull();
    expect(externalLink('/c/1', 'http://tauri.localhost')).toBeNull();
    expect(externalLink('http://tauri.localhost/c/1', 'http://tauri.localhost')).toBeNull();
    expect(externalLink('mailto:a@example.org', app)).toBeNull();
    expect(externalLink('javascript:alert(1)', app)).toBeNull();
  });
});

describe('download links', () => {
  it('point at /downloads/{platform}/{filename} with a served extension', () => {
    for (const link of DESKTOP_DOWNLOADS) {
      expect(link.href).toMatch(/^\/downloads\/(linux|windows|macos)\/[^/]+\.(deb|AppImage|exe|dmg)$/);
    }
  });
});

describe('the "Download the app" entry', () => {
  it('links every desktop build in a browser and is hidden inside the desktop app', async () => {
    const { mount } = await import('@vue/test-utils');
    const { makeI18n } = await import('../src/i18n');
    const DownloadApp = (await import('../src/components/settings/DownloadApp.vue')).default;
    const inBrowser = mount(DownloadApp, { global: { plugins: [makeI18n('en')] } });
    expect(inBrowser.text()).toContain('Download the app');
    expect(inBrowser.findAll('a').map((a) => a.attributes('href'))).toEqual(DESKTOP_DOWNLOADS.map((l) => l.href));

    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
    try {
      const inDesktop = mount(DownloadApp, { global: { plugins: [makeI18n('ru')] } });
      expect(inDesktop.find('a').exists()).toBe(false);
    } finally {
      delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
    }
  });
});

describe('native notifications (the desktop app)', () => {
  it('go to the app instead of the browser, also when the window is only behind another', async () => {
    const { createPinia, setActivePinia } = await import('pinia');
    const { useNotificationsStore } = await import('../src/stores/notifications');
    setActivePinia(createPinia());
    localStorage.setItem('chorus.notifications', 'on');
    const notifications = useNotificationsStore();
    const shown: unknown[] = [];
    notifications.useNative((text, chatId) => shown.push({ ...text, chatId }));
    expect(notifications.enabled).toBe(true);
    notifications.configure({ describe: (m, c) => ({ title: c.title ?? '', body: m.content ?? '' }), open: () => undefined });
    const message = { content: 'ping' } as Parameters<typeof notifications.messageArrived>[0];
    const chat = { id: 7, title: 'Dev Team' } as Parameters<typeof notifications.messageArrived>[1];

    const focused = Object.getOwnPropertyDescriptor(Document.prototype, 'hasFocus');
    try {
      document.hasFocus = () => true;
      notifications.messageArrived(message, chat);
      expect(shown).toEqual([]);
      document.hasFocus = () => false;
      notifications.messageArrived(message, chat);
      expect(shown).toEqual([{ title: 'Dev Team', body: 'ping', chatId: 7 }]);
    } finally {
      delete (document as unknown as Record<string, unknown>).hasFocus;
      if (focused) expect(typeof document.hasFocus).toBe('function');
      localStorage.clear();
    }
  });
});
