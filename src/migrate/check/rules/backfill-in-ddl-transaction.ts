// Rule backfill-in-ddl-transaction: rows of an existing table written in the same transaction as
// a schema change of an existing table (PostgreSQL and SQLite, whose DDL is transactional).

import { upgradeOnly, type LintRule } from '../rule.js';

export const backfillInDdlTransaction: LintRule = {
  id: 'backfill-in-ddl-transaction',
  severity: 'warning',
  // MySQL commits before and after each DDL statement, so its locks are not held together.
  dialects: ['postgresql', 'sqlite'],
  directions: upgradeOnly,
  why: "The schema change's lock (ACCESS EXCLUSIVE on PostgreSQL, the database write lock on SQLite) is held until the backfill commits, so every request on the table waits for the whole backfill.",
  fix: 'Move the backfill into a revision of its own (a no-transaction one that updates in batches for large tables), between the revision that adds the column and the one that constrains it.',
  check: (context) =>
    context.isTransactional && context.hasDdlOnExistingTable
      ? context.facts.flatMap((fact) =>
          fact.kind === 'write-rows' && context.isExisting(fact.table)
            ? [
                {
                  message: `Rows of ${fact.table} are written in the same transaction as a schema change.`,
                },
              ]
            : [],
        )
      : [],
};
