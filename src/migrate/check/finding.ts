// What `check` reports: one finding per problem, with the file and line it concerns and a recipe.
// Plain data; printing (text or JSON) is the CLI's job.

import type { DialectName } from '../../db/dialect-name.js';

export type Severity = 'error' | 'warning';

/** One problem found in the versions folder. */
export interface Finding {
  /** The rule id, e.g. `drop-column`, `multiple-heads`, `not-analysed`. */
  readonly rule: string;
  readonly severity: Severity;
  /** The revision id; undefined for a file whose header cannot be read. */
  readonly revision: string | undefined;
  /** Absolute path of the revision file. */
  readonly file: string;
  /** 1-based line of the statement (or of the header for graph findings). */
  readonly line: number;
  /** The dialect the statement was read for; undefined for graph and suppression findings. */
  readonly dialect: DialectName | undefined;
  /** The statement concerned, as written; '' for graph findings. */
  readonly statement: string;
  /** What is wrong and why it hurts a running API. */
  readonly message: string;
  /** The safe recipe. */
  readonly fix: string;
}
