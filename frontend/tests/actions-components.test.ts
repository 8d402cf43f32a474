import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import type { Message } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));
const push = vi.hoisted(() => vi.fn());
vi.mock('vue-router', () => ({ useRouter: () => ({ push }) }));

const { makeI18n } = await import('../src/i18n');
const MessageItem = (await import('../src/components/chat/MessageItem.vue')).default;
const MessageMenu = (await import('../src/components/chat/actions/MessageMenu.vue')).default;
const DeleteDialog = (await import('../src/components/chat/actions/DeleteDialog.vue')).default;
const { useMessageActionsStore } = await import('../src/stores/messageActions');
const { useMessagesStore } = await import('../src/stores/messages');
const { useReactionsStore } = await import('../src/stores/reactions');
const { useReceiptsStore } = await import('../src/stores/receipts');
const { useComposeStore } = await import('../src/stores/compose');
const { menuActions } = await import('../src/components/chat/actions/menuItems');
const { useLongPress } = await import('../src/components/chat/actions/useLongPress');

const ME = 7;
function msg(id: number, extra: Partial<Message> = {}): Message {
  return {
    id,
    chat_id: 5,
    seq: id,
    sender_id: 8,
    sender_display_name: 'Bob',
    sender_username: 'bob',
    content: `m${id}`,
    message_type: 'text',
    created_at: new Date().toISOString(),
    is_edited: false,
    reply_to_message_id: null,
    forwarded_from_user_id: null,
    forwarded_from_message_id: null,
    forwarded_from_display_name: null,
    ...extra,
  } as Message;
}

let pinia: ReturnType<typeof createPinia>;
const plugins = () => ({ global: { plugins: [makeI18n('en'), pinia] }, attachTo: document.body });

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  vi.resetAllMocks();
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('the message bubble', () => {
  it('shows the reply quote (looked up when the echo lacks it), attribution, chips and ticks', async () => {
    useMessagesStore().upsert(5, [msg(1, { content: 'the question' })]);
    useReactionsStore().byMessage[2] = [{ emoji: '🔥', count: 2, me: true }];
    useReceiptsStore().byChat[5] = { 8: 2 };
    const reply = msg(2, { sender_id: ME, content: 'the answer', reply_to_message_id: 1 });
    const wrapper = mount(MessageItem, { props: { message: reply, mine: true }, ...plugins() });
    const quote = wrapper.get('button.quote');
    expect(quote.element.textContent).toBe('Reply to Bob: the question');
    await quote.trigger('click');
    expect(push).toHaveBeenCalledWith({ name: 'chat', params: { id: '5', messageId: '1' } });
    const chip = wrapper.get('button[aria-label="🔥 2"]');
    expect(chip.attributes('aria-pressed')).toBe('true');
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toBe('Read');

    const forwarded = msg(3, { forwarded_from_user_id: 9, forwarded_from_message_id: 40, forwarded_from_display_name: 'Carol' });
    const other = mount(MessageItem, { props: { message: forwarded, mine: false }, ...plugins() });
    expect(other.text()).toContain('Forwarded from Carol');
    expect(other.find('[role="img"]').exists()).toBe(false);
  });

  it('says a quoted message was deleted instead of showing its text', () => {
    const reply = msg(2, { reply_to_message_id: 1, reply_to_content: null, reply_to_sender_name: null } as Partial<Message>);
    useMessagesStore().upsert(5, [msg(1, { content: 'secret' })]);
    const wrapper = mount(MessageItem, { props: { message: reply, mine: false }, ...plugins() });
    expect(wrapper.text()).toContain('Deleted message');
    expect(wrapper.text()).not.toContain('secret');
  });

  it('opens the menu on right-click and from the "More" button, and toggles selection by click', async () => {
    const actions = useMessageActionsStore();
    const message = msg(4);
    const wrapper = mount(MessageItem, { props: { message, mine: false }, ...plugins() });
    await wrapper.get('article').trigger('contextmenu', { clientX: 30, clientY: 40 });
    expect(actions.menu).toMatchObject({ x: 30, y: 40, sheet: false });
    expect(actions.menu?.message.id).toBe(4);
    actions.closeMenu();
    await wrapper.get('button[aria-label="More actions"]').trigger('click');
    expect(actions.menu?.message.id).toBe(4);
    actions.closeMenu();

    actions.startSelection(5, 9);
    await flushPromises();
    expect(wrapper.find('button[aria-label="More actions"]').exists()).toBe(false);
    await wrapper.get('article').trigger('click');
    expect(actions.selection.ids).toEqual([9, 4]);
    await wrapper.get('input[type="checkbox"]').setValue(false);
    expect(actions.selection.ids).toEqual([9]);
  });
});

