// Rule sqlite-add-column (SQLite): ADD COLUMN forms that SQLite refuses, whether or not the table
// is new (https://www.sqlite.org/lang_altertable.html#altertabaddcol).

import { bothDirections, type LintRule } from '../rule.js';
import type { AddedColumn } from '../statement-facts.js';

export const sqliteAddColumn: LintRule = {
  id: 'sqlite-add-column',
  severity: 'error',
  dialects: ['sqlite'],
  directions: bothDirections,
  why: 'SQLite refuses ADD COLUMN with PRIMARY KEY or UNIQUE, NOT NULL without a non-NULL default, or a non-constant default (CURRENT_TIMESTAMP, an expression in parentheses), so the revision fails on deploy.',
  fix: 'Add the column nullable or with a constant default and create a unique index separately; for anything else, rebuild the table following the 12 steps of https://www.sqlite.org/lang_altertable.html#otheralter.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (fact.kind !== 'add-column') return [];
      const problem = refusal(fact.column);
      return problem === undefined
        ? []
        : [{ message: `SQLite cannot add column ${fact.table}.${fact.column.name}: ${problem}.` }];
    }),
};

function refusal(column: AddedColumn): string | undefined {
  if (column.isPrimaryKey) return 'it is a PRIMARY KEY';
  if (column.isUnique) return 'it is UNIQUE';
  if (column.defaultKind === 'expression' || column.defaultKind === 'volatile') {
    return 'its default is not a constant';
  }
  if (column.isNotNull && column.defaultKind === 'none') return 'it is NOT NULL without a default';
  return undefined;
}
