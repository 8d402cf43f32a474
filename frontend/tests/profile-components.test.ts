import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMember } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), patch: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', async () => {
  const { ApiError } = await import('../src/api/client');
  return {
    api,
    ApiError,
    tokens: { get: () => ({ access: 'a', refresh: 'r' }), set: vi.fn(), clear: vi.fn() },
    onLoggedOut: vi.fn(),
    websocketUrl: () => 'ws://test/ws',
  };
});

const { ApiError } = await import('../src/api/client');
const { makeI18n } = await import('../src/i18n');
const { useSessionStore } = await import('../src/stores/session');
const MemberList = (await import('../src/components/chatinfo/MemberList.vue')).default;
const ProfileEditor = (await import('../src/components/settings/ProfileEditor.vue')).default;
const InfoDialog = (await import('../src/components/chatinfo/InfoDialog.vue')).default;

const global = () => ({ plugins: [makeI18n('en')], stubs: { RouterLink: RouterLinkStub } });
const members: ChatMember[] = [
  { id: 2, username: 'bob', display_name: 'Bob', role: 'member', joined_at: '', avatar_url: null },
  { id: 1, username: 'alice', display_name: null, role: 'owner', joined_at: '', avatar_url: null },
  { id: 3, username: 'carol', display_name: 'Carol', role: 'admin', joined_at: '', avatar_url: null },
];

describe('the member list', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists the owner first with roles, and offers role changes only to the owner', () => {
    const owner = mount(MemberList, { props: { members, canSetRoles: true }, global: global() });
    expect(owner.findAll('li').map((li) => li.find('.name').text())).toEqual(['alice', 'Carol', 'Bob']);
    const labels = owner.findAll('button').map((b) => b.attributes('aria-label'));
    expect(labels).toEqual(['Remove admin: Carol', 'Make admin: Bob']);
    const member = mount(MemberList, { props: { members, canSetRoles: false }, global: global() });
    expect(member.findAll('button')).toHaveLength(0);
    expect(member.text()).toContain('owner');
  });
});

describe('the profile editor', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  it('shows the server\'s refusal inline, in its words', async () => {
    useSessionStore().me = { id: 3, username: 'carol', email: '', display_name: 'Carol', bio: null, created_at: '', is_admin: false, avatar_url: null };
    api.put.mockRejectedValue(new ApiError(409, 'Username already taken'));
    const wrapper = mount(ProfileEditor, { global: global() });
    expect((wrapper.get('input[name="display_name"]').element as HTMLInputElement).value).toBe('Carol');
    await wrapper.get('input[name="username"]').setValue('bob');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('Username already taken');
  });
});

describe('the info dialog', () => {
  it('is a labelled dialog that closes on Esc (cancel) and gives the focus back', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const wrapper = mount(InfoDialog, { props: { title: 'Chat info' }, slots: { default: '<p>body</p>' }, global: global(), attachTo: document.body });
    const dialog = wrapper.get('dialog');
    expect(document.getElementById(dialog.attributes('aria-labelledby') ?? '')?.textContent).toBe('Chat info');
    await dialog.trigger('cancel');
    expect(wrapper.emitted('close')).toHaveLength(1);
    await wrapper.get('button[aria-label="Close"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(2);
    wrapper.unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
