// The migration benchmark: whole-process timings of upgrade head, downgrade base, history and
// current on fresh databases, for ours, the limit, Alembic and knex side by side, interleaved.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseIntegerList, parseNameList, UsageError } from '../support/args.js';
import { dialects, dialectNames, freshDatabaseName } from '../support/databases.js';
import { runProcess, timeProcess } from '../support/processes.js';
import { readBaselineBuild } from '../support/baseline.js';
import { rotate } from '../support/stats.js';
import { oursCacheHome, variants } from './tools.js';
import { writeWorkload } from './workload.js';
import { renderReport } from './report.js';

export const name = 'migrations';
export const heading = '## Migrations';
export const options = ['sizes', 'dialects', 'runs', 'noop-runs', 'tools', 'baseline'];
export const flags = new Set();
export const usage = `migrations  [--sizes 200,1000] [--dialects sqlite,postgresql,mysql]
              [--runs N | --runs 3,1000=2,mysql:1000=1] [--noop-runs 11] [--tools limit,floor,ours,alembic,knex]
              [--baseline DIR  (a built checkout of an earlier commit: ours before and after, interleaved)]`;

const OPERATIONS = ['upgrade', 'current', 'history', 'downgrade'];

/**
 * `--runs` entries: `N` (all), `SIZE=N`, `DIALECT:N`, `DIALECT:SIZE=N`; the most specific wins.
 * @returns {(dialect: string, size: number) => number}
 */
export function parseRuns(text) {
  const entries = String(text)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(?:([a-z]+):)?(?:(\d+)=)?(\d+)$/.exec(part);
      if (!match)
        throw new UsageError(
          `--runs: cannot read "${part}" (N, SIZE=N, DIALECT:N or DIALECT:SIZE=N)`,
        );
      const [, dialect, size, runs] = match;
      if (dialect && !dialectNames.includes(dialect))
        throw new UsageError(`--runs: unknown database "${dialect}"`);
      if (Number(runs) < 1) throw new UsageError('--runs: at least 1');
      return { dialect, size: size ? Number(size) : undefined, runs: Number(runs) };
    });
  const score = (entry) => (entry.dialect ? 2 : 0) + (entry.size ? 1 : 0);
  return (dialect, size) => {
    const fitting = entries.filter(
      (entry) =>
        (!entry.dialect || entry.dialect === dialect) && (!entry.size || entry.size === size),
    );
    fitting.sort((a, b) => score(b) - score(a));
    return fitting[0]?.runs ?? 3;
  };
}

