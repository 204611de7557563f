// `dataregistry serve`, `config` and `keys` through the built CLI, on SQLite (no database server).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { versionsDir } from '../support/registry-server.js';
import { runCli } from '../support/run-cli.js';
import { startServe, type ServeProcess } from './serve-process.js';

const folders: string[] = [];
const servers: ServeProcess[] = [];
after(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function packageRevisionCount(): number {
  return readdirSync(versionsDir).filter((name) => /\.(sql|js)$/.test(name)).length;
}

function emptyFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'dr-serve-'));
  folders.push(folder);
  return folder;
}

async function serve(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const server = await startServe(args, { cwd, env });
  servers.push(server);
  return server;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

test('with no configuration at all: creates ./data/dataregistry.db, upgrades it, and the README check returns 201', async () => {
  const cwd = emptyFolder();
  // Port 0 stands in for the default 5000, which another test run may hold; `config` shows 5000.
  const server = await serve(['--port', '0'], cwd);
  assert.ok(existsSync(join(cwd, 'data', 'dataregistry.db')));
  const messages = server.logs.map((line) => line.msg);
  assert.ok(
    messages.includes('Creating the SQLite database ./data/dataregistry.db'),
    messages.join('\n'),
  );
  // One line per revision of the package, the first three being records, datasets, API keys.
  const upgrades = messages.filter((msg) => msg.startsWith('Running upgrade '));
  assert.equal(upgrades.length, packageRevisionCount());
  assert.deepEqual(
    upgrades.slice(0, 3).map((msg) => /-> (\w+),/.exec(msg)?.[1]),
    ['3f9a1c2e7b40', '8c2d5e0f1a93', 'd4b7e61a05c8'],
  );
  assert.ok(
    messages.some((msg) =>
      msg.startsWith('No API key is configured: the API is open, so it listens on 127.0.0.1 only'),
    ),
  );
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  // requests.post('http://localhost:5000/api/records', json={"name": "test 13", "description": "test description"})
  const response = await post(server.url.replace('127.0.0.1', 'localhost'), {
    name: 'test 13',
    description: 'test description',
  });
  assert.equal(response.status, 201);
  const record = (await response.json()) as { name: string; description: string };
  assert.equal(record.name, 'test 13');
  assert.equal(record.description, 'test description');

  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  assert.ok(server.logs.some((line) => line.msg === 'Stopped'));

  const again = await serve(['--port', '0'], cwd);
  assert.ok(
    !again.logs.some((line) => line.msg.startsWith('Running upgrade')),
    'a second start has nothing to upgrade',
  );
  assert.deepEqual(await again.stop('SIGINT'), { code: 0, signal: null });
});

test('the default port is 5000 and the default host loopback, as `config` shows', async () => {
  const result = await runCli(['config', '--json'], { cwd: emptyFolder() });
  assert.equal(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as { name: string; value?: string; source?: string }[];
  const value = (name: string) => rows.find((row) => row.name === name);
  assert.deepEqual(value('DATA_REGISTRY_PORT'), {
    name: 'DATA_REGISTRY_PORT',
    flag: '--port',
    value: '5000',
    source: 'default',
  });
  assert.equal(value('DATA_REGISTRY_HOST')?.value, '127.0.0.1');
  assert.equal(value('DATA_REGISTRY_DB_CONNECTION')?.value, 'sqlite:./data/dataregistry.db');
});

test('prod without a database or API key refuses to start with one line naming both', async () => {
  const cwd = emptyFolder();
  const result = await runCli(['serve'], { cwd, env: { DATA_REGISTRY_ENV: 'prod' } });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'dataregistry: error: prod needs a database (--db, DATA_REGISTRY_DB_CONNECTION or DATA_REGISTRY_SECRET_ID) and an API key (DATA_REGISTRY_API_KEY, or `dataregistry keys create`); refusing to start.\n',
  );
  assert.ok(!existsSync(join(cwd, 'data')), 'prod creates no database of its own');
});

test('prod with a database but no API key refuses with one line, and does not migrate', async () => {
  const cwd = emptyFolder();
  const result = await runCli(['serve', '--env', 'prod', '--db', 'sqlite:prod.db'], { cwd });
  assert.equal(result.code, 2);
  const errorLines = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('dataregistry: error:'));
  assert.deepEqual(errorLines, [
    'dataregistry: error: prod needs an API key: set DATA_REGISTRY_API_KEY or create one with `dataregistry keys create --name NAME --scope admin`; refusing to start.',
  ]);
  const current = await runCli(['current', '--db', 'sqlite:prod.db'], { cwd });
  assert.equal(current.stdout, '', 'no revision was applied');
});

