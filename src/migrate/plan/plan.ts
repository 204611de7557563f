// The planner: from the revision graph, the database's current heads and a target, the ordered
// steps that reach the target, each with the version-table rows it changes (Alembic's rules).
// Targets are resolved by graph/resolve-target.ts. Pure: no files, no database; O(n log n) in the
// size of the graph, whatever the plan's length.

import { DataRegistryError } from '../../shared/errors.js';
import { compareIds, formatIds, sortedIds } from '../graph/format-ids.js';
import type { Target } from '../graph/parse-target.js';
import { resolveTarget } from '../graph/resolve-target.js';
import type { Revision } from '../graph/revision.js';
import type { RevisionGraph } from '../graph/revision-graph.js';

/**
 * Which version-table rows one step deletes and inserts. The shape of run/version-table's
 * VersionChange, declared here because the planner stays clear of run/ (the database side).
 */
export interface VersionChange {
  readonly delete: readonly string[];
  readonly insert: readonly string[];
}

/** Applying (upgrade) or reverting (downgrade) one revision. Head lists are sorted by id. */
export interface Step {
  readonly direction: 'upgrade' | 'downgrade';
  readonly revision: Revision;
  /** The version table's rows before this step. */
  readonly headsBefore: readonly string[];
  /** The version table's rows after this step. */
  readonly headsAfter: readonly string[];
  /** The rows this step deletes and inserts to turn `headsBefore` into `headsAfter`. */
  readonly versionChange: VersionChange;
}

/** The ordered steps from the current heads to a target; no steps when it is already reached. */
export interface Plan {
  readonly steps: readonly Step[];
  /** The version table's rows once every step ran (sorted by id). */
  readonly headsAfter: readonly string[];
}

/**
 * `upgrade <target>`: applies every revision the target needs that is not applied yet, parents
 * before children (pending branches interleaved by create date, then id). As in Alembic, a
 * target already applied (or `base`) is a no-op, and `+N` walks N revisions up from the single
 * current head, then applies what that revision needs.
 *
 * Errors: INVALID_TARGET (`-N`), MULTIPLE_HEADS (`head` with several heads), AMBIGUOUS_PATH and
 * RELATIVE_TARGET_OUT_OF_RANGE (relative targets), REVISION_NOT_FOUND, AMBIGUOUS_REVISION.
 */
export function planUpgrade(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: Target,
): Plan {
  if (target.kind === 'relative' && target.steps < 0) {
    throw wrongDirection('upgrade', target.text, 'downgrade');
  }
  const targets = resolveTarget(graph, currentHeads, target, { command: 'upgrade' });
  const applied = graph.appliedSet(currentHeads);
  // Stop at applied revisions: their ancestors are applied too.
  const needed = new Set<string>();
  const todo = targets.filter((id) => !applied.has(id));
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (needed.has(id)) continue;
    needed.add(id);
    for (const parent of graph.get(id).parents) {
      if (!applied.has(parent) && !needed.has(parent)) todo.push(parent);
    }
  }
  return upgradeSteps(graph.sortTopologically(needed), currentHeads);
}

/**
 * `downgrade <target>`: reverts, newest first, every applied revision that descends from the
 * target, leaving the target applied (`base` reverts everything). The target must be applied.
 * `-N` walks N revisions down from the single current head; leaving a merge point by the last
 * step reverts the merge point alone (where Alembic calls that walk ambiguous).
 *
 * Errors: INVALID_TARGET (`+N`, or a target that is not applied), MULTIPLE_HEADS, AMBIGUOUS_PATH,
 * RELATIVE_TARGET_OUT_OF_RANGE, REVISION_NOT_FOUND, AMBIGUOUS_REVISION.
 */
export function planDowngrade(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: Target,
): Plan {
  if (target.kind === 'relative' && target.steps > 0) {
    throw wrongDirection('downgrade', target.text, 'upgrade');
  }
  const targets = resolveTarget(graph, currentHeads, target, { command: 'downgrade' });
  const applied = graph.appliedSet(currentHeads);
  const ahead = targets.filter((id) => !applied.has(id));
  if (ahead.length > 0) {
    const [verb, pronoun] = ahead.length === 1 ? ['is', 'it'] : ['are', 'them'];
    throw new DataRegistryError(
      'INVALID_TARGET',
      `downgrade ${target.text}: ${formatIds(ahead)} ${verb} not applied (the database is at ` +
        `${describeHeads(currentHeads)}), so downgrading cannot reach ${pronoun}; ` +
        `\`dataregistry upgrade ${target.text}\` applies ${pronoun}.`,
      { target: target.text, notApplied: ahead, heads: [...currentHeads] },
    );
  }
  let revert: Iterable<string> = applied;
  if (targets.length > 0) {
    const keep = graph.appliedSet(targets);
    revert = [...graph.descendants(targets)].filter((id) => applied.has(id) && !keep.has(id));
  }
  return downgradeSteps(graph, graph.sortTopologically(revert).reverse(), currentHeads, applied);
}

