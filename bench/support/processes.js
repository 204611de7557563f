// Running a whole process and timing it from spawn to exit, as a user at a shell would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A process that exited non-zero (or could not start). */
export class ProcessError extends Error {
  constructor(command, result) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`
      .trim()
      .split('\n')
      .slice(-6)
      .join('\n');
    const how = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    super(`${command} failed (${how})${output ? `:\n${output}` : ''}`);
    this.result = result;
  }
}

/**
 * Run `command args…` to completion and return its wall-clock time in milliseconds.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, stdinFile?: string, timeoutMs?: number }} [options]
 * @returns {{ ms: number, stdout: string, stderr: string }}
 */
export function timeProcess(command, args, options = {}) {
  const stdin = options.stdinFile ? fs.openSync(options.stdinFile, 'r') : 'ignore';
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: [stdin, 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 256 * 2 ** 20,
      timeout: options.timeoutMs ?? 30 * 60_000,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.error || result.status !== 0) {
      throw new ProcessError([path.basename(command), ...args].join(' '), result);
    }
    return { ms, stdout: result.stdout, stderr: result.stderr };
  } finally {
    if (typeof stdin === 'number') fs.closeSync(stdin);
  }
}

/** Run a process untimed; returns trimmed stdout, or throws ProcessError. */
export function runProcess(command, args, options = {}) {
  return timeProcess(command, args, options).stdout.trim();
}

/** The absolute path of an executable on PATH, or undefined. */
export function findExecutable(name) {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