test('an invalid value is one line and exit status 2', async () => {
  const cwd = emptyFolder();
  const cases: [string[], Record<string, string>, string][] = [
    [
      ['serve'],
      { DATA_REGISTRY_PORT: 'five thousand' },
      'Invalid DATA_REGISTRY_PORT (environment) `five thousand`: give a whole number from 0 to 65535.',
    ],
    [['serve', '--env', 'staging'], {}, 'Invalid --env `staging`: give one of dev, prod.'],
    [
      ['config'],
      { DATA_REGISTRY_AWS_ENDPOINT: 'nope' },
      'Invalid DATA_REGISTRY_AWS_ENDPOINT (environment) `nope`: give an http:// or https:// URL, e.g. http://127.0.0.1:4566.',
    ],
  ];
  for (const [args, env, message] of cases) {
    const result = await runCli(args, { cwd, env });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, `dataregistry: error: ${message}\n`);
  }
  const url = await runCli(['serve', '--db', 'postgresql://app:pw@db:notaport/x'], { cwd });
  assert.equal(url.code, 2);
  assert.match(
    url.stderr,
    /^dataregistry: error: --db: Database URL `postgresql:\/\/app:\*\*\*@db:notaport\/x` /,
  );
  assert.equal(url.stderr.split('\n').length, 2);
});

test('without a key, a non-loopback --host needs --insecure', async () => {
  const cwd = emptyFolder();
  const refused = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd });
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /^dataregistry: error: No API key is configured, so the API would be open to anyone who can reach 0\.0\.0\.0: .* or pass --insecure\.\n$/,
  );
  const server = await serve(['--host', '0.0.0.0', '--port', '0', '--insecure'], cwd);
  assert.ok(
    server.logs.some((line) => line.msg.includes('--insecure is given: the API is open to anyone')),
  );
  assert.equal((await server.stop()).code, 0);
});

test('`config` masks the database password and the API key and says where each value came from', async () => {
  const cwd = emptyFolder();
  const result = await runCli(
    ['config', '--db', 'postgresql://app:db-s3cret@db.internal/registry', '--port', '8080'],
    {
      cwd,
      env: { DATA_REGISTRY_API_KEY: 'admin-key-s3cret-0123', DATA_REGISTRY_ENV: 'prod' },
    },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.ok(
    !result.stdout.includes('db-s3cret') && !result.stdout.includes('admin-key-s3cret'),
    result.stdout,
  );
  const lines = result.stdout.trimEnd().split('\n');
  const line = (name: string) => lines.find((text) => text.startsWith(`${name} `))?.split(/\s{2,}/);
  assert.deepEqual(line('DATA_REGISTRY_ENV'), ['DATA_REGISTRY_ENV', 'prod', 'env']);
  assert.deepEqual(line('DATA_REGISTRY_DB_CONNECTION'), [
    'DATA_REGISTRY_DB_CONNECTION',
    'postgresql://app:***@db.internal/registry',
    'flag',
  ]);
  assert.deepEqual(line('DATA_REGISTRY_API_KEY'), ['DATA_REGISTRY_API_KEY', '***', 'env']);
  assert.deepEqual(line('DATA_REGISTRY_PORT'), ['DATA_REGISTRY_PORT', '8080', 'flag']);
  assert.deepEqual(line('DATA_REGISTRY_HOST'), ['DATA_REGISTRY_HOST', '0.0.0.0', 'default']);
});

test('keys create prints the token once; the server accepts it; after keys revoke it answers 401', async () => {
  const cwd = emptyFolder();
  const db = ['--db', `sqlite:${join(cwd, 'keys.db')}`];
  assert.equal((await runCli(['upgrade', 'head', ...db], { cwd })).code, 0);
  const created = await runCli(['keys', 'create', '--name', 'ci', '--scope', 'write', ...db], {
    cwd,
  });
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  assert.match(token, /^drk_[A-Za-z0-9_-]{43}$/);
  assert.match(created.stderr, /Created API key `ci` \(scope write\)\. Store the token now/);

  const server = await serve([...db, '--port', '0'], cwd);
  assert.ok(!server.logs.some((line) => line.msg.startsWith('No API key is configured')));
  assert.equal((await post(server.url, { name: 'no key' })).status, 401);
  assert.equal((await post(server.url, { name: 'with key' }, { access_token: token })).status, 201);
  assert.equal(
    (await post(server.url, { name: 'bearer' }, { authorization: `Bearer ${token}` })).status,
    201,
  );

  const listed = await runCli(['keys', 'list', ...db], { cwd });
  assert.equal(listed.code, 0, listed.stderr);
  const [header, row] = listed.stdout.trimEnd().split('\n');
  assert.match(header!, /^NAME +SCOPE +CREATED +LAST USED +REVOKED$/);
  assert.match(row!, /^ci +write +\d{4}-\d\d-\d\dT[\d:.]+Z +\d{4}-\d\d-\d\dT[\d:.]+Z +-$/);
  assert.ok(!listed.stdout.includes(token.slice(4)));

  const duplicate = await runCli(['keys', 'create', '--name', 'ci', '--scope', 'read', ...db], {
    cwd,
  });
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /^dataregistry: error: An API key named `ci` already exists/);

  const revoked = await runCli(['keys', 'revoke', 'ci', ...db], { cwd });
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stderr, /Revoked API key `ci`/);
  // Revocation reaches a running server within its cache time (5 s); poll rather than sleep.
  const deadline = Date.now() + 20_000;
  let status = 0;
  while (Date.now() < deadline) {
    status = (
      await post(server.url, { name: `after revoke ${Date.now()}` }, { access_token: token })
    ).status;
    if (status === 401) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(status, 401);
  const list = JSON.parse((await runCli(['keys', 'list', '--json', ...db], { cwd })).stdout) as {
    revoked_at: string | null;
  }[];
  assert.match(list[0]!.revoked_at ?? '', /Z$/);
  const unknown = await runCli(['keys', 'revoke', 'nope', ...db], { cwd });
  assert.equal(unknown.code, 1);
  assert.equal((await server.stop()).code, 0);
});