export async function run({ options, root, log, commandLine }) {
  const sizes = parseIntegerList(options.get('sizes') ?? '200,1000', '--sizes');
  const chosenDialects = parseNameList(
    options.get('dialects') ?? dialectNames.join(','),
    dialectNames,
    '--dialects',
  );
  const runsFor = parseRuns(options.get('runs') ?? '3');
  const noopRuns = parseIntegerList(options.get('noop-runs') ?? '11', '--noop-runs')[0];
  const baselineDir = options.get('baseline');
  const tools = parseNameList(
    options.get('tools') ?? 'limit,floor,ours,alembic,knex',
    ['limit', 'floor', 'ours', 'alembic', 'knex'],
    '--tools',
  );
  if (baselineDir !== undefined) {
    readBaselineBuild(baselineDir);
    tools.push('baseline');
  }
  const noopSize = Math.max(...sizes);

  const workDir = path.join(root, '.bench', 'migrations');
  fs.mkdirSync(workDir, { recursive: true });
  const layouts = new Map();
  for (const size of sizes) {
    log(`writing the ${size}-revision workload for every tool…`);
    layouts.set(size, writeWorkload(path.join(workDir, `chain-${size}`), size));
  }

  const builtAt = newestModification(path.join(root, 'dist'));
  const oursRoot = snapshotOurs(root, workDir);
  if (tools.includes('ours')) warmOursCache(oursRoot, layouts, log);
  const baselineRoot =
    baselineDir === undefined
      ? undefined
      : snapshotOurs(path.resolve(baselineDir), workDir, 'baseline-build');
  if (baselineRoot) warmOursCache(baselineRoot, layouts, log);
  const results = {
    sizes,
    dialects: {},
    noopSize,
    noopRuns,
    runsFor: {},
    started: new Date(),
    loadBefore: os.loadavg()[0],
    baseline: baselineDir === undefined ? undefined : describeBaseline(baselineDir),
  };
  for (const dialectName of chosenDialects) {
    const dialect = dialects[dialectName];
    const entry = {
      label: dialect.label,
      samples: {},
      unavailable: {},
      failures: [],
      verification: [],
      noop: undefined,
    };
    results.dialects[dialectName] = entry;
    try {
      const probe = await dialect.probe();
      entry.version = probe.version;
    } catch (error) {
      entry.skipped = `not reachable (${error.message})`;
      log(`${dialect.label}: skipped, ${entry.skipped}`);
      continue;
    }
    const active = [];
    for (const variant of variants) {
      if (!variant.dialects.includes(dialectName) || !tools.includes(variant.tool)) continue;
      const why = variant.available(dialectName, { root, oursRoot, baselineRoot });
      if (why) {
        entry.unavailable[variant.key] = why;
        log(`${dialect.label}: ${variant.label}: ${why}`);
      } else {
        active.push(variant);
      }
    }
    for (const size of sizes) {
      const runs = runsFor(dialectName, size);
      results.runsFor[`${dialectName}:${size}`] = runs;
      const samples = (entry.samples[size] = {});
      for (let rep = 0; rep < runs; rep += 1) {
        const label = `${dialect.label} n=${size} run ${rep + 1}/${runs}`;
        await repetition({
          dialect,
          size,
          rep,
          label,
          order: rotate(active, rep),
          layout: layouts.get(size),
          root,
          oursRoot,
          baselineRoot,
          workDir,
          samples,
          entry,
          log,
          noop: rep === 0 && size === noopSize ? noopRuns : 0,
        });
      }
    }
  }
  results.finished = new Date();
  results.loadAfter = os.loadavg()[0];
  // Others may rebuild dist/ while a long run goes on: then the figures mix two builds.
  if (newestModification(path.join(root, 'dist')) !== builtAt) {
    results.distChanged = true;
    log('note: dist/ was rebuilt during the run; ours ran from the snapshot taken at its start.');
  }
  // The raw samples (milliseconds) stay beside the workload, for a closer look after the run.
  const raw = path.join(workDir, 'results.json');
  fs.writeFileSync(raw, `${JSON.stringify({ commandLine, ...results }, null, 2)}\n`);
  log(`raw samples: ${path.relative(root, raw)}`);
  return renderReport(results, { commandLine, root });
}

/** One repetition: a fresh database per variant, then each operation for every variant in turn. */
async function repetition({
  dialect,
  size,
  rep,
  label,
  order,
  layout,
  root,
  oursRoot,
  baselineRoot,
  workDir,
  samples,
  entry,
  log,
  noop,
}) {
  const targets = new Map(
    order.map((variant) => [variant.key, dialect.target(freshDatabaseName(), workDir)]),
  );
  const failed = new Set();
  try {
    for (const target of targets.values()) await dialect.create(target);
    for (const operation of OPERATIONS) {
      for (const variant of order) {
        const build = variant.ops[operation];
        if (!build || failed.has(variant.key)) continue;
        const { command, args, ...options } = build({
          target: targets.get(variant.key),
          layout,
          root,
          oursRoot,
          baselineRoot,
        });
        try {
          const { ms } = timeProcess(command, args, options);
          ((samples[variant.key] ??= {})[operation] ??= []).push(ms);
          log(`[${label}] ${variant.label} ${operation}: ${(ms / 1000).toFixed(3)} s`);
        } catch (error) {
          failed.add(variant.key);
          entry.failures.push({ size, variant: variant.key, operation, message: error.message });
          log(`[${label}] ${variant.label} ${operation}: FAILED\n${indent(error.message)}`);
        }
      }
      if (rep === 0 && (operation === 'upgrade' || operation === 'downgrade')) {
        await verify({ dialect, size, operation, order, targets, failed, entry, log });
      }
      if (
        operation === 'history' &&
        noop > 0 &&
        !failed.has('ours') &&
        order.some((v) => v.key === 'ours')
      ) {
        entry.noop = measureNoop({
          target: targets.get('ours'),
          layout,
          oursRoot,
          runs: noop,
          label,
          log,
        });
      }
    }
  } finally {
    for (const target of targets.values()) {
      await dialect
        .drop(target)
        .catch((error) => log(`[${label}] could not drop ${target.name}: ${error.message}`));
    }
  }
}

