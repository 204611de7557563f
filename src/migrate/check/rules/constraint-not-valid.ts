// Rule constraint-not-valid (PostgreSQL): a FOREIGN KEY or CHECK added to an existing table
// without NOT VALID.

import { upgradeOnly, type LintRule } from '../rule.js';

export const constraintNotValid: LintRule = {
  id: 'constraint-not-valid',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'Adding the constraint scans every row under a lock that blocks writes (a foreign key also locks the referenced table), so requests wait for the whole scan.',
  fix: 'ADD CONSTRAINT … NOT VALID (quick), then in a later revision ALTER TABLE … VALIDATE CONSTRAINT …, which scans without blocking writes.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (
        fact.kind === 'add-constraint' &&
        (fact.constraint === 'foreign-key' || fact.constraint === 'check') &&
        !fact.isNotValid &&
        context.isExisting(fact.table)
      ) {
        const what = fact.constraint === 'check' ? 'CHECK' : 'FOREIGN KEY';
        return [{ message: `A ${what} constraint is added to ${fact.table} without NOT VALID.` }];
      }
      // An inline REFERENCES cannot say NOT VALID, and still locks both tables while it checks.
      if (
        fact.kind === 'add-column' &&
        fact.column.isForeignKey &&
        context.isExisting(fact.table)
      ) {
        return [
          {
            message: `Column ${fact.table}.${fact.column.name} is added with an inline REFERENCES.`,
            fix: 'Add the column without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later revision.',
          },
        ];
      }
      return [];
    }),
};
