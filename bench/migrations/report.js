// Turns the samples into the markdown section: ratios to the limit, peers vs ours for
// history/current, the no-op upgrade, a short reading, raw medians and the object-count checks.
import fs from 'node:fs';
import path from 'node:path';
import { describeMachine } from '../support/machine.js';
import { formatMs, formatRatio, formatSeconds, markdownTable } from '../support/markdown.js';
import { findExecutable, runProcess } from '../support/processes.js';
import { median, ratio } from '../support/stats.js';
import { baselineTable } from '../support/baseline.js';
import { ALEMBIC_INSTALL_HINT, variantByKey } from './tools.js';

export const TARGETS = {
  upgrade: 1.2,
  downgrade: 1.5,
  knexFactor: 2,
  alembicFactor: 3,
  noopMs: 100,
};

const OPERATION_LABEL = {
  upgrade: '`upgrade head`',
  downgrade: '`downgrade base`',
  history: '`history`',
  current: '`current`',
};

export function renderReport(results, { commandLine, root }) {
  const view = new View(results);
  const machine = describeMachine();
  const versions = toolVersions(root);
  const dialectVersions = Object.values(results.dialects)
    .map((entry) => entry.version ?? `${entry.label}: ${entry.skipped}`)
    .join('; ');
  const runs = Object.entries(results.runsFor)
    .map(([key, count]) => `${key.replace(':', ' n=')}: ${count}`)
    .join(', ');

  const lines = [
    '## Migrations',
    '',
    `Measured ${results.started.toISOString().slice(0, 16).replace('T', ' ')} UTC with:`,
    '',
    '```sh',
    commandLine,
    '```',
    '',
    `- **Machine:** ${machine.cpuCount} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}; Node.js ${machine.node}.`,
    `- **Databases:** ${dialectVersions} — on loopback, a fresh database per tool and run.`,
    `- **Peers:** ${versions}.`,
    `- **Runs (median of):** ${runs || 'none'}; tools interleaved within each run, the order rotated from run to run.`,
    `- **Load average** (1 min) at the start and the end: ${results.loadBefore.toFixed(2)} and ${results.loadAfter.toFixed(2)}` +
      ' (the machine and the database servers may be shared with other work; see the spread in the details).',
    '',
    'Workload: a straight chain of N raw-SQL revisions, each `CREATE TABLE t_i (id integer primary key, v varchar(50))`',
    'and `CREATE INDEX ix_t_i ON t_i(v)` up, `DROP TABLE t_i` down. Every figure is a whole process, start to exit,',
    'on a fresh database: `upgrade head`, then `current`, `history`, then `downgrade base`. Ours runs from a copy',
    'of `bin/` and `dist/` taken when the run starts, so that a rebuild meanwhile cannot mix two builds, with its',
    'header cache (docs/migrations.md) filled by one untimed `history` before the timed runs, as any earlier',
    'command on the folder fills it; the no-op table also gives ours with an empty cache (a fresh container).',
    'The **limit** is the same statements plus one version-row `UPDATE` per revision, fed to the database’s own',
    'client (`sqlite3`, `psql -X -q -v ON_ERROR_STOP=1`, `mysql`) in one process, with the same transaction',
    'structure: _tx/rev_ = `BEGIN; 2 statements; UPDATE version; COMMIT` per revision (our default), _1 tx_ = one',
    'transaction for the whole run (our `--single-transaction`; PostgreSQL and SQLite only, as MySQL commits DDL',
    'implicitly). Alembic runs in its default (one transaction for the run) and with `transaction_per_migration=True`;',
    'knex runs its default (one transaction per batch). On MySQL every tool is effectively one transaction per',
    'revision, so there every peer is compared with the _tx/rev_ limit.',
    'The **node + driver floor** runs the limit’s script statement by statement through the driver ours uses',
    '(better-sqlite3, pg, mysql2) from a bare Node.js process (`bench/migrations/driver-floor.js`): between the',
    'limit and the floor lie Node.js and the driver, between the floor and ours the engine.',
    'SQLite files are created in WAL mode for every tool (the mode our engine sets; it persists in the file);',
    'the `sqlite3` limit runs with `synchronous = NORMAL`, the default of better-sqlite3 (ours, knex) in WAL mode,',
    'while Python’s sqlite3 (Alembic) keeps `FULL` and so syncs at every commit.',
    '',
    '### `upgrade head` and `downgrade base`: time ÷ the limit (lower is better)',
    '',
    view.limitTable(),
    '',
    ...view.baselineSection(),
    '### `history` and `current`: how many times slower the peers are than ours (higher is better)',
    '',
    view.inspectTable(),
    '',
    `### No-op \`upgrade head\` (${results.noopSize} revisions, nothing to apply) vs \`node -e 0\``,
    '',
    view.noopTable(),
    '',
    '### Reading',
    '',
    ...view.reading(),
    '',
    '### Details: median seconds per whole process (fastest–slowest run)',
    '',
    view.detailsTable(),
    '',
    '### Checks (outside the timing, first run)',
    '',
    view.checks(),
    '',
  ];
  const notes = view.notes();
  if (notes.length > 0) lines.push('### Notes', '', ...notes, '');
  return lines.join('\n');
}

