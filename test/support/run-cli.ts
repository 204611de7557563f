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
