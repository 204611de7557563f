// A revision as loaded from the versions folder: its graph node, its checksum, and the code
// that upgrades or downgrades it on a given database.

import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/dialect-name.js';
import type { Revision } from '../graph/revision.js';

/** What runs for one direction of one revision on one dialect. */
export type RevisionBody =
  | {
      readonly kind: 'sql';
      /** Statements in order, without their trailing semicolon; may be empty. */
      readonly statements: readonly string[];
    }
  | {
      readonly kind: 'js';
      /** Runs the revision's `upgrade(db)` or `downgrade(db)`; `db` is the revision's transaction. */
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      readonly run: (db: Kysely<any>) => Promise<void>;
    };

export type Direction = 'upgrade' | 'downgrade';

export interface RevisionSource {
  readonly revision: Revision;
  /**
   * SHA-256 (hex) of the file's text with line endings normalised to LF and trailing whitespace
   * removed from every line, so that a formatter or a Windows checkout does not change it.
   */
  readonly checksum: string;
  /**
   * The body for one direction on one dialect: the dialect's own section when the file has one
   * (`-- migrate:upgrade postgresql`), else the plain section.
   */
  loadBody(direction: Direction, dialect: DialectName): Promise<RevisionBody>;
}
