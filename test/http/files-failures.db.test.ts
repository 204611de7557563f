import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import {
  countFileRows,
  eventually,
  fetchBytes,
  putChunked,
  putFile,
  randomBytesOf,
  rawRequest,
  sha256,
  uploadThenDisconnect,
} from '../support/file-client.js';
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

const mebibyte = 1024 * 1024;
/** Above the S3 part size, so that an over-limit upload has started a multipart upload. */
const maxUploadBytes = testPartSize + 2 * mebibyte;

forEachDialect('files over HTTP: hostile names, limits and failed uploads', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let server: RegistryServer;
      let testStore: TestStore;
      before(async () => {
        testStore = await openTestStore(kind);
        server = await startRegistryServer({
          databaseUrl: await ctx.freshDatabaseUrl(),
          objectStore: testStore.store,
          maxUploadBytes,
        });
      });
      after(async () => {
        await server?.close();
        await testStore?.close();
      });

      let recordCount = 0;
      const newRecord = async (): Promise<{ id: string; storageId: string }> => {
        const response = await request(server, 'POST', '/api/records', {
          body: { name: `failures ${recordCount++}` },
        });
        assert.equal(response.status, 201);
        return { id: response.body.id, storageId: response.body.storage_id };
      };

      /** Nothing of the record's in the store (no object, temporary file or multipart upload) nor in the files table. */
      const assertNothingLeft = async (record: { id: string; storageId: string }) => {
        await eventually(async () => {
          const everything = await testStore.listEverything();
          assert.deepEqual(
            everything.filter((key) => key.includes(record.storageId)),
            [],
            'no object or temporary file',
          );
          assert.deepEqual(
            await testStore.listUnfinishedUploads(),
            [],
            'no unfinished multipart upload',
          );
        });
        const list = await request(server, 'GET', `/api/records/${record.id}/files`);
        assert.deepEqual(list.body.items, []);
      };

      test('refuses hostile file names with 400 VALIDATION_FAILED naming `filename`, storing nothing', async () => {
        const record = await newRecord();
        const rowsBefore = await countFileRows(server.handle);
        const names = [
          'a%2Fb',
          'a%5Cb',
          '%2E',
          '%2E%2E',
          '..',
          'nul%00byte',
          'line%0Abreak',
          'tab%09',
          'del%7F',
          'c1%C2%85',
          '%20leading',
          'trailing%20',
          `${'%E2%82%AC'.repeat(85)}x`,
        ];
        for (const name of names) {
          const response = await rawRequest(
            server,
            'PUT',
            `/api/records/${record.id}/files/${name}`,
            {
              headers: { 'content-length': '5' },
              body: Buffer.from('hello'),
            },
          );
          assert.equal(response.status, 400, `${name}: ${response.text}`);
          const error = (JSON.parse(response.text) as { error: { code: string; message: string } })
            .error;
          assert.equal(error.code, 'VALIDATION_FAILED', name);
          assert.match(error.message, /`filename`/, name);
        }
        const invalidUtf8 = await rawRequest(server, 'PUT', `/api/records/${record.id}/files/%FF`, {
          headers: { 'content-length': '1' },
          body: Buffer.from('x'),
        });
        assert.equal(invalidUtf8.status, 400, invalidUtf8.text);
        assert.deepEqual(await countFileRows(server.handle), rowsBefore);
        await assertNothingLeft(record);
      });

      test('stores names with SQL, quotes, unicode, reserved words and 255 bytes verbatim, and serves them back', async () => {
        const record = await newRecord();
        const names = [
          "'; DROP TABLE files; --.csv",
          'données ✓ 🧪.csv',
          // s3rver keeps each object in a file named after the key's last segment plus a suffix,
          // so a 255-byte name only fits a local folder (S3 itself takes keys of 1024 bytes).
          ...(kind === 'local' ? ['€'.repeat(85)] : ['€'.repeat(70)]),
          '%.txt',
          'name with "quotes" and spaces',
          '..hidden',
          '.env',
          'CON',
          'a:b*?<>|',
        ];
        for (const name of names) {
          const bytes = Buffer.from(`content of ${name}`);
          const path = `/api/records/${record.id}/files/${encodeURIComponent(name)}`;
          const put = await putFile(server, path, bytes);
          assert.equal(put.status, 201, `${name}: ${put.bytes.toString()}`);
          assert.equal(put.body.name, name);
          const got = await fetchBytes(server, 'GET', path);
          assert.equal(got.status, 200, name);
          assert.equal(sha256(got.bytes), sha256(bytes), name);
          const disposition = got.headers.get('content-disposition') ?? '';
          const encoded = /filename\*=UTF-8''(.*)$/.exec(disposition)?.[1] ?? '';
          assert.equal(decodeURIComponent(encoded), name);
        }
        const list = await request(server, 'GET', `/api/records/${record.id}/files`);
        assert.deepEqual(
          list.body.items.map((item) => item.name),
          names,
        );
      });

      test('answers 413 FILE_TOO_LARGE from Content-Length before reading the body, and closes the connection', async () => {
        const record = await newRecord();
        const response = await rawRequest(
          server,
          'PUT',
          `/api/records/${record.id}/files/huge.bin`,
          {
            headers: { 'content-length': String(maxUploadBytes + 1) },
            body: [randomBytesOf(64 * 1024)],
          },
        );
        assert.equal(response.status, 413, response.text);
        assert.equal(
          (JSON.parse(response.text) as { error: { code: string } }).error.code,
          'FILE_TOO_LARGE',
        );
        assert.equal(response.headers.connection, 'close');
        await assertNothingLeft(record);
      });

      test('answers 413 FILE_TOO_LARGE to a chunked body once it passes the limit, keeping nothing', async () => {
        const record = await newRecord();
        const chunk = randomBytesOf(mebibyte);
        const chunks = Array.from(
          { length: Math.ceil(maxUploadBytes / mebibyte) + 2 },
          () => chunk,
        );
        const response = await putChunked(
          server,
          `/api/records/${record.id}/files/huge.bin`,
          chunks,
        ).catch((error: unknown) => error);
        // The server answers 413 and closes the connection while the client is still sending;
        // most clients read the answer, some only see the reset.
        if (!(response instanceof Error)) {
          assert.equal((response as { status: number }).status, 413);
        }
        await assertNothingLeft(record);
      });

      test('keeps the previous version when a replacement is over the limit', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/keep.bin`;
        const original = randomBytesOf(1000);
        assert.equal((await putFile(server, path, original)).status, 201);
        const chunk = randomBytesOf(mebibyte);
        const chunks = Array.from(
          { length: Math.ceil(maxUploadBytes / mebibyte) + 2 },
          () => chunk,
        );
        await putChunked(server, path, chunks).catch(() => undefined);
        const got = await fetchBytes(server, 'GET', path);
        assert.equal(sha256(got.bytes), sha256(original));
        await eventually(async () => {
          const keys = (await testStore.listEverything()).filter((key) =>
            key.includes(record.storageId),
          );
          assert.equal(keys.length, 1, keys.join('\n'));
        });
      });

      for (const [what, declaredLength] of [
        ['with Content-Length', maxUploadBytes] as const,
        ['chunked', undefined] as const,
      ]) {
        test(`leaves no row, object, temporary file or multipart upload when the client disconnects mid-upload (${what})`, async () => {
          const record = await newRecord();
          const rowsBefore = await countFileRows(server.handle);
          await uploadThenDisconnect(server, 'PUT', `/api/records/${record.id}/files/partial.bin`, {
            declaredLength,
            sendBytes: testPartSize + mebibyte,
            ...(declaredLength === undefined
              ? { headers: { 'transfer-encoding': 'chunked' } }
              : {}),
          });
          await assertNothingLeft(record);
          assert.deepEqual(
            await countFileRows(server.handle),
            rowsBefore,
            'no row, not even a deleted one',
          );
          // The server still serves.
          assert.equal(
            (await putFile(server, `/api/records/${record.id}/files/after.bin`, Buffer.from('ok')))
              .status,
            201,
          );
        });
      }

      test('leaves nothing when the client disconnects in the middle of a multipart upload', async () => {
        const record = await newRecord();
        const boundary = 'x-boundary-123';
        const head = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n`,
        );
        await uploadThenDisconnect(server, 'POST', `/api/records/${record.id}/files`, {
          declaredLength: head.length + testPartSize + 2 * mebibyte,
          prefix: head,
          sendBytes: testPartSize + mebibyte,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        });
        await assertNothingLeft(record);
      });

      test('asks for an API key before reading an upload, and a write key to upload', async () => {
        const keyed = await startRegistryServer({
          databaseUrl: await ctx.freshDatabaseUrl(),
          objectStore: testStore.store,
          verifier: verifierOf({
            'reader-key-0123456789': 'read',
            'writer-key-0123456789': 'write',
          }),
        });
        try {
          const writer = { authorization: 'Bearer writer-key-0123456789' };
          const record = await request(keyed, 'POST', '/api/records', {
            body: { name: 'keyed files' },
            headers: writer,
          });
          const path = `/api/records/${record.body.id}/files/k.bin`;
          const anonymous = await rawRequest(keyed, 'PUT', path, {
            headers: { 'content-length': String(4 * mebibyte) },
            body: [randomBytesOf(64 * 1024)],
          });
          assert.equal(anonymous.status, 401);
          assert.equal(anonymous.headers.connection, 'close');
          const reader = await putFile(keyed, path, Buffer.from('x'), {
            authorization: 'Bearer reader-key-0123456789',
          });
          assert.equal(reader.status, 403);
          assert.equal((await putFile(keyed, path, Buffer.from('x'), writer)).status, 201);
          const read = await fetchBytes(keyed, 'GET', path, {
            headers: { authorization: 'Bearer reader-key-0123456789' },
          });
          assert.equal(read.bytes.toString(), 'x');
        } finally {
          await keyed.close();
        }
      });

      test('refuses a multipart body that ends before the closing boundary of its file', async () => {
        const record = await newRecord();
        const boundary = 'b0undary';
        const body = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="short.txt"\r\n\r\nno closing boundary`,
        );
        const response = await rawRequest(server, 'POST', `/api/records/${record.id}/files`, {
          headers: {
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': String(body.length),
          },
          body,
        });
        assert.equal(response.status, 400, response.text);
        assert.match(response.text, /closing boundary/);
        await assertNothingLeft(record);
      });
    });
  }
});
