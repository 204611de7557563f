// Requests per second and latency under load: for each request kind, the limit and one server
// per log level, measured in interleaved rounds on one fresh database; then a profiled run of the
// server, and the bare node:http ceiling.
import fs from 'node:fs';
import path from 'node:path';
import { rotate } from '../support/stats.js';
import { fetchSample, requestsFor, runAutocannon } from './api.js';
import { summariseRun } from './latencies.js';
import {
  createRecord,
  describeLimitSql,
  getRecord,
  listQuery,
  openLimitDatabase,
  runClosedLoop,
} from './limit.js';
import { openDatabaseCpuReader } from './database-cpu.js';
import { firstIds, loadRecords } from './load.js';
import { findProfile, summariseProfile } from './profile.js';
import { defaultPoolSize, startBareServer, startServer } from './server.js';

const WARM_UP_MS = 1500;
/** The name prefix of a server started from the --baseline build. */
export const BEFORE = 'before-';

/** The timed requests: what autocannon sends, and the limit's operation for the same. */
export const SCENARIOS = [
  {
    kind: 'get',
    label: '`GET /api/records/{id}`',
    limit:
      ({ db, ids }) =>
      (i) =>
        getRecord(db, ids[i % ids.length]),
  },
  {
    kind: 'list',
    label: '`GET /api/records?limit=100`',
    limit:
      ({ db }) =>
      () =>
        listQuery(db, 100).execute(),
  },
  {
    kind: 'create',
    label: '`POST /api/records`',
    limit:
      ({ db, tag }) =>
      (i) =>
        createRecord(db, `${tag}-${i}`),
  },
];

/** Loads the table, then measures every scenario; results go into `entry`. */
export async function measureThroughput(context, target) {
  const { dialect, entry, settings, root, log } = context;
  entry.poolSize = target.dialect === 'postgresql' ? defaultPoolSize(root, target.ours) : 1;
  const loaded = await loadRecords(target, settings.records, 'seed');
  entry.loaded = loaded;
  log(`${dialect.label}: ${loaded.rows} records loaded in ${(loaded.ms / 1000).toFixed(1)} s`);
  const ids = await firstIds(target, settings.records);
  const limit = await openLimitDatabase(target, entry.poolSize);
  const databaseCpu = await openDatabaseCpuReader(target);
  try {
    entry.sql = describeLimitSql(limit.db);
    for (const scenario of SCENARIOS) {
      entry.scenarios.push(
        await measureScenario({ ...context, target, limit, ids, scenario, databaseCpu }),
      );
    }
  } finally {
    await databaseCpu?.close();
    await limit.close();
  }
}

/**
 * The limit and a server per log level, each warmed up, then `rounds` rounds in which each runs
 * durationMs / rounds, the order rotated from round to round: a change in the machine's other
 * load then falls on all of them alike.
 */