class View {
  constructor(results) {
    this.results = results;
    this.entries = Object.entries(results.dialects).filter(([, entry]) => !entry.skipped);
    // The start-up of a bare Node.js process (node -e 0), the floor under every Node.js tool.
    this.nodeStart = median(this.entries.flatMap(([, entry]) => entry.noop?.node ?? []));
  }

  median(dialect, size, key, operation) {
    return median(this.results.dialects[dialect].samples[size]?.[key]?.[operation] ?? []);
  }

  /** A ratio cell: variant ÷ its reference, or why there is none. */
  cell(dialect, size, key, operation, referenceKey, { inverse = false } = {}) {
    const entry = this.results.dialects[dialect];
    for (const k of [key, referenceKey]) {
      if (!variantByKey[k].dialects.includes(dialect)) return 'n/a';
      if (entry.unavailable[k])
        return k.startsWith('alembic') || k === 'knex' ? 'not installed' : 'unavailable';
      if (entry.failures.some((f) => f.variant === k && f.size === size)) return 'failed';
      if (!entry.samples[size]?.[k]?.[operation]?.length) return 'not run';
    }
    const a = this.median(dialect, size, key, operation);
    const b = this.median(dialect, size, referenceKey, operation);
    return formatRatio(inverse ? ratio(b, a) : ratio(a, b));
  }

  value(dialect, size, key, operation, referenceKey) {
    return ratio(
      this.median(dialect, size, key, operation),
      this.median(dialect, size, referenceKey, operation),
    );
  }

  /** With `--baseline`: ours against the baseline build, per operation, from the same runs. */
  baselineSection() {
    const { baseline } = this.results;
    if (!baseline) return [];
    const rows = [];
    for (const [, entry] of this.entries) {
      for (const size of this.results.sizes) {
        for (const operation of ['upgrade', 'downgrade', 'current', 'history']) {
          for (const [key, before, suffix] of [
            ['ours', 'baseline', ''],
            ['ours-single', 'baseline-single', ' --single-transaction'],
          ]) {
            const samples = entry.samples[size] ?? {};
            const after = samples[key]?.[operation];
            if (!after?.length) continue;
            rows.push({
              label: [entry.label, String(size), `${OPERATION_LABEL[operation]}${suffix}`],
              after,
              before: samples[before]?.[operation] ?? [],
            });
          }
        }
      }
    }
    const commit = baseline.commit ? `\`${baseline.commit}\`` : `the build in ${baseline.dir}`;
    return [
      `### Before and after: ours against ${commit}, interleaved in the same runs`,
      '',
      baselineTable({
        what: 'database,N,command',
        unit: 's',
        format: (ms) => formatSeconds(ms),
        rows,
      }),
      '',
      '“within noise”: the two sets of runs overlap, or the medians differ by under 5%.',
      '',
    ];
  }

