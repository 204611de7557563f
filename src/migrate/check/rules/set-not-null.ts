// Rule set-not-null (PostgreSQL): ALTER COLUMN … SET NOT NULL on an existing table.

import { upgradeOnly, type LintRule } from '../rule.js';

export const setNotNull: LintRule = {
  id: 'set-not-null',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock: every read and write of the table waits for the scan.',
  fix: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; in a later revision VALIDATE CONSTRAINT c; then SET NOT NULL (PostgreSQL 12+ skips the scan thanks to the valid CHECK; allow it with `-- check:allow set-not-null <reason>`) and DROP CONSTRAINT c.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'set-not-null' && context.isExisting(fact.table)
        ? [{ message: `Column ${fact.table}.${fact.column} is set NOT NULL.` }]
        : [],
    ),
};