/** planUpgrade or planDowngrade, by direction. */
export function planMigration(
  direction: Step['direction'],
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: Target,
): Plan {
  return direction === 'upgrade'
    ? planUpgrade(graph, currentHeads, target)
    : planDowngrade(graph, currentHeads, target);
}

/**
 * `stamp <target>`: the version table's rows once the target is recorded, whatever is applied.
 * As Alembic's stamp: `base` empties it, `heads` records every head, and a revision replaces the
 * current heads on its line (its ancestors and descendants), leaving other branches alone.
 * Relative targets count from the current head, as for upgrade (`+N`) and downgrade (`-N`).
 */
export function planStamp(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: Target,
): { readonly headsAfter: string[] } {
  const targets = resolveTarget(graph, currentHeads, target, { command: 'stamp' });
  if (targets.length === 0) return { headsAfter: [] };
  const onTheirLine = graph.appliedSet(targets);
  for (const id of graph.descendants(targets)) onTheirLine.add(id);
  const kept = currentHeads.filter((id) => !onTheirLine.has(id));
  return { headsAfter: sortedIds([...kept, ...targets]) };
}

function upgradeSteps(order: readonly Revision[], currentHeads: readonly string[]): Plan {
  return stepsChanging(currentHeads, 'upgrade', order, (revision, rows) => {
    const deleted = revision.parents.filter((parent) => rows.has(parent));
    for (const parent of deleted) rows.delete(parent);
    rows.add(revision.id);
    return { delete: deleted, insert: [revision.id] };
  });
}

/** `order` newest first; `applied` is updated as revisions are reverted. */
function downgradeSteps(
  graph: RevisionGraph,
  order: readonly Revision[],
  currentHeads: readonly string[],
  applied: Set<string>,
): Plan {
  return stepsChanging(currentHeads, 'downgrade', order, (revision, rows) => {
    applied.delete(revision.id);
    rows.delete(revision.id);
    // A parent becomes a head again unless another of its children is still applied.
    const inserted = revision.parents.filter(
      (parent) => !rows.has(parent) && !graph.children(parent).some((c) => applied.has(c.id)),
    );
    for (const parent of inserted) rows.add(parent);
    return { delete: [revision.id], insert: inserted };
  });
}

/** One step per revision of `order`; `change` updates the rows for it and says what it changed. */
function stepsChanging(
  currentHeads: readonly string[],
  direction: Step['direction'],
  order: readonly Revision[],
  change: (revision: Revision, rows: VersionRows) => VersionChange,
): Plan {
  const rows = new VersionRows(currentHeads);
  let before = rows.snapshot();
  const steps = order.map((revision): Step => {
    const versionChange = change(revision, rows);
    const after = rows.snapshot();
    const step: Step = {
      direction,
      revision,
      headsBefore: before,
      headsAfter: after,
      versionChange,
    };
    before = after;
    return step;
  });
  return { steps, headsAfter: before };
}

/** The version table's rows, kept sorted by id so that each step copies them without sorting. */
class VersionRows {
  readonly #rows: string[];

  constructor(ids: readonly string[]) {
    this.#rows = sortedIds(ids);
  }

  has(id: string): boolean {
    return this.#rows[this.#indexOf(id)] === id;
  }

  add(id: string): void {
    const index = this.#indexOf(id);
    if (this.#rows[index] !== id) this.#rows.splice(index, 0, id);
  }

  delete(id: string): void {
    const index = this.#indexOf(id);
    if (this.#rows[index] === id) this.#rows.splice(index, 1);
  }

  snapshot(): string[] {
    return [...this.#rows];
  }

  /** Where `id` is, or would go (binary search). */
  #indexOf(id: string): number {
    let low = 0;
    let high = this.#rows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compareIds(this.#rows[middle] ?? '', id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function wrongDirection(command: string, text: string, other: string): DataRegistryError {
  const way = command === 'upgrade' ? 'backwards' : 'forwards';
  return new DataRegistryError(
    'INVALID_TARGET',
    `${command} ${text} goes ${way}; use \`dataregistry ${other} ${text}\`.`,
    { target: text },
  );
}

function describeHeads(heads: readonly string[]): string {
  return heads.length === 0 ? 'base' : formatIds(sortedIds(heads));
}
