// The sticker set (§13.1), loaded once when the picker first opens.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api';
import type { Sticker } from '../api/types';

const FRESH_MS = 10 * 60_000;

export const useStickersStore = defineStore('stickers', () => {
  const list = ref<Sticker[]>([]);
  const loaded = ref(false);
  let loading: Promise<void> | null = null;
  let loadedAt = 0;

  /** Loads the set, again when its presigned image links may have expired (§13.3: 900 s). */
  function load(): Promise<void> {
    if (loaded.value && Date.now() - loadedAt < FRESH_MS) return Promise.resolve();
    loading ??= api
      .get('/stickers')
      .then((stickers) => {
        list.value = stickers;
        loaded.value = true;
        loadedAt = Date.now();
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return { list, loaded, load };
});
