// What the round trip of one database reports: how far it got, what it skipped and why, and the
// first problem, with the statement and the database's message or the schema difference.

import type { DialectName } from '../../../db/dialect-name.js';

export type RoundTripProblemKind =
  /** A revision's upgrade failed. */
  | 'upgrade-failed'
  /** A revision's downgrade failed. */
  | 'downgrade-failed'
  /** A revision's downgrade ran but left a schema other than the one before its upgrade. */
  | 'downgrade-not-restoring'
  /** `downgrade base` left objects behind. */
  | 'base-not-empty'
  /** `upgrade head` after `downgrade base` built another schema than the first time. */
  | 'head-differs';

export interface RoundTripProblem {
  readonly kind: RoundTripProblemKind;
  /** The revision concerned; undefined for `base-not-empty` and `head-differs`. */
  readonly revision: string | undefined;
  /** Its file. */
  readonly file: string | undefined;
  /** The failing statement, when one failed. */
  readonly statement: string | undefined;
  /** What happened, with the database's own message for a failed statement. */
  readonly message: string;
  /** The schema difference, one object a line (`missing column t.c (TEXT NULL)`). */
  readonly difference: readonly string[];
}

export interface SkippedRevision {
  readonly revision: string;
  /** Why its downgrade was not checked: the irreversible mark's own words, or the graph's shape. */
  readonly reason: string;
}

export interface RoundTripReport {
  readonly dialect: DialectName;
  /** Where it ran: the server (password masked) or `temporary SQLite file`. */
  readonly database: string;
  /** The server version the database reported. */
  readonly serverVersion: string;
  /** Revisions upgraded, downgraded and compared without a problem. */
  readonly checked: number;
  readonly skipped: readonly SkippedRevision[];
  /** The first problem; the round trip stops there. Undefined when it went through. */
  readonly problem: RoundTripProblem | undefined;
}
