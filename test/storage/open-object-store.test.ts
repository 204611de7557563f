import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openObjectStore } from '../../src/storage/object-store.js';
import type { S3ObjectStore } from '../../src/storage/s3-object-store.js';

test('opens a local folder, creating it, with no presigning or multipart', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'dataregistry-open-'));
  try {
    const folder = join(parent, 'data', 'files');
    const store = await openObjectStore({ location: folder });
    assert.equal(store.kind, 'local');
    assert.equal(store.location, folder);
    assert.equal(typeof store.presignGet, 'undefined');
    assert.equal(store.multipart, undefined);
    assert.ok((await stat(folder)).isDirectory());
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test('a folder that cannot be created is STORAGE_UNAVAILABLE', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'dataregistry-open-'));
  try {
    await writeFile(join(parent, 'file'), 'not a folder');
    await assert.rejects(openObjectStore({ location: join(parent, 'file', 'files') }), {
      code: 'STORAGE_UNAVAILABLE',
    });
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test('opens S3 without sending a request, with presigning and multipart', async () => {
  const store = await openObjectStore({
    location: 's3://some-bucket/registry/',
    s3Endpoint: 'http://127.0.0.1:9',
    s3ForcePathStyle: true,
  });
  assert.equal(store.kind, 's3');
  assert.equal(store.location, 's3://some-bucket/registry');
  assert.equal(typeof store.presignGet, 'function');
  assert.equal(store.multipart?.partSize, 64 * 1024 * 1024);
});

test('refuses a bad location or endpoint as INVALID_CONFIG', async () => {
  await assert.rejects(openObjectStore({ location: 'ftp://host/x' }), { code: 'INVALID_CONFIG' });
  await assert.rejects(openObjectStore({ location: 's3://b-1', s3Endpoint: 'localhost:9000' }), {
    code: 'INVALID_CONFIG',
  });
});

test('gives S3 streamed uploads the part size of DATA_REGISTRY_S3_PART_SIZE, 8 MiB without it', async () => {
  const location = 's3://some-bucket/registry/';
  const endpoint = { s3Endpoint: 'http://127.0.0.1:9', s3ForcePathStyle: true };
  const configured = await openObjectStore({ location, ...endpoint, s3PartSize: 32 * 2 ** 20 });
  assert.equal((configured as S3ObjectStore).putPartSize, 32 * 2 ** 20);
  const plain = await openObjectStore({ location, ...endpoint });
  assert.equal((plain as S3ObjectStore).putPartSize, 8 * 2 ** 20);
});
