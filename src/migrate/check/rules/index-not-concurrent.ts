// Rule index-not-concurrent (PostgreSQL): CREATE or DROP INDEX without CONCURRENTLY on a table
// that existed before the revision.

import { upgradeOnly, type LintRule } from '../rule.js';

export const indexNotConcurrent: LintRule = {
  id: 'index-not-concurrent',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'CREATE INDEX holds a SHARE lock (DROP INDEX an ACCESS EXCLUSIVE one) on the table while it works: every write to the table waits until the index is built.',
  fix: 'Use CREATE INDEX CONCURRENTLY (or DROP INDEX CONCURRENTLY) in a revision of its own marked `-- migrate:no-transaction`.',
  check: (context) =>
    context.facts.flatMap((fact) => {
      if (fact.kind === 'create-index' && !fact.isConcurrent && context.isExisting(fact.table)) {
        return [{ message: `An index on ${fact.table} is created without CONCURRENTLY.` }];
      }
      if (fact.kind === 'drop-index' && !fact.isConcurrent && context.isExistingIndex(fact.index)) {
        return [{ message: `Index ${fact.index} is dropped without CONCURRENTLY.` }];
      }
      return [];
    }),
};
