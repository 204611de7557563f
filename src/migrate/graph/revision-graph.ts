// The revision graph: revisions linked to their parents, sorted once, then asked questions.
// Pure: no files, no database. Built on every CLI call, so build() is O(n log n) and iterative.

import { DataRegistryError } from '../../shared/errors.js';
import { compareIds, formatIds } from './format-ids.js';
import type { Revision } from './revision.js';
import { indexRevisions } from './validate-revisions.js';

/**
 * Where a walk of N steps along single parent or child links ends (see {@link RevisionGraph.walk}).
 * `undefined` as a position means base (before every revision).
 */
export type Walk =
  /** The walk took every step. `ids` is `[]` for base, or several ids when the last step down left a merge point. */
  | { readonly kind: 'reached'; readonly ids: readonly string[] }
  /** The walk ran out of revisions after `taken` steps, at `at` (a head going up, base going down). */
  | { readonly kind: 'end'; readonly taken: number; readonly at: string | undefined }
  /** After `taken` steps the walk reached `at`, where `options` are the possible next revisions. */
  | {
      readonly kind: 'fork';
      readonly taken: number;
      readonly at: string | undefined;
      readonly options: readonly string[];
    };

/** The revisions of a versions folder as a graph. Immutable; every list it returns is sorted. */
export class RevisionGraph {
  readonly #byId: ReadonlyMap<string, Revision>;
  readonly #order: readonly Revision[];
  readonly #position: ReadonlyMap<string, number>;
  readonly #children: ReadonlyMap<string, readonly Revision[]>;
  readonly #heads: readonly Revision[];
  readonly #bases: readonly Revision[];

  private constructor(byId: ReadonlyMap<string, Revision>, order: readonly Revision[]) {
    this.#byId = byId;
    this.#order = order;
    this.#position = new Map(order.map((revision, index) => [revision.id, index]));
    const children = new Map<string, Revision[]>(order.map((revision) => [revision.id, []]));
    // Walking in topological order fills each child list already sorted that way.
    for (const revision of order) {
      for (const parent of revision.parents) children.get(parent)?.push(revision);
    }
    this.#children = children;
    this.#heads = order.filter((r) => children.get(r.id)?.length === 0).sort(compareById);
    this.#bases = order.filter((r) => r.parents.length === 0).sort(compareById);
  }

