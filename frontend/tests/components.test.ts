import { mount, RouterLinkStub } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { ChatListItem, Message } from '../src/api/types';
import ChatListEntry from '../src/components/chats/ChatListEntry.vue';
import MessageItem from '../src/components/chat/MessageItem.vue';
import { makeI18n } from '../src/i18n';

const global = { plugins: [makeI18n('en')], stubs: { RouterLink: RouterLinkStub } };

describe('a message', () => {
  it('shows user text as text, with the sender and time', () => {
    const message = {
      id: 1,
      chat_id: 1,
      sender_id: 2,
      content: '<img src=x onerror=alert(1)> hi',
      message_type: 'text',
      created_at: '2026-03-01 14:07:09+00',
      sender_username: 'bob',
      sender_display_name: 'Bob',
      is_edited: true,
    } as Message;
    const wrapper = mount(MessageItem, { props: { message, mine: false }, global: { ...global, plugins: [...global.plugins, createPinia()] } });
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.get('.text').text()).toBe('<img src=x onerror=alert(1)> hi');
    expect(wrapper.get('.sender').text()).toBe('Bob');
    expect(wrapper.text()).toContain('edited');
    expect(wrapper.get('time').attributes('datetime')).toBe('2026-03-01 14:07:09+00');
  });
});

describe('a chat list entry', () => {
  it('shows the title, preview and a labelled unread badge (grey when muted)', () => {
    const chat = {
      id: 3,
      type: 'direct',
      title: '',
      name: '',
      other_display_name: 'Carol',
      other_username: 'carol',
      last_message: 'see you',
      last_at: '2026-03-01 14:07:09+00',
      unread_count: 2,
      is_muted: true,
      is_pinned: false,
    } as ChatListItem;
    const wrapper = mount(ChatListEntry, { props: { chat, active: false }, global: { ...global, plugins: [...global.plugins, createPinia()] } });
    expect(wrapper.get('.title').text()).toBe('Carol');
    expect(wrapper.get('.preview').text()).toBe('see you');
    const badge = wrapper.get('.badge');
    expect(badge.text()).toBe('2');
    expect(badge.attributes('aria-label')).toBe('2 unread');
    expect(badge.classes()).toContain('muted');
  });
});
