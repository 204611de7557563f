// Rule mysql-copy-or-lock (MySQL/MariaDB): ALTER TABLE that asks for ALGORITHM=COPY or
// LOCK=SHARED/EXCLUSIVE on an existing table.

import { upgradeOnly, type LintRule } from '../rule.js';

export const mysqlCopyOrLock: LintRule = {
  id: 'mysql-copy-or-lock',
  severity: 'error',
  dialects: ['mysql'],
  directions: upgradeOnly,
  why: 'ALGORITHM=COPY rebuilds the table and blocks writes for the whole copy; LOCK=SHARED blocks writes and LOCK=EXCLUSIVE blocks reads too, for as long as the ALTER runs.',
  fix: 'Ask for ALGORITHM=INPLACE, LOCK=NONE (or ALGORITHM=INSTANT alone) so that the server refuses rather than locks; if it refuses, use expand/contract or an online schema change tool (gh-ost, pt-online-schema-change).',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (fact.kind !== 'alter-options' || !context.isExisting(fact.table)) return [];
      const asked = [
        fact.algorithm === 'COPY' ? 'ALGORITHM=COPY' : undefined,
        fact.lock === 'SHARED' || fact.lock === 'EXCLUSIVE' ? `LOCK=${fact.lock}` : undefined,
      ].filter((clause) => clause !== undefined);
      return asked.length === 0
        ? []
        : [{ message: `ALTER TABLE ${fact.table} asks for ${asked.join(', ')}.` }];
    }),
};
