// Rule exclusive-lock (PostgreSQL): LOCK TABLE, VACUUM FULL, CLUSTER and REINDEX without
// CONCURRENTLY, which hold a lock that blocks reads or writes for their whole run.

import { upgradeOnly, type LintRule } from '../rule.js';

export const exclusiveLock: LintRule = {
  id: 'exclusive-lock',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'The statement holds a lock that blocks the running code for as long as it works (VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE).',
  fix: 'Use REINDEX CONCURRENTLY in a `-- migrate:no-transaction` revision; instead of VACUUM FULL or CLUSTER use pg_repack or a maintenance window; drop LOCK TABLE and rely on row locks.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'exclusive-lock' && (fact.table === undefined || context.isExisting(fact.table))
        ? [{ message: `${fact.what} locks ${fact.table ?? 'its tables'}.` }]
        : [],
    ),
};
