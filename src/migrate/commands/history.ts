// `history`, `heads`, `branches` and `show`: the versions folder as Alembic lists it. Read the
// loaded project only: no database, no file access.

import { DataRegistryError } from '../../shared/errors.js';
import { parseRange } from '../graph/parse-target.js';
import type { Revision } from '../graph/revision.js';
import { selectHistory } from '../plan/history-range.js';
import type { Project } from '../project.js';

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
