// Rule volatile-default (PostgreSQL): ADD COLUMN with a volatile default (random(),
// gen_random_uuid(), clock_timestamp(), nextval(), serial types) on an existing table.

import { upgradeOnly, type LintRule } from '../rule.js';

export const volatileDefault: LintRule = {
  id: 'volatile-default',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'A volatile default is evaluated for every existing row, so PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (a constant or now() default is stored once since PostgreSQL 11).',
  fix: 'Add the column without a default (or with a constant one), then ALTER COLUMN … SET DEFAULT the volatile expression, and backfill existing rows in batches from a revision of its own.',
  check: (context) =>
    context.facts.flatMap((fact) =>
      fact.kind === 'add-column' &&
      fact.column.defaultKind === 'volatile' &&
      context.isExisting(fact.table)
        ? [
            {
              message: `Column ${fact.table}.${fact.column.name} is added with a volatile default.`,
            },
          ]
        : [],
    ),
};
