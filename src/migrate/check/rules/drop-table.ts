// Rule drop-table: dropping a table that existed before the revision.

import { allDialects, upgradeOnly, type LintRule, type StatementContext } from '../rule.js';

export const dropTable: LintRule = {
  id: 'drop-table',
  severity: 'error',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'Code still deployed reads and writes the table; every such request fails from the moment the revision runs, and the data is gone.',
  fix: 'Expand/contract: first deploy code that no longer uses the table, then drop it in a contract revision with `-- check:allow drop-table <reason>` above the statement.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'drop-table' &&
      context.isExisting(fact.table) &&
      !isRebuilt(context, fact.table)
        ? [{ message: `Table ${fact.table} is dropped.` }]
        : [],
    ),
};

/**
 * An SQLite table rebuilt in its documented order keeps its name and rows: the drop is safe,
 * because SQLite's single writer lock keeps every write out until the rebuild commits.
 * Elsewhere writes during the copy would be lost, so the drop is still reported.
 * (sqlite-table-rebuild checks the rest of the rebuild.)
 */
function isRebuilt(context: StatementContext, table: string): boolean {
  return (
    context.dialect === 'sqlite' &&
    context.rebuilds.some(
      (r) =>
        r.order === 'new-first' &&
        r.dropAt === context.statementIndex &&
        r.table.toLowerCase() === table.toLowerCase(),
    )
  );
}
