// Rule sqlite-drop-column (SQLite): DROP COLUMN of a column SQLite refuses to drop — one named by
// a PRIMARY KEY, UNIQUE or FOREIGN KEY, or used by an index
// (https://www.sqlite.org/lang_altertable.html#altertabdropcol), or any DROP COLUMN before 3.35.

import { bothDirections, isOlderThan, type LintRule } from '../rule.js';

export const sqliteDropColumn: LintRule = {
  id: 'sqlite-drop-column',
  severity: 'error',
  dialects: ['sqlite'],
  directions: bothDirections,
  why: 'SQLite refuses ALTER TABLE … DROP COLUMN when the column is part of a key or constraint or is indexed, so the revision fails on deploy.',
  fix: 'Drop the index first (DROP INDEX …) in the same revision; for a key or constraint column, rebuild the table following the 12 steps of https://www.sqlite.org/lang_altertable.html#otheralter.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (fact.kind !== 'drop-column') return [];
      const version = context.serverVersions.sqlite;
      if (isOlderThan(version, '3.35')) {
        return [
          {
            message: `SQLite ${version} has no ALTER TABLE … DROP COLUMN (it came in 3.35).`,
            fix: 'Rebuild the table following the 12 steps of https://www.sqlite.org/lang_altertable.html#otheralter, or require SQLite 3.35 or later.',
          },
        ];
      }
      const reason = context.columnInUse(fact.table, fact.column);
      if (reason === undefined) return [];
      return [{ message: `SQLite cannot drop column ${fact.table}.${fact.column}: ${reason}.` }];
    }),
};
