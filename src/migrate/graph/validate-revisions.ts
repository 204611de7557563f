// Checks a list of revisions before it becomes a graph: well-formed ids, no duplicates, no
// missing parents. Cycles are found while sorting (revision-graph.ts). Pure: no files.

import { DataRegistryError } from '../../shared/errors.js';
import type { Revision } from './revision.js';

const revisionIdPattern = /^[A-Za-z0-9_]+$/;

/** Words that name targets (`upgrade head`, `history -r current:`), so no revision may use them. */
export const reservedRevisionIds: readonly string[] = ['head', 'heads', 'base', 'current'];

/** True when `id` may name a revision: letters, digits and underscores, and not a reserved word. */
export function isValidRevisionId(id: string): boolean {
  return revisionIdPattern.test(id) && !reservedRevisionIds.includes(id);
}

/**
 * Indexes `revisions` by id, throwing on the first problem in file order:
 * MALFORMED_REVISION_FILE (bad id or parent id, reserved id, a parent listed twice),
 * DUPLICATE_REVISION (naming both files), MISSING_PARENT (naming the revision, its file and the
 * missing id).
 */
export function indexRevisions(revisions: readonly Revision[]): Map<string, Revision> {
  const byId = new Map<string, Revision>();
  for (const revision of revisions) {
    checkIds(revision);
    const earlier = byId.get(revision.id);
    if (earlier) {
      throw new DataRegistryError(
        'DUPLICATE_REVISION',
        `Revision ${revision.id} is declared twice: in ${earlier.path} and in ${revision.path}. ` +
          'Give one of them a new revision id (and update any "Revises:" line that names it).',
        { revision: revision.id, paths: [earlier.path, revision.path] },
      );
    }
    byId.set(revision.id, revision);
  }
  for (const revision of revisions) {
    for (const parent of revision.parents) {
      if (!byId.has(parent)) {
        throw new DataRegistryError(
          'MISSING_PARENT',
          `Revision ${revision.id} (${revision.path}) revises ${parent}, but no revision file declares ${parent}. ` +
            'Restore the missing file, or correct the "Revises:" line.',
          { revision: revision.id, path: revision.path, parent },
        );
      }
    }
  }
  return byId;
}

function checkIds(revision: Revision): void {
  if (!isValidRevisionId(revision.id)) {
    throw malformed(revision, describeBadId('declares revision id', revision.id));
  }
  const seen = new Set<string>();
  for (const parent of revision.parents) {
    if (!isValidRevisionId(parent)) {
      throw malformed(revision, describeBadId('names parent', parent));
    }
    if (seen.has(parent)) {
      throw malformed(revision, `lists parent ${parent} twice in "Revises:"`);
    }
    seen.add(parent);
  }
}

function describeBadId(what: string, id: string): string {
  if (reservedRevisionIds.includes(id)) {
    return `${what} "${id}", which is reserved for targets (${reservedRevisionIds.join(', ')}); choose another id`;
  }
  return `${what} "${id}"; revision ids use only letters, digits and underscores`;
}

function malformed(revision: Revision, problem: string): DataRegistryError {
  return new DataRegistryError('MALFORMED_REVISION_FILE', `${revision.path} ${problem}.`, {
    path: revision.path,
    revision: revision.id,
  });
}
