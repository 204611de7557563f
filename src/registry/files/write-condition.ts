// Conditional uploads: `If-None-Match: *` and `If-Match: "<sha256>"`, decided against the live
// version that the write itself sees under the owner's lock, so two cannot both win. Pure.

import { DataRegistryError } from '../../shared/errors.js';
import type { LiveVersion } from './file-version-queries.js';

/** What must hold of the name's live version for an upload to be written. */
export type WriteCondition =
  /** No live version (If-None-Match: *). */
  | { readonly kind: 'absent' }
  /** The live version's SHA-256 (its ETag) is this one (If-Match). */
  | { readonly kind: 'matches'; readonly sha256: string };

/**
 * @throws DataRegistryError FILE_EXISTS (`absent`, and the name is live), FILE_CHANGED
 *   (`matches`, and no live version has that SHA-256).
 */
export function checkWriteCondition(
  condition: WriteCondition | undefined,
  name: string,
  live: LiveVersion | undefined,
): void {
  if (condition === undefined) return;
  if (condition.kind === 'absent') {
    if (live === undefined) return;
    throw new DataRegistryError(
      'FILE_EXISTS',
      `${JSON.stringify(name)} already exists (version ${live.version}) and If-None-Match: * asked for a new name; nothing was kept. Upload without it to add version ${live.version + 1}.`,
      { name, version: live.version },
    );
  }
  if (live?.sha256 === condition.sha256) return;
  const actual =
    live === undefined
      ? 'has no live version'
      : `is at version ${live.version}, ETag "${live.sha256}"`;
  throw new DataRegistryError(
    'FILE_CHANGED',
    `${JSON.stringify(name)} ${actual}, not the ETag "${condition.sha256}" of If-Match; nothing was kept. Download the latest version and decide again.`,
    { name, ...(live === undefined ? {} : { version: live.version, sha256: live.sha256 }) },
  );
}
