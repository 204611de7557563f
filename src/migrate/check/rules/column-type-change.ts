// Rule column-type-change: changing the type of a column of an existing table, unless the change
// only widens it (see column-type-widening.ts).

import { formatColumnType } from '../statement-facts.js';
import { allDialects, upgradeOnly, type LintRule } from '../rule.js';
import { isWidening } from './column-type-widening.js';

export const columnTypeChange: LintRule = {
  id: 'column-type-change',
  severity: 'warning',
  dialects: allDialects,
  directions: upgradeOnly,
  why: 'The running code reads and writes the old type: values it sends may no longer fit, and values it reads may come back in another form.',
  fix: 'Expand/contract: add a column of the new type, write both from the code, backfill, switch reads, then drop the old column.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (fact.kind !== 'change-type' || !context.isExisting(fact.table)) return [];
      const before = context.columnTypeBefore(fact.table, fact.column);
      if (isWidening(before, fact.to)) return [];
      const from = before === undefined ? 'its current type' : formatColumnType(before);
      const to = fact.to === undefined ? 'another type' : formatColumnType(fact.to);
      return [{ message: `Column ${fact.table}.${fact.column} changes from ${from} to ${to}.` }];
    }),
};
