// Rule unique-constraint (PostgreSQL): a UNIQUE or PRIMARY KEY constraint added to an existing
// table without `USING INDEX`, which builds its index under a lock.

import { upgradeOnly, type LintRule } from '../rule.js';

export const uniqueConstraint: LintRule = {
  id: 'unique-constraint',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'The constraint builds its unique index while holding an ACCESS EXCLUSIVE lock: reads and writes of the table wait for the whole build.',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (…) in a `-- migrate:no-transaction` revision, then ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (
        fact.kind === 'add-constraint' &&
        context.isExisting(fact.table) &&
        (fact.constraint === 'unique' || fact.constraint === 'primary-key') &&
        !fact.usesIndex
      ) {
        return [
          {
            message: `A ${fact.constraint === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} constraint is added to ${fact.table} without USING INDEX.`,
          },
        ];
      }
      if (
        fact.kind === 'add-column' &&
        context.isExisting(fact.table) &&
        (fact.column.isUnique || fact.column.isPrimaryKey)
      ) {
        return [
          { message: `Column ${fact.table}.${fact.column.name} is added with a unique index.` },
        ];
      }
      return [];
    }),
};
