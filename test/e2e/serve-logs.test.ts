// What `dataregistry serve` writes on stdout: readable lines with `--log-format pretty`, and with
// `--log-format json` the JSON lines log shippers parse, in the shape they always had.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../support/run-cli.js';
import { startServe, type LogLine } from './serve-process.js';

const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function emptyFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'dr-serve-logs-'));
  folders.push(folder);
  return folder;
}

test('serve --log-format pretty writes readable lines, one per request with method, path, status and duration', async () => {
  const child = spawn(
    process.execPath,
    [cliPath, 'serve', '--port', '0', '--log-format', 'pretty'],
    {
      cwd: emptyFolder(),
    },
  );
  let stdout = '';
  const seen = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          child.stdout.off('data', check);
          resolve(match);
        }
      };
      child.stdout.on('data', check);
      child.once('exit', () => reject(new Error(`serve exited before ${pattern}:\n${stdout}`)));
      check();
    });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  try {
    const [, url] = await seen(/INFO: Server listening at (http:\/\/127\.0\.0\.1:\d+)\n/);
    assert.equal((await fetch(`${url!}/api/records?limit=2`)).status, 200);
    await seen(/INFO: GET \/api\/records\?limit=2 200 [\d.]+ m?s\n/);
  } finally {
    child.kill('SIGTERM');
  }
  await new Promise((resolve) => child.once('exit', resolve));
  const lines = stdout.split('\n').filter((line) => line !== '');
  for (const line of lines) {
    assert.match(
      line,
      /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] (INFO|WARN): \S/,
      'every line: time, level, message',
    );
  }
  assert.ok(!lines.some((line) => line.includes('incoming request')), stdout);
  assert.ok(
    lines.some((line) => /INFO: Stopped$/.test(line)),
    stdout,
  );
});

test('serve --log-format json writes the JSON lines of pino and Fastify, in their shape', async () => {
  const server = await startServe(['--port', '0', '--log-format', 'json'], { cwd: emptyFolder() });
  try {
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    const completed = await server.waitForLog(
      (line) => line.msg === 'request completed',
      'completing it',
    );
    const incoming = server.logs.find((line) => line.msg === 'incoming request')!;
    const keys = (line: LogLine) => Object.keys(line).sort();
    assert.deepEqual(keys(incoming), ['level', 'msg', 'pid', 'reqId', 'req', 'time'].sort());
    assert.deepEqual(Object.keys(incoming.req as object).sort(), [
      'host',
      'method',
      'remoteAddress',
      'remotePort',
      'url',
    ]);
    assert.deepEqual(
      keys(completed),
      ['level', 'msg', 'pid', 'reqId', 'res', 'responseTime', 'time'].sort(),
    );
    assert.deepEqual(completed.res, { statusCode: 200 });
    assert.equal(completed.reqId, incoming.reqId);
    assert.equal(completed.level, 30);
    assert.equal(typeof completed.time, 'number');
  } finally {
    await server.stop();
  }
});