async function measureScenario(context) {
  const { dialect, settings, workDir, log, samples, target, limit, ids, scenario, databaseCpu } =
    context;
  const label = `${dialect.label} ${scenario.kind}`;
  const servers = new Map();
  const logFiles = [];
  try {
    for (const logLevel of settings.logLevels) {
      const logFile = path.join(
        workDir,
        `server-${target.dialect}-${scenario.kind}-${logLevel}.log`,
      );
      logFiles.push(logFile);
      servers.set(
        logLevel,
        await startServer({ root: context.root, databaseUrl: target.ours, logLevel, logFile }),
      );
      // The same server built from an earlier commit (--baseline), on the same database.
      if (settings.baselineRoot) {
        const baselineLog = logFile.replace(/\.log$/, '-before.log');
        logFiles.push(baselineLog);
        servers.set(
          `${BEFORE}${logLevel}`,
          await startServer({
            root: settings.baselineRoot,
            databaseUrl: target.ours,
            logLevel,
            logFile: baselineLog,
          }),
        );
      }
    }
    const sides = [
      {
        name: 'limit',
        run: (tag, durationMs) =>
          runClosedLoop({
            concurrency: settings.connections,
            durationMs,
            operation: scenario.limit({ db: limit.db, ids, tag }),
            databaseCpu,
          }),
      },
      ...[...servers].map(([logLevel, server]) => ({
        name: logLevel,
        run: (tag, durationMs) =>
          runAutocannon({
            server,
            requests: requestsFor({ kind: scenario.kind, ids, tag }),
            connections: settings.connections,
            durationMs,
            databaseCpu,
          }),
      })),
    ];
    for (const side of sides) await side.run(`warm-${side.name}`, WARM_UP_MS);
    const parts = new Map(sides.map((side) => [side.name, []]));
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const side of rotate(sides, round)) {
        const part = await side.run(
          `${side.name}-r${round}`,
          settings.durationMs / settings.rounds,
        );
        parts.get(side.name).push(part);
      }
    }
    const result = { kind: scenario.kind, label: scenario.label, api: {} };
    result.limit = summariseRun(parts.get('limit'));
    log(`[${label}] limit: ${describeRun(result.limit)}`);
    for (const name of servers.keys()) {
      const summary = summariseRun(parts.get(name));
      if (name.startsWith(BEFORE)) (result.before ??= {})[name.slice(BEFORE.length)] = summary;
      else result.api[name] = summary;
      log(`[${label}] API --log-level ${name}: ${describeRun(summary)}`);
    }
    // Per-round throughput of each side, so that before/after can be read against the spread.
    result.roundsPerSecond = Object.fromEntries(
      [...parts].map(([name, list]) => [name, list.map((part) => summariseRun([part]).perSecond)]),
    );
    if (!samples.has(scenario.kind)) {
      const [server] = servers.values();
      samples.set(scenario.kind, await fetchSample(server, scenario.kind, ids));
    }
    if (settings.profileMs > 0) {
      result.profile = await profileScenario(context);
      log(`[${label}] profiled ${(settings.profileMs / 1000).toFixed(0)} s`);
    }
    if (Object.values(result.api).every((api) => api.failures === 0))
      for (const file of logFiles) fs.rmSync(file, { force: true });
    return result;
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
}

/**
 * A separate, shorter run of the unbundled build (dist/cli/main.js) under `node --cpu-prof`, so
 * that the figures above carry no profiler overhead; only samples taken under load count.
 */
async function profileScenario({ settings, root, workDir, target, ids, scenario }) {
  const profileDir = path.join(workDir, `profile-${target.dialect}-${scenario.kind}`);
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  const server = await startServer({
    root,
    databaseUrl: target.ours,
    logLevel: 'warn',
    logFile: path.join(profileDir, 'server.log'),
    entry: 'dist/cli/main.js',
    cpuProfileDir: profileDir,
  });
  let window;
  let part;
  try {
    const load = (tag, durationMs) =>
      runAutocannon({
        server,
        requests: requestsFor({ kind: scenario.kind, ids, tag }),
        connections: settings.connections,
        durationMs,
      });
    await load('profile-warm', WARM_UP_MS);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    part = await load('profile', settings.profileMs);
    window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
  } finally {
    await server.stop();
  }
  const summary = summariseRun([part]);
  return {
    ...summariseProfile(findProfile(profileDir), window),
    perSecond: summary.perSecond,
    waitShare: summary.waitShare,
  };
}

/** The same load against bare-server.js sending back a real answer of the same kind. */
export async function measureBare({ settings, root, workDir, scenario, sample, log }) {
  const bodyFile = path.join(workDir, `bare-${scenario.kind}.json`);
  fs.writeFileSync(bodyFile, sample.body);
  const server = await startBareServer({
    root,
    logFile: path.join(workDir, `bare-${scenario.kind}.log`),
    status: sample.status,
    bodyFile,
  });
  try {
    const load = (tag, durationMs) =>
      runAutocannon({
        server,
        requests: requestsFor({ kind: scenario.kind, ids: ['1'], tag }),
        connections: settings.connections,
        durationMs,
      });
    await load('bare-warm', WARM_UP_MS);
    const summary = summariseRun([await load('bare', settings.durationMs)]);
    log(`[bare HTTP ${scenario.kind}] ${describeRun(summary)}`);
    return { kind: scenario.kind, label: scenario.label, bytes: sample.body.length, ...summary };
  } finally {
    await server.stop();
  }
}

export function describeRun(summary) {
  const failures = summary.failures
    ? `, ${summary.failures} failed (${summary.failureSample})`
    : '';
  const cpu =
    summary.cpuUsPerOp === undefined ? '' : `, ${Math.round(summary.cpuUsPerOp)} µs CPU/op`;
  return `${Math.round(summary.perSecond)}/s, p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms${cpu}${failures}`;
}