describe('the message menu', () => {
  it('offers Edit only on my text messages and Copy only with text', () => {
    expect(menuActions(msg(1, { sender_id: ME }), true, false)).toEqual(['reply', 'edit', 'copy', 'pin', 'forward', 'select', 'delete']);
    expect(menuActions(msg(1), false, true)).toEqual(['reply', 'copy', 'unpin', 'forward', 'select', 'delete']);
    expect(menuActions(msg(1, { content: '', message_type: 'image' }), true, false)).not.toContain('edit');
    expect(menuActions(msg(1), false, false, true)).toEqual(['copy', 'forward', 'select', 'delete']);
  });

  it('takes focus, walks by arrows, closes on Esc and gives focus back', async () => {
    const actions = useMessageActionsStore();
    const trigger = document.createElement('button');
    document.body.append(trigger);
    const message = msg(1);
    actions.openMenu({ message, x: 10, y: 10, sheet: false }, trigger);
    const wrapper = mount(MessageMenu, { props: { state: actions.menu!, myId: ME }, ...plugins() });
    await flushPromises();
    const items = wrapper.findAll('[role="menuitem"]');
    expect(document.activeElement).toBe(items[0]?.element);
    await wrapper.get('[role="menu"]').trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement?.textContent?.trim()).toBe('Delete');
    await wrapper.get('[role="menu"]').trigger('keydown', { key: 'Escape' });
    expect(actions.menu).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });

  it('reply hands the message to the composer; react toggles', async () => {
    const actions = useMessageActionsStore();
    const message = msg(1);
    actions.openMenu({ message, x: 0, y: 0, sheet: true });
    const wrapper = mount(MessageMenu, { props: { state: actions.menu!, myId: ME }, ...plugins() });
    await wrapper.findAll('[role="menuitem"]').find((b) => b.text() === 'Reply')!.trigger('click');
    expect(useComposeStore().of(5).replyTo?.id).toBe(1);
    expect(actions.menu).toBeNull();

    api.post.mockResolvedValue({ message_id: 1, emoji: '❤️', action: 'added' });
    await wrapper.get('button[aria-label="React with ❤️"]').trigger('click');
    await flushPromises();
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/messages/{messageId}/reactions', { params: { id: 5, messageId: 1 }, body: { emoji: '❤️' } });
  });

  it('a sheet ignores the lift of the finger that opened it; a new press arms it', async () => {
    const actions = useMessageActionsStore();
    actions.openMenu({ message: msg(1), x: 0, y: 0, sheet: true });
    const wrapper = mount(MessageMenu, { props: { state: actions.menu!, myId: ME }, ...plugins() });
    const reply = () => wrapper.findAll('[role="menuitem"]').find((b) => b.text() === 'Reply')!;
    await reply().trigger('click', { detail: 1 });
    expect(useComposeStore().of(5).replyTo).toBeFalsy();
    expect(actions.menu).not.toBeNull();
    await reply().trigger('pointerdown');
    await reply().trigger('click', { detail: 1 });
    expect(useComposeStore().of(5).replyTo?.id).toBe(1);
    expect(actions.menu).toBeNull();
  });
});

describe('the delete dialog', () => {
  it('offers "for everyone" only when allowed and shows the contract error inline', async () => {
    const actions = useMessageActionsStore();
    actions.roles[5] = 'member';
    const theirs = mount(DeleteDialog, { props: { chatId: 5, messages: [msg(1)], myId: ME }, ...plugins() });
    expect(theirs.text()).not.toContain('Delete for everyone');
    theirs.unmount();

    const { ApiError } = await import('../src/api/client');
    api.delete.mockRejectedValue(new ApiError(403, 'Cannot delete for everyone after 48 hours'));
    const mine = mount(DeleteDialog, { props: { chatId: 5, messages: [msg(2, { sender_id: ME })], myId: ME }, ...plugins() });
    const button = mine.findAll('button').find((b) => b.text() === 'Delete for everyone');
    await button!.trigger('click');
    await flushPromises();
    expect(mine.get('[role="alert"]').text()).toBe('Cannot delete for everyone after 48 hours');
  });
});

describe('the long-press', () => {
  it('fires after 500 ms of a still touch, never for a mouse or a moving finger', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    let press!: ReturnType<typeof useLongPress>;
    mount(defineComponent({ setup: () => ((press = useLongPress(fired)), () => h('div')) }));
    const at = (type: string, x = 5, y = 5) => ({ pointerType: type, clientX: x, clientY: y }) as PointerEvent;
    press.handlers.pointerdown(at('mouse'));
    vi.advanceTimersByTime(600);
    expect(fired).not.toHaveBeenCalled();
    press.handlers.pointerdown(at('touch'));
    press.handlers.pointermove(at('touch', 40, 5));
    vi.advanceTimersByTime(600);
    expect(fired).not.toHaveBeenCalled();
    press.handlers.pointerdown(at('touch'));
    vi.advanceTimersByTime(499);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledWith({ x: 5, y: 5 });
    expect(press.consumed()).toBe(true);
    expect(press.consumed()).toBe(false);
    vi.useRealTimers();
  });
});
