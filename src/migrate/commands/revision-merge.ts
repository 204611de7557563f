// `revision` and `merge`: write a new revision file into the versions folder, on the current
// head or joining several heads. Return the file written; never print.

import { DataRegistryError } from '../../shared/errors.js';
import { writeRevisionFile } from '../files/versions-folder.js';
import type { Project } from '../project.js';

export interface RevisionOptions {
  readonly message: string;
  /** Write a JavaScript revision instead of SQL. */
  readonly js?: boolean;
  /** The parent to build on when the graph has several heads; `base` starts a new root. */
  readonly head?: string;
  readonly now?: Date;
}

/** The revision file a command wrote. */
export interface WrittenRevision {
  /** Absolute path of the new file. */
  readonly path: string;
  readonly id: string;
}

/** `revision -m`: writes a new revision file whose parent is the current head. */
export async function revision(
  project: Project,
  options: RevisionOptions,
): Promise<WrittenRevision> {
  const parents = parentsForNewRevision(project, options.head);
  return writeRevisionFile(project.versionsDir, {
    message: options.message,
    parents,
    js: options.js ?? false,
    now: options.now,
  });
}

function parentsForNewRevision(project: Project, head: string | undefined): string[] {
  if (head === 'base') return [];
  if (head !== undefined) return [project.graph.resolvePrefix(head).id];
  const graphHeads = project.graph.heads();
  if (graphHeads.length > 1) {
    const ids = graphHeads.map((r) => r.id);
    throw new DataRegistryError(
      'MULTIPLE_HEADS',
      `The revisions have ${ids.length} heads (${ids.join(', ')}): say which to build on with --head <rev>, or join them first with \`dataregistry merge heads -m "merge"\`.`,
      { heads: ids },
    );
  }
  return graphHeads.map((r) => r.id);
}

export interface MergeOptions {
  readonly message: string;
  readonly now?: Date;
}

/** `merge -m <message> <rev> <rev>…` or `merge heads`: a revision with several parents. */
export async function merge(
  project: Project,
  refs: readonly string[],
  options: MergeOptions,
): Promise<WrittenRevision & { readonly parents: readonly string[] }> {
  const parents =
    refs.length === 1 && refs[0] === 'heads'
      ? project.graph.heads().map((r) => r.id)
      : [...new Set(refs.map((ref) => project.graph.resolvePrefix(ref).id))];
  if (parents.length < 2) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      refs.length === 1 && refs[0] === 'heads'
        ? 'There is only one head; nothing to merge.'
        : 'merge needs at least two different revisions (or `heads`).',
    );
  }
  const written = await writeRevisionFile(project.versionsDir, {
    message: options.message,
    parents,
    js: false,
    now: options.now,
  });
  return { ...written, parents };
}
