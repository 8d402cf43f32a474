// The desktop app's side of the web app, loaded only inside Tauri (main.ts imports
// it dynamically, so the browser bundle never carries it).
//
// Requests: the page's origin is tauri://localhost (Linux, macOS) or
// http://tauri.localhost (Windows), and a production gateway allows only the primary
// web origin (CONTRACT §20.4), so the webview's own fetch/XHR would be refused by
// CORS there. API calls therefore go through tauri-plugin-http's fetch, which the
// Rust side makes (no CORS) and which may reach only the chosen server (its scope
// is added at runtime). The WebSocket is not subject to CORS and stays the webview's.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { disable, enable, isEnabled } from '@tauri-apps/plugin-autostart';
import { getCurrent, onOpenUrl } from '@tauri-apps/plugin-deep-link';
import { fetch as pluginFetch } from '@tauri-apps/plugin-http';
import { watch } from 'vue';
import type { Router } from 'vue-router';
import { useChatsStore } from '../stores/chats';
import { useNotificationsStore } from '../stores/notifications';
import { deepLinkRoute, externalLink } from './deepLink';
import { normalizeServerAddress, serverAddress, useServer, type AddressProblem } from './server';

/** Before the app mounts: the saved server (null on first start) and the fetch to reach it. */
export async function startDesktop(): Promise<void> {
  const address = await invoke<string | null>('server_address');
  useServer(address, pluginFetch as typeof fetch);
}

/** After mounting: links, notifications and the tray (unread count, texts in the app's language). */
export function wireDesktop(router: Router, i18n: { t: (key: string, values?: Record<string, unknown>) => string; locale: { value: string } }): void {
  const follow = (urls: string[] | null) => {
    const route = (urls ?? []).map(deepLinkRoute).find((r) => r !== null);
    if (route && serverAddress()) void router.push(route);
  };
  void getCurrent().then(follow, () => undefined);
  void onOpenUrl(follow);
  void listen<number>('open-chat', (ev) => void router.push({ name: 'chat', params: { id: ev.payload } }));
  // Links of messages and attachments open in the browser (a new window would not
  // open at all, and the window itself only shows the app).
  document.addEventListener(
    'click',
    (ev) => {
      const anchor = (ev.target as Element | null)?.closest?.('a[href]');
      const url = anchor ? externalLink(anchor.getAttribute('href') ?? '', location.origin) : null;
      if (!url) return;
      ev.preventDefault();
      void invoke('open_external', { url });
    },
    true,
  );

  useNotificationsStore().useNative(({ title, body }, chatId) => void invoke('notify', { title, body, chatId }));
  const chats = useChatsStore();
  watch(
    () => [Math.max(0, chats.unreadTotal), i18n.locale.value] as const,
    ([count]) => {
      const { t } = i18n;
      const texts = {
        tooltip: count > 0 ? t('desktop.tray.tooltip', { n: count > 999 ? '999+' : count }) : t('desktop.tray.tooltipNone'),
        show: t('desktop.tray.show'),
        hide: t('desktop.tray.hide'),
        quit: t('desktop.tray.quit'),
      };
      void invoke('set_unread', { count, texts });
    },
    { immediate: true },
  );
}

export type ServerProblem = AddressProblem | 'unreachable' | 'not_chorus' | 'unhealthy' | 'failed';

/** Checks and keeps the server; the answer is the address kept or why not. */
export async function chooseServer(input: string): Promise<{ ok: true; address: string } | { ok: false; problem: ServerProblem }> {
  const checked = normalizeServerAddress(input);
  if (!checked.ok) return checked;
  try {
    const address = await invoke<string>('set_server', { address: checked.address });
    return { ok: true, address };
  } catch (e) {
    const known: ServerProblem[] = ['empty', 'invalid', 'scheme', 'extra', 'unreachable', 'not_chorus', 'unhealthy'];
    const code = String(e) as ServerProblem;
    return { ok: false, problem: known.includes(code) ? code : 'failed' };
  }
}

export const autostart = {
  enabled: (): Promise<boolean> => isEnabled(),
  set: (on: boolean): Promise<void> => (on ? enable() : disable()),
};
