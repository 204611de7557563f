// Rule volatile-default (PostgreSQL): ADD COLUMN with a volatile default (random(),
// gen_random_uuid(), clock_timestamp(), nextval(), serial types) on an existing table.

import { isOlderThan, upgradeOnly, type LintRule } from '../rule.js';

export const volatileDefault: LintRule = {
  id: 'volatile-default',
  severity: 'error',
  dialects: ['postgresql'],
  directions: upgradeOnly,
  why: 'A volatile default is evaluated for every existing row, so PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (a constant or now() default is stored once since PostgreSQL 11).',
  fix: 'Add the column without a default (or with a constant one), then ALTER COLUMN … SET DEFAULT the volatile expression, and backfill existing rows in batches from a revision of its own.',
  check: (context) => {
    // Before PostgreSQL 11 every default, constant or not, was written into every row.
    const version = context.serverVersions.postgresql;
    const everyDefault = isOlderThan(version, '11');
    return context.facts.flatMap((fact) => {
      if (fact.kind !== 'add-column' || !context.isExisting(fact.table)) return [];
      const { defaultKind, name } = fact.column;
      if (defaultKind === 'volatile') {
        return [{ message: `Column ${fact.table}.${name} is added with a volatile default.` }];
      }
      if (everyDefault && defaultKind !== 'none') {
        return [
          {
            message: `Column ${fact.table}.${name} is added with a default, which PostgreSQL ${version} (before 11) writes into every row.`,
          },
        ];
      }
      return [];
    });
  },
};
