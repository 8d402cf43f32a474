// In-chat search (§9.5): results newest first, paged by `before_id`, and a current
// result the message list jumps to and highlights the query in.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api';
import type { Message } from '../api/types';
import { useMessagesStore } from './messages';

export const SEARCH_PAGE = 20;

export const useChatSearchStore = defineStore('chatSearch', () => {
  /** The chat the search belongs to; null when the search is closed. */
  const chatId = ref<number | null>(null);
  /** The query the results are for (what the list highlights). */
  const query = ref('');
  const results = ref<Message[]>([]);
  /** The current result (0 = newest), -1 before the first jump. */
  const index = ref(-1);
  const hasMore = ref(false);
  const loading = ref(false);
  let generation = 0;

  const current = computed(() => results.value[index.value] ?? null);

  function open(id: number): void {
    if (chatId.value !== id) close();
    chatId.value = id;
  }

  function close(): void {
    generation += 1;
    chatId.value = null;
    query.value = '';
    results.value = [];
    index.value = -1;
    hasMore.value = false;
    loading.value = false;
  }

  /** Runs a new search; an answer to an older query that comes late is ignored. Throws ApiError. */
  async function search(text: string): Promise<void> {
    const id = chatId.value;
    const q = text.trim();
    const mine = ++generation;
    results.value = [];
    index.value = -1;
    hasMore.value = false;
    query.value = q;
    if (id === null || !q) return;
    loading.value = true;
    try {
      const page = await api.get('/chats/{id}/messages/search', { params: { id }, query: { q, limit: SEARCH_PAGE } });
      if (mine !== generation) return;
      results.value = page;
      hasMore.value = page.length >= SEARCH_PAGE;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** The next page of older results (the smallest id seen as `before_id`). */
  async function more(): Promise<void> {
    const id = chatId.value;
    const last = results.value.at(-1);
    if (id === null || !last || !hasMore.value || loading.value) return;
    const mine = generation;
    loading.value = true;
    try {
      const page = await api.get('/chats/{id}/messages/search', {
        params: { id },
        query: { q: query.value, limit: SEARCH_PAGE, before_id: last.id },
      });
      if (mine !== generation) return;
      const known = new Set(results.value.map((m) => m.id));
      results.value = [...results.value, ...page.filter((m) => !known.has(m.id))];
      hasMore.value = page.length >= SEARCH_PAGE;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Makes result `i` current and jumps the open chat to it; false when it is gone. */
  async function select(i: number): Promise<boolean> {
    const id = chatId.value;
    const target = results.value[i];
    if (id === null || !target) return false;
    index.value = i;
    const { found } = await useMessagesStore().jumpTo(id, target.id);
    return found;
  }

  /** ↑: the next older result, loading more when at the end of what is loaded. */
  async function older(): Promise<boolean> {
    if (index.value + 1 >= results.value.length) await more();
    if (index.value + 1 >= results.value.length) return false;
    return select(index.value + 1);
  }

  /** ↓: the next newer result. */
  async function newer(): Promise<boolean> {
    if (index.value <= 0) return false;
    return select(index.value - 1);
  }

  /** The query to highlight in chat `id` (empty when its search is closed). */
  function highlightFor(id: number): string {
    return chatId.value === id ? query.value : '';
  }

  return { chatId, query, results, index, hasMore, loading, current, open, close, search, more, select, older, newer, highlightFor };
});
