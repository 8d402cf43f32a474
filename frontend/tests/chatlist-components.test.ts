import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatListItem } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { makeI18n } = await import('../src/i18n');
const ChatListEntry = (await import('../src/components/chats/ChatListEntry.vue')).default;
const ChatHeader = (await import('../src/components/chat/ChatHeader.vue')).default;
const ChatSwitcher = (await import('../src/components/chats/ChatSwitcher.vue')).default;
const ChatActions = (await import('../src/components/chats/ChatActions.vue')).default;
const { useChatsStore } = await import('../src/stores/chats');
const { useDraftsStore } = await import('../src/stores/drafts');
const { usePresenceStore } = await import('../src/stores/presence');
const { useSessionStore } = await import('../src/stores/session');
const { useTypingStore } = await import('../src/stores/typing');
const installChatlist = (await import('../src/realtime/handlers/chatlist')).default;

function chat(id: number, extra: Partial<ChatListItem> = {}): ChatListItem {
  return {
    id,
    type: 'group',
    name: '',
    title: `Chat ${id}`,
    description: '',
    public_name: null,
    updated_at: '2026-03-01 10:00:00+00',
    last_message: 'hi',
    last_at: '2026-03-01 10:00:00+00',
    is_favorite: false,
    is_muted: false,
    is_pinned: false,
    is_archived: false,
    unread_count: 0,
    other_user_id: null,
    other_username: null,
    other_display_name: null,
    other_avatar_url: null,
    avatar_url: null,
    member_count: 3,
    ...extra,
  } as ChatListItem;
}

const bob = (extra: Partial<ChatListItem> = {}) =>
  chat(5, { type: 'direct', title: '', other_user_id: 2, other_username: 'bob', other_display_name: 'Bob', member_count: 2, ...extra });

let pinia: Pinia;
const options = () => ({ global: { plugins: [makeI18n('en'), pinia], stubs: { RouterLink: RouterLinkStub } }, attachTo: document.body });

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  vi.resetAllMocks();
  localStorage.clear();
  document.body.innerHTML = '';
  useSessionStore().me = { id: 1, username: 'alice', display_name: 'Alice' } as never;
});

describe('a chat list entry', () => {
  it('shows my draft, an online dot for a direct chat, and opens its menu from "More" or a right-click', async () => {
    useDraftsStore().set(5, 'unfinished thought');
    usePresenceStore().seed([bob({ other_is_online: true })]);
    const wrapper = mount(ChatListEntry, { props: { chat: bob(), active: false }, ...options() });
    expect(wrapper.get('.preview').text()).toBe('Draft: unfinished thought');
    expect(wrapper.find('[role="img"][aria-label="Online"]').exists()).toBe(true);
    await wrapper.get('button[aria-label="More actions for Bob"]').trigger('click');
    await wrapper.get('.line').trigger('contextmenu', { clientX: 10, clientY: 20 });
    expect(wrapper.emitted('menu')).toHaveLength(2);
    expect(wrapper.emitted('menu')?.[1]?.[1]).toEqual({ x: 10, y: 20 });
    wrapper.unmount();
  });

  it('says who is typing instead of the preview, and shows Saved Messages by name', async () => {
    useTypingStore().start(7, 3, 'carol');
    const group = mount(ChatListEntry, { props: { chat: chat(7), active: false }, ...options() });
    expect(group.get('.preview').text()).toBe('carol is typing…');
    const saved = mount(ChatListEntry, { props: { chat: chat(8, { type: 'direct', member_count: 1 }), active: false }, ...options() });
    expect(saved.get('.title').text()).toBe('Saved Messages');
    group.unmount();
    saved.unmount();
  });
});

