// Target resolution: the revision ids a target (head, heads, base, a prefix, +N, -N, <rev>±N)
// names in a graph, given the database's current heads, with Alembic's messages when it names
// none or several. Pure: no files, no database.

import { DataRegistryError } from '../../shared/errors.js';
import { formatIds, sortedIds } from './format-ids.js';
import type { Target, TargetAnchor } from './parse-target.js';
import type { RevisionGraph, Walk } from './revision-graph.js';

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
 *
 * Errors: MULTIPLE_HEADS (`head` with several heads), AMBIGUOUS_PATH (a walk through a branch
 * point or merge point, or `+N`/`-N` from several current heads), RELATIVE_TARGET_OUT_OF_RANGE,
 * REVISION_NOT_FOUND, AMBIGUOUS_REVISION.
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