  limitTable() {
    const rows = [];
    for (const [dialect, entry] of this.entries) {
      const mysql = dialect === 'mysql';
      for (const size of this.results.sizes) {
        for (const operation of ['upgrade', 'downgrade']) {
          const target = TARGETS[operation];
          const ours = this.value(dialect, size, 'ours', operation, 'limit');
          const single = mysql
            ? undefined
            : this.value(dialect, size, 'ours-single', operation, 'limit-single');
          rows.push([
            entry.label,
            size,
            OPERATION_LABEL[operation],
            this.cell(dialect, size, 'ours', operation, 'limit'),
            mysql ? 'n/a' : this.cell(dialect, size, 'ours-single', operation, 'limit-single'),
            mysql
              ? this.cell(dialect, size, 'floor', operation, 'limit')
              : `${this.cell(dialect, size, 'floor', operation, 'limit')} / ${this.cell(dialect, size, 'floor-single', operation, 'limit-single')}`,
            mysql
              ? this.cell(dialect, size, 'alembic', operation, 'limit')
              : this.cell(dialect, size, 'alembic-per-revision', operation, 'limit'),
            mysql ? 'n/a' : this.cell(dialect, size, 'alembic', operation, 'limit-single'),
            mysql
              ? `${this.cell(dialect, size, 'knex', operation, 'limit')}†`
              : this.cell(dialect, size, 'knex', operation, 'limit-single'),
            `≤ ${target}×`,
            [
              verdict(ours, (v) => v <= target),
              mysql ? undefined : verdict(single, (v) => v <= target),
            ]
              .filter(Boolean)
              .join(' / '),
          ]);
        }
      }
    }
    const table = markdownTable(
      [
        'database',
        'N',
        'command',
        'ours ÷ limit (tx/rev)',
        'ours --single-transaction ÷ limit (1 tx)',
        'node + driver floor ÷ limit (tx/rev / 1 tx)',
        'alembic tx/rev ÷ limit (tx/rev)',
        'alembic default ÷ limit (1 tx)',
        'knex ÷ limit (1 tx)',
        'target',
        'ours met (tx/rev / 1 tx)',
      ],
      rows,
      'lrlrrrrrrll',
    );
    return `${table}\n\n† MySQL: knex’s batch transaction cannot hold DDL, so it is compared with the tx/rev limit.`;
  }

  inspectTable() {
    const rows = [];
    for (const [dialect, entry] of this.entries) {
      for (const size of this.results.sizes) {
        for (const operation of ['history', 'current']) {
          const knex = this.value(dialect, size, 'knex', operation, 'ours');
          const alembic = this.value(dialect, size, 'alembic', operation, 'ours');
          rows.push([
            entry.label,
            size,
            OPERATION_LABEL[operation],
            formatMs(this.median(dialect, size, 'ours', operation)),
            formatMs(
              Math.min(
                this.median(dialect, size, 'knex', operation) / TARGETS.knexFactor,
                this.median(dialect, size, 'alembic', operation) / TARGETS.alembicFactor,
              ),
            ),
            this.cell(dialect, size, 'knex', operation, 'ours'),
            this.cell(dialect, size, 'alembic', operation, 'ours'),
            `knex ≥ ${TARGETS.knexFactor}×, alembic ≥ ${TARGETS.alembicFactor}×`,
            [
              verdict(knex, (v) => v >= TARGETS.knexFactor, entry.unavailable.knex),
              verdict(alembic, (v) => v >= TARGETS.alembicFactor, entry.unavailable.alembic),
            ].join(' / '),
          ]);
        }
      }
    }
    const table = markdownTable(
      [
        'database',
        'N',
        'command',
        'ours',
        'budget (both targets)',
        'knex `migrate:list` ÷ ours',
        'alembic ÷ ours',
        'target',
        'met (knex / alembic)',
      ],
      rows,
      'lrlrrrrll',
    );
    return `${table}\n\nknex has no separate history and current: \`migrate:list\` (which reads the database) stands for both.\nBudget: the longest ours may take to meet both targets (knex ÷ ${TARGETS.knexFactor}, Alembic ÷ ${TARGETS.alembicFactor}); a bare \`node -e 0\` takes ${formatMs(this.nodeStart)} of it.`;
  }

