import { onBeforeUnmount } from 'vue';

/** Calls `fn` once input has been quiet for `ms` (search as you type). */
export function useDebounced<A extends unknown[]>(fn: (...args: A) => void, ms = 250): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
