// The composer's keys and its per-chat state: Enter / Shift+Enter, ↑ to edit my last
// message, Esc to cancel a reply or edit, drafts that survive a remount, typing.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api/types';
import { makeI18n } from '../src/i18n';
import { memoryQueue } from '../src/utils/outboxQueue';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', async () => ({
  api,
  ApiError: (await import('../src/api/client')).ApiError,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const Composer = (await import('../src/components/chat/Composer.vue')).default;
const { useComposeStore } = await import('../src/stores/compose');
const { useMessagesStore } = await import('../src/stores/messages');
const { useOutboxQueue } = await import('../src/stores/outbox');
const { useRealtimeStore } = await import('../src/stores/realtime');
const { useSessionStore } = await import('../src/stores/session');

const global = { plugins: [makeI18n('en')] };
const CHAT = 7;

function message(id: number, senderId: number, content: string, type = 'text'): Message {
  return { id, chat_id: CHAT, seq: id, sender_id: senderId, content, message_type: type, created_at: `2026-03-01 10:00:0${id % 10}+00`, sender_username: 'u', sender_display_name: 'U' } as Message;
}

function setup() {
  const wrapper = mount(Composer, { props: { chatId: CHAT }, global, attachTo: document.body });
  const box = wrapper.get('textarea[aria-label="Message"]');
  return { wrapper, box, el: box.element as HTMLTextAreaElement };
}

beforeEach(() => {
  vi.resetAllMocks();
  localStorage.clear();
  setActivePinia(createPinia());
  useOutboxQueue(memoryQueue);
  useSessionStore().me = { id: 1, username: 'alice', display_name: 'Alice', email: '', bio: null, created_at: '', is_admin: false, avatar_url: null };
  api.post.mockImplementation(async (_p, init: { params: { id: number }; body: { content: string; type: string } }) => ({
    id: 900, chat_id: init.params.id, sender_id: 1, content: init.body.content, message_type: init.body.type, type: init.body.type, created_at: '2026-03-01 12:00:00+00', seq: 9,
  }));
});

describe('the composer', () => {
  it('sends on Enter (not Shift+Enter), clears itself and its draft, and sends nothing when empty', async () => {
    const { box, el } = setup();
    await box.setValue('hello');
    await box.trigger('keydown', { key: 'Enter', shiftKey: true });
    expect(api.post).not.toHaveBeenCalled();
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.post).toHaveBeenCalledTimes(1);
    expect(api.post.mock.calls[0]?.[1]).toMatchObject({ params: { id: CHAT }, body: { content: 'hello', type: 'text', reply_to_message_id: 0 } });
    expect(el.value).toBe('');
    expect(localStorage.getItem('chorus.drafts')).toBe('{}');
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.post).toHaveBeenCalledTimes(1);
  });

  it('keeps a draft per chat across a remount (a reload or another chat and back)', async () => {
    const first = setup();
    await first.box.setValue('half a thought');
    first.wrapper.unmount();
    expect(JSON.parse(localStorage.getItem('chorus.drafts') ?? '{}')).toEqual({ [CHAT]: 'half a thought' });
    const second = setup();
    expect(second.el.value).toBe('half a thought');
  });

  it('edits my last text message on ↑ in an empty box, saves it with Enter, and Esc cancels', async () => {
    const messages = useMessagesStore();
    messages.upsert(CHAT, [message(1, 1, 'my old one'), message(2, 1, 'my last one'), message(3, 2, 'theirs')]);
    api.put.mockResolvedValue({ id: 2, content: 'my last one, fixed', is_edited: true, updated_at: '2026-03-01 12:00:00+00' });
    const { wrapper, box, el } = setup();
    await box.setValue('draft text');
    await box.trigger('keydown', { key: 'ArrowUp' });
    expect(useComposeStore().of(CHAT).editing).toBeNull(); // not empty: ↑ moves the caret

    await box.setValue('');
    await box.trigger('keydown', { key: 'ArrowUp' });
    expect(useComposeStore().of(CHAT).editing?.id).toBe(2);
    expect(el.value).toBe('my last one');
    expect(wrapper.text()).toContain('Edit message');

    await box.trigger('keydown', { key: 'Escape' });
    expect(useComposeStore().of(CHAT).editing).toBeNull();
    expect(el.value).toBe('');

    await box.trigger('keydown', { key: 'ArrowUp' });
    await box.setValue('my last one, fixed');
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.put).toHaveBeenCalledWith('/chats/{id}/messages/{messageId}', { params: { id: CHAT, messageId: 2 }, body: { content: 'my last one, fixed' } });
    expect(api.post).not.toHaveBeenCalled();
    expect(messages.of(CHAT).items.find((m) => m.id === 2)).toMatchObject({ content: 'my last one, fixed', is_edited: true });
    expect(useComposeStore().of(CHAT).editing).toBeNull();
  });

  it('replies with reply_to_message_id; Esc or the bar’s button cancels the reply', async () => {
    const target = message(4, 2, 'question?');
    useComposeStore().reply(CHAT, target);
    const { wrapper, box } = setup();
    await flushPromises();
    expect(wrapper.text()).toContain('Reply to U');
    await box.trigger('keydown', { key: 'Escape' });
    expect(useComposeStore().of(CHAT).replyTo).toBeNull();

    useComposeStore().reply(CHAT, target);
    await flushPromises();
    await box.setValue('answer');
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.post.mock.calls[0]?.[1]).toMatchObject({ body: { content: 'answer', reply_to_message_id: 4 } });
    expect(useComposeStore().of(CHAT).replyTo).toBeNull();
  });

  it('says it is typing at most every 3 s', async () => {
    const realtime = useRealtimeStore();
    const send = vi.spyOn(realtime, 'send').mockImplementation(() => undefined);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { box } = setup();
      await box.setValue('h');
      await box.setValue('he');
      expect(send).toHaveBeenCalledTimes(1);
      expect(send).toHaveBeenCalledWith({ type: 'typing', chat_id: CHAT });
      vi.advanceTimersByTime(3100);
      await box.setValue('hel');
      expect(send).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('inserts an emoji at the caret', async () => {
    const { wrapper, box, el } = setup();
    await box.setValue('ab');
    el.setSelectionRange(1, 1);
    await wrapper.get('button[aria-label="Emoji"]').trigger('click');
    await wrapper.get('button[aria-label="👍"]').trigger('click');
    expect(el.value).toBe('a👍b');
  });
});
