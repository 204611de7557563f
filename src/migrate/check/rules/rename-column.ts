// Rule rename-column: renaming a column of a table that existed before the revision.

import { allDialects, upgradeOnly, type LintRule } from '../rule.js';

export const renameColumn: LintRule = {
  id: 'rename-column',
  severity: 'error',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'Code still deployed reads and writes the old column name; those queries fail until the new code is out.',
  fix: 'Expand/contract: add the new column, deploy code that writes both and reads the new one, backfill, deploy code that uses only the new one, then drop the old column with `-- check:allow drop-column <reason>`.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'rename-column' && context.isExisting(fact.table)
        ? [{ message: `Column ${fact.table}.${fact.column} is renamed to ${fact.to}.` }]
        : [],
    ),
};
