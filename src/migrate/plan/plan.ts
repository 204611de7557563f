// The planner: from the revision graph, the database's current heads and a target, the ordered
// steps that reach the target, each with the version-table rows it changes (Alembic's rules).
// Pure: no files, no database; O(n log n) in the size of the graph, whatever the plan's length.

import { DataRegistryError } from '../../shared/errors.js';
import { compareIds, formatIds } from '../graph/format-ids.js';
import type { Target, TargetAnchor } from '../graph/parse-target.js';
import type { Revision } from '../graph/revision.js';
import type { RevisionGraph, Walk } from '../graph/revision-graph.js';

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

/** How a target is being used, for messages; `clamp` stops walks at head or base (history). */
export interface ResolveContext {
  readonly command: string;
  readonly clamp?: boolean;
}

/** A walk's context: the target's text, and whether it counts from the current head. */
export interface WalkContext extends ResolveContext {
  readonly text: string;
  readonly countsFromCurrent: boolean;
}

/**
 * The revision ids a target names (`[]` for base), given the current heads for `+N`/`-N`.
 * `head` needs a single head; `heads` is every head.
 */
export function resolveTarget(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: Target,
  context: ResolveContext,
): string[] {
  switch (target.kind) {
    case 'head':
      return onlyHead(graph, context.command, target.text);
    case 'heads':
      return graph.heads().map((r) => r.id);
    case 'base':
      return [];
    case 'revision':
      return [graph.resolvePrefix(target.ref).id];
    case 'relative': {
      const start = singleStart(currentHeads, context.command, target.text);
      return resolveWalk(graph, start, target.steps, {
        ...context,
        text: target.text,
        countsFromCurrent: true,
      });
    }
    case 'offset': {
      const start = resolveAnchor(graph, target.from, context.command, target.text);
      return resolveWalk(graph, start, target.steps, {
        ...context,
        text: target.text,
        countsFromCurrent: false,
      });
    }
  }
}

/**
 * Walks `steps` from `start` (undefined = base) and returns where it lands. Out of range is an
 * error unless `clamp`, which stops at the last revision (or base) instead.
 */
export function resolveWalk(
  graph: RevisionGraph,
  start: string | undefined,
  steps: number,
  context: WalkContext,
): string[] {
  const walk = graph.walk(start, steps);
  switch (walk.kind) {
    case 'reached':
      return [...walk.ids];
    case 'end':
      if (context.clamp) return walk.at === undefined ? [] : [walk.at];
      throw outOfRange(walk.taken, steps, start, context);
    case 'fork':
      throw fork(walk, steps, context);
  }
}

/**
 * The one revision a relative target counts from: the database's single current head, or base
 * when nothing is applied. Several heads give no single starting point (AMBIGUOUS_PATH).
 */
export function singleStart(
  heads: readonly string[],
  command: string,
  text: string,
): string | undefined {
  const unique = sortedIds(heads);
  if (unique.length <= 1) return unique[0];
  const other =
    command === 'upgrade' ? ', or apply every branch with `dataregistry upgrade heads`' : '';
  throw new DataRegistryError(
    'AMBIGUOUS_PATH',
    `${command} ${text}: there are ${unique.length} heads to count from (${formatIds(unique)}), so ` +
      `${text} is not one path. Name the revision to go to instead (\`dataregistry ${command} <rev>\`)${other}.`,
    { target: text, heads: unique },
  );
}

function resolveAnchor(
  graph: RevisionGraph,
  anchor: TargetAnchor,
  command: string,
  text: string,
): string | undefined {
  switch (anchor.kind) {
    case 'base':
      return undefined;
    case 'head':
    case 'heads':
      return onlyHead(graph, command, text)[0];
    case 'revision':
      return graph.resolvePrefix(anchor.ref).id;
  }
}

