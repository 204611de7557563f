// Rule mysql-blocking-alter (MySQL/MariaDB): an ALTER that InnoDB can run neither INSTANT nor
// INPLACE with LOCK=NONE, so that writes wait for the whole operation, unless the statement asks
// for an online algorithm (then the server refuses rather than locks); and ALGORITHM=INSTANT
// asked of an operation the server version cannot do instantly, which makes the revision fail.
// See https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html and
// https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/.

import type { ColumnType, StatementFact } from '../statement-facts.js';
import { isOlderThan, upgradeOnly, type LintRule, type ServerVersions } from '../rule.js';

export const mysqlBlockingAlter: LintRule = {
  id: 'mysql-blocking-alter',
  severity: 'error',
  dialects: ['mysql'],
  directions: upgradeOnly,
  why: 'Some ALTERs (a column type change other than growing a VARCHAR within the same length bytes, an AUTO_INCREMENT or STORED generated column added, the primary key dropped, a FULLTEXT or SPATIAL index) make InnoDB copy the table or hold a shared lock, and writes wait for the whole operation.',
  fix: 'Add `, ALGORITHM=INPLACE, LOCK=NONE` (never together with ALGORITHM=INSTANT, which MySQL rejects) so that the server refuses instead of locking, and change the table by expand/contract: new column, backfill, switch, drop.',
  check: (context) => {
    const options = context.facts.find((f) => f.kind === 'alter-options');
    const algorithm = options?.kind === 'alter-options' ? options.algorithm : undefined;
    const lock = options?.kind === 'alter-options' ? options.lock : undefined;
    if (algorithm === 'INSTANT') {
      const servers = [
        ...new Set(context.facts.flatMap((fact) => notInstant(fact, context.serverVersions))),
      ];
      if (servers.length === 0) return [];
      return [
        {
          message: `${servers.join(' and ')} cannot run this ALTER with ALGORITHM=INSTANT: the server refuses the statement, and the revision fails.`,
          fix: 'Use `ALGORITHM=INPLACE, LOCK=NONE` where the operation allows it, or give the server its own section.',
        },
      ];
    }
    if (algorithm === 'INPLACE' && lock === 'NONE') return [];
    const addsPrimaryKey = context.facts.some(
      (f) => f.kind === 'add-constraint' && f.constraint === 'primary-key',
    );
    return context.facts.flatMap((fact) => {
      if (!('table' in fact) || fact.table === undefined || !context.isExisting(fact.table)) {
        return [];
      }
      const why = blockingReason(fact, addsPrimaryKey, (column) =>
        context.columnTypeBefore(fact.table ?? '', column),
      );
      return why === undefined ? [] : [{ message: why }];
    });
  },
};

/** Why the operation cannot run online, or undefined when it can. */
function blockingReason(
  fact: StatementFact,
  addsPrimaryKey: boolean,
  typeBefore: (column: string) => ColumnType | undefined,
): string | undefined {
  if (fact.kind === 'change-type') {
    const before = typeBefore(fact.column);
    if (isSameType(before, fact.to)) return undefined; // NULL / NOT NULL or default only: in place
    if (isInplaceVarcharGrowth(before, fact.to)) return undefined;
    return `The type change of ${fact.table}.${fact.column} needs ALGORITHM=COPY.`;
  }
  if (fact.kind === 'add-column') {
    const { column } = fact;
    if (column.isAutoIncrement === true) {
      return `Adding AUTO_INCREMENT column ${fact.table}.${column.name} needs ALGORITHM=COPY.`;
    }
    if (column.isStoredGenerated === true) {
      return `Adding STORED generated column ${fact.table}.${column.name} needs ALGORITHM=COPY.`;
    }
    return undefined;
  }
  if (fact.kind === 'drop-primary-key' && !addsPrimaryKey) {
    return `Dropping the primary key of ${fact.table} without adding another needs ALGORITHM=COPY.`;
  }
  if (fact.kind === 'create-index' && fact.method !== undefined) {
    return `A ${fact.method.toUpperCase()} index on ${fact.table} is built with LOCK=SHARED at best: writes wait for it.`;
  }
  return undefined;
}

/** The servers (with the version checked) that cannot do the operation with ALGORITHM=INSTANT. */
function notInstant(fact: StatementFact, versions: ServerVersions): string[] {
  const minimum = instantSince(fact);
  if (minimum === undefined) return [];
  if (minimum === 'never') return [`MySQL ${versions.mysql}`, `MariaDB ${versions.mariadb}`];
  const servers: string[] = [];
  if (isOlderThan(versions.mysql, minimum.mysql)) servers.push(`MySQL ${versions.mysql}`);
  if (isOlderThan(versions.mariadb, minimum.mariadb)) servers.push(`MariaDB ${versions.mariadb}`);
  return servers;
}

/** The first releases that do the operation instantly; undefined for a fact that is no operation. */
function instantSince(
  fact: StatementFact,
): { mysql: string; mariadb: string } | 'never' | undefined {
  if (fact.kind === 'add-column') {
    const { column } = fact;
    if (column.isAutoIncrement === true || column.isStoredGenerated === true) return 'never';
    return { mysql: '8.0.12', mariadb: '10.3.2' };
  }
  if (fact.kind === 'drop-column') return { mysql: '8.0.29', mariadb: '10.4' };
  if (fact.kind === 'rename-column') return { mysql: '8.0.28', mariadb: '10.5' };
  const neverInstant: readonly StatementFact['kind'][] = [
    'change-type',
    'drop-primary-key',
    'add-constraint',
    'create-index',
  ];
  return neverInstant.includes(fact.kind) ? 'never' : undefined;
}

function isSameType(before: ColumnType | undefined, after: ColumnType | undefined): boolean {
  return (
    before !== undefined &&
    after !== undefined &&
    before.name === after.name &&
    before.args.join(',') === after.args.join(',')
  );
}

/**
 * VARCHAR growth is in place while the length prefix keeps its size: one byte up to 255 bytes,
 * i.e. 63 characters in utf8mb4 (the default character set of MySQL 8 and MariaDB 10.6+).
 */
function isInplaceVarcharGrowth(
  before: ColumnType | undefined,
  after: ColumnType | undefined,
): boolean {
  if (before?.name !== 'varchar' || after?.name !== 'varchar') return false;
  const [from] = before.args;
  const [to] = after.args;
  if (from === undefined || to === undefined || to < from) return false;
  return from <= 63 === to <= 63;
}
