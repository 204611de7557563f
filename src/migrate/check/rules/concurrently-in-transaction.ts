// Rule concurrently-in-transaction (PostgreSQL): CONCURRENTLY in a revision that runs in a
// transaction, which PostgreSQL refuses.

import type { LintRule } from '../rule.js';

export const concurrentlyInTransaction: LintRule = {
  id: 'concurrently-in-transaction',
  severity: 'error',
  dialects: ['postgresql'],
  directions: ['upgrade', 'downgrade'],
  why: 'PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY inside a transaction block, so the revision fails on deploy.',
  fix: 'Put the statement in a revision of its own with `-- migrate:no-transaction` in its header.',
  check: (context) =>
    context.isTransactional
      ? context.facts.flatMap((fact) =>
          (fact.kind === 'create-index' || fact.kind === 'drop-index') && fact.isConcurrent
            ? [
                {
                  message:
                    'CONCURRENTLY runs in a revision that is not marked `-- migrate:no-transaction`.',
                },
              ]
            : [],
        )
      : [],
};
