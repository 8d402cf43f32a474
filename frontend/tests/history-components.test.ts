import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api/types';
import { makeI18n } from '../src/i18n';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { default: ChatSearch } = await import('../src/components/chat/list/ChatSearch.vue');
const { default: MessageList } = await import('../src/components/chat/MessageList.vue');
const { useMessagesStore } = await import('../src/stores/messages');

function msg(id: number, content = `message ${id}`): Message {
  return {
    id,
    chat_id: 5,
    seq: id,
    sender_id: 2,
    sender_display_name: 'Bob',
    content,
    message_type: 'text',
    created_at: `2026-03-01 10:00:00.${String(id).padStart(6, '0')}+00`,
  } as Message;
}

let pinia: ReturnType<typeof createPinia>;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  vi.resetAllMocks();
});
const global = () => ({ plugins: [makeI18n('en'), pinia] });

describe('the message list', () => {
  // happy-dom lays nothing out: the scroller gets a viewport's height, every row 64 px.
  beforeEach(() => {
    const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      get(this: Element) {
        return this.getAttribute('role') === 'log' ? 600 : 0;
      },
    });
    const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.hasAttribute('data-index') ? 64 : 0;
      },
    });
    return () => {
      if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
      if (offsetHeight) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', offsetHeight);
    };
  });

  it('keeps a bounded number of rows in the DOM for a long history', async () => {
    const store = useMessagesStore();
    const state = store.of(5);
    state.items = Array.from({ length: 5000 }, (_, i) => msg(i + 1));
    state.loaded = true;
    state.hasOlder = false;
    state.firstUnreadId = 4990;
    const wrapper = mount(MessageList, { props: { chatId: 5, state, myId: 1 }, global: global(), attachTo: document.body });
    await flushPromises();
    const log = wrapper.get('[role="log"]');
    expect(log.attributes('aria-label')).toBe('Messages');
    const rows = wrapper.findAll('article').length;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(100);
    expect(wrapper.text()).toContain('This is the beginning of the chat.');
    wrapper.unmount();
  });

  it('follows a message that arrives right after a scroll to the bottom, before its scroll event', async () => {
    const store = useMessagesStore();
    const state = store.of(7);
    state.items = Array.from({ length: 50 }, (_, i) => ({ ...msg(i + 1), chat_id: 7 }));
    state.loaded = true;
    state.hasOlder = false;
    const wrapper = mount(MessageList, { props: { chatId: 7, state, myId: 1 }, global: global(), attachTo: document.body });
    await flushPromises();
    const log = wrapper.get('[role="log"]').element as HTMLElement;
    const height = 50 * 64 + 48;
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => height });
    const pill = () => wrapper.find('button[aria-label*="new message"]');

    // Scrolled up: an arrival is counted.
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    state.items.push({ ...msg(51), chat_id: 7 });
    await flushPromises();
    expect(pill().exists()).toBe(true);

    // Back at the bottom, the arrival comes before the scroll event is handled: followed, not counted.
    wrapper.get('button[aria-label*="new message"]').trigger('click');
    await flushPromises();
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    log.scrollTop = height - 600;
    state.items.push({ ...msg(52), chat_id: 7 });
    await flushPromises();
    expect(pill().exists()).toBe(false);
    wrapper.unmount();
  });

  it('says when a chat has no messages', () => {
    const state = useMessagesStore().of(6);
    state.loaded = true;
    const wrapper = mount(MessageList, { props: { chatId: 6, state, myId: 1 }, global: global() });
    expect(wrapper.text()).toContain('No messages here yet');
  });
});

describe('the in-chat search', () => {
  it('opens with focus in the field, searches on Enter, lists highlighted results, closes on Esc', async () => {
    api.get.mockImplementation(async (path: string) => (path.endsWith('/search') ? [msg(9, 'a <b>Needle</b> here')] : []));
    const wrapper = mount(ChatSearch, { props: { chatId: 5 }, global: global(), attachTo: document.body });
    const toggle = wrapper.get('button[aria-label="Search in chat"]');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    await flushPromises();
    const field = wrapper.get('input[aria-label="Search messages"]');
    expect(document.activeElement).toBe(field.element);
    await field.setValue('needle');
    await field.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.get).toHaveBeenCalledWith('/chats/{id}/messages/search', { params: { id: 5 }, query: { q: 'needle', limit: 20 } });
    // Enter also jumped to the newest result: the list folds away, the position shows.
    expect(wrapper.get('button[aria-expanded="false"]').text()).toBe('1 of 1');
    await wrapper.get('button[aria-expanded="false"]').trigger('click');
    const result = wrapper.get('ul[aria-label="Search results"] button');
    expect(result.get('mark').text()).toBe('Needle');
    expect(result.find('b').exists()).toBe(false);
    await wrapper.get('[role="search"]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('[role="search"]').exists()).toBe(false);
    expect(document.activeElement).toBe(toggle.element);
    wrapper.unmount();
  });

  it('shows the contract error text when the search fails', async () => {
    const { ApiError } = await import('../src/api/client');
    api.get.mockRejectedValue(new ApiError(400, 'q too long (max 200)'));
    const wrapper = mount(ChatSearch, { props: { chatId: 5 }, global: global() });
    await wrapper.get('button[aria-label="Search in chat"]').trigger('click');
    const field = wrapper.get('input[aria-label="Search messages"]');
    await field.setValue('x');
    await field.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('q too long (max 200)');
  });
});