  noopTable() {
    const rows = [];
    for (const [, entry] of this.entries) {
      const noop = entry.noop;
      if (!noop) {
        rows.push([entry.label, '—', '—', '—', `≤ ${TARGETS.noopMs} ms`, 'not measured']);
        continue;
      }
      const ours = median(noop.ours);
      const cold = noop.oursCold?.length ? median(noop.oursCold) : undefined;
      const node = median(noop.node);
      const met = (value) => verdict(value, (v) => v <= TARGETS.noopMs);
      rows.push([
        entry.label,
        formatMs(ours),
        cold === undefined ? '—' : formatMs(cold),
        formatMs(node),
        noop.error ? 'failed' : formatMs(ours - node),
        noop.error || cold === undefined ? '—' : formatMs(cold - node),
        `≤ ${TARGETS.noopMs} ms`,
        noop.error
          ? 'failed'
          : `${met(ours - node)} / ${cold === undefined ? '—' : met(cold - node)}`,
      ]);
    }
    return markdownTable(
      [
        'database',
        `ours, cache filled (median of ${this.results.noopRuns})`,
        'ours, cache empty',
        `node -e 0 (median of ${this.results.noopRuns})`,
        'difference (filled)',
        'difference (empty)',
        'target',
        'met (filled / empty)',
      ],
      rows,
      'lrrrrrll',
    );
  }

