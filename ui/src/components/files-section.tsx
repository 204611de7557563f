// The "Files" section of a record or dataset: the table of files (name as download link, size,
// SHA-256, latest version, upload time, and each file's versions on demand), the "Upload files"
// input and drop zone, and each upload's progress.

import type { TargetedDragEvent, TargetedMouseEvent } from 'preact';
import { useState } from 'preact/hooks';
import { readApiKey } from '../api/api-key.js';
import { authHeaders, requestJson, withQuery } from '../api/api-client.js';
import type { FileJson, FileVersionJson, PageJson } from '../api/api-types.js';
import { showError } from '../alerts.js';
import { formatBytes, formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useKeysetList } from '../use-keyset-list.js';
import { LoadMore } from './load-more.js';
import { Sha256 } from './sha256.js';
import { UploadList, useUploads } from './upload-list.js';

/** Files and versions per page; "Load more" brings the next. */
const pageSize = 50;

export function FilesSection(props: { ownerPath: string }) {
  const session = useSession();
  const listPath = `${props.ownerPath}/files`;
  const files = useKeysetList(
    (cursor) =>
      requestJson<PageJson<FileJson>>('GET', withQuery(listPath, { limit: pageSize, cursor })),
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
      {files.isLoaded && files.items.length === 0 && <p class="empty">No files.</p>}
      {files.items.length > 0 && (
        <div class="table-wrap">
          <table class="files">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col" class="number">
                  Version
                </th>
                <th scope="col" class="uploaded">
                  Uploaded
                </th>
                <th scope="col">
                  <span class="visually-hidden">Versions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.items.map((file) => (
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
      <LoadMore list={files} what="files" />
    </section>
  );
}

function FileRow(props: { file: FileJson; href: string }) {
  const { file } = props;
  const [isExpanded, setExpanded] = useState(false);
  // Keyed by name and version, so that a new upload of the name shows its versions afresh.
  const versionsId = `versions-${encodeURIComponent(file.name)}`;
  return (
    <>
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
        <td class="number">{file.version}</td>
        <td class="uploaded">
          <time dateTime={file.created_at}>{formatTime(file.created_at)}</time>
        </td>
        <td>
          <button
            type="button"
            class="quiet"
            aria-label={`Versions of ${file.name}`}
            aria-expanded={isExpanded}
            aria-controls={isExpanded ? versionsId : undefined}
            onClick={() => setExpanded(!isExpanded)}
          >
            {isExpanded ? 'Hide versions' : 'Versions'}
          </button>
        </td>
      </tr>
      {isExpanded && (
        <tr class="versions-row">
          <td colSpan={6} id={versionsId}>
            <VersionsTable key={file.version} file={file} href={props.href} />
          </td>
        </tr>
      )}
    </>
  );
}

/** A file's versions, newest first, each a download link to `…?version=N`. */
function VersionsTable(props: { file: FileJson; href: string }) {
  const { file } = props;
  const versions = useKeysetList(
    (cursor) =>
      requestJson<PageJson<FileVersionJson>>(
        'GET',
        withQuery(`${props.href}/versions`, { limit: pageSize, cursor }),
      ),
    [props.href],
  );
  if (!versions.isLoaded) {
    return (
      <p class="loading">{versions.isLoading ? 'Loading versions…' : 'Versions not loaded.'}</p>
    );
  }
  return (
    <>
      <table class="files versions" aria-label={`Versions of ${file.name}`}>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Size</th>
            <th scope="col">SHA-256</th>
            <th scope="col" class="uploaded">
              Uploaded
            </th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {versions.items.map((version) => {
            const href = `${props.href}?version=${version.version}`;
            return (
              <tr key={version.version}>
                <td>
                  <a
                    href={href}
                    download={file.name}
                    aria-label={`Version ${version.version} of ${file.name}`}
                    onClick={(event) => downloadWithKey(event, href, file.name)}
                  >
                    {version.version}
                  </a>
                </td>
                <td class="number">{formatBytes(version.size)}</td>
                <td>
                  <Sha256 value={version.sha256} />
                </td>
                <td class="uploaded">
                  <time dateTime={version.created_at}>{formatTime(version.created_at)}</time>
                </td>
                <td>{version.created_by ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <LoadMore list={versions} what={`versions of ${file.name}`} />
    </>
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
