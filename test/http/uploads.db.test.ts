import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import { fetchBytes, putFile, randomBytesOf, sha256 } from '../support/file-client.js';
import { openTestStore, testPartSize, type TestStore } from '../support/object-stores.js';
import {
  request,
  startRegistryServer,
  verifierOf,
  type RegistryServer,
} from '../support/registry-server.js';

const mebibyte = 1024 * 1024;

interface SessionJson {
  upload_id: string;
  filename: string;
  size: number;
  part_size: number;
  part_count: number;
  parts?: { part_number: number; size: number; etag: string }[];
}
interface PartUrlJson {
  part_number: number;
  url: string;
  size: number;
  expires_at: string;
}

/** PUTs a part's bytes to its presigned URL, as a client does, and returns the ETag. */
async function putPart(url: string, bytes: Buffer): Promise<string> {
  const response = await fetch(url, { method: 'PUT', body: bytes });
  assert.equal(response.status, 200, await response.text());
  const etag = response.headers.get('etag');
  assert.ok(etag);
  return etag;
}

forEachDialect('upload sessions over HTTP', (ctx) => {
  describe('on s3 storage', () => {
    let server: RegistryServer;
    let testStore: TestStore;
    before(async () => {
      testStore = await openTestStore('s3');
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
        maxUploadBytes: 64 * mebibyte,
      });
    });
    after(async () => {
      await server?.close();
      await testStore?.close();
    });

    let recordCount = 0;
    const newRecord = async (): Promise<{ id: string; storageId: string }> => {
      const response = await request(server, 'POST', '/api/records', {
        body: { name: `uploads ${recordCount++}` },
      });
      assert.equal(response.status, 201);
      return { id: response.body.id, storageId: response.body.storage_id };
    };
    const open = async (recordId: string, body: unknown) =>
      request(server, 'POST', `/api/records/${recordId}/uploads`, { body });
    const openSession = async (recordId: string, filename: string, size: number) => {
      const response = await open(recordId, {
        filename,
        size,
        content_type: 'application/x-netcdf',
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body as unknown as SessionJson;
    };
    const partOf = (bytes: Buffer, session: SessionJson, n: number) =>
      bytes.subarray((n - 1) * session.part_size, n * session.part_size);

    test('If-None-Match and If-Match are looked at when the session opens: a 412 opens nothing', async () => {
      const record = await newRecord();
      const first = await putFile(
        server,
        `/api/records/${record.id}/files/kept.nc`,
        Buffer.from('first version'),
      );
      assert.equal(first.status, 201);
      const body = { filename: 'kept.nc', size: 10, content_type: 'application/x-netcdf' };
      const exists = await request(server, 'POST', `/api/records/${record.id}/uploads`, {
        body,
        headers: { 'if-none-match': '*' },
      });
      assert.equal(exists.status, 412, JSON.stringify(exists.body));
      assert.equal(exists.body.error?.code, 'FILE_EXISTS');
      const changed = await request(server, 'POST', `/api/records/${record.id}/uploads`, {
        body,
        headers: { 'if-match': `"${sha256(Buffer.from('another version'))}"` },
      });
      assert.equal(changed.status, 412, JSON.stringify(changed.body));
      assert.equal(changed.body.error?.code, 'FILE_CHANGED');
      // Neither refusal started a multipart upload in the store.
      assert.deepEqual(await testStore.listUnfinishedUploads(), []);
      const matching = await request(server, 'POST', `/api/records/${record.id}/uploads`, {
        body,
        headers: { 'if-match': `"${sha256(Buffer.from('first version'))}"` },
      });
      assert.equal(matching.status, 201, JSON.stringify(matching.body));
      const fresh = await request(server, 'POST', `/api/records/${record.id}/uploads`, {
        body: { ...body, filename: 'new.nc' },
        headers: { 'if-none-match': '*' },
      });
      assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
      for (const opened of [matching, fresh]) {
        const id = (opened.body as unknown as SessionJson).upload_id;
        const aborted = await request(server, 'DELETE', `/api/records/${record.id}/uploads/${id}`);
        assert.equal(aborted.status, 204);
      }
      assert.deepEqual(await testStore.listUnfinishedUploads(), []);
    });

    test('uploads a file in parts straight to the store, resuming after an interruption', async () => {
      const record = await newRecord();
      const bytes = randomBytesOf(testPartSize + mebibyte + 3);
      const session = await openSession(record.id, 'big.nc', bytes.length);
      assert.equal(session.part_size, testPartSize);
      assert.equal(session.part_count, 2);
      assert.match(session.upload_id, /^[1-9][0-9]*$/);

      const batch = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}/parts?parts=1-2`,
      );
      assert.equal(batch.status, 200, JSON.stringify(batch.body));
      const urls = (batch.body as unknown as { parts: PartUrlJson[] }).parts;
      assert.deepEqual(
        urls.map((part) => [part.part_number, part.size]),
        [
          [1, testPartSize],
          [2, mebibyte + 3],
        ],
      );
      const firstEtag = await putPart(urls[0]!.url, partOf(bytes, session, 1));
      // The client stops here (crash, lost network); later it asks what the store already has.
      const status = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}`,
      );
      assert.equal(status.status, 200);
      const resumed = status.body as unknown as SessionJson;
      assert.deepEqual(resumed.parts, [{ part_number: 1, size: testPartSize, etag: firstEtag }]);
      const second = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}/parts/2`,
      );
      assert.equal(second.status, 200);
      const secondEtag = await putPart(
        (second.body as unknown as PartUrlJson).url,
        partOf(bytes, session, 2),
      );

      const complete = await request(
        server,
        'POST',
        `/api/records/${record.id}/uploads/${session.upload_id}/complete`,
        {
          body: {
            parts: [
              { part_number: 2, etag: secondEtag },
              { part_number: 1, etag: firstEtag },
            ],
            sha256: sha256(bytes),
          },
        },
      );
      assert.equal(complete.status, 201, JSON.stringify(complete.body));
      assert.equal(complete.body.name, 'big.nc');
      assert.equal(complete.body.size, bytes.length);
      assert.equal(complete.body.sha256, sha256(bytes));
      assert.equal(complete.body.content_type, 'application/x-netcdf');
      const got = await fetchBytes(server, 'GET', `/api/records/${record.id}/files/big.nc`);
      assert.equal(sha256(got.bytes), sha256(bytes));
      assert.deepEqual(await testStore.listUnfinishedUploads(), []);
      const gone = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}`,
      );
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'UPLOAD_SESSION_NOT_FOUND');
    });

    test('refuses to complete with a part missing, unstored or with another ETag, keeping the session open', async () => {
      const record = await newRecord();
      const bytes = randomBytesOf(testPartSize + 10);
      const session = await openSession(record.id, 'parts.bin', bytes.length);
      const url = (n: number) =>
        request(server, 'GET', `/api/records/${record.id}/uploads/${session.upload_id}/parts/${n}`);
      const etag1 = await putPart(
        ((await url(1)).body as unknown as PartUrlJson).url,
        partOf(bytes, session, 1),
      );
      const complete = (parts: unknown) =>
        request(server, 'POST', `/api/records/${record.id}/uploads/${session.upload_id}/complete`, {
          body: { parts },
        });
      const missing = await complete([{ part_number: 1, etag: etag1 }]);
      assert.equal(missing.status, 409);
      assert.equal(missing.body.error.code, 'UPLOAD_INCOMPLETE');
      assert.match(missing.body.error.message, /Parts 2 are missing|2/);
      const unstored = await complete([
        { part_number: 1, etag: etag1 },
        { part_number: 2, etag: '"0123"' },
      ]);
      assert.equal(unstored.status, 409);
      assert.match(unstored.body.error.message, /Part 2 is not stored/);
      const etag2 = await putPart(
        ((await url(2)).body as unknown as PartUrlJson).url,
        partOf(bytes, session, 2),
      );
      const wrongEtag = await complete([
        { part_number: 1, etag: '"ffffffffffffffffffffffffffffffff"' },
        { part_number: 2, etag: etag2 },
      ]);
      assert.equal(wrongEtag.status, 409);
      assert.match(wrongEtag.body.error.message, /ETag/);
      const done = await complete([
        { part_number: 1, etag: etag1 },
        { part_number: 2, etag: etag2 },
      ]);
      assert.equal(done.status, 201, JSON.stringify(done.body));
      assert.equal(done.body.sha256, sha256(bytes));
    });

    test('keeps nothing when the declared sha256 differs from the stored bytes', async () => {
      const record = await newRecord();
      const bytes = randomBytesOf(1000);
      const session = await openSession(record.id, 'wrong.bin', bytes.length);
      const part = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}/parts/1`,
      );
      const etag = await putPart((part.body as unknown as PartUrlJson).url, bytes);
      const complete = await request(
        server,
        'POST',
        `/api/records/${record.id}/uploads/${session.upload_id}/complete`,
        { body: { parts: [{ part_number: 1, etag }], sha256: 'a'.repeat(64) } },
      );
      assert.equal(complete.status, 400);
      assert.equal(complete.body.error.code, 'CHECKSUM_MISMATCH');
      assert.deepEqual(
        (await testStore.listEverything()).filter((key) => key.includes(record.storageId)),
        [],
      );
      assert.deepEqual(await testStore.listUnfinishedUploads(), []);
      assert.equal(
        (await fetchBytes(server, 'GET', `/api/records/${record.id}/files/wrong.bin`)).status,
        404,
      );
    });

    test('aborts a session: the store discards its parts and the session is gone', async () => {
      const record = await newRecord();
      const bytes = randomBytesOf(testPartSize + 1);
      const session = await openSession(record.id, 'aborted.bin', bytes.length);
      const part = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}/parts/1`,
      );
      await putPart((part.body as unknown as PartUrlJson).url, partOf(bytes, session, 1));
      assert.equal((await testStore.listUnfinishedUploads()).length, 1);
      const aborted = await request(
        server,
        'DELETE',
        `/api/records/${record.id}/uploads/${session.upload_id}`,
      );
      assert.equal(aborted.status, 204);
      assert.deepEqual(await testStore.listUnfinishedUploads(), []);
      const again = await request(
        server,
        'DELETE',
        `/api/records/${record.id}/uploads/${session.upload_id}`,
      );
      assert.equal(again.status, 404);
      assert.equal(again.body.error.code, 'UPLOAD_SESSION_NOT_FOUND');
    });

    test('adds version 2 over an existing file of the same name when a session completes, keeping version 1', async () => {
      const record = await newRecord();
      await putFile(server, `/api/records/${record.id}/files/same.bin`, Buffer.from('old'));
      const bytes = randomBytesOf(2000);
      const session = await openSession(record.id, 'same.bin', bytes.length);
      const part = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}/parts/1`,
      );
      const etag = await putPart((part.body as unknown as PartUrlJson).url, bytes);
      const complete = await request(
        server,
        'POST',
        `/api/records/${record.id}/uploads/${session.upload_id}/complete`,
        { body: { parts: [{ part_number: 1, etag }] } },
      );
      assert.equal(complete.status, 200, JSON.stringify(complete.body));
      assert.equal(complete.body.sha256, sha256(bytes));
      assert.equal(complete.body.version, 2);
      const keys = (await testStore.listEverything()).filter((key) =>
        key.includes(record.storageId),
      );
      assert.equal(keys.length, 2, keys.join('\n'));
      const versions = await request(
        server,
        'GET',
        `/api/records/${record.id}/files/same.bin/versions`,
      );
      assert.deepEqual(
        versions.body.items.map((item) => [item.version, item.size]),
        [
          [2, 2000],
          [1, 3],
        ],
      );
    });

    test('checks what opening a session takes: a valid name, a size from 1 byte to the limit', async () => {
      const record = await newRecord();
      const cases: [unknown, number, string][] = [
        [{ filename: 'a/b', size: 10 }, 400, 'VALIDATION_FAILED'],
        [{ filename: 'x', size: 0 }, 400, 'VALIDATION_FAILED'],
        [{ filename: 'x', size: 64 * mebibyte + 1 }, 413, 'FILE_TOO_LARGE'],
        [{ filename: 'x' }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const response = await open(record.id, body);
        assert.equal(response.status, status, JSON.stringify(body));
        assert.equal(response.body.error.code, code);
      }
      const unknownRecord = await open('987654321', { filename: 'x', size: 1 });
      assert.equal(unknownRecord.status, 404);
      const session = await openSession(record.id, 'few.bin', 3 * testPartSize);
      const outside = await request(
        server,
        'GET',
        `/api/records/${record.id}/uploads/${session.upload_id}/parts?parts=2-4`,
      );
      assert.equal(outside.status, 400);
      assert.match(outside.body.error.message, /parts 1 to 3/);
      const other = await newRecord();
      const elsewhere = await request(
        server,
        'GET',
        `/api/records/${other.id}/uploads/${session.upload_id}`,
      );
      assert.equal(elsewhere.status, 404, "a session is only found under its own record's path");
    });

    test('opens sessions for a dataset’s files too', async () => {
      const record = await newRecord();
      const dataset = await request(server, 'POST', `/api/records/${record.id}/datasets`, {
        body: { name: 'raw', data_type: 'bin' },
      });
      const bytes = randomBytesOf(100);
      const opened = await request(server, 'POST', `/api/datasets/${dataset.body.id}/uploads`, {
        body: { filename: 'd.bin', size: bytes.length },
      });
      assert.equal(opened.status, 201);
      const session = opened.body as unknown as SessionJson;
      const part = await request(
        server,
        'GET',
        `/api/datasets/${dataset.body.id}/uploads/${session.upload_id}/parts/1`,
      );
      const etag = await putPart((part.body as unknown as PartUrlJson).url, bytes);
      const complete = await request(
        server,
        'POST',
        `/api/datasets/${dataset.body.id}/uploads/${session.upload_id}/complete`,
        { body: { parts: [{ part_number: 1, etag }], sha256: sha256(bytes) } },
      );
      assert.equal(complete.status, 201, JSON.stringify(complete.body));
      const got = await fetchBytes(server, 'GET', `/api/datasets/${dataset.body.id}/files/d.bin`);
      assert.equal(sha256(got.bytes), sha256(bytes));
    });

    test('gives part URLs only to keys that may write', async () => {
      const keyed = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
        verifier: verifierOf({ 'reader-key-0123456789': 'read', 'writer-key-0123456789': 'write' }),
      });
      try {
        const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
        const record = await request(keyed, 'POST', '/api/records', {
          body: { name: 'keyed' },
          ...as('writer-key-0123456789'),
        });
        const opened = await request(keyed, 'POST', `/api/records/${record.body.id}/uploads`, {
          body: { filename: 'k.bin', size: 10 },
          ...as('writer-key-0123456789'),
        });
        const path = `/api/records/${record.body.id}/uploads/${(opened.body as unknown as SessionJson).upload_id}`;
        assert.equal((await request(keyed, 'GET', path, as('reader-key-0123456789'))).status, 200);
        const forbidden = await request(
          keyed,
          'GET',
          `${path}/parts/1`,
          as('reader-key-0123456789'),
        );
        assert.equal(forbidden.status, 403);
        assert.equal(
          (await request(keyed, 'GET', `${path}/parts/1`, as('writer-key-0123456789'))).status,
          200,
        );
        assert.equal(
          (await request(keyed, 'DELETE', path, as('writer-key-0123456789'))).status,
          204,
        );
      } finally {
        await keyed.close();
      }
    });
  });

  describe('on local storage', () => {
    let server: RegistryServer;
    let testStore: TestStore;
    before(async () => {
      testStore = await openTestStore('local');
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
      });
    });
    after(async () => {
      await server?.close();
      await testStore?.close();
    });

    test('answers 409 DIRECT_UPLOAD_UNSUPPORTED, pointing at uploads through the server', async () => {
      const record = await request(server, 'POST', '/api/records', { body: { name: 'local' } });
      const response = await request(server, 'POST', `/api/records/${record.body.id}/uploads`, {
        body: { filename: 'x.bin', size: 10 },
      });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'DIRECT_UPLOAD_UNSUPPORTED');
      assert.match(response.body.error.message, /PUT …\/files\/\{filename\}/);
      const status = await request(server, 'GET', `/api/records/${record.body.id}/uploads/1`);
      assert.equal(status.status, 409);
    });
  });
});
