// Runs the object store contract on a local folder and on S3 (s3rver on loopback).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalObjectStore } from '../../src/storage/local-object-store.js';
import { openS3ObjectStore } from '../../src/storage/s3-object-store.js';
import { startS3Server } from '../support/s3-server.js';
import {
  assertRejectsWith,
  collect,
  describeObjectStoreContract,
  streamOf,
} from './object-store-contract.js';

const mebibyte = 1024 * 1024;
const tempFilePattern = /^\..+\.[0-9a-f]{16}\.tmp$/;

describeObjectStoreContract('local folder', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'dataregistry-store-'));
  const root = join(parent, 'files');
  const store = await openLocalObjectStore(root);
  return {
    store,
    partSize: 5 * mebibyte,
    inspect: async (prefix) => {
      const files = await walkFiles(root, '');
      const under = files.filter((key) => key.startsWith(prefix)).sort();
      const isTemp = (key: string) => tempFilePattern.test(key.split('/').at(-1) ?? '');
      // Anything beside the root folder would be a key that escaped it.
      const escaped = (await readdir(parent)).filter((name) => name !== 'files');
      return {
        objects: under.filter((key) => !isTemp(key)),
        leftovers: [
          ...under.filter(isTemp),
          ...(await emptyFolders(root, ''))
            .filter((folder) => folder.startsWith(prefix))
            .map((folder) => `empty folder ${folder}`),
          ...escaped.map((name) => `../${name}`),
        ],
      };
    },
    close: () => rm(parent, { recursive: true, force: true }),
  };
});

void test('a local store refuses a key that is also the folder of another key', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'dataregistry-store-'));
  try {
    const store = await openLocalObjectStore(parent);
    await store.put('r1/name', streamOf(Buffer.from('a file')));
    await store.put('r1/other/file', streamOf(Buffer.from('a file in a folder')));
    await assertRejectsWith(
      store.put('r1/name/file', streamOf(Buffer.from('x'))),
      'VALIDATION_FAILED',
    );
    await assertRejectsWith(store.put('r1/other', streamOf(Buffer.from('x'))), 'VALIDATION_FAILED');
    assert.equal(await store.head('r1/other'), undefined);
    await assertRejectsWith(store.get('r1/other'), 'OBJECT_NOT_FOUND');
    assert.deepEqual((await collect(store.list('r1/'))).map((o) => o.key).sort(), [
      'r1/name',
      'r1/other/file',
    ]);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

void test('a local get reads 1 MiB at a time, ranges too, so a download takes few reads', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'dataregistry-store-'));
  try {
    const store = await openLocalObjectStore(parent);
    const bytes = randomBytes(3 * mebibyte + 10);
    await store.put('r1/big.bin', streamOf(bytes));
    const whole = await collect((await store.get('r1/big.bin')).body as AsyncIterable<Buffer>);
    assert.deepEqual(
      whole.map((chunk) => chunk.length),
      [mebibyte, mebibyte, mebibyte, 10],
    );
    assert.ok(Buffer.concat(whole).equals(bytes));
    const range = { start: 5, end: 2 * mebibyte + 4 };
    const ranged = await collect(
      (await store.get('r1/big.bin', { range })).body as AsyncIterable<Buffer>,
    );
    assert.deepEqual(
      ranged.map((chunk) => chunk.length),
      [mebibyte, mebibyte],
    );
    assert.ok(Buffer.concat(ranged).equals(bytes.subarray(5, 2 * mebibyte + 5)));
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

describeObjectStoreContract('S3 (s3rver on loopback), with a prefix', async () => {
  const server = await startS3Server();
  const rootPrefix = 'registry/files';
  const store = await openS3ObjectStore(
    { bucket: server.bucket, prefix: rootPrefix },
    {
      location: `s3://${server.bucket}/${rootPrefix}`,
      s3Endpoint: server.endpoint,
      s3ForcePathStyle: true,
    },
    { putPartSize: 5 * mebibyte, multipartPartSize: 5 * mebibyte, credentials: server.credentials },
  );
  return {
    store,
    partSize: 5 * mebibyte,
    inspect: async (prefix) => {
      const strip = (keys: string[]) =>
        keys
          .filter(
            (key) => key.startsWith(`${rootPrefix}/${prefix}`) || !key.startsWith(`${rootPrefix}/`),
          )
          .map((key) =>
            key.startsWith(`${rootPrefix}/`)
              ? key.slice(rootPrefix.length + 1)
              : `(outside the prefix) ${key}`,
          )
          .sort();
      const uploads = await server.listUnfinishedUploads();
      return {
        objects: strip(await server.listObjectKeys()),
        leftovers: strip(uploads.map((u) => u.key)).map((key) => `unfinished upload of ${key}`),
      };
    },
    close: () => server.stop(),
  };
});

async function walkFiles(folder: string, keyPrefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isDirectory())
      keys.push(...(await walkFiles(join(folder, entry.name), `${keyPrefix}${entry.name}/`)));
    else keys.push(keyPrefix + entry.name);
  }
  return keys;
}

/** Folders below `root` that hold nothing, as `a/b/` paths. */
async function emptyFolders(root: string, relative: string): Promise<string[]> {
  const entries = await readdir(join(root, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = `${relative}${entry.name}/`;
    const inside = await readdir(join(root, path));
    if (inside.length === 0) found.push(path);
    else found.push(...(await emptyFolders(root, path)));
  }
  return found;
}