  /**
   * Validates `revisions` (see indexRevisions: MALFORMED_REVISION_FILE, DUPLICATE_REVISION,
   * MISSING_PARENT) and sorts them; REVISION_CYCLE names the revisions and files of a cycle.
   */
  static build(revisions: readonly Revision[]): RevisionGraph {
    const byId = indexRevisions(revisions);
    return new RevisionGraph(byId, sortTopologically(byId));
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The revision with exactly this id; REVISION_NOT_FOUND otherwise. */
  get(id: string): Revision {
    const revision = this.#byId.get(id);
    if (!revision) {
      throw new DataRegistryError(
        'REVISION_NOT_FOUND',
        `No revision has the id \`${id}\` (${this.#order.length} revisions known).`,
        { ref: id },
      );
    }
    return revision;
  }

  /** Every revision, parents before children; ties broken by create date, then id. */
  all(): readonly Revision[] {
    return this.#order;
  }

  /** Revisions that no revision revises, sorted by id. */
  heads(): readonly Revision[] {
    return this.#heads;
  }

  /** Revisions without parents, sorted by id. */
  bases(): readonly Revision[] {
    return this.#bases;
  }

  /** The revisions that name `id` as a parent, in topological order. */
  children(id: string): readonly Revision[] {
    this.get(id);
    return this.#children.get(id) ?? [];
  }

  /** Revisions with two or more children, in topological order. */
  branchPoints(): readonly Revision[] {
    return this.#order.filter((r) => (this.#children.get(r.id)?.length ?? 0) > 1);
  }

  /** `heads` and all their ancestors: what is applied when the version table holds `heads`. */
  appliedSet(heads: readonly string[]): Set<string> {
    return this.#reach(heads, (revision) => revision.parents);
  }

  /** `ids` and all their descendants. */
  descendants(ids: readonly string[]): Set<string> {
    return this.#reach(ids, (revision) => this.#children.get(revision.id)?.map((c) => c.id) ?? []);
  }

  /** The given revisions in topological order (parents first), duplicates removed. */
  sortTopologically(ids: Iterable<string>): Revision[] {
    const positions = [...new Set(ids)].map((id) => {
      this.get(id);
      return this.#position.get(id) ?? 0;
    });
    return positions.sort((a, b) => a - b).flatMap((p) => this.#order[p] ?? []);
  }

  /**
   * The revision with this exact id, else the only one whose id starts with `ref`.
   * REVISION_NOT_FOUND when none matches; AMBIGUOUS_REVISION (details.candidates) when several do.
   */
  resolvePrefix(ref: string): Revision {
    const exact = this.#byId.get(ref);
    if (exact) return exact;
    const candidates =
      ref === '' ? [] : [...this.#byId.keys()].filter((id) => id.startsWith(ref)).sort(compareIds);
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) return this.get(only);
    if (candidates.length === 0) {
      throw new DataRegistryError(
        'REVISION_NOT_FOUND',
        `No revision matches \`${ref}\` in ${this.#order.length} revisions; ` +
          '`dataregistry history` lists them.',
        { ref },
      );
    }
    throw new DataRegistryError(
      'AMBIGUOUS_REVISION',
      `\`${ref}\` matches ${candidates.length} revisions (${formatIds(candidates)}); give more characters.`,
      { ref, candidates },
    );
  }

  /**
   * Walks `steps` links from `start` (undefined = base): up through the only child when
   * `steps > 0`, down through the only parent when `steps < 0`. Going down past a base revision
   * reaches base. Leaving a merge point by the last step down reaches all its parents at once
   * (each gives the same downgrade); any other choice of several revisions is a fork.
   */
  walk(start: string | undefined, steps: number): Walk {
    let at = start;
    if (at !== undefined) this.get(at);
    for (let taken = 0; taken < Math.abs(steps); taken += 1) {
      if (steps < 0 && at === undefined) return { kind: 'end', taken, at };
      const options =
        steps > 0
          ? (at === undefined ? this.#bases : (this.#children.get(at) ?? [])).map((r) => r.id)
          : [...this.get(at ?? '').parents].sort(compareIds);
      const isLast = taken + 1 === Math.abs(steps);
      if (steps > 0 && options.length === 0) return { kind: 'end', taken, at };
      if (steps < 0 && options.length > 1 && isLast) return { kind: 'reached', ids: options };
      if (options.length > 1) return { kind: 'fork', taken, at, options };
      at = options[0];
    }
    return { kind: 'reached', ids: at === undefined ? [] : [at] };
  }

  /** `ids` plus everything reachable from them through `next`; iterative, so no stack limit. */
  #reach(ids: readonly string[], next: (revision: Revision) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const todo = [...ids];
    for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
      if (seen.has(id)) continue;
      seen.add(id);
      for (const other of next(this.get(id))) if (!seen.has(other)) todo.push(other);
    }
    return seen;
  }
}

function compareById(a: Revision, b: Revision): number {
  return compareIds(a.id, b.id);
}

/** Older first: by create date as written (missing dates first), then by id. */
function compareForOrder(a: Revision, b: Revision): number {
  const byDate = compareIds(a.createDate ?? '', b.createDate ?? '');
  return byDate !== 0 ? byDate : compareIds(a.id, b.id);
}

/**
 * Kahn's algorithm with a min-heap, so among revisions whose parents are all placed the oldest
 * comes next: the same order on every machine. Leftover revisions mean a cycle.
 */
function sortTopologically(byId: ReadonlyMap<string, Revision>): Revision[] {
  const waitingOn = new Map<string, number>();
  const children = new Map<string, Revision[]>();
  for (const revision of byId.values()) {
    waitingOn.set(revision.id, revision.parents.length);
    for (const parent of revision.parents) {
      const list = children.get(parent);
      if (list) list.push(revision);
      else children.set(parent, [revision]);
    }
  }
  const ready = new MinHeap<Revision>(compareForOrder);
  for (const revision of byId.values()) if (revision.parents.length === 0) ready.push(revision);
  const order: Revision[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const child of children.get(next.id) ?? []) {
      const left = (waitingOn.get(child.id) ?? 0) - 1;
      waitingOn.set(child.id, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length < byId.size) {
    const placed = new Set(order.map((r) => r.id));
    throw cycleError(findCycle(byId, placed));
  }
  return order;
}

/**
 * A cycle among the revisions that could not be placed. Each of them waits on an unplaced
 * parent, so following unplaced parents must come back to a revision already on the path.
 */
function findCycle(byId: ReadonlyMap<string, Revision>, placed: ReadonlySet<string>): Revision[] {
  const unplaced = [...byId.values()].filter((r) => !placed.has(r.id)).sort(compareById);
  const path: Revision[] = [];
  const onPath = new Map<string, number>();
  let current = unplaced[0];
  while (current && !onPath.has(current.id)) {
    onPath.set(current.id, path.length);
    path.push(current);
    const parent = [...current.parents].sort(compareIds).find((p) => !placed.has(p));
    current = parent === undefined ? undefined : byId.get(parent);
  }
  return current ? path.slice(onPath.get(current.id)) : path;
}

function cycleError(cycle: readonly Revision[]): DataRegistryError {
  const links = cycle.map((revision, index) => {
    const parent = cycle[(index + 1) % cycle.length] ?? revision;
    return `${revision.id} (${revision.path}) revises ${parent.id}`;
  });
  return new DataRegistryError(
    'REVISION_CYCLE',
    `The revisions form a cycle: ${links.join(', ')}. ` +
      'Correct the "Revises:" line of one of them so that the chain ends at a base revision.',
    { revisions: cycle.map((r) => r.id), paths: cycle.map((r) => r.path) },
  );
}

/** A binary min-heap: enough of a priority queue for the topological sort. */
class MinHeap<T> {
  readonly #items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.#less(parent, index)) break;
      this.#swap(index, parent);
      index = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && this.#less(left, smallest)) smallest = left;
      if (right < items.length && this.#less(right, smallest)) smallest = right;
      if (smallest === index) return top;
      this.#swap(index, smallest);
      index = smallest;
    }
  }

  #less(i: number, j: number): boolean {
    return this.compare(this.#items[i] as T, this.#items[j] as T) < 0;
  }

  #swap(i: number, j: number): void {
    const items = this.#items;
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
