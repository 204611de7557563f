// The HTTP API benchmark: the real server (`dataregistry serve`, a separate process) under
// autocannon, beside the limit — the same queries through the same driver and pool straight from
// one process — for POST /api/records, GET /api/records/{id} and GET /api/records?limit=100;
// then paging a big table from the first page to the last through next_cursor.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNameList, UsageError } from '../support/args.js';
import { readBaselineBuild } from '../support/baseline.js';
import { dialects } from '../support/databases.js';
import { measurePaging } from './paging.js';
import { renderReport } from './report.js';
import { upgradeSchema } from './server.js';
import { measureBare, measureThroughput, SCENARIOS } from './throughput.js';

export const name = 'http';
export const heading = '## HTTP API';
export const options = [
  'dialects',
  'duration',
  'connections',
  'records',
  'rounds',
  'log-levels',
  'profile-seconds',
  'paging-records',
  'paging-dialects',
  'baseline',
];
export const flags = new Set();
export const usage = `http        [--dialects postgresql,sqlite] [--duration 10] [--rounds 2] [--connections 32]
              [--records 10000] [--log-levels warn,info] [--profile-seconds 5 (0: none)]
              [--paging-records 1000000] [--paging-dialects postgresql,sqlite|none]
              [--baseline DIR  (a built checkout of an earlier commit: its server beside ours, interleaved)]`;

const DIALECTS = ['postgresql', 'sqlite'];
const LOG_LEVELS = ['warn', 'info', 'error', 'silent'];

function parseCount(text, what, { allowZero = false } = {}) {
  const value = Number(String(text).replaceAll('_', ''));
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new UsageError(`${what}: "${text}" is not a ${allowZero ? 'whole' : 'positive'} number`);
  return value;
}

function readSettings(options) {
  const pagingText = options.get('paging-dialects') ?? DIALECTS.join(',');
  const settings = {
    dialects: parseNameList(options.get('dialects') ?? DIALECTS.join(','), DIALECTS, '--dialects'),
    durationMs: parseCount(options.get('duration') ?? '10', '--duration') * 1000,
    rounds: parseCount(options.get('rounds') ?? '2', '--rounds'),
    connections: parseCount(options.get('connections') ?? '32', '--connections'),
    records: parseCount(options.get('records') ?? '10000', '--records'),
    logLevels: parseNameList(options.get('log-levels') ?? 'warn,info', LOG_LEVELS, '--log-levels'),
    profileMs:
      parseCount(options.get('profile-seconds') ?? '5', '--profile-seconds', { allowZero: true }) *
      1000,
    pagingRecords: parseCount(options.get('paging-records') ?? '1000000', '--paging-records'),
    pagingDialects:
      pagingText === 'none' ? [] : parseNameList(pagingText, DIALECTS, '--paging-dialects'),
  };
  const baseline = options.get('baseline');
  if (baseline !== undefined) {
    const build = readBaselineBuild(baseline);
    settings.baselineRoot = build.root;
    settings.baselineCommit = build.commit;
  }
  if (settings.pagingRecords < 3000)
    throw new UsageError('--paging-records: at least 3000 (three stretches of 10 pages of 100)');
  return settings;
}

export async function run({ options, root, log, commandLine }) {
  const settings = readSettings(options);
  const workDir = path.join(root, '.bench', 'http');
  fs.mkdirSync(workDir, { recursive: true });
  // SQLite files go to the temporary folder; PostgreSQL gets a fresh database per run.
  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-bench-http-'));
  const results = {
    settings,
    started: new Date(),
    loadBefore: os.loadavg()[0],
    dialects: {},
    bare: [],
  };
  // One real answer per kind of request, for the bare HTTP server to send back.
  const samples = new Map();
  try {
    for (const dialectName of settings.dialects) {
      const dialect = dialects[dialectName];
      const entry = { label: dialect.label, scenarios: [], failures: [] };
      results.dialects[dialectName] = entry;
      try {
        entry.version = (await dialect.probe()).version;
      } catch (error) {
        entry.skipped = `not reachable (${error.message})`;
        log(`${dialect.label}: skipped, ${entry.skipped}`);
        continue;
      }
      const context = { dialect, entry, settings, root, workDir, sqliteDir, log, samples };
      await guarded(entry, `${dialect.label} throughput`, log, () =>
        withFreshDatabase(context, (target) => measureThroughput(context, target)),
      );
      if (settings.pagingDialects.includes(dialectName)) {
        await guarded(entry, `${dialect.label} paging`, log, () =>
          withFreshDatabase(context, (target) => measurePaging(context, target)),
        );
      }
    }
    for (const scenario of SCENARIOS) {
      const sample = samples.get(scenario.kind);
      if (!sample) continue;
      const bare = await measureBare({ settings, root, workDir, scenario, sample, log }).catch(
        (error) => {
          log(`bare HTTP ${scenario.kind}: FAILED\n${error.stack}`);
          return undefined;
        },
      );
      if (bare) results.bare.push(bare);
    }
  } finally {
    fs.rmSync(sqliteDir, { recursive: true, force: true });
  }
  results.finished = new Date();
  results.loadAfter = os.loadavg()[0];
  // The raw figures, for a closer look than the section gives.
  fs.writeFileSync(path.join(workDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return renderReport(results, { commandLine });
}

async function guarded(entry, what, log, work) {
  try {
    await work();
  } catch (error) {
    entry.failures.push(`${what}: ${error.message}`);
    log(`${what}: FAILED\n${error.stack}`);
  }
}

/** A fresh database with the schema at head: `bench_http_<hex>` or a temporary SQLite file. */
async function withFreshDatabase({ dialect, root, sqliteDir, log }, work) {
  const target = dialect.target(`bench_http_${crypto.randomBytes(4).toString('hex')}`, sqliteDir);
  await dialect.create(target);
  try {
    upgradeSchema(root, target.ours);
    return await work(target);
  } finally {
    await dialect
      .drop(target)
      .catch((error) => log(`could not drop ${target.name}: ${error.message}`));
  }
}