describe('the chat header', () => {
  it('says online, last seen or nothing, as privacy allows, and typing over both', async () => {
    api.get.mockResolvedValue({ id: 2, is_online: true, last_activity: null });
    const wrapper = mount(ChatHeader, { props: { chat: bob() }, ...options() });
    await flushPromises();
    expect(api.get).toHaveBeenCalledWith('/users/{id}', { params: { id: 2 } });
    expect(wrapper.get('.status').text()).toBe('online');
    usePresenceStore().apply({ user_id: 2, username: 'bob', status: 'offline' });
    await flushPromises();
    expect(wrapper.get('.status').text()).toMatch(/^last seen \d/);
    usePresenceStore().byUser[2] = { kind: 'approx', bucket: 'this week' };
    await flushPromises();
    expect(wrapper.get('.status').text()).toBe('last seen this week');
    usePresenceStore().byUser[2] = { kind: 'hidden' };
    await flushPromises();
    expect(wrapper.get('.status').text()).toBe('');
    useTypingStore().start(5, 2, 'Bob');
    await flushPromises();
    expect(wrapper.get('.status').text()).toBe('typing…');
    wrapper.unmount();
  });

  it('counts members and subscribers', async () => {
    const group = mount(ChatHeader, { props: { chat: chat(1, { member_count: 1 }) }, ...options() });
    expect(group.get('.status').text()).toBe('1 member');
    await group.setProps({ chat: chat(1, { member_count: 4, type: 'channel' }) });
    expect(group.get('.status').text()).toBe('4 subscribers');
    group.unmount();
  });
});

describe('the chat switcher', () => {
  it('filters by name, moves with the arrows, opens with Enter and closes with Esc', async () => {
    const wrapper = mount(ChatSwitcher, { props: { chats: [chat(1, { title: 'Dev Team' }), chat(2, { title: 'Design' }), chat(3, { title: 'Lunch' })] }, ...options() });
    await flushPromises();
    const input = wrapper.get('input[role="combobox"]');
    expect(document.activeElement).toBe(input.element);
    await input.setValue('de');
    expect(wrapper.findAll('[role="option"]').map((o) => o.text())).toEqual(['Dev Team', 'Design']);
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.get('[aria-selected="true"]').text()).toBe('Design');
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.get('[aria-selected="true"]').text()).toBe('Dev Team');
    await input.trigger('keydown', { key: 'ArrowUp' });
    await input.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('open')).toEqual([[2]]);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(wrapper.emitted('close')).toHaveLength(1);
    wrapper.unmount();
  });
});

describe('a chat\'s menu', () => {
  it('offers Delete to the owner only, and mutes for a chosen while', async () => {
    api.get.mockResolvedValueOnce([chat(1)]);
    const chats = useChatsStore();
    await chats.load();
    api.get.mockResolvedValueOnce({ my_role: 'owner' });
    const mute = vi.spyOn(chats, 'mute').mockResolvedValue();
    const wrapper = mount(ChatActions, { props: { chat: chats.byId(1)!, at: { x: 0, y: 0 } }, ...options() });
    await flushPromises();
    const labels = () => wrapper.findAll('[role="menuitem"]').map((b) => b.text());
    expect(labels()).toEqual(['Pin', 'Add to favourites', 'Mute…', 'Archive', 'Delete chat']);
    await wrapper.findAll('[role="menuitem"]')[2]!.trigger('click');
    expect(labels()).toEqual(['Mute for 1 hour', 'Mute for 8 hours', 'Mute for 1 day', 'Mute until I unmute', 'Back']);
    await wrapper.findAll('[role="menuitem"]')[2]!.trigger('click');
    expect(mute).toHaveBeenCalledWith(1, 'day');
    wrapper.unmount();

    api.get.mockResolvedValueOnce({ my_role: 'member' });
    const member = mount(ChatActions, { props: { chat: chat(2), at: { x: 0, y: 0 } }, ...options() });
    await flushPromises();
    expect(member.findAll('[role="menuitem"]').map((b) => b.text())).toContain('Leave chat');
    expect(member.findAll('[role="menuitem"]').map((b) => b.text())).not.toContain('Delete chat');
    await member.findAll('[role="menuitem"]').at(-1)!.trigger('click');
    expect(member.find('[role="alertdialog"]').text()).toContain('Leave “Chat 2”?');
    member.unmount();
  });
});

describe('the live handlers', () => {
  it('ignore my own typing echo and name a direct chat\'s typist by display name', () => {
    const handlers: Record<string, (ev: never) => void> = {};
    installChatlist(((type: string, handler: (ev: never) => void) => (handlers[type] = handler)) as never);
    useChatsStore().list = [bob()];
    handlers.typing!({ type: 'typing', chat_id: 5, user_id: 1, username: 'alice' } as never);
    expect(useTypingStore().byChat[5]).toBeUndefined();
    handlers.typing!({ type: 'typing', chat_id: 5, user_id: 2, username: 'bob' } as never);
    expect(useTypingStore().names(5, 1)).toEqual(['Bob']);
    handlers.chat_deleted!({ type: 'chat_deleted', chat_id: 5, deleted_by: 2 } as never);
    expect(useChatsStore().list).toEqual([]);
  });
});
