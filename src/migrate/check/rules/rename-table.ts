// Rule rename-table: renaming a table that existed before the revision.

import { allDialects, upgradeOnly, type LintRule } from '../rule.js';

export const renameTable: LintRule = {
  id: 'rename-table',
  severity: 'error',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'Code still deployed uses the old name; every query on the table fails between the revision and the next deploy.',
  fix: 'Expand/contract: create the new table (or a view under the new name), deploy code that uses the new name, copy the data, then drop the old name in a contract revision with `-- check:allow`.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'rename-table' && context.isExisting(fact.table)
        ? [{ message: `Table ${fact.table} is renamed to ${fact.to}.` }]
        : [],
    ),
};
