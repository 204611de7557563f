// The tools compared, each in the transaction structures it offers, as whole processes:
// the limit (the database's own client fed a script), ours, Alembic and knex.
import fs from 'node:fs';
import path from 'node:path';
import { runProcess, findExecutable } from '../support/processes.js';
import { dialects } from '../support/databases.js';

export const ALEMBIC_INSTALL_HINT =
  'not installed (apt-get install alembic python3-psycopg2 python3-pymysql)';
const ALEMBIC_DRIVERS = { sqlite: 'sqlite3', postgresql: 'psycopg2', mysql: 'pymysql' };
const KNEX_DRIVERS = { sqlite: 'better-sqlite3', postgresql: 'pg', mysql: 'mysql2' };

/**
 * A variant: one tool in one transaction structure.
 * - `tx`: 'per-revision' or 'single' (on MySQL every variant is effectively per revision, as DDL
 *   commits implicitly).
 * - `ops`: operation → (context) → { command, args, stdinFile?, env? }; context holds the
 *   database target and the workload layout.
 * - `limit(dialect)`: the key of the limit variant it is compared with.
 * @typedef {{ key: string, label: string, tool: string, tx: string, dialects: string[],
 *   ops: Record<string, (context: object) => object>, limit?: (dialect: string) => string,
 *   available: (dialect: string, places: { root: string, oursRoot: string, baselineRoot?: string }) => string | undefined }} Variant
 */

const TRANSACTIONAL_DDL = ['sqlite', 'postgresql'];

function limitVariant(key, tx) {
  return {
    key,
    label: tx === 'single' ? 'limit (single tx)' : 'limit (tx per revision)',
    tool: 'limit',
    tx,
    dialects: tx === 'single' ? TRANSACTIONAL_DDL : ['sqlite', 'postgresql', 'mysql'],
    ops: {
      upgrade: ({ target, layout }) => ({
        ...target.client,
        stdinFile: tx === 'single' ? layout.limit.upgradeSingle : layout.limit.upgradePerRevision,
      }),
      downgrade: ({ target, layout }) => ({
        ...target.client,
        stdinFile:
          tx === 'single' ? layout.limit.downgradeSingle : layout.limit.downgradePerRevision,
      }),
    },
    available(dialect) {
      const { clientCommand, clientPackage } = dialects[dialect];
      return findExecutable(clientCommand)
        ? undefined
        : `${clientCommand} not installed (apt-get install ${clientPackage})`;
    },
  };
}

/** The limit's script through ours' driver from a bare Node.js process (driver-floor.js). */
function driverFloorVariant(key, tx) {
  const script = ({ layout }, operation) =>
    tx === 'single'
      ? layout.limit[`${operation}Single`]
      : layout.limit[`${operation}PerRevision`];
  const floor = path.join(path.dirname(new URL(import.meta.url).pathname), 'driver-floor.js');
  const run = (operation) => (context) => ({
    command: process.execPath,
    args: [floor, context.target.ours, script(context, operation)],
    cwd: context.root,
  });
  return {
    key,
    label: tx === 'single' ? 'node + driver floor (single tx)' : 'node + driver floor (tx/rev)',
    tool: 'floor',
    tx,
    dialects: tx === 'single' ? TRANSACTIONAL_DDL : ['sqlite', 'postgresql', 'mysql'],
    ops: { upgrade: run('upgrade'), downgrade: run('downgrade') },
    limit: () => (tx === 'single' ? 'limit-single' : 'limit'),
    available: () => undefined,
  };
}

/** Where ours keeps its header cache during a run (the CLI honours XDG_CACHE_HOME). */
export function oursCacheHome(oursRoot) {
  return path.join(oursRoot, 'cache');
}

/**
 * Ours, from the snapshot of bin/ and dist/ taken when the run started (see index.js), with its
 * header cache in the snapshot too, filled before the timed runs. `baseline` is the same tool
 * built from another checkout (`--baseline DIR`), for before/after figures in one run.
 */
function oursVariant(key, tx, { baseline = false } = {}) {
  const single = tx === 'single' ? ['--single-transaction'] : [];
  const cli = (root) => path.join(root, 'bin', 'dataregistry.js');
  const rootOf = (places) => (baseline ? places.baselineRoot : places.oursRoot);
  const run = (args) => (context) => ({
    command: process.execPath,
    args: [cli(rootOf(context)), ...args],
    cwd: rootOf(context),
    env: { XDG_CACHE_HOME: oursCacheHome(rootOf(context)) },
  });
  const name = baseline ? 'ours before (--baseline)' : 'ours';
  return {
    key,
    label: tx === 'single' ? `${name} --single-transaction` : name,
    tool: baseline ? 'baseline' : 'ours',
    tx,
    dialects: tx === 'single' ? TRANSACTIONAL_DDL : ['sqlite', 'postgresql', 'mysql'],
    ops: {
      upgrade: (context) =>
        run([
          'upgrade',
          'head',
          ...single,
          '--db',
          context.target.ours,
          '--dir',
          context.layout.ours,
        ])(context),
      downgrade: (context) =>
        run([
          'downgrade',
          'base',
          ...single,
          '--db',
          context.target.ours,
          '--dir',
          context.layout.ours,
        ])(context),
      ...(tx === 'per-revision'
        ? {
            history: (context) => run(['history', '--dir', context.layout.ours])(context),
            current: (context) =>
              run(['current', '--db', context.target.ours, '--dir', context.layout.ours])(context),
          }
        : {}),
    },
    limit: (dialect) => (tx === 'single' && dialect !== 'mysql' ? 'limit-single' : 'limit'),
    available(_dialect, places) {
      if (baseline && !places.baselineRoot) return 'no --baseline given';
      try {
        runProcess(process.execPath, [cli(rootOf(places)), '--version'], { cwd: rootOf(places) });
        return undefined;
      } catch (error) {
        return `not built or broken (npm run build): ${error.message.split('\n').slice(1, 2).join('')}`;
      }
    },
  };
}

