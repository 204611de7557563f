// The shape every lint rule has (after squawk): an id, a severity, why it hurts a running API, a
// safe recipe, and a check over one statement's facts. Rules are pure: no files, no database.

import type { DialectName } from '../../db/dialect-name.js';
import type { Direction } from '../files/revision-source.js';
import type { Severity } from './finding.js';
import type { ColumnType, StatementFact } from './statement-facts.js';
import type { TableRebuild } from './table-rebuilds.js';

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
  /**
   * True unless the table was created earlier in the same section, or by this statement (then
   * it is exempt). A table dropped and created again later in the section still existed here.
   */
  isExisting(table: string): boolean;
  /** True unless the index was created earlier in the same section. */
  isExistingIndex(index: string): boolean;
  /** The facts of every statement of the section (an unreadable one has none), and this one's place. */
  readonly sectionFacts: readonly (readonly StatementFact[])[];
  readonly statementIndex: number;
  /** The table rebuilds of the section (see table-rebuilds.ts). */
  readonly rebuilds: readonly TableRebuild[];
  /** The indexes on the table as the chain so far left it. */
  indexesOn(table: string): readonly { name: string; columns: readonly string[] }[];
  /** The other tables with a foreign key to it, as the chain so far left them. */
  referencingTables(table: string): readonly string[];
  /** The views that name the table, and the triggers on it, as the chain so far left them. */
  viewsNaming(table: string): readonly string[];
  /** The views that named the table when the chain so far dropped them, not created since. */
  viewsDroppedNaming(table: string): readonly string[];
  triggersOn(table: string): readonly string[];
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

/**
 * True when `version` (e.g. '8.0.28', or '8.0' meaning the latest 8.0 release) is older than
 * `minimum` (e.g. '8.0.29'). Missing parts of `version` count as the newest of their series.
 */
export function isOlderThan(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < want.length; i += 1) {
    const part = have[i];
    if (part === undefined || Number.isNaN(part)) return false;
    const needed = want[i] ?? 0;
    if (part !== needed) return part < needed;
  }
  return false;
}
