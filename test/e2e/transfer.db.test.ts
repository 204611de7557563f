import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { openS3ObjectStore } from '../../src/storage/s3-object-store.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import {
  openTestStore,
  storeKinds,
  testPartSize,
  type TestStore,
} from '../support/object-stores.js';
import {
  request,
  startRegistryServer,
  verifierOf,
  type RegistryServer,
} from '../support/registry-server.js';
import { cliPath, runCli, type CliResult } from '../support/run-cli.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import { startPartProxy, type PartProxy } from './transfer-part-proxy.js';

const mebibyte = 1024 * 1024;
const adminKey = 'transfer-test-admin-key-0123';
const readKey = 'transfer-test-read-key-01234';
const verifier = verifierOf({ [adminKey]: 'admin', [readKey]: 'read' });

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function cli(server: RegistryServer, args: string[], key = adminKey): Promise<CliResult> {
  return runCli([...args, '--url', server.url], { env: { DATA_REGISTRY_API_KEY: key } });
}

/** stderr holds exactly one line, the error, and it matches `pattern`. */
function assertOneErrorLine(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^dataregistry: error: /);
  assert.match(lines[0]!, pattern);
}

let folder: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dr-transfer-'));
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A file of random bytes in the test folder. */
async function sourceFile(name: string, size: number): Promise<{ path: string; bytes: Buffer }> {
  const directory = await mkdtemp(join(folder, 'src-'));
  const bytes = randomBytes(size);
  const path = join(directory, name);
  await writeFile(path, bytes);
  return { path, bytes };
}

let recordCount = 0;
async function newRecord(server: RegistryServer): Promise<{ id: string; name: string }> {
  const name = `transfer record ${recordCount++}`;
  const response = await request(server, 'POST', '/api/records', {
    body: { name },
    headers: { authorization: `Bearer ${adminKey}` },
  });
  assert.equal(response.status, 201);
  return { id: response.body.id, name };
}

