// The list of records, newest first: a search box filtering as one types (debounced), "Show
// deleted" with "Restore", "Load more" (keyset pages), and the "New record" form.

import { useEffect, useState } from 'preact/hooks';
import { requestJson, withQuery } from '../api/api-client.js';
import type { PageJson, RecordJson } from '../api/api-types.js';
import { showError } from '../alerts.js';
import { ItemForm, type ItemValues } from '../components/item-form.js';
import { LoadMore } from '../components/load-more.js';
import { formatTime } from '../format.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { useKeysetList } from '../use-keyset-list.js';

const pageSize = 50;
const debounceMs = 250;

const listRecords = (q: string, includeDeleted: boolean, cursor?: string) =>
  requestJson<PageJson<RecordJson>>(
    'GET',
    withQuery('/api/records', {
      order: 'newest',
      limit: pageSize,
      q: q.trim(),
      include_deleted: includeDeleted || undefined,
      cursor,
    }),
  );

export function RecordsPage() {
  const session = useSession();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [isCreating, setCreating] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setQ(typed), debounceMs);
    return () => clearTimeout(timer);
  }, [typed]);

  const records = useKeysetList(
    (cursor) => listRecords(q, includeDeleted, cursor),
    [q, includeDeleted],
  );

  const create = async (values: ItemValues) => {
    const record = await requestJson<RecordJson>('POST', '/api/records', values);
    navigate(`/records/${record.id}`);
  };

  const restore = async (record: RecordJson) => {
    try {
      await requestJson<RecordJson>('POST', `/api/records/${record.id}/restore`);
      records.reload();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <main>
      <div class="page-head">
        <h1>Records</h1>
        {session.canWrite && !isCreating && (
          <button type="button" onClick={() => setCreating(true)}>
            New record
          </button>
        )}
      </div>
      {isCreating && (
        <section class="panel" aria-labelledby="new-record-heading">
          <h2 id="new-record-heading">New record</h2>
          <ItemForm
            id="new-record"
            submitLabel="Create"
            onSubmit={create}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}
      <div class="toolbar">
        <label class="search">
          <span class="visually-hidden">Search records</span>
          <input
            type="search"
            placeholder="Search records"
            aria-label="Search records"
            value={typed}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </label>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={includeDeleted}
            onChange={(event) => setIncludeDeleted(event.currentTarget.checked)}
          />
          Show deleted
        </label>
      </div>
      <ul class="record-list" aria-busy={records.isLoading}>
        {records.items.map((record) => (
          <li key={record.id} class={record.deleted_at === null ? '' : 'deleted'}>
            <div class="record-line">
              {record.deleted_at === null ? (
                <Link href={`/records/${record.id}`} class="record-name">
                  {record.name}
                </Link>
              ) : (
                <span class="record-name">{record.name}</span>
              )}
              <time dateTime={record.created_at}>{formatTime(record.created_at)}</time>
            </div>
            {record.description !== null && <p class="description">{record.description}</p>}
            {record.deleted_at !== null && (
              <p class="deleted-note">
                Deleted {formatTime(record.deleted_at)}
                {session.canWrite && (
                  <button type="button" class="secondary" onClick={() => void restore(record)}>
                    Restore
                  </button>
                )}
              </p>
            )}
          </li>
        ))}
      </ul>
      {records.isLoaded && records.items.length === 0 && (
        <p class="empty">{q === '' ? 'No records yet.' : `No record matches “${q}”.`}</p>
      )}
      <LoadMore list={records} what="records" />
    </main>
  );
}