test('DATA_REGISTRY_API_KEY alone protects the API with admin scope', async () => {
  const cwd = emptyFolder();
  const key = 'static-admin-key-0123456789';
  const server = await serve(['--port', '0'], cwd, { DATA_REGISTRY_API_KEY: key });
  assert.equal((await post(server.url, { name: 'x' })).status, 401);
  assert.equal((await post(server.url, { name: 'x' }, { access_token: `${key}!` })).status, 401);
  assert.equal((await post(server.url, { name: 'x' }, { access_token: key })).status, 201);
  assert.equal((await server.stop()).code, 0);
});

test('SIGTERM during a request: the request finishes with 201, then the process exits 0', async () => {
  const cwd = emptyFolder();
  const server = await serve(['--port', '0'], cwd);
  const body = JSON.stringify({ name: 'in flight', description: 'sent in two halves' });
  const { hostname, port } = new URL(server.url);
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: hostname,
        port,
        method: 'POST',
        path: '/api/records',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.write(body.slice(0, 10));
    // The rest of the body follows once the server is stopping.
    void server
      .waitForLog((line) => line.msg.startsWith('Stopping'), 'saying it stops')
      .then(() => request.end(body.slice(10)), reject);
  });
  await server.waitForLog((line) => line.msg === 'incoming request', 'about the request');
  server.child.kill('SIGTERM');
  const { status, body: text } = await response;
  assert.equal(status, 201, text);
  assert.equal((JSON.parse(text) as { name: string }).name, 'in flight');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});

test('SIGTERM with a drain period: /ready answers 503 SHUTTING_DOWN, other routes still serve with Connection: close, then exit 0', async () => {
  const cwd = emptyFolder();
  // A drain longer than the test needs: the second signal ends it, as an impatient operator would.
  const server = await serve(['--port', '0', '--drain-period', '60s'], cwd);
  assert.equal((await fetch(`${server.url}/ready`)).status, 200);
  server.child.kill('SIGTERM');
  await server.waitForLog((line) => line.msg.startsWith('Draining for 60 s'), 'saying it drains');
  const ready = await fetch(`${server.url}/ready`);
  assert.equal(ready.status, 503);
  assert.deepEqual(
    ((await ready.json()) as { error: { code: string } }).error.code,
    'SHUTTING_DOWN',
  );
  const created = await post(server.url, { name: 'during the drain' });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('connection'), 'close');
  const listed = await fetch(`${server.url}/api/records`);
  assert.equal(listed.status, 200);
  assert.equal(listed.headers.get('connection'), 'close');
  server.child.kill('SIGTERM');
  assert.deepEqual(await server.exited, { code: 1, signal: null }, 'a second signal exits at once');
  assert.ok(server.logs.some((line) => line.msg === 'Second signal while stopping: exiting now'));
});

