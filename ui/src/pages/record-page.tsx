// A record's page: its head (components/item-view.tsx), storage id, its datasets (list and the
// "New dataset" form) and its files.

import { useState } from 'preact/hooks';
import { requestJson, withQuery } from '../api/api-client.js';
import type { DatasetJson, PageJson, RecordJson } from '../api/api-types.js';
import { FilesSection } from '../components/files-section.js';
import { ItemForm, type ItemValues } from '../components/item-form.js';
import { ItemView } from '../components/item-view.js';
import { LoadMore } from '../components/load-more.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { useKeysetList } from '../use-keyset-list.js';

export function RecordPage(props: { id: string }) {
  const path = `/api/records/${props.id}`;
  const record = useApi(() => requestJson<RecordJson>('GET', path), [path]);
  if (record.data === undefined) {
    return <main>{record.isLoading ? <p class="loading">Loading…</p> : <NotLoaded />}</main>;
  }
  const save = async (values: ItemValues) => {
    record.set(await requestJson<RecordJson>('PATCH', path, values));
  };
  const remove = async () => {
    await requestJson('DELETE', path);
    navigate('/');
  };
  return (
    <main>
      <p class="crumbs">
        <Link href="/">Records</Link>
      </p>
      <ItemView
        kind="record"
        item={record.data}
        onSave={save}
        onDelete={remove}
        facts={
          <>
            <dt>Storage id</dt>
            <dd class="code">{record.data.storage_id}</dd>
          </>
        }
      />
      <DatasetsSection recordId={props.id} />
      <FilesSection ownerPath={path} />
    </main>
  );
}

function NotLoaded() {
  return (
    <p>
      This record could not be loaded. <Link href="/">Back to the records</Link>
    </p>
  );
}

/** Datasets per page; "Load more" brings the next. */
const datasetsPageSize = 50;

function DatasetsSection(props: { recordId: string }) {
  const session = useSession();
  const [isCreating, setCreating] = useState(false);
  const listPath = `/api/records/${props.recordId}/datasets`;
  const datasets = useKeysetList(
    (cursor) =>
      requestJson<PageJson<DatasetJson>>(
        'GET',
        withQuery(listPath, { limit: datasetsPageSize, cursor }),
      ),
    [listPath],
  );
  const create = async (values: ItemValues) => {
    const dataset = await requestJson<DatasetJson>('POST', listPath, values);
    navigate(`/datasets/${dataset.id}`);
  };
  return (
    <section aria-labelledby="datasets-heading">
      <div class="section-head">
        <h2 id="datasets-heading">Datasets</h2>
        {session.canWrite && !isCreating && (
          <button type="button" class="secondary" onClick={() => setCreating(true)}>
            New dataset
          </button>
        )}
      </div>
      {isCreating && (
        <div class="panel">
          <ItemForm
            id="new-dataset"
            hasDataType
            submitLabel="Create dataset"
            onSubmit={create}
            onCancel={() => setCreating(false)}
          />
        </div>
      )}
      {datasets.isLoaded && datasets.items.length === 0 && <p class="empty">No datasets.</p>}
      <ul class="dataset-list">
        {datasets.items.map((dataset) => (
          <li key={dataset.id}>
            <Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>{' '}
            <span class="tag">{dataset.data_type}</span>
            {dataset.description !== null && (
              <span class="description"> — {dataset.description}</span>
            )}
          </li>
        ))}
      </ul>
      <LoadMore list={datasets} what="datasets" />
    </section>
  );
}
