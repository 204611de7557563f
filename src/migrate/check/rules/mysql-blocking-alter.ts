// Rule mysql-blocking-alter (MySQL/MariaDB): a column type change that InnoDB can only do with
// ALGORITHM=COPY, unless the statement already asks for an online algorithm (then the server
// refuses rather than locks). See https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html
// and https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/.

import type { StatementFact } from '../statement-facts.js';
import { upgradeOnly, type LintRule } from '../rule.js';

export const mysqlBlockingAlter: LintRule = {
  id: 'mysql-blocking-alter',
  severity: 'error',
  dialects: ['mysql'],
  directions: upgradeOnly,
  why: 'Changing a column type (other than growing a VARCHAR within the same length bytes) makes InnoDB copy the table, and writes wait for the whole copy.',
  fix: 'Add `, ALGORITHM=INPLACE, LOCK=NONE` (never together with ALGORITHM=INSTANT, which MySQL rejects) so that the server refuses instead of locking, and change the type by expand/contract: new column, backfill, switch, drop.',
  check: (context) => {
    if (context.facts.some(isOnlineRequest)) return [];
    return context.facts.flatMap((fact) => {
      if (fact.kind !== 'change-type' || !context.isExisting(fact.table)) return [];
      const before = context.columnTypeBefore(fact.table, fact.column);
      if (isInplaceVarcharGrowth(before?.name, before?.args[0], fact.to?.name, fact.to?.args[0])) {
        return [];
      }
      return [{ message: `The type change of ${fact.table}.${fact.column} needs ALGORITHM=COPY.` }];
    });
  },
};

function isOnlineRequest(fact: StatementFact): boolean {
  if (fact.kind !== 'alter-options') return false;
  return fact.algorithm === 'INSTANT' || (fact.algorithm === 'INPLACE' && fact.lock === 'NONE');
}

/**
 * VARCHAR growth is in place while the length prefix keeps its size: one byte up to 255 bytes,
 * i.e. 63 characters in utf8mb4 (the default character set of MySQL 8 and MariaDB 10.6+).
 */
function isInplaceVarcharGrowth(
  fromName: string | undefined,
  fromLength: number | undefined,
  toName: string | undefined,
  toLength: number | undefined,
): boolean {
  if (fromName !== 'varchar' || toName !== 'varchar') return false;
  if (fromLength === undefined || toLength === undefined || toLength < fromLength) return false;
  return fromLength <= 63 === toLength <= 63;
}