forEachDialect('upload and download with the CLI', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let server: RegistryServer;
      let testStore: TestStore;
      before(async () => {
        testStore = await openTestStore(kind);
        server = await startRegistryServer({
          databaseUrl: await ctx.freshDatabaseUrl(),
          objectStore: testStore.store,
          verifier,
        });
      });
      after(async () => {
        await server?.close();
        await testStore?.close();
      });

      test('uploads a file larger than the part size by record name and downloads the same bytes with -o', async () => {
        const record = await newRecord(server);
        const { path, bytes } = await sourceFile('big.bin', 12 * mebibyte + 12_345);
        const upload = await cli(server, ['upload', record.name, path]);
        assert.equal(upload.code, 0, upload.stderr);
        assert.equal(upload.stdout, `${sha256(bytes)}  big.bin\n`);
        assert.match(upload.stderr, /SHA-256 verified/);
        assert.equal(/directly to the store/.test(upload.stderr), kind === 's3', upload.stderr);
        assert.equal(existsSync(join(path, '..', '.big.bin.dataregistry-upload.json')), false);

        const output = join(folder, `download-${kind}-${ctx.dialect}.bin`);
        const download = await cli(server, ['download', record.name, 'big.bin', '-o', output]);
        assert.equal(download.code, 0, download.stderr);
        assert.equal(download.stdout, `${output}\n`);
        assert.equal(sha256(await readFile(output)), sha256(bytes));
      });

      test('takes the record by id, several paths at once, and downloads into a folder given to -o', async () => {
        const record = await newRecord(server);
        const first = await sourceFile('a.csv', 1000);
        const second = await sourceFile('empty.txt', 0);
        const upload = await cli(server, ['upload', record.id, first.path, second.path]);
        assert.equal(upload.code, 0, upload.stderr);
        assert.equal(
          upload.stdout,
          `${sha256(first.bytes)}  a.csv\n${sha256(second.bytes)}  empty.txt\n`,
        );
        const listed = await request(server, 'GET', `/api/records/${record.id}/files`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        assert.deepEqual(
          listed.body.items.map((file) => [file.name, file.size, file.content_type]),
          [
            ['a.csv', 1000, 'text/csv'],
            ['empty.txt', 0, 'text/plain'],
          ],
        );

        const into = join(folder, `into-${kind}-${ctx.dialect}`);
        await mkdir(into);
        const download = await cli(server, ['download', record.id, 'a.csv', '-o', into]);
        assert.equal(download.code, 0, download.stderr);
        assert.deepEqual(await readdir(into), ['a.csv']); // no temporary file left beside it
        assert.deepEqual(await readFile(join(into, 'a.csv')), first.bytes);
      });

      test('says which version an upload over an existing name created; --no-overwrite refuses in one line and keeps nothing', async () => {
        const record = await newRecord(server);
        const first = await sourceFile('series.bin', 7 * mebibyte);
        assert.equal((await cli(server, ['upload', record.id, first.path])).code, 0);
        const second = await sourceFile('series.bin', 6 * mebibyte + 1);
        const again = await cli(server, ['upload', record.id, second.path]);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stderr, /as `series.bin`, version 2 \(the earlier versions are kept/);
        const before = await testStore.listEverything();
        const third = await sourceFile('series.bin', 6 * mebibyte + 2);
        const refused = await cli(server, ['upload', record.id, third.path, '--no-overwrite']);
        assert.equal(refused.code, 1, refused.stderr);
        // The progress line of the bytes sent before the answer came, then the error.
        const errorLines = refused.stderr.split('\n').filter((line) => !line.startsWith('upload '));
        assert.equal(errorLines.filter((line) => line !== '').length, 1, refused.stderr);
        assertOneErrorLine(
          { ...refused, stderr: errorLines.join('\n') },
          /"series.bin" already exists \(version 2\)/,
        );
        assert.equal(refused.stdout, '');
        assert.deepEqual(await testStore.listEverything(), before);
        assert.deepEqual(await testStore.listUnfinishedUploads(), []);
        assert.equal(
          existsSync(join(third.path, '..', '.series.bin.dataregistry-upload.json')),
          false,
        );
        const fresh = await sourceFile('fresh.bin', 1000);
        const created = await cli(server, ['upload', record.id, fresh.path, '--no-overwrite']);
        assert.equal(created.code, 0, created.stderr);
        const output = join(folder, `series-${kind}-${ctx.dialect}.bin`);
        const download = await cli(server, ['download', record.id, 'series.bin', '-o', output]);
        assert.equal(download.code, 0, download.stderr);
        assert.equal(sha256(await readFile(output)), sha256(second.bytes));
      });

      test("--dataset uploads to and downloads from a dataset's files, and refuses a dataset of another record", async () => {
        const record = await newRecord(server);
        const dataset = await request(server, 'POST', `/api/records/${record.id}/datasets`, {
          body: { name: 'raw', data_type: 'csv' },
          headers: { authorization: `Bearer ${adminKey}` },
        });
        assert.equal(dataset.status, 201);
        const { path, bytes } = await sourceFile('part.bin', 6 * mebibyte + 5);
        const upload = await cli(server, ['upload', record.id, path, '--dataset', dataset.body.id]);
        assert.equal(upload.code, 0, upload.stderr);
        assert.match(upload.stderr, /to dataset `raw` \(\d+\) of record/);
        const listed = await request(server, 'GET', `/api/datasets/${dataset.body.id}/files`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        assert.deepEqual(
          listed.body.items.map((item) => item.name),
          ['part.bin'],
        );
        const own = await request(server, 'GET', `/api/records/${record.id}/files`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        assert.deepEqual(own.body.items, [], "the record's own files are apart");
        const output = join(folder, `dataset-${kind}-${ctx.dialect}.bin`);
        const download = await cli(server, [
          'download',
          record.id,
          'part.bin',
          '--dataset',
          dataset.body.id,
          '-o',
          output,
        ]);
        assert.equal(download.code, 0, download.stderr);
        assert.equal(sha256(await readFile(output)), sha256(bytes));
        const other = await newRecord(server);
        const wrong = await cli(server, ['upload', other.id, path, '--dataset', dataset.body.id]);
        assert.equal(wrong.code, 1, wrong.stderr);
        assertOneErrorLine(wrong, /belongs to record \d+, not to record/);
      });

      test('a wrong API key fails in one line with exit code 1, and a read-only key cannot upload', async () => {
        const record = await newRecord(server);
        const { path } = await sourceFile('x.bin', 10);
        const wrong = await cli(server, ['upload', record.id, path], 'not-a-known-key-0123456');
        assert.equal(wrong.code, 1);
        assertOneErrorLine(wrong, /API key/i);
        const readOnly = await cli(server, ['upload', record.id, path], readKey);
        assert.equal(readOnly.code, 1);
        assert.match(readOnly.stderr, /^dataregistry: error: .*scope/im);
      });

      test('a missing record or file fails in one line naming it, and leaves no output file', async () => {
        const { path } = await sourceFile('x.bin', 10);
        const noRecord = await cli(server, ['upload', 'no such record', path]);
        assert.equal(noRecord.code, 1);
        assertOneErrorLine(noRecord, /`no such record`/);
        const record = await newRecord(server);
        const output = join(folder, `missing-${kind}-${ctx.dialect}.bin`);
        const noFile = await cli(server, ['download', record.id, 'nope.bin', '-o', output]);
        assert.equal(noFile.code, 1);
        assertOneErrorLine(noFile, /nope\.bin/);
        assert.equal(existsSync(output), false);
      });
    });
  }
});

test('a server that refuses the connection fails in one line naming the URL, exit code 75', async () => {
  const { path } = await sourceFile('x.bin', 10);
  const result = await runCli(['upload', 'some record', path, '--url', 'http://127.0.0.1:9']);
  assert.equal(result.code, 75, result.stderr);
  assertOneErrorLine(result, /http:\/\/127\.0\.0\.1:9 .*ECONNREFUSED/);
  const download = await runCli(['download', '1', 'x.bin'], {
    env: { DATA_REGISTRY_URL: 'http://127.0.0.1:9' },
    cwd: folder,
  });
  assert.equal(download.code, 75, download.stderr);
  assertOneErrorLine(download, /http:\/\/127\.0\.0\.1:9/);
});

