// A paged, filtered admin table (users, messages, audit): the filters it was
// loaded with, the rows of the current page, loading and error states. An answer
// to an older request (filters changed meanwhile) is dropped.
import { ref, shallowRef, type Ref } from 'vue';

export interface Paged {
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

export interface PagedList<F, R> {
  filters: Ref<F>;
  rows: Ref<R[]>;
  page: Ref<number>;
  total: Ref<number>;
  totalPages: Ref<number>;
  loading: Ref<boolean>;
  loaded: Ref<boolean>;
  error: Ref<unknown>;
  /** Loads the page for these filters (the current ones when left out). */
  load(next?: F): Promise<void>;
}

export function pagedList<F extends { page: number }, P extends Paged, R>(
  initial: F,
  fetchPage: (filters: F) => Promise<P>,
  rowsOf: (answer: P) => R[],
): PagedList<F, R> {
  const filters = shallowRef<F>(initial) as Ref<F>;
  const rows = ref<R[]>([]) as Ref<R[]>;
  const page = ref(1);
  const total = ref(0);
  const totalPages = ref(1);
  const loading = ref(false);
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);
  let sequence = 0;

  async function load(next?: F): Promise<void> {
    if (next) filters.value = next;
    const mine = ++sequence;
    loading.value = true;
    error.value = null;
    try {
      const answer = await fetchPage(filters.value);
      if (mine !== sequence) return;
      rows.value = rowsOf(answer);
      page.value = answer.page;
      total.value = answer.total;
      totalPages.value = Math.max(1, answer.total_pages);
      loaded.value = true;
    } catch (e) {
      if (mine === sequence) error.value = e;
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  return { filters, rows, page, total, totalPages, loading, loaded, error, load };
}
