// Rule mysql-foreign-key (MySQL/MariaDB): a FOREIGN KEY added to an existing table.

import { upgradeOnly, type LintRule } from '../rule.js';

export const mysqlForeignKey: LintRule = {
  id: 'mysql-foreign-key',
  severity: 'error',
  dialects: ['mysql'],
  directions: upgradeOnly,
  why: 'With foreign_key_checks on, InnoDB adds a foreign key only with ALGORITHM=COPY: the table is rebuilt and writes wait for the whole copy, and the referenced table is locked too.',
  fix: 'Create the index on the referencing columns first (ALGORITHM=INPLACE, LOCK=NONE), check for orphan rows with a query, then add the key in a revision of its own with `SET foreign_key_checks = 0` and ALGORITHM=INPLACE, LOCK=NONE.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (!('table' in fact) || fact.table === undefined || !context.isExisting(fact.table))
        return [];
      if (fact.kind === 'add-constraint' && fact.constraint === 'foreign-key') {
        return [{ message: `A FOREIGN KEY is added to ${fact.table}.` }];
      }
      if (fact.kind === 'add-column' && fact.column.isForeignKey) {
        return [
          { message: `Column ${fact.table}.${fact.column.name} is added with a FOREIGN KEY.` },
        ];
      }
      return [];
    }),
};