test('a request still in flight when the grace period ends is cut, counted in the log, and the process exits 0', async () => {
  const cwd = emptyFolder();
  const server = await serve(['--port', '0', '--grace-period', '1s'], cwd);
  const { hostname, port } = new URL(server.url);
  const request = httpRequest({
    host: hostname,
    port,
    method: 'POST',
    path: '/api/records',
    headers: { 'content-type': 'application/json', 'content-length': 100 },
  });
  const outcome = new Promise<string>((resolve) => {
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.on('response', (res) => resolve(String(res.statusCode)));
  });
  // Half a body that never gets its second half.
  request.write('{"name": "never fin');
  await server.waitForLog((line) => line.msg === 'incoming request', 'about the request');
  server.child.kill('SIGTERM');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  const forced = server.logs.find((line) => line.msg.startsWith('Grace period over'));
  assert.ok(forced, server.logs.map((line) => line.msg).join('\n'));
  assert.equal(forced.forcedConnections, 1);
  assert.equal(await outcome, 'ECONNRESET');
});

test('prod never migrates, and serves a database behind the code with a warning', async () => {
  const cwd = emptyFolder();
  const db = ['--db', `sqlite:${join(cwd, 'behind.db')}`];
  assert.equal((await runCli(['upgrade', 'head', ...db], { cwd })).code, 0);
  assert.equal((await runCli(['downgrade', '-1', ...db], { cwd })).code, 0);
  const before = (await runCli(['current', ...db], { cwd })).stdout;
  const env = { DATA_REGISTRY_ENV: 'prod', DATA_REGISTRY_API_KEY: 'static-admin-key-0123456789' };
  const server = await serve([...db, '--port', '0'], cwd, env);
  const warning = server.logs.find((line) => line.msg.includes('is behind the code'));
  assert.ok(warning, server.logs.map((line) => line.msg).join('\n'));
  assert.equal(warning.level, 40);
  assert.ok(!server.logs.some((line) => line.msg.startsWith('Running upgrade')));
  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
  assert.equal((await server.stop()).code, 0);
  assert.equal((await runCli(['current', ...db], { cwd })).stdout, before, 'still where it was');
});

test('prod serves a database ahead of the code (a newer version migrated it) with a warning', async () => {
  const cwd = emptyFolder();
  const newer = join(cwd, 'newer-versions');
  cpSync(versionsDir, newer, { recursive: true });
  const made = await runCli(['revision', '-m', 'add records owner', '--dir', newer], { cwd });
  assert.equal(made.code, 0, made.stderr);
  const path = made.stdout.trim();
  writeFileSync(
    path,
    readFileSync(path, 'utf8')
      .replace(
        '-- migrate:upgrade\n',
        '-- migrate:upgrade\nALTER TABLE records ADD COLUMN owner varchar(100);\n',
      )
      .replace(
        /-- migrate:downgrade\n/,
        '-- migrate:downgrade\nALTER TABLE records DROP COLUMN owner;\n',
      ),
  );
  const db = ['--db', `sqlite:${join(cwd, 'ahead.db')}`];
  const up = await runCli(['upgrade', 'head', ...db, '--dir', newer], { cwd });
  assert.equal(up.code, 0, up.stderr);

  const env = { DATA_REGISTRY_ENV: 'prod', DATA_REGISTRY_API_KEY: 'static-admin-key-0123456789' };
  const server = await serve([...db, '--port', '0'], cwd, env);
  const warning = server.logs.find((line) =>
    line.msg.startsWith('The database is ahead of this code'),
  );
  assert.ok(warning, server.logs.map((line) => line.msg).join('\n'));
  const created = await post(
    server.url,
    { name: 'old server, new schema' },
    { access_token: env.DATA_REGISTRY_API_KEY },
  );
  assert.equal(created.status, 201, 'the old code works against the added column');
  assert.equal((await server.stop()).code, 0);
});

test('a port already in use is one line naming it, exit status 2', async () => {
  const { createServer } = await import('node:net');
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as { port: number };
  try {
    const result = await runCli(['serve', '--port', String(port)], { cwd: emptyFolder() });
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('dataregistry:'));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0]!,
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: another process uses that port`),
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  } finally {
    holder.close();
  }
});
