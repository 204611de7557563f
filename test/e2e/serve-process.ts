// Runs `dataregistry serve` from the built CLI as a real process: its JSON log lines parsed, its
// address read from Fastify's "Server listening at" line, and a way to signal and await it.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cliPath } from '../support/run-cli.js';

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServeProcess {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** The log lines so far. */
  readonly logs: readonly LogLine[];
  stderr(): string;
  waitForLog(predicate: (line: LogLine) => boolean, what: string): Promise<LogLine>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** Sends the signal (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface ServeOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  /** Milliseconds to wait for the listening line; default 20000. */
  readonly timeoutMs?: number;
}

/** Starts `dataregistry serve <args>` and resolves once it listens; rejects if it exits first. */
export async function startServe(
  args: readonly string[],
  options: ServeOptions,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
    cwd: options.cwd,
    // No drain period unless a test asks for one: no balancer is watching /ready.
    env: { ...environmentWithoutOurs(), DATA_REGISTRY_DRAIN_PERIOD: '0', ...options.env },
  });
  const logs: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const text of lines) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const timeoutMs = options.timeoutMs ?? 20_000;

  const waitForLog = (predicate: (line: LogLine) => boolean, what: string) => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No log line ${what} within ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      waiters.push({ predicate, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      void exited.then((exit) => {
        clearTimeout(timer);
        reject(
          new Error(
            `serve exited (${exit.code ?? exit.signal}) before a log line ${what}; stderr: ${stderr}`,
          ),
        );
      });
    });
  };

  const listening = await waitForLog(
    (line) => /^Server listening at /.test(line.msg),
    'saying it listens',
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const url = /^Server listening at (\S+)$/.exec(listening.msg)![1]!.replace(/\/$/, '');
  return {
    url,
    child,
    logs,
    stderr: () => stderr,
    waitForLog,
    exited,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

/** The environment without DATA_REGISTRY_*, so the developer's shell cannot leak in. */
function environmentWithoutOurs(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('DATA_REGISTRY_')) env[key] = value;
  }
  return env;
}
