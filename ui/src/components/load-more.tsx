// The "Load more" button under a keyset-paginated list: shown only while a page follows.

import type { KeysetList } from '../use-keyset-list.js';

export function LoadMore(props: { list: KeysetList<unknown>; what: string }) {
  if (!props.list.hasMore) return null;
  return (
    <button
      type="button"
      class="secondary load-more"
      aria-label={`Load more ${props.what}`}
      disabled={props.list.isLoading}
      onClick={() => void props.list.loadMore()}
    >
      Load more
    </button>
  );
}