/** Outside the timing: did every tool really create N tables and N indexes (and remove them again)? */
async function verify({ dialect, size, operation, order, targets, failed, entry, log }) {
  for (const variant of order) {
    if (failed.has(variant.key) || !variant.ops[operation]) continue;
    const counts = await dialect.count(targets.get(variant.key));
    const expected = operation === 'upgrade' ? size : 0;
    const ok = counts.tables === expected && counts.indexes === expected;
    entry.verification.push({ size, operation, variant: variant.key, ...counts, ok });
    if (!ok) {
      log(
        `VERIFY ${dialect.label} n=${size} ${variant.label} after ${operation}: ${counts.tables} tables, ${counts.indexes} indexes (expected ${expected})`,
      );
    }
  }
}

/**
 * Fills ours' header cache (see docs/migrations.md) with one untimed `history` per workload, as
 * any earlier command on the folder would. The CLI does not cache files changed in the last
 * 2 seconds, so the workload must be older than that first.
 */
function warmOursCache(oursRoot, layouts, log) {
  const newest = Math.max(
    ...[...layouts.values()].map((layout) => newestModification(layout.ours)),
  );
  const wait = newest + 2100 - Date.now();
  if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
  for (const layout of layouts.values()) {
    timeProcess(
      process.execPath,
      [path.join(oursRoot, 'bin', 'dataregistry.js'), 'history', '--dir', layout.ours],
      { cwd: oursRoot, env: { XDG_CACHE_HOME: oursCacheHome(oursRoot) } },
    );
  }
  log('ours: header cache filled (one untimed `history` per workload)');
}

/**
 * `upgrade head` with nothing to apply vs a bare `node -e 0`, interleaved; ours both with its
 * header cache filled and cold (a new, empty cache folder each run: a fresh container).
 */
function measureNoop({ target, layout, oursRoot, runs, label, log }) {
  const node = [];
  const ours = [];
  const oursCold = [];
  const oursArgs = [
    path.join(oursRoot, 'bin', 'dataregistry.js'),
    'upgrade',
    'head',
    '--db',
    target.ours,
    '--dir',
    layout.ours,
  ];
  const runOurs = (cacheHome) => {
    const result = timeProcess(process.execPath, oursArgs, {
      cwd: oursRoot,
      env: { XDG_CACHE_HOME: cacheHome },
    });
    if (/Running upgrade/.test(result.stdout + result.stderr))
      throw new Error('the no-op upgrade applied something');
    return result.ms;
  };
  try {
    for (let i = 0; i < runs; i += 1) {
      node.push(timeProcess(process.execPath, ['-e', '0']).ms);
      ours.push(runOurs(oursCacheHome(oursRoot)));
      const coldHome = fs.mkdtempSync(path.join(oursRoot, 'cold-cache-'));
      try {
        oursCold.push(runOurs(coldHome));
      } finally {
        fs.rmSync(coldHome, { recursive: true, force: true });
      }
    }
  } catch (error) {
    log(`[${label}] no-op: FAILED\n${indent(error.message)}`);
    return { error: error.message, node, ours, oursCold };
  }
  log(`[${label}] no-op upgrade head: ${runs} runs each done`);
  return { node, ours, oursCold };
}

/**
 * Copy what `node bin/dataregistry.js` runs (bin/, dist/, package.json) into the work folder, so
 * that every figure of a long run is of one build even if dist/ is rebuilt meanwhile. Its
 * dependencies still resolve from the project's node_modules (a parent folder).
 */
function snapshotOurs(root, workDir, folder = 'ours-build') {
  const snapshot = path.join(workDir, folder);
  fs.rmSync(snapshot, { recursive: true, force: true });
  fs.mkdirSync(snapshot, { recursive: true });
  for (const part of ['bin', 'dist', 'package.json']) {
    const from = path.join(root, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(snapshot, part), { recursive: true });
  }
  return snapshot;
}

/** The baseline's commit, as `git describe` names it, or its folder when it is no git checkout. */
function describeBaseline(dir) {
  try {
    const commit = runProcess('git', ['-C', dir, 'log', '-1', '--format=%h']).trim();
    return { dir, commit };
  } catch {
    return { dir, commit: undefined };
  }
}

/** The newest modification time (ms) of any file under `folder`, or 0 when there is none. */
function newestModification(folder) {
  let newest = 0;
  if (!fs.existsSync(folder)) return newest;
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(
      newest,
      fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs,
    );
  }
  return newest;
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
