// Rule alter-type-rewrite (PostgreSQL): ALTER COLUMN … TYPE that rewrites the table; binary-
// coercible changes (varchar growth, varchar → text) are fine.

import { upgradeOnly, type LintRule } from '../rule.js';
import { isWidening } from './column-type-widening.js';

export const alterTypeRewrite: LintRule = {
  id: 'alter-type-rewrite',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'A type change that is not binary-coercible rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite.',
  fix: 'Add a column of the new type, backfill it in batches, switch the code to it, then drop the old column; growing a varchar or turning it into text needs none of this.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'change-type' &&
      context.isExisting(fact.table) &&
      !isWidening(context.columnTypeBefore(fact.table, fact.column), fact.to)
        ? [{ message: `Changing the type of ${fact.table}.${fact.column} rewrites the table.` }]
        : [],
    ),
};
