// The "Files" section of a record or dataset: the table of files (name as download link, size,
// SHA-256, latest version, upload time; a file's versions on demand once it has more than one;
// "Delete"; the deleted files still restorable, with "Restore"), the "Upload files" input and drop zone,
// and each upload's progress. Below 600 px each row reads as a card (styles.css).

import type { TargetedDragEvent } from 'preact';
import { useState } from 'preact/hooks';
import { requestJson, withQuery } from '../api/api-client.js';
import type { FileJson, PageJson } from '../api/api-types.js';
import { downloadWithKey } from '../api/download-link.js';
import { formatBytes, formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useKeysetList } from '../use-keyset-list.js';
import { ConfirmAction } from './confirm-action.js';
import { DeletedFiles } from './deleted-files.js';
import { FileVersions } from './file-versions.js';
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
  // Moves on every change of the files here, so that the deleted files are read again: one
  // deleted joins them, one restored or uploaded again under its name leaves them.
  const [changes, setChanges] = useState(0);
  const onFilesChanged = () => {
    setChanges((count) => count + 1);
    files.reload();
  };
  const uploads = useUploads(props.ownerPath, onFilesChanged);
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
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.items.map((file) => (
                <FileRow
                  key={file.name}
                  file={file}
                  href={`${listPath}/${encodeURIComponent(file.name)}`}
                  onChanged={() => files.reload()}
                  onDeleted={onFilesChanged}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={files} what="files" />
      {session.canWrite && (
        <DeletedFiles listPath={listPath} version={changes} onRestored={onFilesChanged} />
      )}
    </section>
  );
}

interface FileRowProps {
  readonly file: FileJson;
  readonly href: string;
  /** After one of its versions was deleted (the latest may have changed). */
  readonly onChanged: () => void;
  /** After the file was deleted. */
  readonly onDeleted: () => void;
}

function FileRow(props: FileRowProps) {
  const { file } = props;
  const session = useSession();
  const [isExpanded, setExpanded] = useState(false);
  const versionsId = `versions-${encodeURIComponent(file.name)}`;
  // A file's version counts its uploads; below 2 the list of versions would hold only this one.
  const hasVersions = file.version > 1;
  const deleteFile = async () => {
    await requestJson('DELETE', props.href);
    props.onDeleted();
  };
  return (
    <>
      <tr>
        <td class="file-name">
          <a
            href={props.href}
            download={file.name}
            onClick={(event) => downloadWithKey(event, props.href, file.name, file.version)}
          >
            {file.name}
          </a>
        </td>
        <td class="number" data-label="Size">
          {formatBytes(file.size)}
        </td>
        <td data-label="SHA-256">
          <Sha256 value={file.sha256} />
        </td>
        <td class="number" data-label="Version">
          {file.version}
        </td>
        <td class="uploaded" data-label="Uploaded">
          <time dateTime={file.created_at}>{formatTime(file.created_at)}</time>
        </td>
        <td class="actions-cell">
          {hasVersions && (
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
          )}
          {session.canWrite && (
            <ConfirmAction
              label="Delete"
              ariaLabel={`Delete ${file.name}`}
              question={`Delete ${file.name}${hasVersions ? ' with all its versions' : ''}?`}
              confirmLabel="Delete file"
              onConfirm={deleteFile}
            />
          )}
        </td>
      </tr>
      {hasVersions && isExpanded && (
        <tr class="versions-row">
          <td colSpan={6} id={versionsId}>
            <FileVersions
              // Keyed by the latest version, so that a new upload of the name lists afresh.
              key={file.version}
              file={file}
              href={props.href}
              pageSize={pageSize}
              onVersionDeleted={(isFileDeleted) =>
                isFileDeleted ? props.onDeleted() : props.onChanged()
              }
            />
          </td>
        </tr>
      )}
    </>
  );
}
