// The versions folder as a project: loading it, and the commands that need no database —
// history, heads, branches, show, revision, merge. Imports no database code, so these commands
// start fast.

import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import type { Revision } from './graph/revision.js';
import { RevisionGraph } from './graph/revision-graph.js';
import { parseRange } from './graph/parse-target.js';
import type { RevisionSource } from './files/revision-source.js';
import type { HeaderCacheOptions } from './files/header-cache.js';
import { loadVersionsFolder, writeRevisionFile } from './files/versions-folder.js';
import { selectHistory } from './plan/history-range.js';

/** A versions folder, loaded and validated. */
export interface Project {
  readonly versionsDir: string;
  readonly graph: RevisionGraph;
  readonly sources: ReadonlyMap<string, RevisionSource>;
}

export interface LoadProjectOptions {
  /** Treat a missing folder as empty (for `revision`, which creates it) instead of failing. */
  readonly allowMissingFolder?: boolean;
  /** Keep parsed SQL headers between runs (see files/header-cache.ts); none when undefined. */
  readonly headerCache?: HeaderCacheOptions | undefined;
}

export async function loadProject(
  versionsDir: string,
  options: LoadProjectOptions = {},
): Promise<Project> {
  const sources = await loadVersionsFolder(versionsDir, {
    headerCache: options.headerCache,
  }).catch((error: unknown) => {
    if (
      options.allowMissingFolder &&
      isDataRegistryError(error) &&
      error.code === 'VERSIONS_FOLDER_NOT_FOUND'
    ) {
      return [];
    }
    throw error;
  });
  const graph = RevisionGraph.build(sources.map((source) => source.revision));
  return {
    versionsDir,
    graph,
    sources: new Map(sources.map((source) => [source.revision.id, source])),
  };
}

export interface HistoryEntryView {
  readonly revision: Revision;
  readonly isHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  readonly isCurrent: boolean;
}

/** `history [-r range]`: revisions newest first. `currentHeads` is needed only for `current` in a range. */
export function history(
  project: Project,
  range: string | undefined,
  currentHeads: readonly string[] = [],
): HistoryEntryView[] {
  const parsedRange = range === undefined ? {} : parseRange(range);
  return selectHistory(project.graph, parsedRange, currentHeads).map((revision) =>
    describe(project, revision, currentHeads),
  );
}

/** `heads`: the revisions nothing revises yet. */
export function heads(project: Project): HistoryEntryView[] {
  return project.graph.heads().map((revision) => describe(project, revision, []));
}

/** `branches`: branch points, each with the revisions that branch off it. */
export function branches(
  project: Project,
): { readonly branchPoint: Revision; readonly children: readonly Revision[] }[] {
  return project.graph.branchPoints().map((branchPoint) => ({
    branchPoint,
    children: project.graph.children(branchPoint.id),
  }));
}

/** `show <rev>`: one revision, found by id or unique prefix. */
export function show(
  project: Project,
  ref: string,
): HistoryEntryView & { readonly children: readonly Revision[] } {
  const revision = ref === 'head' ? onlyHead(project) : project.graph.resolvePrefix(ref);
  return { ...describe(project, revision, []), children: project.graph.children(revision.id) };
}

function describe(
  project: Project,
  revision: Revision,
  currentHeads: readonly string[],
): HistoryEntryView {
  return {
    revision,
    isHead: project.graph.children(revision.id).length === 0,
    isBranchPoint: project.graph.children(revision.id).length > 1,
    isMergePoint: revision.parents.length > 1,
    isCurrent: currentHeads.includes(revision.id),
  };
}

function onlyHead(project: Project): Revision {
  const graphHeads = project.graph.heads();
  const [only] = graphHeads;
  if (graphHeads.length !== 1 || !only) throw multipleHeads(graphHeads, 'show head');
  return only;
}

function multipleHeads(graphHeads: readonly Revision[], what: string): DataRegistryError {
  const ids = graphHeads.map((r) => r.id);
  return new DataRegistryError(
    'MULTIPLE_HEADS',
    `${what}: the revisions have ${ids.length} heads (${ids.join(', ')}); name one, or join them with \`dataregistry merge heads -m "merge"\`.`,
    { heads: ids },
  );
}

export interface RevisionOptions {
  readonly message: string;
  /** Write a JavaScript revision instead of SQL. */
  readonly js?: boolean;
  /** The parent to build on when the graph has several heads; `base` starts a new root. */
  readonly head?: string;
  readonly now?: Date;
}

/** `revision -m`: writes a new revision file whose parent is the current head. */
export async function revision(
  project: Project,
  options: RevisionOptions,
): Promise<{ readonly path: string; readonly id: string }> {
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

/** `merge -m <message> <rev> <rev>…` or `merge heads`: a revision with several parents. */
export async function merge(
  project: Project,
  refs: readonly string[],
  options: { readonly message: string; readonly now?: Date },
): Promise<{ readonly path: string; readonly id: string; readonly parents: readonly string[] }> {
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
