// What only the S3 store does: presigned downloads and direct multipart upload sessions, the
// client's side played by fetch() over loopback, as a browser or the CLI client would.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { MultipartUploads } from '../../src/storage/object-store.js';
import { openS3ObjectStore, type S3ObjectStore } from '../../src/storage/s3-object-store.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import {
  assertRejectsWith,
  collect,
  readAll,
  sha256Of,
  streamOf,
} from './object-store-contract.js';

const mebibyte = 1024 * 1024;
const partSize = 5 * mebibyte;

void describe('S3 object store (s3rver on loopback)', () => {
  let server: S3Server;
  let store: S3ObjectStore;
  let multipart: MultipartUploads;

  before(async () => {
    server = await startS3Server();
    store = await openS3ObjectStore(
      { bucket: server.bucket, prefix: 'files' },
      {
        location: `s3://${server.bucket}/files`,
        s3Endpoint: server.endpoint,
        s3ForcePathStyle: true,
      },
      { putPartSize: partSize, multipartPartSize: partSize, credentials: server.credentials },
    );
    multipart = store.multipart;
  });
  after(async () => {
    await server.stop();
  });

  /** PUTs one part to its presigned URL, as a client would; returns the part's ETag. */
  const putPart = async (key: string, uploadId: string, partNumber: number, bytes: Buffer) => {
    const url = await multipart.presignPart(key, uploadId, partNumber, 900);
    const response = await fetch(url, { method: 'PUT', body: bytes });
    assert.equal(response.status, 200, `part ${partNumber}: ${await response.text()}`);
    const etag = response.headers.get('etag');
    assert.ok(etag, `part ${partNumber} answered an ETag`);
    return etag;
  };

  test('is an s3 store named by its bucket and prefix', () => {
    assert.equal(store.kind, 's3');
    assert.equal(store.location, `s3://${server.bucket}/files`);
    assert.equal(multipart.partSize, partSize);
  });

  test('presigns a GET that fetch() downloads, with the download name', async () => {
    const bytes = randomBytes(300_000);
    await store.put('r1/report.csv', streamOf(bytes), { contentType: 'text/csv' });
    const url = await store.presignGet('r1/report.csv', {
      expiresInSeconds: 300,
      downloadName: 'rapport été "final".csv',
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/test-bucket\/files\/r1\/report\.csv\?/);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    assert.equal(response.headers.get('content-type'), 'text/csv');
    assert.equal(
      response.headers.get('content-disposition'),
      `attachment; filename="rapport _t_ _final_.csv"; filename*=UTF-8''rapport%20%C3%A9t%C3%A9%20%22final%22.csv`,
    );
  });

  test('refuses to presign for longer than SigV4 allows', async () => {
    await assertRejectsWith(
      store.presignGet('r1/report.csv', { expiresInSeconds: 8 * 24 * 3600 }),
      'VALIDATION_FAILED',
    );
  });

  test('a direct upload: parts PUT in parallel to presigned URLs, listed, completed', async () => {
    const key = 'r2/huge.bin';
    const bytes = randomBytes(2 * partSize + 123_456);
    const parts = [
      bytes.subarray(0, partSize),
      bytes.subarray(partSize, 2 * partSize),
      bytes.subarray(2 * partSize),
    ];
    const { uploadId } = await multipart.create(key, { contentType: 'application/octet-stream' });
    assert.deepEqual(
      (await collect(multipart.listUnfinished('r2/'))).map((u) => [u.key, u.uploadId]),
      [[key, uploadId]],
    );
    const etags = await Promise.all(parts.map((part, i) => putPart(key, uploadId, i + 1, part)));
    const listed = await multipart.listParts(key, uploadId);
    assert.deepEqual(
      listed.map((p) => [p.partNumber, p.etag, p.size]),
      parts.map((part, i) => [i + 1, etags[i], part.length]),
    );
    const { size } = await multipart.complete(
      key,
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })).reverse(),
    );
    assert.equal(size, bytes.length);
    assert.equal(sha256Of(await readAll((await store.get(key)).body)), sha256Of(bytes));
    assert.equal((await store.head(key))?.size, bytes.length);
    assert.deepEqual(await collect(multipart.listUnfinished('')), []);
    assert.deepEqual(await server.listUnfinishedUploads(), []);
  });

  test('an interrupted direct upload resumes from the parts S3 already holds', async () => {
    const key = 'r3/resumed.bin';
    const bytes = randomBytes(2 * partSize + 1000);
    const parts = [
      bytes.subarray(0, partSize),
      bytes.subarray(partSize, 2 * partSize),
      bytes.subarray(2 * partSize),
    ];
    const { uploadId } = await multipart.create(key);
    // The first session sent parts 1 and 3, then stopped.
    await putPart(key, uploadId, 1, parts[0] ?? Buffer.alloc(0));
    await putPart(key, uploadId, 3, parts[2] ?? Buffer.alloc(0));
    // A new session asks what is there and sends only what is missing.
    const stored = await multipart.listParts(key, uploadId);
    assert.deepEqual(
      stored.map((p) => p.partNumber),
      [1, 3],
    );
    const missing = [1, 2, 3].filter((n) => !stored.some((p) => p.partNumber === n));
    assert.deepEqual(missing, [2]);
    const etag2 = await putPart(key, uploadId, 2, parts[1] ?? Buffer.alloc(0));
    const all = [
      ...stored.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      { partNumber: 2, etag: etag2 },
    ];
    assert.equal((await multipart.complete(key, uploadId, all)).size, bytes.length);
    assert.deepEqual(await readAll((await store.get(key)).body), bytes);
  });

  test('a part sent again replaces the earlier one', async () => {
    const key = 'r3/retried.bin';
    const { uploadId } = await multipart.create(key);
    await putPart(key, uploadId, 1, Buffer.from('first try'));
    const etag = await putPart(key, uploadId, 1, Buffer.from('second'));
    assert.deepEqual(
      (await multipart.listParts(key, uploadId)).map((p) => [p.partNumber, p.etag, p.size]),
      [[1, etag, 6]],
    );
    await multipart.complete(key, uploadId, [{ partNumber: 1, etag }]);
    assert.equal((await readAll((await store.get(key)).body)).toString(), 'second');
  });

  test('refuses to complete with a missing part, a wrong ETag or a short middle part', async () => {
    const key = 'r4/bad.bin';
    const { uploadId } = await multipart.create(key);
    const etag1 = await putPart(key, uploadId, 1, randomBytes(1000));
    const etag2 = await putPart(key, uploadId, 2, randomBytes(1000));
    await assertRejectsWith(
      multipart.complete(key, uploadId, [
        { partNumber: 1, etag: etag1 },
        { partNumber: 3, etag: etag2 },
      ]),
      'VALIDATION_FAILED',
    );
    await assertRejectsWith(
      multipart.complete(key, uploadId, [{ partNumber: 1, etag: '"0123"' }]),
      'VALIDATION_FAILED',
    );
    await assertRejectsWith(
      multipart.complete(key, uploadId, [
        { partNumber: 1, etag: etag1 },
        { partNumber: 2, etag: etag2 },
      ]),
      'VALIDATION_FAILED',
    );
    await assertRejectsWith(multipart.complete(key, uploadId, []), 'VALIDATION_FAILED');
    // Still unfinished: the session can go on or be aborted.
    assert.equal((await multipart.listParts(key, uploadId)).length, 2);
    await multipart.abort(key, uploadId);
  });

  test('lists unfinished uploads in key order, from after a key', async () => {
    const keys = ['r6/a-b', 'r6/a/b', 'r6/ab'];
    const ids: string[] = [];
    for (const key of [...keys].reverse()) ids.unshift((await multipart.create(key)).uploadId);
    const listed = async (startAfter?: string) =>
      (
        await collect(
          multipart.listUnfinished('r6/', startAfter === undefined ? {} : { startAfter }),
        )
      ).map((u) => [u.key, u.uploadId]);
    const all = keys.map((key, i) => [key, ids[i]]);
    assert.deepEqual(await listed(), all);
    assert.deepEqual(await listed('r6/a-b'), all.slice(1));
    assert.deepEqual(await listed('r6/a/'), all.slice(1));
    assert.deepEqual(await listed('r6/ab'), []);
    for (const [i, key] of keys.entries()) await multipart.abort(key, ids[i] ?? '');
  });

  test('abort discards the parts; aborting again or an unknown upload is not an error', async () => {
    const key = 'r5/aborted.bin';
    const { uploadId } = await multipart.create(key);
    await putPart(key, uploadId, 1, randomBytes(partSize));
    await multipart.abort(key, uploadId);
    assert.deepEqual(await collect(multipart.listUnfinished('r5/')), []);
    assert.deepEqual(await server.listUnfinishedUploads(), []);
    assert.deepEqual(
      await server.listObjectKeys(),
      (await server.listObjectKeys()).filter((k) => !k.includes('r5/')),
    );
    await multipart.abort(key, uploadId);
    await multipart.abort(key, 'no-such-upload');
  });

  test('an unknown upload is OBJECT_NOT_FOUND for listParts and complete', async () => {
    await assertRejectsWith(multipart.listParts('r6/x', 'no-such-upload'), 'OBJECT_NOT_FOUND');
    await assertRejectsWith(
      multipart.complete('r6/x', 'no-such-upload', [{ partNumber: 1, etag: '"abc"' }]),
      'OBJECT_NOT_FOUND',
    );
  });

  test('lists unfinished uploads by key prefix, across pages', async () => {
    const created: { key: string; uploadId: string }[] = [];
    for (const key of ['p/r7/a', 'p/r7/b', 'p/r70/c', 'p/r8/d'])
      created.push({ key, ...(await multipart.create(key)) });
    const second = { key: 'p/r7/a', ...(await multipart.create('p/r7/a')) };
    created.push(second);
    const listed = async (prefix: string) =>
      (await collect(multipart.listUnfinished(prefix))).map((u) => `${u.key} ${u.uploadId}`).sort();
    const expected = (filter: (key: string) => boolean) =>
      created
        .filter((u) => filter(u.key))
        .map((u) => `${u.key} ${u.uploadId}`)
        .sort();
    assert.deepEqual(
      await listed('p/r7/'),
      expected((k) => k.startsWith('p/r7/')),
    );
    assert.deepEqual(
      await listed('p/'),
      expected(() => true),
    );
    const [one] = await collect(multipart.listUnfinished('p/r8/'));
    assert.ok(
      one && one.initiated instanceof Date && Date.now() - one.initiated.getTime() < 60_000,
    );
    for (const upload of created) await multipart.abort(upload.key, upload.uploadId);
    assert.deepEqual(await listed('p/'), []);
  });

  test('chooses part sizes that fit any file in 10 000 parts', () => {
    assert.equal(multipart.partSizeFor(0), partSize);
    assert.equal(multipart.partSizeFor(10 * 1024 * mebibyte), partSize);
    assert.equal(multipart.partSizeFor(1024 * 1024 * mebibyte), 105 * mebibyte);
    assert.ok(
      multipart.partSizeFor(5 * 1024 * 1024 * mebibyte) * 10_000 >= 5 * 1024 * 1024 * mebibyte,
    );
    assert.throws(() => multipart.partSizeFor(5 * 1024 * 1024 * mebibyte + 1), {
      code: 'FILE_TOO_LARGE',
    });
  });

  test('refuses part numbers outside 1 to 10 000', async () => {
    await assertRejectsWith(multipart.presignPart('r9/x', 'id', 0, 60), 'VALIDATION_FAILED');
    await assertRejectsWith(multipart.presignPart('r9/x', 'id', 10_001, 60), 'VALIDATION_FAILED');
    await assertRejectsWith(multipart.presignPart('../x', 'id', 1, 60), 'VALIDATION_FAILED');
  });

  test('a server that does not answer is STORAGE_UNAVAILABLE', async () => {
    const unreachable = await openS3ObjectStore(
      { bucket: server.bucket, prefix: '' },
      {
        location: `s3://${server.bucket}`,
        s3Endpoint: 'http://127.0.0.1:9',
        s3ForcePathStyle: true,
      },
      { credentials: server.credentials },
    );
    await assertRejectsWith(unreachable.head('x'), 'STORAGE_UNAVAILABLE');
    await assertRejectsWith(unreachable.put('x', streamOf(randomBytes(10))), 'STORAGE_UNAVAILABLE');
  });

  test('a bucket that does not exist is STORAGE_UNAVAILABLE, naming S3 error', async () => {
    const wrong = await openS3ObjectStore(
      { bucket: 'no-such-bucket', prefix: '' },
      { location: 's3://no-such-bucket', s3Endpoint: server.endpoint, s3ForcePathStyle: true },
      { credentials: server.credentials },
    );
    await assert.rejects(
      wrong.put('x', streamOf(randomBytes(10))),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'STORAGE_UNAVAILABLE');
        assert.match(error.message, /NoSuchBucket/);
        return true;
      },
    );
  });
});