let alembicPython;
function alembicVariant(key, tx) {
  const x = (context) => [
    '-c',
    path.join(context.layout.alembic, 'alembic.ini'),
    '-x',
    `url=${context.target.sqlalchemy}`,
    ...(tx === 'per-revision' ? ['-x', 'tx=per-revision'] : []),
  ];
  const run = (args) => (context) => ({
    command: findExecutable('alembic'),
    args: [...x(context), ...args],
  });
  return {
    key,
    label: tx === 'per-revision' ? 'alembic (transaction_per_migration)' : 'alembic (default)',
    tool: 'alembic',
    tx,
    // Alembic's default on MySQL is already one transaction per revision: measure it once there.
    dialects: tx === 'per-revision' ? TRANSACTIONAL_DDL : ['sqlite', 'postgresql', 'mysql'],
    ops: {
      upgrade: run(['upgrade', 'head']),
      downgrade: run(['downgrade', 'base']),
      ...(tx === 'single' ? { history: run(['history']), current: run(['current']) } : {}),
    },
    limit: (dialect) => (tx === 'single' && dialect !== 'mysql' ? 'limit-single' : 'limit'),
    available(dialect) {
      const alembic = findExecutable('alembic');
      if (!alembic) return ALEMBIC_INSTALL_HINT;
      alembicPython ??= readShebang(alembic) ?? 'python3';
      try {
        runProcess(alembicPython, [
          '-c',
          `import alembic, sqlalchemy, ${ALEMBIC_DRIVERS[dialect]}`,
        ]);
        return undefined;
      } catch {
        return ALEMBIC_INSTALL_HINT;
      }
    },
  };
}

function readShebang(file) {
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  if (!first.startsWith('#!')) return undefined;
  const parts = first.slice(2).trim().split(/\s+/);
  return parts[0].endsWith('/env') ? parts[1] : parts[0];
}

function knexVariant() {
  const run = (args) => (context) => ({
    command: process.execPath,
    args: [
      path.join(context.root, 'node_modules', 'knex', 'bin', 'cli.js'),
      ...args,
      '--knexfile',
      path.join(context.layout.knex, `knexfile.${context.target.dialect}.cjs`),
    ],
    env: { BENCH_KNEX_CONNECTION: JSON.stringify(context.target.knex) },
  });
  return {
    key: 'knex',
    label: 'knex (default: one tx per batch)',
    tool: 'knex',
    tx: 'single',
    dialects: ['sqlite', 'postgresql', 'mysql'],
    ops: {
      upgrade: run(['migrate:latest']),
      downgrade: run(['migrate:rollback', '--all']),
      // knex has no separate history/current: migrate:list shows completed and pending migrations.
      history: run(['migrate:list']),
      current: run(['migrate:list']),
    },
    limit: (dialect) => (dialect === 'mysql' ? 'limit' : 'limit-single'),
    available(dialect, { root }) {
      const hint = 'not installed (npm install --save-dev knex)';
      if (!fs.existsSync(path.join(root, 'node_modules', 'knex', 'bin', 'cli.js'))) return hint;
      if (!fs.existsSync(path.join(root, 'node_modules', KNEX_DRIVERS[dialect]))) {
        return `driver ${KNEX_DRIVERS[dialect]} not installed`;
      }
      return undefined;
    },
  };
}

/** Every variant, in the order they run within a repetition (rotated from one repetition to the next). */
export const variants = [
  limitVariant('limit', 'per-revision'),
  limitVariant('limit-single', 'single'),
  driverFloorVariant('floor', 'per-revision'),
  driverFloorVariant('floor-single', 'single'),
  oursVariant('ours', 'per-revision'),
  oursVariant('ours-single', 'single'),
  oursVariant('baseline', 'per-revision', { baseline: true }),
  oursVariant('baseline-single', 'single', { baseline: true }),
  alembicVariant('alembic-per-revision', 'per-revision'),
  alembicVariant('alembic', 'single'),
  knexVariant(),
];

export const variantByKey = Object.fromEntries(variants.map((variant) => [variant.key, variant]));
export const toolNames = [...new Set(variants.map((variant) => variant.tool))];