  /** Plain sentences on what met its target and what did not. */
  reading() {
    const bullets = [];
    for (const operation of ['upgrade', 'downgrade']) {
      const target = TARGETS[operation];
      const misses = [];
      const values = [];
      for (const [dialect, entry] of this.entries) {
        for (const size of this.results.sizes) {
          const pairs = [['ours', 'limit', 'tx/rev']];
          if (dialect !== 'mysql') pairs.push(['ours-single', 'limit-single', '1 tx']);
          for (const [key, reference, structure] of pairs) {
            const value = this.value(dialect, size, key, operation, reference);
            if (!Number.isFinite(value)) {
              misses.push(`${entry.label} N=${size} ${structure}: not measured`);
              continue;
            }
            values.push(value);
            if (value > target) {
              // A Node.js process costs node -e 0 before doing anything: is the target reachable at all?
              const floor = ratio(
                this.nodeStart + this.median(dialect, size, reference, operation),
                this.median(dialect, size, reference, operation),
              );
              const unreachable =
                floor > target
                  ? ` (out of reach for any Node.js process: starting node alone makes ${formatRatio(floor)})`
                  : '';
              // The same script through the same driver from a bare Node.js process: the part of
              // the gap that is Node.js and the driver rather than the engine.
              const floorKey = key === 'ours' ? 'floor' : 'floor-single';
              const driverFloor = this.value(dialect, size, floorKey, operation, reference);
              const driver =
                Number.isFinite(driverFloor) && unreachable === ''
                  ? ` (node + driver alone make ${formatRatio(driverFloor)})`
                  : Number.isFinite(driverFloor)
                    ? `; node + driver alone make ${formatRatio(driverFloor)})`
                    : '';
              misses.push(
                `${entry.label} N=${size} ${structure}: ${formatRatio(value)}${
                  driver.startsWith(';') ? unreachable.slice(0, -1) + driver : unreachable + driver
                }`,
              );
            }
          }
        }
      }
      const range = values.length
        ? ` (ours ${formatRatio(Math.min(...values))}–${formatRatio(Math.max(...values))} of the limit)`
        : '';
      bullets.push(
        misses.length === 0
          ? `- ${OPERATION_LABEL[operation]}: within ${target}× of the limit on every database and size${range}.`
          : `- ${OPERATION_LABEL[operation]}: **target ${target}× missed** on ${misses.join('; ')}${range}.`,
      );
    }
    for (const operation of ['history', 'current']) {
      const misses = [];
      for (const [dialect, entry] of this.entries) {
        for (const size of this.results.sizes) {
          for (const [key, factor] of [
            ['knex', TARGETS.knexFactor],
            ['alembic', TARGETS.alembicFactor],
          ]) {
            if (entry.unavailable[key]) continue;
            const value = this.value(dialect, size, key, operation, 'ours');
            if (!(value >= factor))
              misses.push(
                `${entry.label} N=${size} vs ${key}: ${formatRatio(value)} (needs ${factor}×)`,
              );
          }
        }
      }
      bullets.push(
        misses.length === 0
          ? `- ${OPERATION_LABEL[operation]}: at least ${TARGETS.knexFactor}× faster than knex and ${TARGETS.alembicFactor}× faster than Alembic everywhere.`
          : `- ${OPERATION_LABEL[operation]}: **target missed** on ${misses.join('; ')}.`,
      );
    }
    const noopMisses = this.entries
      .filter(
        ([, entry]) =>
          !entry.noop ||
          entry.noop.error ||
          !(median(entry.noop.ours) - median(entry.noop.node) <= TARGETS.noopMs),
      )
      .map(([, entry]) =>
        entry.noop && !entry.noop.error
          ? `${entry.label} (+${formatMs(median(entry.noop.ours) - median(entry.noop.node))})`
          : `${entry.label} (not measured)`,
      );
    bullets.push(
      noopMisses.length === 0
        ? `- No-op \`upgrade head\`: within ${TARGETS.noopMs} ms of a bare \`node -e 0\` on every database.`
        : `- No-op \`upgrade head\`: **target missed** on ${noopMisses.join(', ')}.`,
    );
    const coldMisses = this.entries
      .filter(([, entry]) => entry.noop?.oursCold?.length && !entry.noop.error)
      .map(([, entry]) => [entry.label, median(entry.noop.oursCold) - median(entry.noop.node)])
      .filter(([, difference]) => !(difference <= TARGETS.noopMs))
      .map(([label, difference]) => `${label} (+${formatMs(difference)})`);
    bullets.push(
      coldMisses.length === 0
        ? `- No-op \`upgrade head\` with an empty header cache (a fresh container): within ${TARGETS.noopMs} ms as well.`
        : `- No-op \`upgrade head\` with an empty header cache (a fresh container): over ${TARGETS.noopMs} ms on ${coldMisses.join(', ')}.`,
    );
    bullets.push(
      '- Fairness: per revision ours also inserts a row into `dataregistry_version_history` and takes its migration',
      '  lock once per run; the limit writes only the version row. Peers are compared with the limit of the same',
      '  transaction structure, so their ratios are comparable with ours column by column.',
    );
    const load = Math.max(this.results.loadBefore, this.results.loadAfter);
    if (load >= machineCpus() / 2) {
      bullets.push(
        `- Noise: the 1-minute load average reached ${load.toFixed(2)} on ${machineCpus()} CPUs (other work shared the`,
        '  machine and the database servers), so single figures can be off by tens of per cent: the details give',
        '  each figure’s fastest and slowest run.',
      );
    }
    return bullets;
  }

  detailsTable() {
    const rows = [];
    for (const [dialect, entry] of this.entries) {
      for (const size of this.results.sizes) {
        const samples = entry.samples[size] ?? {};
        for (const key of Object.keys(variantByKey)) {
          const variant = variantByKey[key];
          if (!variant.dialects.includes(dialect)) continue;
          if (entry.unavailable[key]) {
            rows.push([entry.label, size, variant.label, entry.unavailable[key], '', '', '', '']);
            continue;
          }
          const cell = (operation) => {
            if (!variant.ops[operation]) return '';
            const values = samples[key]?.[operation] ?? [];
            const spread =
              values.length > 1
                ? ` (${formatSeconds(Math.min(...values))}–${formatSeconds(Math.max(...values))})`
                : '';
            return `${formatSeconds(median(values))}${spread}`;
          };
          const count = samples[key]?.upgrade?.length ?? 0;
          rows.push([
            entry.label,
            size,
            variant.label,
            cell('upgrade'),
            cell('downgrade'),
            cell('history'),
            cell('current'),
            String(count),
          ]);
        }
      }
    }
    return markdownTable(
      ['database', 'N', 'tool', 'upgrade head', 'downgrade base', 'history', 'current', 'runs'],
      rows,
      'lrlrrrrr',
    );
  }

