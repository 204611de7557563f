// The deploy benchmark: the scenario of test/e2e/rolling-deploy.db.test.ts with figures. Two
// `dataregistry serve` processes (prod) on one database behind a client-side balancer that
// health-checks /ready, steady load from concurrent Node fetch clients, an expand revision
// applied while another connection holds a read lock on `records`, then each server restarted
// in turn with SIGTERM. Per step: requests, failed, slowest and p99. Peers in the same run: the
// drain period at its default beside 0 (stop listening at once, as before the drain existed).
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
        const migration = await deployment.applyRevisionBehindLock({
          upgradeSql: 'ALTER TABLE records ADD COLUMN extra integer DEFAULT 0;',
          downgradeSql: 'ALTER TABLE records DROP COLUMN extra;',
          holdMs: settings.holdMs,
        });
        if (migration.upgrade.code !== 0)
          throw new Error(`upgrade failed: ${migration.upgrade.stderr}`);
        await deployment.requestsCompleted(2000);
        await deployment.restart(0, migration.versionsDir);
        await deployment.requestsCompleted(2000);
        await deployment.restart(1, migration.versionsDir);
        await deployment.requestsCompleted(2000);
        const report = await deployment.finish();
        results.push({ dialect: dialect.label, version: probe.version, drainPeriodMs, report });
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
    `Measured with \`${commandLine}\`. Two \`dataregistry serve\` processes (\`--env prod\`) on one database behind a client-side balancer (\`test/support/balanced-pool.ts\`) that checks \`/ready\` every ${settings.checkIntervalMs} ms (out after 2 failed checks, back after 2 passed), ${settings.clients} Node.js \`fetch\` clients each creating a record and reading it back, one request after the other. Steps, in order: steady load; \`upgrade head\` of an expand revision (\`ALTER TABLE records ADD COLUMN extra integer DEFAULT 0\`) while another connection holds a read lock on \`records\` in an open transaction, which it keeps for ${settings.holdMs / 1000} s once the migration is seen waiting (the engine as it is: it waits for the lock as long as it takes); then each server restarted in turn with SIGTERM (\`--grace-period 20s\`), back on the same port with the new release's revisions. Between steps, 2,000 requests of steady load. A request fails when it gets no 2xx answer (a reset, a refused connection, or no server in rotation).`,
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
    ...readingOf(results),
  ].join('\n');
}

/** Sentences drawn from the figures of this run (not written in advance). */
function readingOf(results) {
  const lines = [];
  const sum = (steps, field) => steps.reduce((total, step) => total + step[field], 0);
  for (const dialect of [...new Set(results.map((result) => result.dialect))]) {
    const runs = results.filter((result) => result.dialect === dialect);
    const restarts = runs.map(({ drainPeriodMs, report }) => {
      const steps = report.steps.filter((step) => step.step.startsWith('restart'));
      return `drain ${drainPeriodMs / 1000} s: ${sum(steps, 'failed')} of ${sum(steps, 'requests').toLocaleString('en')} requests failed during the two restarts, slowest ${Math.round(Math.max(...steps.map((step) => step.slowestMs)))} ms`;
    });
    lines.push(`- ${dialect}, restarts: ${restarts.join('; ')}.`);
    const migrations = runs.map(({ drainPeriodMs, report }) => {
      const step = report.steps.find((candidate) => candidate.step === 'migration behind a lock');
      return `drain ${drainPeriodMs / 1000} s: ${step.failed} failed of ${step.requests.toLocaleString('en')}, slowest ${Math.round(step.slowestMs).toLocaleString('en')} ms`;
    });
    lines.push(`- ${dialect}, migration behind the reader: ${migrations.join('; ')}.`);
  }
  lines.push(
    '- Restarts: with a drain period, `/ready` says no at once, the balancer takes the server out within two checks, the requests it still gets are served with `Connection: close`, and only then does the server stop listening. With 0 it stops listening while the balancer still sends to it: refused connections, and resets on kept-alive connections.',
    '- Migration: while the ALTER waits behind the reader, every request on `records` queues behind the ALTER (the lock queue), so the slowest request lasts about as long as the reader holds on (the issue\u2019s target: under 2 s). Should every pool connection end up waiting, `/ready` could not answer within the balancer\u2019s 2 s timeout either and the servers would leave rotation: failures in that row. This is what the table-lock timeout of issue 10, part 1, bounds; its runs (timeout at its default and at 0) join this table once it lands.',
  );
  return lines;
}
