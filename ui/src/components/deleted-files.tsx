// The record's or dataset's deleted files that can still be restored (`GET …/files?deleted=true`:
// per name, the version restore brings back), each with "Restore". Offered to write keys only.
// The list is read again whenever the files change (`version` moves).

import { requestJson, withQuery } from '../api/api-client.js';
import type { FileJson, PageJson } from '../api/api-types.js';
import { showError } from '../alerts.js';
import { formatTime } from '../format.js';
import { useKeysetList } from '../use-keyset-list.js';
import { LoadMore } from './load-more.js';

const pageSize = 50;

export function DeletedFiles(props: {
  listPath: string;
  /** Changes whenever a file is uploaded, deleted or restored on the page. */
  version: number;
  onRestored: (name: string) => void;
}) {
  const deleted = useKeysetList(
    (cursor) =>
      requestJson<PageJson<FileJson>>(
        'GET',
        withQuery(props.listPath, { deleted: 'true', limit: pageSize, cursor }),
      ),
    [props.listPath, props.version],
  );
  if (deleted.items.length === 0) return null;
  const restore = async (name: string) => {
    try {
      await requestJson<FileJson>('POST', `${props.listPath}/${encodeURIComponent(name)}/restore`);
      props.onRestored(name);
    } catch (error) {
      showError(error);
    }
  };
  return (
    <div class="deleted-files-wrap">
      <h3 id="deleted-files-heading">Deleted files</h3>
      <ul class="deleted-files" aria-labelledby="deleted-files-heading">
        {deleted.items.map((file) => (
          <li key={file.name}>
            <span>
              <strong>{file.name}</strong> (version {file.version}) was deleted
              {file.deleted_at === undefined ? '' : ` ${formatTime(file.deleted_at)}`}.
            </span>
            <button
              type="button"
              class="secondary"
              aria-label={`Restore ${file.name}`}
              onClick={() => void restore(file.name)}
            >
              Restore
            </button>
          </li>
        ))}
      </ul>
      <LoadMore list={deleted} what="deleted files" />
    </div>
  );
}
