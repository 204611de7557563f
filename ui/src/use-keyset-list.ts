// A list read in keyset pages: the first page through useApi (so a lost connection is retried
// and said), then "Load more" appends the page after the last cursor. Reloading (after a change)
// starts again from the first page, as the records list does.

import { useEffect, useState } from 'preact/hooks';
import type { PageJson } from './api/api-types.js';
import { showError } from './alerts.js';
import { useApi } from './use-api.js';

export interface KeysetList<T> {
  /** The first page and every page loaded after it. */
  readonly items: readonly T[];
  /** False until the first page has come. */
  readonly isLoaded: boolean;
  readonly isLoading: boolean;
  /** Whether a page follows the last one loaded. */
  readonly hasMore: boolean;
  loadMore(): Promise<void>;
  reload(): void;
}

export function useKeysetList<T>(
  loadPage: (cursor: string | undefined) => Promise<PageJson<T>>,
  deps: readonly unknown[],
): KeysetList<T> {
  const [more, setMore] = useState<{ items: readonly T[]; cursor: string | null } | undefined>();
  const [isLoadingMore, setLoadingMore] = useState(false);
  useEffect(() => setMore(undefined), deps);
  const first = useApi(() => loadPage(undefined), deps);
  const cursor = more === undefined ? first.data?.next_cursor : more.cursor;

  const loadMore = async () => {
    if (typeof cursor !== 'string' || isLoadingMore) return;
    setLoadingMore(true);
    try {
      const page = await loadPage(cursor);
      setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.next_cursor });
    } catch (error) {
      showError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    items: [...(first.data?.items ?? []), ...(more?.items ?? [])],
    isLoaded: first.data !== undefined,
    isLoading: first.isLoading || isLoadingMore,
    hasMore: typeof cursor === 'string',
    loadMore,
    reload: () => {
      setMore(undefined);
      first.reload();
    },
  };
}
