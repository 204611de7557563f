// Rule mysql-mariadb-syntax (MySQL/MariaDB): syntax that only one of the two servers accepts,
// such as MySQL 8's `ALTER TABLE … DROP CHECK`, which MariaDB refuses.

import { bothDirections, type LintRule } from '../rule.js';

export const mysqlMariadbSyntax: LintRule = {
  id: 'mysql-mariadb-syntax',
  severity: 'error',
  dialects: ['mysql'],
  // A downgrade is where this bites: it runs rarely, on whichever server production has.
  directions: bothDirections,
  why: 'The `mysql` sections run on MySQL and on MariaDB; a statement only one of them accepts fails on the other, often in a downgrade no one ran before it was needed.',
  fix: 'Write the form both servers accept, or give the statement its own `-- migrate:upgrade mysql` section and test it on both servers.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'one-server-syntax'
        ? [
            {
              message: `${fact.what} is accepted by ${fact.only === 'mysql' ? 'MySQL but not MariaDB' : 'MariaDB but not MySQL'}.`,
              fix: `Write ${fact.instead} instead.`,
            },
          ]
        : [],
    ),
};
