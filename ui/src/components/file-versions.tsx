// A file's versions, newest first: each a download link to `…?version=N`, and for a key that may
// write, "Delete version" behind a confirmation (DELETE …/files/{name}?version=N). Deleting the
// only version deletes the file, which the files section then offers to restore.

import { requestJson, withQuery } from '../api/api-client.js';
import type { FileJson, FileVersionJson, PageJson } from '../api/api-types.js';
import { downloadWithKey } from '../api/download-link.js';
import { formatBytes, formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useKeysetList } from '../use-keyset-list.js';
import { ConfirmAction } from './confirm-action.js';
import { LoadMore } from './load-more.js';
import { Sha256 } from './sha256.js';

export interface FileVersionsProps {
  readonly file: FileJson;
  /** The file's path, `…/files/{name}`. */
  readonly href: string;
  readonly pageSize: number;
  /** After a version was deleted; `isFileDeleted` when it was the file's only one. */
  readonly onVersionDeleted: (isFileDeleted: boolean) => void;
}

export function FileVersions(props: FileVersionsProps) {
  const { file } = props;
  const session = useSession();
  const versions = useKeysetList(
    (cursor) =>
      requestJson<PageJson<FileVersionJson>>(
        'GET',
        withQuery(`${props.href}/versions`, { limit: props.pageSize, cursor }),
      ),
    [props.href],
  );
  if (!versions.isLoaded) {
    return (
      <p class="loading">{versions.isLoading ? 'Loading versions…' : 'Versions not loaded.'}</p>
    );
  }
  const isOnlyVersion = versions.items.length === 1 && !versions.hasMore;
  const deleteVersion = async (version: number) => {
    await requestJson('DELETE', withQuery(props.href, { version }));
    // With its only version the file went: there are no versions left to list.
    if (!isOnlyVersion) versions.reload();
    props.onVersionDeleted(isOnlyVersion);
  };
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
            {session.canWrite && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {versions.items.map((version) => (
            <tr key={version.version}>
              <td data-label="Version">
                <a
                  href={`${props.href}?version=${version.version}`}
                  download={file.name}
                  aria-label={`Version ${version.version} of ${file.name}`}
                  onClick={(event) =>
                    downloadWithKey(event, props.href, file.name, version.version)
                  }
                >
                  {version.version}
                </a>
              </td>
              <td class="number" data-label="Size">
                {formatBytes(version.size)}
              </td>
              <td data-label="SHA-256">
                <Sha256 value={version.sha256} />
              </td>
              <td class="uploaded" data-label="Uploaded">
                <time dateTime={version.created_at}>{formatTime(version.created_at)}</time>
              </td>
              <td data-label="By">{version.created_by ?? '—'}</td>
              {session.canWrite && (
                <td class="actions-cell">
                  <ConfirmAction
                    label="Delete version"
                    ariaLabel={`Delete version ${version.version} of ${file.name}`}
                    question={
                      isOnlyVersion
                        ? `Delete version ${version.version}, the only one, and with it ${file.name}?`
                        : `Delete version ${version.version} of ${file.name}?`
                    }
                    confirmLabel="Delete version"
                    onConfirm={() => deleteVersion(version.version)}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={versions} what={`versions of ${file.name}`} />
    </>
  );
}
