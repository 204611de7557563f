// The "Files" section of a record or dataset: the table of files (name as download link, size,
// SHA-256, upload time), the "Upload files" input and drop zone, and each upload's progress.

import type { TargetedDragEvent, TargetedMouseEvent } from 'preact';
import { useState } from 'preact/hooks';
import { readApiKey } from '../api/api-key.js';
import { authHeaders, requestJson } from '../api/api-client.js';
import type { FileJson, PageJson } from '../api/api-types.js';
import { showError } from '../alerts.js';
import { formatBytes, formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { Sha256 } from './sha256.js';
import { UploadList, useUploads } from './upload-list.js';

export function FilesSection(props: { ownerPath: string }) {
  const session = useSession();
  const listPath = `${props.ownerPath}/files`;
  const files = useApi(
    () => requestJson<PageJson<FileJson>>('GET', `${listPath}?limit=1000`),
    [listPath],
  );
  const uploads = useUploads(props.ownerPath, () => files.reload());
  const [isDragging, setDragging] = useState(false);

  const onDrop = (event: TargetedDragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    uploads.start([...(event.dataTransfer?.files ?? [])]);
  };

  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Files</h2>
      {session.canWrite && (
        <div
          class={isDragging ? 'drop-zone dragging' : 'drop-zone'}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label for="upload-files">Upload files</label>
          <input
            id="upload-files"
            type="file"
            multiple
            onChange={(event) => {
              uploads.start([...(event.currentTarget.files ?? [])]);
              event.currentTarget.value = '';
            }}
          />
          <p class="hint">or drop files here</p>
        </div>
      )}
      <UploadList uploads={uploads.items} />
      {files.data?.items.length === 0 && <p class="empty">No files.</p>}
      {files.data !== undefined && files.data.items.length > 0 && (
        <div class="table-wrap">
          <table class="files">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col">Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {files.data.items.map((file) => (
                <FileRow
                  key={file.name}
                  file={file}
                  href={`${listPath}/${encodeURIComponent(file.name)}`}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FileRow(props: { file: FileJson; href: string }) {
  const { file } = props;
  return (
    <tr>
      <td>
        <a
          href={props.href}
          download={file.name}
          onClick={(event) => downloadWithKey(event, props.href, file.name)}
        >
          {file.name}
        </a>
      </td>
      <td class="number">{formatBytes(file.size)}</td>
      <td>
        <Sha256 value={file.sha256} />
      </td>
      <td>
        <time dateTime={file.created_at}>{formatTime(file.created_at)}</time>
      </td>
    </tr>
  );
}

/**
 * A plain link downloads (streaming to disk) when no key is needed. A key cannot ride on a link,
 * so with one the file is fetched with the Authorization header and saved from memory.
 */
function downloadWithKey(event: TargetedMouseEvent<HTMLAnchorElement>, href: string, name: string) {
  if (readApiKey() === undefined) return;
  event.preventDefault();
  void (async () => {
    try {
      const response = await fetch(href, { headers: authHeaders() });
      if (!response.ok) throw new Error(`The download of ${name} failed (${response.status}).`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      showError(error);
    }
  })();
}
