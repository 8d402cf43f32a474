// People: others' profiles (§5.3/§5.4, kept live by `user_profile_updated` and
// `presence`), editing one's own (§5.6, §5.8) and opening a direct chat (§7.2).
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { api } from '../api';
import { uploadFile } from '../api/multipart';
import type { Profile, ServerEventOf } from './profileEvents';
import { useChatsStore } from './chats';
import { useMessagesStore } from './messages';
import { useSessionStore } from './session';

export interface OwnProfileEdit {
  display_name: string;
  bio: string;
  username: string;
}

export const useProfilesStore = defineStore('profiles', () => {
  const byId = ref<Record<number, Profile>>({});

  function remember(profile: Profile): Profile {
    byId.value[profile.id] = profile;
    return profile;
  }

  async function load(id: number): Promise<Profile> {
    return remember(await api.get('/users/{id}', { params: { id } }));
  }

  /** `/@username`: the lookup is anonymous (§5.4), so the profile by id follows for the viewer's own view. */
  async function loadByUsername(username: string): Promise<Profile> {
    const found = await api.get('/users/by-username/{username}', { params: { username } });
    try {
      return await load(found.id);
    } catch {
      return remember(found);
    }
  }

  /** Sends both texts always and the username only when it changed (§5.6). */
  async function saveOwn(edit: OwnProfileEdit): Promise<void> {
    const session = useSessionStore();
    const me = session.me;
    if (!me) return;
    const username = edit.username.trim();
    const saved = await api.put('/users/{id}', {
      params: { id: me.id },
      body: {
        display_name: edit.display_name.trim(),
        bio: edit.bio,
        ...(username !== me.username ? { username } : {}),
      },
    });
    session.me = {
      ...me,
      username: saved.username,
      display_name: saved.display_name || saved.username,
      bio: saved.bio,
    };
  }

  async function setAvatar(file: File): Promise<void> {
    const session = useSessionStore();
    const uploaded = await uploadFile(file, file.name || 'avatar');
    const answer = await api.put('/users/me/avatar', { body: { file_id: uploaded.id } });
    if (session.me) session.me = { ...session.me, avatar_url: answer.avatar_url ?? session.me.avatar_url };
  }

  /** The direct chat with this person (created when missing), listed before it opens. */
  async function openDirect(userId: number): Promise<number> {
    const chat = await api.post('/chats', { body: { type: 'direct', member_ids: [userId], name: '', title: '', description: '', public_name: '' } });
    const chats = useChatsStore();
    if (!chats.byId(chat.id)) await chats.load();
    return chat.id;
  }

  function applyProfileUpdate(ev: ServerEventOf<'user_profile_updated'>): void {
    const known = byId.value[ev.user_id];
    if (known) {
      if (ev.display_name !== undefined) known.display_name = ev.display_name;
      if (ev.avatar_url !== undefined) known.avatar_url = ev.avatar_url;
    }
    for (const chat of useChatsStore().list) {
      if (chat.other_user_id !== ev.user_id) continue;
      if (ev.display_name !== undefined) chat.other_display_name = ev.display_name || chat.other_username;
      if (ev.avatar_url !== undefined) chat.other_avatar_url = ev.avatar_url;
    }
    // Messages already shown carry the sender's name and picture of when they were loaded.
    for (const loaded of Object.values(useMessagesStore().chats)) {
      for (const message of loaded.items) {
        if (message.sender_id !== ev.user_id) continue;
        if (ev.display_name) message.sender_display_name = ev.display_name;
        if (ev.avatar_url !== undefined) message.sender_avatar_url = ev.avatar_url;
      }
    }
  }

  function applyPresence(ev: ServerEventOf<'presence'>): void {
    const known = byId.value[ev.user_id];
    if (!known) return;
    if ('status' in ev) {
      known.is_online = ev.status === 'online';
      if (ev.status === 'offline') known.last_activity = new Date().toISOString();
    } else {
      known.last_seen_approx = ev.last_seen_bucket === 'online' ? 'just now' : known.last_seen_approx;
    }
  }

  function reset(): void {
    byId.value = {};
  }
  // What one account saw is not kept for the next one on this browser.
  watch(
    () => useSessionStore().loggedIn,
    (loggedIn) => loggedIn || reset(),
  );

  return { byId, load, loadByUsername, saveOwn, setAvatar, openDirect, applyProfileUpdate, applyPresence, reset };
});
