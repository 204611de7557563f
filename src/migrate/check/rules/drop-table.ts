// Rule drop-table: dropping a table that existed before the revision.

import { allDialects, upgradeOnly, type LintRule } from '../rule.js';

export const dropTable: LintRule = {
  id: 'drop-table',
  severity: 'error',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'Code still deployed reads and writes the table; every such request fails from the moment the revision runs, and the data is gone.',
  fix: 'Expand/contract: first deploy code that no longer uses the table, then drop it in a contract revision with `-- check:allow drop-table <reason>` above the statement.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'drop-table' && context.isExisting(fact.table)
        ? [{ message: `Table ${fact.table} is dropped.` }]
        : [],
    ),
};
