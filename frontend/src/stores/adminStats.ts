// The admin dashboard's numbers (§14.1).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { adminApi, type AdminStats } from '../api/admin';

export const useAdminStatsStore = defineStore('adminStats', () => {
  const stats = ref<AdminStats | null>(null);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      stats.value = await adminApi.stats();
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  return { stats, loading, error, load };
});
