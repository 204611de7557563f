// A revision: one file in the versions folder and one node of the revision graph.
// Plain data; the graph and the planner work on these alone.

/** The graph-facing description of one revision file. */
export interface Revision {
  /** The revision id, e.g. `d21f6449aa7a` (12 lowercase hex characters when generated). */
  readonly id: string;
  /** Parent revision ids ("Revises:"): none for a base revision, two or more for a merge point. */
  readonly parents: readonly string[];
  /** The message given to `revision -m`. */
  readonly message: string;
  /** "Create Date:" as written in the file, if any. */
  readonly createDate: string | undefined;
  /** Absolute path of the file that declares it. */
  readonly path: string;
  /** False when the file opts out of the per-revision transaction (`-- migrate:no-transaction`). */
  readonly isTransactional: boolean;
  /**
   * Why the file must not run yet: the reason of its `-- migrate:not-converted` line (written by
   * `import-alembic` for a revision a person has still to convert). Undefined for a runnable file.
   */
  readonly notConverted?: string | undefined;
  /** Raw SQL file or JavaScript module. */
  readonly kind: 'sql' | 'js';
}
