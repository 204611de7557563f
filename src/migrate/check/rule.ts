// The shape every lint rule has (after squawk): an id, a severity, why it hurts a running API, a
// safe recipe, and a check over one statement's facts. Rules are pure: no files, no database.

import type { DialectName } from '../../db/dialect-name.js';
import type { Direction } from '../files/revision-source.js';
import type { Severity } from './finding.js';
import type { ColumnType, StatementFact } from './statement-facts.js';

/** The server versions version-dependent rules assume, unless the caller gives others. */
export interface ServerVersions {
  /** e.g. '15' */
  readonly postgresql: string;
  readonly mysql: string;
  readonly mariadb: string;
  readonly sqlite: string;
}

export const assumedServerVersions: ServerVersions = {
  postgresql: '15',
  mysql: '8.0',
  mariadb: '10.11',
  sqlite: '3.45',
};

/** What a rule may know about one statement of one revision section. */
export interface StatementContext {
  readonly dialect: DialectName;
  readonly direction: Direction;
  readonly statement: string;
  readonly facts: readonly StatementFact[];
  /** False for a revision marked `-- migrate:no-transaction`. */
  readonly isTransactional: boolean;
  /** True unless the table was created earlier in the same section (then it is exempt). */
  isExisting(table: string): boolean;
  /** True unless the index was created earlier in the same section. */
  isExistingIndex(index: string): boolean;
  /** The column's type before this revision, when the chain so far declares it. */
  columnTypeBefore(table: string, column: string): ColumnType | undefined;
  /** Why SQLite could not drop the column as the chain so far left it (see SchemaModel). */
  columnInUse(table: string, column: string): string | undefined;
  /** True when the section also changes the schema of a table that existed before it. */
  readonly hasDdlOnExistingTable: boolean;
  readonly serverVersions: ServerVersions;
}

/** One problem a rule found in a statement; `fix` replaces the rule's recipe when given. */
export interface RuleHit {
  readonly message: string;
  readonly fix?: string;
}

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  readonly dialects: readonly DialectName[];
  /** Sections the rule reads; upgrade only unless a downgrade would fail the same way. */
  readonly directions: readonly Direction[];
  /** Why it hurts a running API (one or two sentences, for docs/check.md and the text output). */
  readonly why: string;
  /** The safe recipe. */
  readonly fix: string;
  check(context: StatementContext): RuleHit[];
}

export const allDialects: readonly DialectName[] = ['postgresql', 'mysql', 'sqlite'];
export const upgradeOnly: readonly Direction[] = ['upgrade'];
export const bothDirections: readonly Direction[] = ['upgrade', 'downgrade'];
