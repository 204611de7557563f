// Turns the HTTP measurements into the "## HTTP API" section: API beside the limit per request,
// the bare HTTP ceiling, default logging, CPU per request and the server's profile, paging a big
// table, a short reading generated from the figures, and the SQL the limit runs.
import { describeMachine } from '../support/machine.js';
import { markdownTable } from '../support/markdown.js';
import { ms, percent, perSecond, us } from './format.js';
import { baselineTable } from '../support/baseline.js';
import { pagingReading, pagingSection } from './paging-report.js';
import { BEFORE } from './throughput.js';

/** API requests/s ÷ limit operations/s at least this, for every request. */
export const TARGET_SHARE = 0.5;

export function renderReport(results, { commandLine }) {
  const { settings } = results;
  const entries = Object.entries(results.dialects);
  const measured = entries.filter(([, entry]) => entry.scenarios.length > 0);
  const lines = [...header(results, { commandLine, entries, measured }), ''];
  if (measured.length > 0) {
    lines.push(
      '### Requests per second and latency: API (`--log-level warn`) beside the limit',
      '',
      mainTable(measured),
      '',
    );
    if (settings.baselineRoot) lines.push(...baselineSection(results, measured));
    if (results.bare.length > 0) {
      lines.push(
        '### The ceiling of HTTP here: a bare `node:http` server under the same load',
        '',
        bareTable(results.bare, measured),
        '',
        'A separate process that reads each request to its end and sends back one real answer of the',
        'same kind (status and body bytes, recorded from the server): no routing, validation, database',
        'or serialisation. No HTTP server answers faster on this machine with autocannon beside it.',
        '',
      );
    }
    if (measured.some(([, entry]) => entry.scenarios.some((s) => s.api.info && s.api.warn))) {
      lines.push(
        '### With the default logging (`--log-level info`: two JSON lines per request, to a file)',
        '',
        infoTable(measured),
        '',
      );
    }
    lines.push(
      '### CPU per request',
      '',
      cpuTable(measured),
      '',
      'CPU time per 2xx answer or limit operation, from /proc: the server process (all threads), the',
      'benchmark process driving autocannon, the one process running the limit (driver and pool included),',
      'and the PostgreSQL backends connected to the database (SQLite works inside the process using it).',
      'With every CPU busy, requests/s go as the inverse of the _total_. _Busy_: CPU time ÷ wall time (one',
      'Node.js thread runs the JavaScript, so about 100% is the most a server can use).',
      '_Waited_: the time its JavaScript thread was ready to run but had no CPU (/proc/PID/schedstat).',
      '_Machine idle_: the idle share of all CPUs; near 0%, every CPU was busy.',
      '',
    );
    const profiled = measured.filter(([, entry]) => entry.scenarios.some((s) => s.profile));
    if (profiled.length > 0) {
      lines.push(
        `### Where the server's time goes (\`node --cpu-prof\`, ${settings.profileMs / 1000} s, \`--log-level warn\`)`,
        '',
        profileTable(profiled),
        '',
        'A separate run of the same build unbundled (`dist/cli/main.js`, so that Kysely and our code are',
        'told apart), after its warm-up; the self time of the samples taken under load, as a share of the',
        'non-idle samples. The profiler samples wall time: a thread descheduled inside a system call',
        '(typically `writev`, whose wake-up of the reader hands it the CPU) is counted there.',
        '',
      );
    }
  }
  const paged = entries.filter(([, entry]) => entry.paging);
  if (paged.length > 0) lines.push(...pagingSection(paged), '');
  lines.push('### Reading', '', ...reading(entries, results.bare), '');
  if (measured.length > 0) lines.push(...sqlSection(measured), '');
  const failures = entries.flatMap(([, entry]) => entry.failures);
  if (failures.length > 0) {
    lines.push('### Failures', '', ...failures.map((failure) => `- ${failure.split('\n')[0]}`), '');
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

function header(results, { commandLine, entries, measured }) {
  const { settings } = results;
  const machine = describeMachine();
  const versions = entries
    .map(([, entry]) => entry.version ?? `${entry.label}: ${entry.skipped}`)
    .join('; ');
  const pgPool = measured.find(([name]) => name === 'postgresql')?.[1].poolSize ?? 'n/a';
  const seconds = settings.durationMs / 1000;
  const rounds =
    settings.rounds > 1
      ? ` in ${settings.rounds} rounds of ${seconds / settings.rounds} s, the limit and the servers taking turns (order rotated each round)`
      : '';
  return [
    '## HTTP API',
    '',
    `Measured ${results.started.toISOString().slice(0, 16).replace('T', ' ')} UTC with:`,
    '',
    '```sh',
    commandLine,
    '```',
    '',
    `- **Machine:** ${machine.cpuCount} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}; Node.js ${machine.node}.`,
    `- **Databases:** ${versions} — on loopback; PostgreSQL gets a fresh database per run (\`bench_http_<hex>\`, dropped after), SQLite a temporary file (WAL).`,
    `- **Load average** (1 min) at the start and the end: ${results.loadBefore.toFixed(2)} and ${results.loadAfter.toFixed(2)}; ` +
      'autocannon, the server, the database server and any other work share the same CPUs.',
    `- **API:** \`node bin/dataregistry.js serve --db URL --port PORT --log-level warn\` (dev mode; no API key, so open on loopback), ` +
      `one server process per request kind and log level, loaded by autocannon 9 from the benchmark process with **${settings.connections} connections**.`,
    `- **Limit:** the same SQL (listed at the end) through the same driver and pool — Kysely over a \`pg\` pool of the server's default size ` +
      `(${pgPool}) on PostgreSQL, one better-sqlite3 connection opened by the server's own code (its pragmas and prepared-statement cache) on SQLite — from one Node.js process with ` +
      `${settings.connections} operations always in flight: no HTTP, no validation, no JSON.`,
    `- **Runs:** ${seconds} s each for the limit and every server${rounds}, after a 1.5 s warm-up each. ` +
      `The table holds ${settings.records.toLocaleString('en-US')} records bulk-loaded in SQL beforehand (POSTs add more); ` +
      '`GET /api/records/{id}` cycles through their ids, `GET /api/records?limit=100` reads the first page, ' +
      '`POST` sends `{"name": "<new name>", "description": "benchmark record", "metadata": {"source": "bench", "n": 1}}` ' +
      "with a new name per request (autocannon's `setupRequest`).",
    '- **Figures:** requests/s count 2xx answers only; latencies are per request (autocannon’s own timings) or per',
    '  operation, as nearest-rank percentiles.',
  ];
}

function warnRun(scenario) {
  return scenario.api.warn ?? Object.values(scenario.api)[0];
}

function mainTable(measured) {
  const rows = measured.flatMap(([, entry]) =>
    entry.scenarios.map((scenario) => {
      const api = warnRun(scenario);
      const share = api.perSecond / scenario.limit.perSecond;
      return [
        entry.label,
        scenario.label,
        perSecond(api),
        ms(api.p50),
        ms(api.p99),
        perSecond(scenario.limit),
        ms(scenario.limit.p50),
        ms(scenario.limit.p99),
        percent(share),
        `≥ ${percent(TARGET_SHARE)}`,
        share >= TARGET_SHARE && api.failures === 0 ? 'yes' : '**no**',
      ];
    }),
  );
  return markdownTable(
    [
      'database',
      'request',
      'API req/s',
      'API p50',
      'API p99',
      'limit ops/s',
      'limit p50',
      'limit p99',
      'API ÷ limit',
      'target',
      'met',
    ],
    rows,
    'llrrrrrrrll',
  );
}

function bareTable(bare, measured) {
  const rows = bare.map((run) => [
    run.label,
    `${run.bytes.toLocaleString('en-US')} B`,
    perSecond(run),
    ms(run.p50),
    ms(run.p99),
    us(run.cpuUsPerOp),
    ...measured.map(([, entry]) => {
      const scenario = entry.scenarios.find((s) => s.kind === run.kind);
      return scenario ? percent(run.perSecond / scenario.limit.perSecond) : '—';
    }),
  ]);
  return markdownTable(
    [
      'request',
      'answer',
      'bare req/s',
      'p50',
      'p99',
      'bare server CPU / req',
      ...measured.map(([, entry]) => `bare ÷ ${entry.label} limit`),
    ],
    rows,
    `lrrrrr${'r'.repeat(measured.length)}`,
  );
}

function infoTable(measured) {
  const rows = measured.flatMap(([, entry]) =>
    entry.scenarios
      .filter((scenario) => scenario.api.info && scenario.api.warn)
      .map((scenario) => {
        const { info, warn } = scenario.api;
        const share = info.perSecond / scenario.limit.perSecond;
        return [
          entry.label,
          scenario.label,
          perSecond(info),
          percent(info.perSecond / warn.perSecond),
          ms(info.p50),
          ms(info.p99),
          us(info.cpuUsPerOp),
          percent(share),
          share >= TARGET_SHARE && info.failures === 0 ? 'yes' : '**no**',
        ];
      }),
  );
  return markdownTable(
    [
      'database',
      'request',
      'req/s (info)',
      '÷ req/s (warn)',
      'p50',
      'p99',
      'server CPU / req',
      'API ÷ limit',
      `met (≥ ${percent(TARGET_SHARE)})`,
    ],
    rows,
    'llrrrrrrl',
  );
}

function cpuTable(measured) {
  const rows = measured.flatMap(([, entry]) =>
    entry.scenarios.map((scenario) => {
      const api = warnRun(scenario);
      const { limit } = scenario;
      return [
        entry.label,
        scenario.label,
        us(api.cpuUsPerOp),
        us(api.clientCpuUsPerOp),
        us(api.databaseCpuUsPerOp),
        us(apiCpu(api)),
        us(limit.cpuUsPerOp),
        us(limit.databaseCpuUsPerOp),
        us(limitCpu(limit)),
        `${percent(api.cpuShare)} / ${percent(api.waitShare)}`,
        `${percent(limit.cpuShare)} / ${percent(limit.waitShare)}`,
        `${percent(api.machineIdle)} / ${percent(limit.machineIdle)}`,
      ];
    }),
  );
  return markdownTable(
    [
      'database',
      'request',
      'API: server',
      '+ autocannon',
      '+ database',
      '= API total',
      'limit: process',
      '+ database',
      '= limit total',
      'server busy / waited',
      'limit busy / waited',
      'machine idle (API / limit)',
    ],
    rows,
    'llrrrrrrrrrr',
  );
}

/** CPU µs per request, all processes the API run needs (the database's on PostgreSQL only). */
function apiCpu(api) {
  return (
    (api.cpuUsPerOp ?? Number.NaN) +
    (api.clientCpuUsPerOp ?? Number.NaN) +
    (api.databaseCpuUsPerOp ?? 0)
  );
}

function limitCpu(limit) {
  return (limit.cpuUsPerOp ?? Number.NaN) + (limit.databaseCpuUsPerOp ?? 0);
}

function profileTable(profiled) {
  const rows = profiled.flatMap(([, entry]) =>
    entry.scenarios
      .filter((scenario) => scenario.profile)
      .map(({ label, profile }) => [
        entry.label,
        label,
        profile.groups
          .slice(0, 6)
          .map((group) => `${group.name} ${percent(group.share)}`)
          .join(', '),
        profile.functions
          .slice(0, 4)
          .map((fn) => `\`${fn.name}\` ${percent(fn.share)}`)
          .join(', '),
      ]),
  );
  return markdownTable(['database', 'request', 'self time by package', 'busiest functions'], rows);
}

/** Sentences drawn from the figures: each target met or missed, and what the CPU figures say. */
function reading(entries, bare) {
  const out = [];
  for (const [, entry] of entries) {
    if (entry.skipped) {
      out.push(`- **${entry.label}:** not measured, ${entry.skipped}.`);
      continue;
    }
    for (const scenario of entry.scenarios) out.push(scenarioReading(entry, scenario, bare));
    if (entry.paging) out.push(pagingReading(entry));
  }
  out.push(
    `- On ${describeMachine().cpuCount} CPUs, an API run puts autocannon, the server and the database server on the same`,
    '  cores, while the limit has only its own process beside the database server: the API pays for its',
    '  HTTP client too. Figures move by 10–20% from one run to the next on a shared machine, so a ratio',
    '  within a few points of the target is a tie.',
  );
  return out;
}

function scenarioReading(entry, scenario, bare) {
  const api = warnRun(scenario);
  const { limit } = scenario;
  const share = api.perSecond / limit.perSecond;
  const parts = [
    `- **${entry.label}, ${scenario.label}:** ${share >= TARGET_SHARE ? 'meets' : '**misses**'} the target at ` +
      `${percent(share)} of the limit (${perSecond(api)} vs ${perSecond(limit)}/s).`,
  ];
  const ceiling = bare.find((run) => run.kind === scenario.kind);
  if (ceiling) {
    const bareShare = ceiling.perSecond / limit.perSecond;
    parts.push(
      `A bare \`node:http\` server sending the same answer manages ${perSecond(ceiling)}/s, ${percent(bareShare)} of the limit` +
        (bareShare < TARGET_SHARE
          ? ' — itself below the target, so no HTTP server meets it here'
          : '') +
        `; the API reaches ${percent(api.perSecond / ceiling.perSecond)} of that ceiling.`,
    );
  }
  parts.push(...cpuReading(api, limit, ceiling));
  if (scenario.profile) {
    const top = scenario.profile.groups
      .slice(0, 3)
      .map((group) => `${group.name} ${percent(group.share)}`)
      .join(', ');
    parts.push(`Profile: ${top}.`);
  }
  const { info, warn } = scenario.api;
  if (info && warn) {
    parts.push(
      `Default \`info\` logging costs the server ${us(info.cpuUsPerOp - warn.cpuUsPerOp)} more CPU per request ` +
        `and gives ${percent(info.perSecond / warn.perSecond)} of the \`warn\` throughput, ${percent(info.perSecond / limit.perSecond)} of the limit.`,
    );
  }
  return parts.join(' ');
}

/** Where the CPU of a request goes, against a limit operation, and what bounds each side. */
function cpuReading(api, limit, ceiling) {
  const apiTotal = apiCpu(api);
  const limitTotal = limitCpu(limit);
  if (!Number.isFinite(apiTotal) || !Number.isFinite(limitTotal)) return [];
  const database = Number.isFinite(api.databaseCpuUsPerOp);
  const parts = [
    `CPU per request: server ${us(api.cpuUsPerOp)} + autocannon ${us(api.clientCpuUsPerOp)}` +
      (database ? ` + database ${us(api.databaseCpuUsPerOp)}` : '') +
      ` = ${us(apiTotal)}, against ${database ? `${us(limit.cpuUsPerOp)} + ${us(limit.databaseCpuUsPerOp)} = ` : ''}` +
      `${us(limitTotal)} per limit operation` +
      (api.machineIdle < 0.2 && limit.machineIdle < 0.2
        ? `; with the CPUs saturated that alone predicts ${percent(limitTotal / apiTotal)}.`
        : '.'),
  ];
  if (!database && limit.cpuShare >= 0.85) {
    // SQLite: the limit is one thread doing nothing but the query, so the server's one thread
    // can go at most as fast as the query plus everything else it does per request allows.
    parts.push(
      `The limit is one thread (busy ${percent(limit.cpuShare)} of the time), so a server with a core to itself ` +
        `would reach about ${us(limit.cpuUsPerOp)} ÷ ${us(api.cpuUsPerOp)} = ${percent(limit.cpuUsPerOp / api.cpuUsPerOp)} of it.`,
    );
  }
  parts.push(
    api.cpuShare >= 0.85
      ? `The server was busy ${percent(api.cpuShare)} of the time: CPU-bound on its one JavaScript thread.`
      : `The server was busy ${percent(api.cpuShare)} of the time and waited for a CPU ${percent(api.waitShare)} of it.`,
  );
  if (ceiling && Number.isFinite(ceiling.cpuUsPerOp)) {
    const own = api.cpuUsPerOp - limit.cpuUsPerOp - ceiling.cpuUsPerOp;
    parts.push(
      `Of the server's ${us(api.cpuUsPerOp)}, the query through the driver accounts for about ${us(limit.cpuUsPerOp)} and ` +
        `bare HTTP for ${us(ceiling.cpuUsPerOp)}: some ${us(own)} is Fastify, validation, the service, serialisation and their garbage.`,
    );
  }
  return parts;
}

function sqlSection(measured) {
  const lines = ['### The SQL of the limit (as Kysely compiles it; the server runs the same)', ''];
  for (const [, entry] of measured) {
    if (!entry.sql) continue;
    lines.push(`${entry.label}:`, '', '```sql');
    for (const [kind, statements] of Object.entries(entry.sql)) {
      lines.push(`-- ${kind}`, ...statements.map((statement) => `${statement};`));
    }
    lines.push('```', '');
  }
  return lines;
}

/** With `--baseline`: requests/s of ours and of the baseline build, round by round, interleaved. */
function baselineSection(results, measured) {
  const rows = measured.flatMap(([, entry]) =>
    entry.scenarios.flatMap((scenario) =>
      results.settings.logLevels.map((logLevel) => ({
        label: [entry.label, scenario.label, `\`${logLevel}\``],
        after: scenario.roundsPerSecond?.[logLevel] ?? [],
        before: scenario.roundsPerSecond?.[`${BEFORE}${logLevel}`] ?? [],
        higherIsBetter: true,
      })),
    ),
  );
  return [
    `### Before and after: the server against ${results.settings.baselineCommit ? `\`${results.settings.baselineCommit}\`` : `the build in ${results.settings.baselineRoot}`}, interleaved`,
    '',
    baselineTable({
      what: 'database,request,log level',
      unit: 'req/s',
      format: (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—'),
      rows,
    }),
    '',
    `Each side ran ${results.settings.rounds} rounds of ${results.settings.durationMs / results.settings.rounds / 1000} s, the order rotated from round to round;`,
    '“within noise”: the ranges of the rounds overlap, or the medians differ by under 5%.',
    '',
  ];
}
