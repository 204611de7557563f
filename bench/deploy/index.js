// The deploy benchmark: the scenario of test/e2e/rolling-deploy.db.test.ts with figures. Two
// `dataregistry serve` processes (prod) on one database behind a client-side balancer that
// health-checks /ready, steady load from concurrent Node fetch clients, an expand revision
// applied while another connection holds a read lock on `records`, then each server restarted
// in turn with SIGTERM. Per step: requests, failed, slowest and p99. Peers in the same run: the
// drain period at its default beside 0 (stop listening at once, as before the drain existed) for
// the restarts, and for the migration the table-lock timeout at its default (1 s: the migration
// gives way and retries) beside 0 (it waits behind the reader as long as it takes), both in every
// deployment, in alternating order.
// The scenario's code is the tests' (test/support/rolling-deploy.ts), compiled into .test-build/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNameList, UsageError } from '../support/args.js';
import { dialects, freshDatabaseName } from '../support/databases.js';
import { describeMachine } from '../support/machine.js';
import { markdownTable } from '../support/markdown.js';
import { runProcess } from '../support/processes.js';

export const name = 'deploy';
export const heading = '## Deploy: a rolling restart under load';
export const options = ['dialects', 'clients', 'drain-periods', 'hold', 'check-interval'];
export const flags = new Set();
export const usage = `deploy      [--dialects postgresql,mysql] [--clients 16] [--drain-periods 5000,0 (ms)]
              [--hold 6000 (ms the reader keeps its lock once the migration waits)] [--check-interval 200]`;

const DIALECTS = ['postgresql', 'mysql'];

/** The migration's peers: `upgrade` at the default table-lock timeout, and with no bound. */
const TABLE_LOCK_TIMEOUTS = [
  { label: '1 s (default)', isDefault: true, upgradeArgs: [] },
  { label: '0 (wait forever)', isDefault: false, upgradeArgs: ['--table-lock-timeout', '0'] },
];
const retryLine = /: a table lock was not granted within /;

function migrationStep(timeout) {
  return `migration, table-lock timeout ${timeout.label}`;
}

function parseMilliseconds(text, what) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new UsageError(`${what}: "${text}" is not a whole number of milliseconds`);
  return value;
}