function onlyHead(graph: RevisionGraph, command: string, text: string): string[] {
  const ids = graph.heads().map((r) => r.id);
  if (ids.length <= 1) return ids;
  const way =
    command === 'upgrade'
      ? 'Apply every branch with `dataregistry upgrade heads`'
      : command === 'stamp'
        ? 'Name one of them, or record them all with `dataregistry stamp heads`'
        : 'Name one of them';
  throw new DataRegistryError(
    'MULTIPLE_HEADS',
    `${command} ${text}: the revisions have ${ids.length} heads (${formatIds(ids)}). ${way}, ` +
      'or join them first with `dataregistry merge heads -m "merge"`.',
    { heads: ids },
  );
}

function upgradeSteps(order: readonly Revision[], currentHeads: readonly string[]): Plan {
  const rows = new VersionRows(currentHeads);
  let before = rows.snapshot();
  const steps = order.map((revision): Step => {
    const deleted = revision.parents.filter((parent) => rows.has(parent));
    for (const parent of deleted) rows.delete(parent);
    rows.add(revision.id);
    const after = rows.snapshot();
    const step: Step = {
      direction: 'upgrade',
      revision,
      headsBefore: before,
      headsAfter: after,
      versionChange: { delete: deleted, insert: [revision.id] },
    };
    before = after;
    return step;
  });
  return { steps, headsAfter: before };
}

/** `order` newest first; `applied` is updated as revisions are reverted. */
function downgradeSteps(
  graph: RevisionGraph,
  order: readonly Revision[],
  currentHeads: readonly string[],
  applied: Set<string>,
): Plan {
  const rows = new VersionRows(currentHeads);
  let before = rows.snapshot();
  const steps = order.map((revision): Step => {
    applied.delete(revision.id);
    rows.delete(revision.id);
    // A parent becomes a head again unless another of its children is still applied.
    const inserted = revision.parents.filter(
      (parent) => !rows.has(parent) && !graph.children(parent).some((c) => applied.has(c.id)),
    );
    for (const parent of inserted) rows.add(parent);
    const after = rows.snapshot();
    const step: Step = {
      direction: 'downgrade',
      revision,
      headsBefore: before,
      headsAfter: after,
      versionChange: { delete: [revision.id], insert: inserted },
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

function outOfRange(
  taken: number,
  steps: number,
  start: string | undefined,
  context: WalkContext,
): DataRegistryError {
  const { command, text, countsFromCurrent: fromCurrent } = context;
  const revisions = `${taken} revision${taken === 1 ? '' : 's'}`;
  let problem: string;
  if (steps < 0 && fromCurrent) {
    problem = `only ${revisions} ${taken === 1 ? 'is' : 'are'} applied; \`dataregistry ${command} base\` goes all the way back`;
  } else if (steps < 0) {
    problem = `counting down from ${start ?? 'base'} reaches base after ${revisions}; use a smaller number, or base`;
  } else {
    const from = start === undefined ? 'base' : fromCurrent ? `the current head ${start}` : start;
    problem = `only ${revisions} ${taken === 1 ? 'follows' : 'follow'} ${from}; use a smaller number, or head`;
  }
  return new DataRegistryError('RELATIVE_TARGET_OUT_OF_RANGE', `${command} ${text}: ${problem}.`, {
    target: text,
    available: taken,
  });
}

function fork(
  walk: Walk & { kind: 'fork' },
  steps: number,
  context: WalkContext,
): DataRegistryError {
  const { command, text } = context;
  const options = formatIds(walk.options);
  const kind =
    steps > 0 ? `a branch point (children ${options})` : `a merge point (parents ${options})`;
  const where =
    walk.at === undefined
      ? `there are ${walk.options.length} base revisions (${options})`
      : walk.taken === 0
        ? `${walk.at} is ${kind}`
        : `after ${walk.taken} step${walk.taken === 1 ? '' : 's'} the path reaches ${walk.at}, ${kind}`;
  const other =
    command === 'upgrade' ? ', or apply every branch with `dataregistry upgrade heads`' : '';
  return new DataRegistryError(
    'AMBIGUOUS_PATH',
    `${command} ${text}: ${where}, so the next step is not unique. Name the revision to go to ` +
      `instead (e.g. \`dataregistry ${command} ${walk.options[0] ?? '<rev>'}\`)${other}.`,
    { target: text, at: walk.at ?? 'base', options: walk.options },
  );
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

function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareIds);
}
