// Rule required-column: a NOT NULL column without a default added to a table that exists.

import { allDialects, upgradeOnly, type LintRule } from '../rule.js';

export const requiredColumn: LintRule = {
  id: 'required-column',
  severity: 'error',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'The running code does not know the new column, so its inserts leave it out and fail the NOT NULL constraint (PostgreSQL refuses even the ALTER once the table has rows, SQLite always does; MySQL fills existing rows with the implicit default of the type).',
  fix: 'Add the column as nullable, or NOT NULL with a DEFAULT; deploy code that writes it; backfill; then add NOT NULL in a later revision.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'add-column' &&
      context.isExisting(fact.table) &&
      fact.column.isNotNull &&
      fact.column.defaultKind === 'none' &&
      !fact.column.isPrimaryKey
        ? [
            {
              message: `Column ${fact.table}.${fact.column.name} is added NOT NULL without a default.`,
            },
          ]
        : [],
    ),
};