export async function run({ options, root, log, commandLine }) {
  const settings = {
    dialects: parseNameList(options.get('dialects') ?? DIALECTS.join(','), DIALECTS, '--dialects'),
    clients: parseMilliseconds(options.get('clients') ?? '16', '--clients'),
    drainPeriods: (options.get('drain-periods') ?? '5000,0')
      .split(',')
      .map((text) => parseMilliseconds(text.trim(), '--drain-periods')),
    holdMs: parseMilliseconds(options.get('hold') ?? '6000', '--hold'),
    checkIntervalMs: parseMilliseconds(options.get('check-interval') ?? '200', '--check-interval'),
  };
  log('deploy: compiling the scenario (npm run build:test)');
  runProcess(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    {
      cwd: root,
    },
  );
  const { Deployment } = await import(
    pathToFileURL(path.join(root, '.test-build', 'test', 'support', 'rolling-deploy.js')).href
  );
  const results = [];
  for (const dialectName of settings.dialects) {
    const dialect = dialects[dialectName];
    const probe = await dialect.probe().catch((error) => ({ ok: false, reason: error.message }));
    if (!probe.ok) {
      log(`deploy: ${dialect.label} unavailable (${probe.reason ?? 'no answer'}); skipped`);
      continue;
    }
    for (const drainPeriodMs of settings.drainPeriods) {
      const target = dialect.target(freshDatabaseName());
      await dialect.create(target);
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-bench-deploy-'));
      log(`deploy: ${dialect.label}, drain period ${drainPeriodMs} ms`);
      let deployment;
      try {
        deployment = await Deployment.start({
          databaseUrl: target.ours,
          cwd,
          drainPeriodMs,
          gracePeriodMs: 20_000,
          clients: settings.clients,
          pool: {
            checkIntervalMs: settings.checkIntervalMs,
            unhealthyThreshold: 2,
            healthyThreshold: 2,
          },
        });
        await deployment.requestsCompleted(2000);
        // Both timeouts in every deployment, the order alternating between deployments so that
        // neither always runs on the warmer servers.
        const timeouts =
          results.length % 2 === 0 ? TABLE_LOCK_TIMEOUTS : [...TABLE_LOCK_TIMEOUTS].reverse();
        const migrations = [];
        let migration;
        for (const [index, timeout] of timeouts.entries()) {
          const column = `extra_${index + 1}`;
          migration = await deployment.applyRevisionBehindLock({
            upgradeSql: `ALTER TABLE records ADD COLUMN ${column} integer DEFAULT 0;`,
            downgradeSql: `ALTER TABLE records DROP COLUMN ${column};`,
            release: { afterWaitingMs: settings.holdMs },
            upgradeArgs: timeout.upgradeArgs,
            step: migrationStep(timeout),
          });
          if (migration.upgrade.code !== 0)
            throw new Error(`upgrade failed: ${migration.upgrade.stderr}`);
          const retries = migration.upgrade.stderr
            .split('\n')
            .filter((line) => retryLine.test(line)).length;
          migrations.push({ timeout, retries, code: migration.upgrade.code });
          log(`  ${migrationStep(timeout)}: applied after ${retries} retries`);
          await deployment.requestsCompleted(2000);
        }
        await deployment.restart(0, migration.versionsDir);
        await deployment.requestsCompleted(2000);
        await deployment.restart(1, migration.versionsDir);
        await deployment.requestsCompleted(2000);
        const report = await deployment.finish();
        results.push({
          dialect: dialect.label,
          version: probe.version,
          drainPeriodMs,
          migrations,
          report,
        });
        for (const step of report.steps) {
          log(
            `  ${step.step}: ${step.requests} requests, ${step.failed} failed, slowest ${Math.round(step.slowestMs)} ms`,
          );
          for (const failure of step.failures) log(`    ${failure}`);
        }
      } finally {
        deployment?.kill();
        await dialect.drop(target).catch(() => {});
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    }
  }
  return render(results, settings, commandLine);
}

function render(results, settings, commandLine) {
  const machine = describeMachine();
  const rows = results.flatMap(({ dialect, drainPeriodMs, report }) =>
    report.steps.map((step) => [
      dialect,
      drainPeriodMs === 0 ? '0 (stop at once)' : `${drainPeriodMs / 1000} s`,
      step.step,
      step.requests.toLocaleString('en'),
      step.failed.toLocaleString('en'),
      `${Math.round(step.slowestMs).toLocaleString('en')} ms`,
      `${Math.round(step.p99Ms).toLocaleString('en')} ms`,
    ]),
  );
  const writes = results.map(
    ({ dialect, drainPeriodMs, report }) =>
      `${dialect}, drain ${drainPeriodMs} ms: ${report.acknowledgedWrites.toLocaleString('en')} acknowledged writes, ${report.lostWrites.length} lost`,
  );
  return [
    heading,
    '',
    `Measured with \`${commandLine}\`. Two \`dataregistry serve\` processes (\`--env prod\`) on one database behind a client-side balancer (\`test/support/balanced-pool.ts\`) that checks \`/ready\` every ${settings.checkIntervalMs} ms (out after 2 failed checks, back after 2 passed), ${settings.clients} Node.js \`fetch\` clients each creating a record and reading it back, one request after the other. Steps, in order: steady load; twice, \`upgrade head\` of an expand revision (\`ALTER TABLE records ADD COLUMN extra_<n> integer DEFAULT 0\`) while another connection holds a read lock on \`records\` in an open transaction, which it keeps for ${settings.holdMs / 1000} s once the migration is seen waiting: once at the default \`--table-lock-timeout\` (1 s, 10 retries: the migration gives way and tries again) and once with \`--table-lock-timeout 0\` (it waits as long as it takes, as before the option existed), in alternating order from one deployment to the next; then each server restarted in turn with SIGTERM (\`--grace-period 20s\`), back on the same port with the new release's revisions. Between steps, 2,000 requests of steady load. A request fails when it gets no 2xx answer (a reset, a refused connection, or no server in rotation).`,
    '',
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node.js ${machine.node}; ${[...new Set(results.map((r) => r.version))].join(', ')}; the database servers on the same machine.`,
    '',
    markdownTable(
      ['database', 'drain period', 'step', 'requests', 'failed', 'slowest', 'p99'],
      rows,
      'lllrrrr',
    ),
    '',
    ...writes.map((line) => `- ${line}.`),
    '',
    '### Reading',
    '',
    ...readingOf(results, settings),
  ].join('\n');
}

/** Sentences drawn from the figures of this run (not written in advance). */
function readingOf(results, settings) {
  const lines = [];
  const sum = (steps, field) => steps.reduce((total, step) => total + step[field], 0);
  const ms = (value) => `${Math.round(value).toLocaleString('en')} ms`;
  const migrationSteps = (timeout, runs) =>
    runs.map(({ report }) => report.steps.find((step) => step.step === migrationStep(timeout)));
  for (const dialect of [...new Set(results.map((result) => result.dialect))]) {
    const runs = results.filter((result) => result.dialect === dialect);
    const restarts = runs.map(({ drainPeriodMs, report }) => {
      const steps = report.steps.filter((step) => step.step.startsWith('restart'));
      return `drain ${drainPeriodMs / 1000} s: ${sum(steps, 'failed')} of ${sum(steps, 'requests').toLocaleString('en')} requests failed during the two restarts, slowest ${ms(Math.max(...steps.map((step) => step.slowestMs)))}`;
    });
    lines.push(`- ${dialect}, restarts: ${restarts.join('; ')}.`);
    const migrations = TABLE_LOCK_TIMEOUTS.map((timeout) => {
      const steps = migrationSteps(timeout, runs);
      const retries = runs.map(
        ({ migrations: done }) => done.find((entry) => entry.timeout === timeout).retries,
      );
      return `timeout ${timeout.label}: ${sum(steps, 'failed')} failed of ${sum(steps, 'requests').toLocaleString('en')}, slowest ${steps.map((step) => ms(step.slowestMs)).join(' and ')}, p99 ${steps.map((step) => ms(step.p99Ms)).join(' and ')}, applied after ${retries.join(' and ')} retries`;
    });
    lines.push(`- ${dialect}, migration behind the reader: ${migrations.join('; ')}.`);
  }
  const isRestart = (step) => step.step.startsWith('restart');
  const failedIn = (runs, keep) =>
    sum(
      runs.flatMap(({ report }) => report.steps.filter(keep)),
      'failed',
    );
  const drained = results.filter((result) => result.drainPeriodMs > 0);
  const undrained = results.filter((result) => result.drainPeriodMs === 0);
  const failedDrained = failedIn(drained, () => true);
  const failedUndrainedRestarts = failedIn(undrained, isRestart);
  const failedUndrainedOther = failedIn(undrained, (step) => !isRestart(step));
  const lost = results.reduce((total, { report }) => total + report.lostWrites.length, 0);
  const bounded = TABLE_LOCK_TIMEOUTS.find((timeout) => timeout.isDefault);
  const slowestBounded = Math.max(
    ...migrationSteps(bounded, results).map((step) => step.slowestMs),
  );
  const applied = results.every(({ migrations }) => migrations.every((entry) => entry.code === 0));
  lines.push(
    `- Against the issue's targets. Failed requests: ${failedDrained} in the deployments with a drain period, in every step (target 0: ${failedDrained === 0 ? 'met' : 'missed'}); with drain 0, the peer that shows what the drain prevents, ${failedUndrainedRestarts} during the restarts and ${failedUndrainedOther} in the other steps. Acknowledged writes lost: ${lost} (target 0: ${lost === 0 ? 'met' : 'missed'}). Slowest request while a migration at the default table-lock timeout waited behind the ${settings.holdMs / 1000} s reader: ${ms(slowestBounded)} (target: no request slower than 2 s: ${slowestBounded <= 2000 ? 'met' : 'missed'}). The migration ${applied ? 'succeeded once the reader was gone, every time' : 'did not always succeed'}.`,
    '- Restarts: with a drain period, `/ready` says no at once, the balancer takes the server out within two checks, the requests it still gets are served with `Connection: close`, and only then does the server stop listening. With 0 it stops listening while the balancer still sends to it: refused connections, and resets on kept-alive connections.',
    '- Migration: while the ALTER waits for its lock, every request on `records` queues behind it (the lock queue). With no bound, the queue lasts as long as the reader holds on, so the slowest request lasts about the hold. At the default timeout the ALTER gives up its place after 1 s, the queue drains, and it tries again after a jittered delay (0.25–0.5 s, then 0.5–1 s, …): a request waits at most about one timeout behind it, and the migration is applied on the first attempt after the reader is gone.',
  );
  return lines;
}
