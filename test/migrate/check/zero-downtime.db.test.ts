// The expand/contract recipes of docs/zero-downtime.md, kept as real versions folders under
// zero-downtime/<recipe>/: each safe chain passes check (lint and round trip) on every database,
// and each unsafe one-step version fails with the rule the recipe avoids.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dialectNames, type DialectName } from '../../../src/db/dialect-name.js';
import { checkRevisions } from '../../../src/migrate/check/index.js';
import { describeOnServer } from '../../support/for-each-dialect.js';
import { serverUrls } from '../../support/test-databases.js';

/** The fixtures stay in the source tree; tests run from .test-build/. */
const fixtures = fileURLToPath(
  new URL('../../../../test/migrate/check/zero-downtime/', import.meta.url),
);

/** Per recipe, the rule its unsafe one-step version breaks on each dialect (none: not possible there). */
export const unsafeRules: Readonly<Record<string, Partial<Record<DialectName, string>>>> = {
  'add-column': {
    postgresql: 'required-column',
    mysql: 'required-column',
    sqlite: 'sqlite-add-column',
  },
  'drop-column': { postgresql: 'drop-column', mysql: 'drop-column', sqlite: 'drop-column' },
  'rename-column': { postgresql: 'rename-column', mysql: 'rename-column', sqlite: 'rename-column' },
  'change-type': { postgresql: 'alter-type-rewrite', mysql: 'mysql-blocking-alter' },
  'add-not-null': { postgresql: 'set-not-null', mysql: 'mysql-copy-or-lock' },
  'add-index': { postgresql: 'index-not-concurrent', mysql: 'mysql-copy-or-lock' },
  'add-foreign-key': { postgresql: 'constraint-not-valid', mysql: 'mysql-foreign-key' },
  'add-unique': { postgresql: 'unique-constraint', mysql: 'mysql-copy-or-lock' },
};

for (const dialect of dialectNames) {
  describeOnServer(`the zero-downtime recipes (${dialect})`, dialect, () => {
    for (const [recipe, rules] of Object.entries(unsafeRules)) {
      test(`${recipe}: the recipe passes check, lint and round trip`, async () => {
        const result = await checkRevisions({
          folder: `${fixtures}${recipe}/safe`,
          dialects: [dialect],
          databases: dialect === 'sqlite' ? [] : [serverUrls[dialect]],
        });
        const errors = result.findings.filter((f) => f.severity === 'error');
        assert.deepEqual(errors, []);
        // The only warnings are statements the parser cannot read (SQLite's PRAGMA, DROP INDEX).
        assert.deepEqual(
          result.findings.filter((f) => f.rule !== 'not-analysed'),
          [],
        );
        assert.equal(result.roundTrips[0]?.status, 'passed', JSON.stringify(result.roundTrips));
      });
      const rule = rules[dialect];
      if (rule === undefined) continue;
      test(`${recipe}: the one-step version fails with ${rule}`, async () => {
        const result = await checkRevisions({
          folder: `${fixtures}${recipe}/unsafe`,
          dialects: [dialect],
          roundTrip: false,
        });
        const errors = result.findings.filter((f) => f.severity === 'error').map((f) => f.rule);
        assert.ok(errors.includes(rule), `${rule} among ${errors.join(', ')}`);
      });
    }
  });
}
