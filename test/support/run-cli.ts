// Runs the built CLI (bin/dataregistry.js → dist/) as a real process, as users run it.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../../bin/dataregistry.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  /** Called with all of stderr so far each time more arrives (to act on a progress line). */
  readonly onStderr?: (stderrSoFar: string) => void;
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [cliPath, ...args], options);
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...cleanEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The environment without the project's own variables, so the developer's shell cannot leak in,
 * and with a cache folder of this test process's own (the CLI caches revision headers there).
 */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('DATA_REGISTRY_')) env[key] = value;
  }
  env.XDG_CACHE_HOME = testCacheHome();
  return env;
}

let cacheHome: string | undefined;

function testCacheHome(): string {
  if (cacheHome === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'dataregistry-cli-cache-'));
    process.on('exit', () => rmSync(created, { recursive: true, force: true }));
    cacheHome = created;
  }
  return cacheHome;
}

/** A CLI process still running: its stderr lines as they arrive, and its end. */
export interface RunningCli {
  /** Resolves with the first stderr line (so far or to come) matching `pattern`; rejects if the process ends first. */
  waitForStderrLine(pattern: RegExp): Promise<string>;
  readonly done: Promise<CliResult>;
  /** Ends the process (SIGKILL) if it still runs: cleanup after a failed test. */
  kill(): void;
}

/** Starts the built CLI and returns at once, so that a test can act on what it prints. */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: {
    pattern: RegExp;
    resolve: (line: string) => void;
    reject: (e: Error) => void;
  }[] = [];
  const matchWaiters = () => {
    const lines = stderr.split('\n');
    for (const waiter of [...waiters]) {
      const line = lines.find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    matchWaiters();
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      matchWaiters();
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(
            `the process ended (exit ${code}) before printing ${waiter.pattern}:\n${stderr}`,
          ),
        );
      }
      resolve({ code, stdout, stderr });
    });
  });
  child.stdin.end(options.input ?? '');
  return {
    waitForStderrLine: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        matchWaiters();
      }),
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
