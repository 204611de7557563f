// The proof of a zero-downtime deploy (docs/production.md), with real processes on PostgreSQL and
// on MariaDB: two servers on one database behind a balancer health-checking /ready, steady load,
// an expand revision applied while another connection holds a conflicting lock (the migration,
// at the default table-lock timeout, gives way and names the holder, then succeeds once the
// holder lets go), then each server restarted in turn with SIGTERM (onto the release that knows
// the revision). Not a measure of speed: it asserts that the revision is applied, that no request
// failed and that every acknowledged write can be read afterwards.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOnServer } from '../support/for-each-dialect.js';
import { Deployment, type DeploymentReport } from '../support/rolling-deploy.js';
import { runCli } from '../support/run-cli.js';
import { freshDatabaseUrl, type ServerDialect } from '../support/test-databases.js';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function describeReport(report: DeploymentReport): string {
  return JSON.stringify(report, null, 2);
}

for (const dialect of ['postgresql', 'mysql'] as const satisfies readonly ServerDialect[]) {
  describeOnServer(`a rolling restart under load (${dialect})`, dialect, () => {
    test(
      'an expand revision gives way to a reader, then applies; each server restarted in turn with SIGTERM: no request fails, no acknowledged write is lost',
      // A safety net against a hung step, not a measure: a run takes about 25 s.
      { timeout: 300_000 },
      async () => {
        const cwd = mkdtempSync(join(tmpdir(), 'dr-rolling-'));
        folders.push(cwd);
        const databaseUrl = await freshDatabaseUrl(dialect, 'issue10_drain');
        const deployment = await Deployment.start({
          databaseUrl,
          cwd,
          // The drain period outlasts what the balancer needs to see a server leave
          // (checkIntervalMs × unhealthyThreshold = 200 ms) many times over.
          drainPeriodMs: 2000,
          gracePeriodMs: 10_000,
          clients: 8,
          pool: { checkIntervalMs: 100, unhealthyThreshold: 2, healthyThreshold: 2 },
        });
        try {
          await deployment.requestsCompleted(200);
          // The expand step: metadata-only on both databases, yet it needs an exclusive lock that
          // waits behind the reader, and the requests on `records` would queue behind it. With the
          // default table-lock timeout the migration gives way (its wait times out, the queue
          // behind it drains) and says who holds the lock; the reader lets go on that line.
          const migration = await deployment.applyRevisionBehindLock({
            upgradeSql: 'ALTER TABLE records ADD COLUMN extra integer DEFAULT 0;',
            downgradeSql: 'ALTER TABLE records DROP COLUMN extra;',
            release: { onStderrLine: /: a table lock was not granted within / },
          });
          assert.ok(
            migration.releasedOn !== undefined,
            `the upgrade never said it gave way:\n${migration.upgrade.stderr}`,
          );
          assert.match(
            migration.releasedOn,
            new RegExp(
              `^Upgrade ${migration.revision} \\(.*\\): a table lock was not granted within 1\\.0 s .*\\(attempt 1 of 11\\); .*\\b${migration.holderLabel}\\b`,
            ),
          );
          if (dialect === 'postgresql') {
            assert.match(migration.releasedOn, /application "table-lock-holder"/);
          }
          assert.equal(migration.upgrade.code, 0, migration.upgrade.stderr);
          assert.match(
            migration.upgrade.stdout,
            new RegExp(`Running upgrade .*-> ${migration.revision}`),
          );
          const current = await runCli(
            ['current', '--db', databaseUrl, '--dir', migration.versionsDir],
            { cwd },
          );
          assert.match(
            current.stdout,
            new RegExp(`^${migration.revision}\\b`, 'm'),
            'the revision is applied',
          );
          await deployment.requestsCompleted(200);
          // The new release, which knows the revision.
          await deployment.restart(0, migration.versionsDir);
          await deployment.requestsCompleted(200);
          await deployment.restart(1, migration.versionsDir);
          await deployment.requestsCompleted(200);
          const report = await deployment.finish();
          const restarts = report.steps.filter((step) => step.step.startsWith('restart'));
          assert.equal(restarts.length, 2);
          assert.ok(report.steps.some((step) => step.step === 'migration behind a lock'));
          for (const step of report.steps) {
            assert.ok(step.requests > 0, `requests ran during ${step.step}`);
            assert.equal(step.failed, 0, describeReport(report));
          }
          assert.ok(report.acknowledgedWrites > 0);
          assert.deepEqual(report.lostWrites, []);
        } finally {
          deployment.kill();
        }
      },
    );
  });
}
