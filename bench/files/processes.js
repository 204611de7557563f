// The processes of the files benchmark: the registry server (`serve` with storage settings in its
// environment), s3rver and the bare file server, each its own process; curl and dd, timed from
// spawn to exit; and the server's memory, sampled from /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnvironment, findFreePort } from '../http/server.js';

/** A spawned process's exit, with its stdout and stderr (kept to their last 64 KiB). */
function collect(child) {
  let stdout = '';
  let stderr = '';
  const keep = (text, chunk) => (text + chunk).slice(-65536);
  child.stdout?.on('data', (chunk) => (stdout = keep(stdout, chunk)));
  child.stderr?.on('data', (chunk) => (stderr = keep(stderr, chunk)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `command args` to its end; resolves with its wall time (ms) and output, or rejects. */
export async function timeCommand(command, args, { env, cwd } = {}) {
  const started = performance.now();
  const child = spawn(command, args, {
    env: env ?? process.env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const result = await collect(child);
  const ms = performance.now() - started;
  if (result.code !== 0) {
    const output = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${output}`,
    );
  }
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Peak memory of a process while `work` runs: VmRSS sampled every `intervalMs`, and VmHWM (the
 * kernel's own high-water mark since the process started) at the end.
 */
export async function watchMemory(pid, work, intervalMs = 50) {
  let peakRss = readStatus(pid).rss ?? 0;
  const timer = setInterval(() => {
    const { rss } = readStatus(pid);
    if (rss !== undefined && rss > peakRss) peakRss = rss;
  }, intervalMs);
  try {
    const result = await work();
    const { rss, hwm } = readStatus(pid);
    if (rss !== undefined && rss > peakRss) peakRss = rss;
    return { result, peakRss, hwm };
  } finally {
    clearInterval(timer);
  }
}

/** VmRSS and VmHWM of a process, in bytes (undefined once it is gone, or off Linux). */
export function readStatus(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return {};
  }
}

/**
 * Spawns `node args(port)` on a free loopback port with `env`; resolves once GET /health answers
 * 2xx. The output goes to `logFile`.
 */
export async function startHttpProcess({ root, logFile, args, env }) {
  const port = await findFreePort();
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args(port), {
    cwd: root,
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const server = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () => stopChild(child, exited),
  };
  let gone;
  void exited.then((status) => (gone = status));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) {
      const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      throw new Error(`${args(port).join(' ')} exited (${gone.code ?? gone.signal}):\n${tail}`);
    }
    try {
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${server.url}/health did not answer within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, then SIGKILL after 15 s; resolves when the process is gone. */
async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** `dataregistry serve` with the storage settings `storageEnv` (the only DATA_REGISTRY_* set). */
export function startRegistry({ root, databaseUrl, storageEnv, logFile }) {
  return startHttpProcess({
    root,
    logFile,
    env: { ...cleanEnvironment(), ...storageEnv },
    args: (port) => [
      path.join(root, 'bin', 'dataregistry.js'),
      'serve',
      '--db',
      databaseUrl,
      '--port',
      String(port),
      '--log-level',
      'warn',
    ],
  });
}

/** file-server.js: every request answered with the bytes of `file`. */
export function startFileServer({ root, file, logFile }) {
  const script = fileURLToPath(new URL('./file-server.js', import.meta.url));
  return startHttpProcess({
    root,
    logFile,
    env: cleanEnvironment(),
    args: (port) => [script, String(port), file],
  });
}

/**
 * s3rver-process.js with one bucket, its objects under `directory` (removed on stop).
 * @returns {Promise<{ endpoint: string, helper: string, pid: number, stop(): Promise<void> }>}
 */
export async function startS3rver({ root, bucket, directory }) {
  fs.mkdirSync(directory, { recursive: true });
  const script = fileURLToPath(new URL('./s3rver-process.js', import.meta.url));
  const child = spawn(process.execPath, [script, root, bucket], {
    cwd: root,
    env: { ...cleanEnvironment(), TMPDIR: directory },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8192)));
  const line = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('s3rver did not start within 60 s')), 60_000);
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end !== -1) {
        clearTimeout(timer);
        resolve(buffer.slice(0, end));
      }
    });
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${status.code ?? status.signal}): ${stderr.trim()}`));
    });
  });
  const { endpoint, helper } = JSON.parse(line);
  return {
    endpoint,
    helper,
    pid: child.pid,
    async stop() {
      await stopChild(child, exited);
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
