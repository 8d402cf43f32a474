// A screen's filters live in the URL (shareable, back/forward work): the screen
// reads them from the route and loads, and changes them by navigating.
import { watch } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

export function useQueryState<F>(routeName: string, parse: (query: LocationQuery) => F, load: (filters: F) => void) {
  const route = useRoute();
  const router = useRouter();

  // Keyed by the parsed filters: an unrelated query change (or leaving the
  // screen) does not reload.
  watch(
    () => (route.name === routeName ? JSON.stringify(parse(route.query)) : null),
    (key) => {
      if (key !== null) load(JSON.parse(key) as F);
    },
    { immediate: true },
  );

  /** Sets some parameters (empty, zero or undefined ones are removed); `page` resets unless given. */
  function update(patch: Record<string, string | number | undefined>, options: { replace?: boolean } = {}): void {
    const next: LocationQueryRaw = { ...route.query };
    if (!('page' in patch)) delete next.page;
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === '' || value === 0 || (key === 'page' && value === 1)) delete next[key];
      else next[key] = String(value);
    }
    const to = { name: routeName, params: route.params, query: next };
    void (options.replace ? router.replace(to) : router.push(to));
  }

  return { update };
}
