// The files deleted on this page, each with "Restore" (POST …/files/{name}/restore): the API
// lists live files only, so a file deleted elsewhere is restored through the API or the CLI.

import { requestJson } from '../api/api-client.js';
import type { FileJson } from '../api/api-types.js';
import { showError } from '../alerts.js';

export function DeletedFiles(props: {
  listPath: string;
  names: readonly string[];
  onRestored: (name: string) => void;
}) {
  if (props.names.length === 0) return null;
  const restore = async (name: string) => {
    try {
      await requestJson<FileJson>('POST', `${props.listPath}/${encodeURIComponent(name)}/restore`);
      props.onRestored(name);
    } catch (error) {
      showError(error);
    }
  };
  return (
    <ul class="deleted-files" aria-label="Deleted files">
      {props.names.map((name) => (
        <li key={name}>
          <span>
            <strong>{name}</strong> was deleted.
          </span>
          <button
            type="button"
            class="secondary"
            aria-label={`Restore ${name}`}
            onClick={() => void restore(name)}
          >
            Restore
          </button>
        </li>
      ))}
    </ul>
  );
}