describe('an interrupted direct upload (S3, sqlite)', () => {
  let s3: S3Server;
  let proxy: PartProxy;
  let server: RegistryServer;
  before(async () => {
    s3 = await startS3Server();
    proxy = await startPartProxy(s3.endpoint);
    const store = await openS3ObjectStore(
      { bucket: s3.bucket, prefix: 'registry' },
      {
        location: `s3://${s3.bucket}/registry`,
        s3Endpoint: proxy.url,
        s3ForcePathStyle: true,
        s3Region: 'us-east-1',
      },
      { credentials: s3.credentials, putPartSize: testPartSize, multipartPartSize: testPartSize },
    );
    server = await startRegistryServer({
      databaseUrl: `sqlite:${join(folder, 'resume.db')}`,
      objectStore: store,
      verifier,
    });
  });
  after(async () => {
    await server?.close();
    await proxy?.close();
    await s3?.stop();
  });

  test('resumes when run again, sending only the parts the store does not hold', async () => {
    const record = await newRecord(server);
    const { path, bytes } = await sourceFile('resume.bin', 12 * mebibyte); // 3 parts of ≤ 5 MiB
    const statePath = join(path, '..', '.resume.bin.dataregistry-upload.json');

    // First run: one part gets through, the others hang; the CLI is killed once that part is
    // stored, as if the machine went away.
    proxy.reset();
    proxy.holdAfter(1);
    const child = spawn(
      process.execPath,
      [cliPath, 'upload', record.id, path, '--url', server.url],
      {
        env: { PATH: process.env.PATH, DATA_REGISTRY_API_KEY: adminKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let firstStderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (firstStderr += chunk));
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await waitFor(
      () => proxy.storedParts.length === 1 && proxy.receivedParts.length === 3,
      () => firstStderr,
    );
    child.kill('SIGKILL');
    await exited;
    const firstPart = proxy.storedParts[0]!;
    assert.ok(existsSync(statePath), 'the session is remembered next to the file');
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { upload_id: string };
    const session = await request(
      server,
      'GET',
      `/api/records/${record.id}/uploads/${state.upload_id}`,
      {
        headers: { authorization: `Bearer ${adminKey}` },
      },
    );
    assert.equal(session.status, 200);

    // Second run: only the two other parts are sent.
    proxy.release();
    proxy.reset();
    const second = await cli(server, ['upload', record.id, path]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /Resuming the upload of resume\.bin: 1 of 3 parts already stored/);
    assert.deepEqual(
      [...proxy.receivedParts].sort(),
      [1, 2, 3].filter((part) => part !== firstPart),
    );
    assert.equal(second.stdout, `${sha256(bytes)}  resume.bin\n`);
    assert.equal(existsSync(statePath), false, 'the state file is removed once complete');

    const output = join(folder, 'resumed.bin');
    const download = await cli(server, ['download', record.name, 'resume.bin', '-o', output]);
    assert.equal(download.code, 0, download.stderr);
    assert.equal(sha256(await readFile(output)), sha256(bytes));
  });
});

async function waitFor(
  check: () => boolean,
  context: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out; CLI stderr so far: ${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('part URLs of a direct upload (S3, sqlite)', () => {
  let s3: S3Server;
  let server: RegistryServer;
  const requested: string[] = [];
  before(async () => {
    s3 = await startS3Server();
    const store = await openS3ObjectStore(
      { bucket: s3.bucket, prefix: 'registry' },
      {
        location: `s3://${s3.bucket}/registry`,
        s3Endpoint: s3.endpoint,
        s3ForcePathStyle: true,
        s3Region: 'us-east-1',
      },
      { credentials: s3.credentials, putPartSize: testPartSize, multipartPartSize: testPartSize },
    );
    const lines = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line === '') continue;
          const url = (JSON.parse(line) as { req?: { url?: string } }).req?.url;
          if (url !== undefined) requested.push(url);
        }
        callback();
      },
    });
    server = await startRegistryServer({
      databaseUrl: `sqlite:${join(folder, 'batches.db')}`,
      objectStore: store,
      verifier,
      logger: pino({ level: 'info' }, lines),
    });
  });
  after(async () => {
    await server?.close();
    await s3?.stop();
  });

  test('are asked for in one request for the parts to send, not one request per part', async () => {
    const record = await newRecord(server);
    const { path, bytes } = await sourceFile('batched.bin', 4 * testPartSize - 1000); // 4 parts
    const upload = await cli(server, ['upload', record.id, path]);
    assert.equal(upload.code, 0, upload.stderr);
    assert.equal(upload.stdout, `${sha256(bytes)}  batched.bin\n`);
    const partRequests = requested.filter((url) => /\/uploads\/[^/]+\/parts/.test(url));
    assert.deepEqual(
      partRequests.map((url) => url.replace(/^.*\/parts/, '/parts')),
      ['/parts?parts=1,2,3,4'],
    );
  });
});
