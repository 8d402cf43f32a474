// Who is logged in: tokens (kept in localStorage by the API client) and `/me`.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, onLoggedOut, tokens } from '../api';
import type { Me } from '../api/types';

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const hasTokens = ref(tokens.get() !== null);
  const loggedIn = computed(() => hasTokens.value);

  onLoggedOut(() => {
    hasTokens.value = false;
    me.value = null;
  });

  async function loadMe(): Promise<void> {
    me.value = await api.get('/me');
  }

  async function login(username: string, password: string): Promise<void> {
    const answer = await api.post('/auth/login', { body: { username, password } });
    tokens.set({ access: answer.access_token, refresh: answer.refresh_token });
    hasTokens.value = true;
    await loadMe();
  }

  /** Registration does not log in (§4.1): the app logs in right after. */
  async function register(username: string, email: string, password: string, displayName: string): Promise<void> {
    await api.post('/auth/register', {
      body: { username, email, password, ...(displayName ? { display_name: displayName } : {}) },
    });
    await login(username, password);
  }

  async function logout(): Promise<void> {
    const current = tokens.get();
    if (current) {
      // Revokes the session on the server; leaving locally happens regardless.
      await api.post('/auth/logout', { body: { refresh_token: current.refresh } }).catch(() => undefined);
    }
    tokens.clear();
    hasTokens.value = false;
    me.value = null;
  }

  return { me, loggedIn, loadMe, login, register, logout };
});
