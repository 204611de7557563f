// An upload stopped by killing the server leaves a temporary file in the local store; `purge
// --orphans` sweeps it once old enough, and so does the next `serve` at start. Built CLI, SQLite, local store.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '../support/run-cli.js';
import { startServe, type ServeProcess } from './serve-process.js';

const folders: string[] = [];
const servers: ServeProcess[] = [];
after(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function temporaryFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    if (!existsSync(current)) return;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.tmp')) found.push(relative(folder, path));
    }
  };
  walk(folder);
  return found.sort();
}

/**
 * Starts a server in `cwd`, begins a 10 MiB upload, and kills the server once 1 MiB is in its
 * temporary file; resolves to that file's path under `files`.
 */
async function killMidUpload(cwd: string, files: string): Promise<string> {
  const before = new Set(temporaryFilesUnder(files));
  const newFiles = () => temporaryFilesUnder(files).filter((path) => !before.has(path));
  const server = await startServe(['--port', '0'], { cwd });
  servers.push(server);
  const created = await fetch(`${server.url}/api/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `killed ${Date.now()}` }),
  });
  const { id } = (await created.json()) as { id: string };
  const upload = httpRequest(`${server.url}/api/records/${id}/files/big.bin`, {
    method: 'PUT',
    headers: { 'content-length': String(10 * 1024 * 1024) },
  });
  upload.on('error', () => undefined); // the server goes away mid-body
  upload.write(Buffer.alloc(1024 * 1024, 1));
  while (newFiles().every((path) => statSync(join(files, path)).size === 0)) await sleep(50);
  await server.stop('SIGKILL');
  upload.destroy();
  const left = newFiles();
  assert.equal(left.length, 1, left.join('\n'));
  return left[0]!;
}

function backdate(path: string, hours: number): void {
  const time = new Date(Date.now() - hours * 3_600_000);
  utimesSync(path, time, time);
}

test('purge --orphans sweeps the temporary file of an upload the killed server left, once older than --older-than', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dr-stopped-'));
  folders.push(cwd);
  const files = join(cwd, 'data', 'files');
  const leftover = await killMidUpload(cwd, files);
  const purge = (...args: string[]) =>
    runCli(
      ['purge', '--orphans', '--db', `sqlite:${join(cwd, 'data', 'dataregistry.db')}`, ...args],
      { cwd },
    );

  const fresh = await purge('--older-than', '1h');
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.deepEqual(
    temporaryFilesUnder(files),
    [leftover],
    'a recent one may be an upload in flight',
  );

  backdate(join(files, leftover), 2);
  const dry = await purge('--older-than', '1h', '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    /^would remove temporary file .*\.tmp \(\d+ bytes; an upload that stopped/m,
  );
  assert.match(dry.stderr, /1 temporary file/);
  assert.deepEqual(temporaryFilesUnder(files), [leftover]);
  const swept = await purge('--older-than', '1h');
  assert.equal(swept.code, 0, swept.stderr);
  assert.match(swept.stdout, /^removed temporary file /m);
  assert.deepEqual(temporaryFilesUnder(files), []);
});

test('serve sweeps, at start, temporary files not written for an hour, and keeps recent ones', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dr-stopped-'));
  folders.push(cwd);
  const files = join(cwd, 'data', 'files');
  const stale = await killMidUpload(cwd, files);
  const recent = await killMidUpload(cwd, files);
  assert.deepEqual(temporaryFilesUnder(files), [stale, recent].sort());
  backdate(join(files, stale), 2);

  const server = await startServe(['--port', '0'], { cwd });
  servers.push(server);
  await server.waitForLog(
    (line) => /Removed 1 temporary files of stopped uploads/.test(line.msg),
    'the sweep at start',
  );
  assert.deepEqual(temporaryFilesUnder(files), [recent]);
  await server.stop();
});
