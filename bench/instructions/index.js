// Instructions per request, counted by valgrind's callgrind (not seconds: the count barely moves
// with the machine's load, where timings on a shared 2-core machine drift by ±20%). The server
// runs under callgrind on SQLite; N1 and then N2 requests of one kind are sent one at a time after
// the same warm-up, and the slope (count₂ − count₁) ÷ (N2 − N1) is the cost of one request with
// start-up, warm-up and exit cancelled out. With --baseline DIR the same for an earlier build,
// interleaved round by round. Needs valgrind.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../support/args.js';
import { baselineTable } from '../support/baseline.js';
import { runProcess } from '../support/processes.js';
import { cleanEnvironment, findFreePort, upgradeSchema } from '../http/server.js';

export const name = 'instructions';
export const heading = '## Instructions per request';
export const options = ['baseline', 'rounds', 'requests', 'only'];
export const flags = new Set();
export const usage = `instructions [--baseline DIR] [--rounds 3] [--requests 200,600] [--only TEXT]  (needs valgrind)`;

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const KINDS = {
  'POST /api/records': (port, i) => ({
    url: `http://127.0.0.1:${port}/api/records`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `r ${i}`, description: 'test description', metadata: { i } }),
    },
  }),
  'GET /api/records/{id}': (port) => ({ url: `http://127.0.0.1:${port}/api/records/1` }),
  'GET /api/records?limit=50': (port) => ({ url: `http://127.0.0.1:${port}/api/records?limit=50` }),
};

async function waitForHealth(port, child) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The callgrind total of one server run that answered `count` requests of `kind`. */
async function countInstructions(serverRoot, kind, count, work) {
  const databaseUrl = `sqlite:${path.join(work, `run-${count}.db`)}`;
  fs.rmSync(path.join(work, `run-${count}.db`), { force: true });
  upgradeSchema(serverRoot, databaseUrl);
  const port = await findFreePort();
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      'bin/dataregistry.js',
      'serve',
      '--db',
      databaseUrl,
      '--port',
      String(port),
      '--log-level',
      'warn',
    ],
    { cwd: serverRoot, env: cleanEnvironment(), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await waitForHealth(port, child);
  const send = async (i) => {
    const { url, init } = KINDS[kind](port, i);
    await (await fetch(url, init)).arrayBuffer();
  };
  for (let i = 0; i < 200; i += 1) await send(-1 - i); // the same warm-up in every run (and record 1)
  for (let i = 0; i < count; i += 1) await send(i);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  const total = Number(/Collected : (\d+)/.exec(stderr)?.[1]);
  if (!Number.isFinite(total))
    throw new Error(`callgrind printed no total:\n${stderr.slice(-500)}`);
  return total;
}

export async function run({ options, log, commandLine }) {
  if (spawnSync('valgrind', ['--version']).status !== 0)
    throw new UsageError('instructions: valgrind is not installed (apt-get install -y valgrind)');
  const rounds = Number(options.get('rounds') ?? '3');
  const [n1, n2] = String(options.get('requests') ?? '200,600')
    .split(',')
    .map(Number);
  if (!Number.isInteger(rounds) || rounds < 1 || !(n1 >= 0 && n2 > n1))
    throw new UsageError('instructions: --rounds N and --requests N1,N2 with N2 > N1');
  const baseline = options.get('baseline');
  // --only: the requests whose label contains TEXT, e.g. --only '{id}'.
  const only = options.get('only');
  const kinds = Object.keys(KINDS).filter((k) => only === undefined || k.includes(only));
  if (kinds.length === 0) throw new UsageError(`--only ${only}: no request matches`);
  const roots = { after: root, ...(baseline ? { before: path.resolve(baseline) } : {}) };
  // Read now: the builds measured are the ones at the start, whatever is committed meanwhile.
  const commit = (dir) => runProcess('git', ['-C', dir, 'log', '-1', '--format=%h']);
  const commits = { after: commit(root), before: baseline ? commit(roots.before) : '' };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-instructions-'));
  const samples = Object.fromEntries(kinds.map((k) => [k, { after: [], before: [] }]));
  try {
    for (let round = 1; round <= rounds; round += 1) {
      for (const kind of kinds) {
        for (const [side, serverRoot] of Object.entries(roots)) {
          const first = await countInstructions(serverRoot, kind, n1, work);
          const second = await countInstructions(serverRoot, kind, n2, work);
          const perRequest = (second - first) / (n2 - n1);
          samples[kind][side].push(perRequest);
          log(`round ${round} ${kind} ${side}: ${Math.round(perRequest / 1000)} k instructions`);
        }
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const format = (value) => `${(value / 1e6).toFixed(2)} M`;
  const lines = [
    heading,
    '',
    `Instructions per request on SQLite, one request at a time, counted by callgrind (slope between ${n1} and ${n2} requests after a 200-request warm-up; ${rounds} rounds${baseline ? `, before = ${commits.before} and after = ${commits.after} interleaved` : ''}). JIT and garbage collection make single rounds scatter; read the medians and ranges.`,
    '',
    `Command: \`${commandLine}\``,
    '',
  ];
  if (baseline) {
    lines.push(
      baselineTable({
        what: 'request',
        unit: 'instructions',
        format,
        rows: kinds.map((kind) => ({ label: [kind], ...samples[kind] })),
      }),
    );
  } else {
    lines.push('| request | instructions (median of rounds) |', '|:--|--:|');
    for (const kind of kinds) {
      const sorted = [...samples[kind].after].sort((a, b) => a - b);
      lines.push(`| ${kind} | ${format(sorted[Math.floor(sorted.length / 2)])} |`);
    }
  }
  return lines.join('\n');
}
