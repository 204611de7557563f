// Selects the revisions of `history -r start:end`, as Alembic's history does: both ends
// inclusive, an open start is base, an open end is every head. Pure: no files, no database.

import { DataRegistryError } from '../../shared/errors.js';
import { formatIds } from '../graph/format-ids.js';
import type { HistoryRange, RangeEnd } from '../graph/parse-target.js';
import type { Revision } from '../graph/revision.js';
import type { RevisionGraph } from '../graph/revision-graph.js';
import {
  resolveTarget,
  resolveWalk,
  singleStart,
  type ResolveContext,
} from '../graph/resolve-target.js';

/**
 * The revisions that are ancestors of (or are) the end and descendants of (or are) the start,
 * newest first. `current` stands for `currentHeads` (base when empty). A relative start (`-N`)
 * counts down from the end and a relative end (`+N`) up from the start, stopping at base or head
 * rather than failing, as Alembic does. INVALID_TARGET when the start is not below the end.
 */
export function selectHistory(
  graph: RevisionGraph,
  range: HistoryRange,
  currentHeads: readonly string[],
): Revision[] {
  const text = range.text ?? `${range.start?.text ?? ''}:${range.end?.text ?? ''}`;
  const context: ResolveContext = { command: 'history -r', clamp: true };
  const resolve = (end: RangeEnd): string[] =>
    end.kind === 'current'
      ? [...new Set(currentHeads)]
      : resolveTarget(graph, currentHeads, end, context);
  const countFrom = (ids: readonly string[], steps: number): string[] =>
    resolveWalk(graph, singleStart(ids, context.command, text), steps, {
      ...context,
      text,
      countsFromCurrent: false,
    });

  let startIds: string[];
  let endIds: string[];
  if (range.start?.kind === 'relative') {
    endIds = range.end ? resolve(range.end) : graph.heads().map((r) => r.id);
    startIds = countFrom(endIds, range.start.steps);
  } else {
    startIds = range.start ? resolve(range.start) : [];
    endIds =
      range.end?.kind === 'relative'
        ? countFrom(startIds, range.end.steps)
        : range.end
          ? resolve(range.end)
          : graph.heads().map((r) => r.id);
  }

  const upToEnd = graph.appliedSet(endIds);
  const outside = startIds.filter((id) => !upToEnd.has(id));
  if (outside.length > 0) {
    const end = endIds.length === 0 ? 'base' : formatIds(endIds);
    throw new DataRegistryError(
      'INVALID_TARGET',
      `history -r ${text}: ${formatIds(outside)} is not an ancestor of ${end}, so the range is ` +
        'empty; put the older revision first (start:end).',
      { range: text, start: startIds, end: endIds },
    );
  }
  if (startIds.length === 0) return graph.sortTopologically(upToEnd).reverse();
  const fromStart = graph.descendants(startIds);
  return graph.sortTopologically([...upToEnd].filter((id) => fromStart.has(id))).reverse();
}
