// The real server as a separate process: `node bin/dataregistry.js serve --db URL --port PORT`,
// started on a free loopback port, waited for (GET /health), and stopped with SIGTERM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../support/processes.js';

/** A port nobody listens on right now (the kernel's choice for port 0). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The environment without DATA_REGISTRY_* settings, so that only the command line configures. */
export function cleanEnvironment() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('DATA_REGISTRY_')),
  );
}

/** `dataregistry upgrade head` on the database (untimed), so that the tables exist before loading. */
export function upgradeSchema(root, databaseUrl) {
  runProcess(process.execPath, ['bin/dataregistry.js', 'upgrade', 'head', '--db', databaseUrl], {
    cwd: root,
    env: cleanEnvironment(),
    timeoutMs: 120_000,
  });
}

/** The pool size a server started with `--db url` and no other setting uses (`config --json`). */
export function defaultPoolSize(root, databaseUrl) {
  const settings = JSON.parse(
    runProcess(process.execPath, ['bin/dataregistry.js', 'config', '--json', '--db', databaseUrl], {
      cwd: root,
      env: cleanEnvironment(),
    }),
  );
  const value = Number(settings.find((s) => s.name === 'DATA_REGISTRY_DB_POOL_SIZE')?.value);
  if (!Number.isInteger(value) || value < 1)
    throw new Error('`dataregistry config --json` reports no DATA_REGISTRY_DB_POOL_SIZE');
  return value;
}

/**
 * Starts `serve` and resolves once /health answers 200. `entry` is the script, relative to the
 * root: bin/dataregistry.js (what users run), or dist/cli/main.js (the same build unbundled, so
 * that a CPU profile tells Kysely from our code).
 * @param {{ root: string, databaseUrl: string, logLevel: string, logFile: string,
 *   entry?: string, cpuProfileDir?: string }} options
 */
export function startServer({
  root,
  databaseUrl,
  logLevel,
  logFile,
  entry = 'bin/dataregistry.js',
  cpuProfileDir,
}) {
  const nodeArgs = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
  return startListeningProcess({
    root,
    logFile,
    args: (port) => [
      ...nodeArgs,
      path.join(root, entry),
      'serve',
      '--db',
      databaseUrl,
      '--port',
      String(port),
      '--log-level',
      logLevel,
    ],
  });
}

/** Starts bare-server.js: every request answered with `status` and the bytes of `bodyFile`. */
export function startBareServer({ root, logFile, status, bodyFile }) {
  const script = fileURLToPath(new URL('./bare-server.js', import.meta.url));
  return startListeningProcess({
    root,
    logFile,
    args: (port) => [script, String(port), String(status), bodyFile],
  });
}

/** Spawns `node args(port)` on a free port and resolves once GET /health answers 2xx. */
async function startListeningProcess({ root, logFile, args }) {
  const port = await findFreePort();
  // The log goes to a file, as it would to a log collector: the benchmark process (which also
  // runs autocannon) must not spend its CPU reading the server's output.
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args(port), {
    cwd: root,
    env: cleanEnvironment(),
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const server = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    exited,
    /** SIGTERM, then SIGKILL after 15 s; resolves when the process is gone. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitForHealth(server.url, exited, logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealth(url, exited, logFile) {
  let gone;
  void exited.then((status) => (gone = status));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone) {
      const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      throw new Error(`the server exited (${gone.code ?? gone.signal}) before answering:\n${tail}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer ${url}/health within 60 s`);
}