  checks() {
    const rows = [];
    let allOk = true;
    for (const [, entry] of this.entries) {
      for (const check of entry.verification) {
        if (!check.ok) allOk = false;
        if (check.operation !== 'upgrade') continue;
        const after = entry.verification.find(
          (c) =>
            c.operation === 'downgrade' && c.size === check.size && c.variant === check.variant,
        );
        rows.push([
          entry.label,
          check.size,
          variantByKey[check.variant].label,
          `${check.tables} + ${check.indexes} + ${check.otherTables.length} (${check.otherTables.join(', ') || 'none'})`,
          after ? `${after.tables} + ${after.indexes}` : '—',
          check.ok && (!after || after.ok) ? 'ok' : '**wrong**',
        ]);
      }
    }
    const summary = allOk
      ? 'Every tool created exactly N tables t_i and N indexes ix_t_i, and removed them all again:'
      : '**Some tool did not leave the expected objects** (see the rows marked wrong):';
    return `${summary}\n\n${markdownTable(
      [
        'database',
        'N',
        'tool',
        'after upgrade: tables + indexes + other tables',
        'after downgrade',
        'check',
      ],
      rows,
      'lrllll',
    )}`;
  }

  notes() {
    const notes = [];
    if (this.results.distChanged) {
      notes.push(
        '- dist/ was rebuilt during this run; ours ran throughout from the snapshot of bin/ and dist/ taken at its start.',
      );
    }
    for (const [, entry] of Object.entries(this.results.dialects)) {
      if (entry.skipped) notes.push(`- ${entry.label}: ${entry.skipped}.`);
      for (const [key, why] of Object.entries(entry.unavailable))
        notes.push(`- ${entry.label}, ${variantByKey[key].label}: ${why}.`);
      for (const failure of entry.failures) {
        const first = failure.message.split('\n').slice(0, 3).join(' ').slice(0, 300);
        notes.push(
          `- ${entry.label} N=${failure.size}, ${variantByKey[failure.variant].label} ${failure.operation} failed: ${first}`,
        );
      }
    }
    return [...new Set(notes)];
  }
}

function machineCpus() {
  return describeMachine().cpuCount;
}

function verdict(value, test, unavailable) {
  if (unavailable) return 'n/a';
  if (!Number.isFinite(value)) return '—';
  return test(value) ? 'yes' : '**no**';
}

function toolVersions(root) {
  const parts = [];
  const alembic = findExecutable('alembic');
  if (alembic) {
    try {
      const version = runProcess(alembic, ['--version']);
      const python = fs
        .readFileSync(alembic, 'utf8')
        .split('\n', 1)[0]
        .replace(/^#!\s*/, '')
        .split(/\s+/)
        .pop();
      const sqlalchemy = runProcess(python, [
        '-c',
        'import sqlalchemy; print(sqlalchemy.__version__)',
      ]);
      parts.push(`${version} (SQLAlchemy ${sqlalchemy}, psycopg2, PyMySQL)`);
    } catch {
      parts.push(`alembic: ${ALEMBIC_INSTALL_HINT}`);
    }
  } else {
    parts.push(`alembic: ${ALEMBIC_INSTALL_HINT}`);
  }
  try {
    const knex = JSON.parse(
      fs.readFileSync(path.join(root, 'node_modules', 'knex', 'package.json'), 'utf8'),
    );
    parts.push(`knex ${knex.version} (pg, mysql2, better-sqlite3)`);
  } catch {
    parts.push('knex: not installed (npm install --save-dev knex)');
  }
  return parts.join('; ');
}
