// Finding people by name (`GET /users/search`, §5.5): the sidebar search and the
// new-chat dialog. The latest question wins when answers come back out of order.
import { defineStore } from 'pinia';
import { api } from '../api';
import type { PublicUser } from '../api/types';

export const usePeopleStore = defineStore('people', () => {
  let asked = 0;

  /** People matching `query` (never me), or null when a newer search replaced this one. */
  async function search(query: string, myId: number | null): Promise<PublicUser[] | null> {
    const ticket = ++asked;
    const found = await api.get('/users/search', { query: { q: query } });
    if (ticket !== asked) return null;
    return found.filter((u) => u.id !== myId);
  }

  return { search };
});
