// A dataset's page: its head (components/item-view.tsx), the record it belongs to, its files.

import { requestJson } from '../api/api-client.js';
import type { DatasetJson } from '../api/api-types.js';
import { FilesSection } from '../components/files-section.js';
import type { ItemValues } from '../components/item-form.js';
import { ItemView } from '../components/item-view.js';
import { Link, navigate } from '../router.js';
import { useApi } from '../use-api.js';

export function DatasetPage(props: { id: string }) {
  const path = `/api/datasets/${props.id}`;
  const dataset = useApi(() => requestJson<DatasetJson>('GET', path), [path]);
  if (dataset.data === undefined) {
    return <main>{dataset.isLoading && <p class="loading">Loading…</p>}</main>;
  }
  const recordPath = `/records/${dataset.data.record_id}`;
  const save = async (values: ItemValues) => {
    dataset.set(await requestJson<DatasetJson>('PATCH', path, values));
  };
  const remove = async () => {
    await requestJson('DELETE', path);
    navigate(recordPath);
  };
  return (
    <main>
      <p class="crumbs">
        <Link href="/">Records</Link> ›{' '}
        <Link href={recordPath}>Record {dataset.data.record_id}</Link>
      </p>
      <ItemView kind="dataset" item={dataset.data} hasDataType onSave={save} onDelete={remove} />
      <FilesSection ownerPath={path} />
    </main>
  );
}
