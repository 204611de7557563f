// Rule drop-column: dropping a column of a table that existed before the revision.

import { allDialects, upgradeOnly, type LintRule } from '../rule.js';

export const dropColumn: LintRule = {
  id: 'drop-column',
  severity: 'error',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'Code still deployed selects or inserts the column by name; those queries fail as soon as it is gone.',
  fix: 'Expand/contract: deploy code that no longer reads or writes the column (make it nullable first if it is NOT NULL), then drop it in a contract revision with `-- check:allow drop-column <reason>`.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'drop-column' && context.isExisting(fact.table)
        ? [{ message: `Column ${fact.table}.${fact.column} is dropped.` }]
        : [],
    ),
};
