import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import { fetchBytes, putChunked, putFile, randomBytesOf, sha256 } from '../support/file-client.js';
import {
  openTestStore,
  storeKinds,
  testPartSize,
  type TestStore,
} from '../support/object-stores.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

const mebibyte = 1024 * 1024;

forEachDialect('files over HTTP', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let server: RegistryServer;
      let testStore: TestStore;
      before(async () => {
        testStore = await openTestStore(kind);
        server = await startRegistryServer({
          databaseUrl: await ctx.freshDatabaseUrl(),
          objectStore: testStore.store,
          maxUploadBytes: 32 * mebibyte,
        });
      });
      after(async () => {
        await server?.close();
        await testStore?.close();
      });

      let recordCount = 0;
      const newRecord = async (): Promise<{ id: string; storageId: string }> => {
        const response = await request(server, 'POST', '/api/records', {
          body: { name: `files ${recordCount++}` },
        });
        assert.equal(response.status, 201);
        return { id: response.body.id, storageId: response.body.storage_id };
      };

      test('round-trips a file: PUT answers its size and sha256, GET streams the same bytes with Content-Length, ETag and Content-Type', async () => {
        const record = await newRecord();
        const bytes = randomBytesOf(100_000);
        const put = await putFile(server, `/api/records/${record.id}/files/data.csv`, bytes, {
          'content-type': 'text/csv',
        });
        assert.equal(put.status, 201, put.bytes.toString());
        assert.equal(put.body.name, 'data.csv');
        assert.deepEqual(
          { ...put.body, created_at: undefined },
          {
            name: 'data.csv',
            version: 1,
            size: 100_000,
            sha256: sha256(bytes),
            content_type: 'text/csv',
            created_at: undefined,
          },
        );
        const got = await fetchBytes(server, 'GET', `/api/records/${record.id}/files/data.csv`);
        assert.equal(got.status, 200);
        assert.equal(sha256(got.bytes), sha256(bytes));
        assert.equal(got.headers.get('content-length'), '100000');
        assert.equal(got.headers.get('etag'), `"${sha256(bytes)}"`);
        assert.equal(got.headers.get('content-type'), 'text/csv');
        assert.equal(got.headers.get('accept-ranges'), 'bytes');
        assert.match(
          got.headers.get('content-disposition') ?? '',
          /^attachment; filename="data.csv"/,
        );
        const list = await request(server, 'GET', `/api/records/${record.id}/files`);
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.items, [put.body]);
        const keys = await testStore.listEverything();
        assert.equal(
          keys.filter((key) => key.includes(`${record.storageId}/`)).length,
          1,
          keys.join('\n'),
        );
      });

      test('stores an empty file and a file without a content type as application/octet-stream', async () => {
        const record = await newRecord();
        const empty = await putFile(
          server,
          `/api/records/${record.id}/files/empty`,
          Buffer.alloc(0),
        );
        assert.equal(empty.status, 201, empty.bytes.toString());
        assert.equal(empty.body.size, 0);
        assert.equal(empty.body.sha256, sha256(Buffer.alloc(0)));
        assert.equal(empty.body.content_type, 'application/octet-stream');
        const got = await fetchBytes(server, 'GET', `/api/records/${record.id}/files/empty`);
        assert.equal(got.status, 200);
        assert.equal(got.bytes.length, 0);
        assert.equal(got.headers.get('content-length'), '0');
      });

      test('round-trips a file larger than the multipart part size, sent chunked without Content-Length', async () => {
        const record = await newRecord();
        const bytes = randomBytesOf(testPartSize + 1 * mebibyte + 17);
        const chunks = Array.from({ length: Math.ceil(bytes.length / (256 * 1024)) }, (_, i) =>
          bytes.subarray(i * 256 * 1024, (i + 1) * 256 * 1024),
        );
        const put = await putChunked(server, `/api/records/${record.id}/files/big.bin`, chunks);
        assert.equal(put.status, 201, put.bytes.toString());
        assert.equal(put.body.size, bytes.length);
        assert.equal(put.body.sha256, sha256(bytes));
        const got = await fetchBytes(server, 'GET', `/api/records/${record.id}/files/big.bin`);
        assert.equal(got.bytes.length, bytes.length);
        assert.equal(sha256(got.bytes), sha256(bytes));
        assert.deepEqual(await testStore.listUnfinishedUploads(), []);
      });

      test('adds a version over a file of the same name: 200, version 2 is served, version 1 is kept', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/report.txt`;
        const first = await putFile(server, path, Buffer.from('version one'));
        assert.equal(first.status, 201);
        const second = await putFile(server, path, Buffer.from('version two, longer'));
        assert.equal(second.status, 200, second.bytes.toString());
        assert.equal(second.body.sha256, sha256(Buffer.from('version two, longer')));
        assert.equal(second.body.version, 2);
        const got = await fetchBytes(server, 'GET', path);
        assert.equal(got.bytes.toString(), 'version two, longer');
        assert.equal(got.headers.get('x-file-version'), '2');
        const list = await request(server, 'GET', `/api/records/${record.id}/files`);
        assert.deepEqual(
          list.body.items.map((item) => [item.name, item.version]),
          [['report.txt', 2]],
        );
        const old = await fetchBytes(server, 'GET', `${path}?version=1`);
        assert.equal(old.bytes.toString(), 'version one');
        const keys = (await testStore.listEverything()).filter((key) =>
          key.includes(`${record.storageId}/`),
        );
        assert.equal(keys.length, 2, keys.join('\n'));
      });

      test('numbers concurrent uploads of one name 1 to 4, keeping every one, the latest live', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/contended.bin`;
        const versions = Array.from({ length: 4 }, () => randomBytesOf(50_000));
        const results = await Promise.all(versions.map((bytes) => putFile(server, path, bytes)));
        assert.deepEqual(
          results.map((result) => result.status).sort(),
          [200, 200, 200, 201],
          results.map((result) => result.bytes.toString()).join('\n'),
        );
        assert.deepEqual(results.map((result) => result.body.version).sort(), [1, 2, 3, 4]);
        const got = await fetchBytes(server, 'GET', path);
        const latest = results.find((result) => result.body.version === 4);
        assert.equal(sha256(got.bytes), latest?.body.sha256);
        assert.equal(got.headers.get('etag'), `"${sha256(got.bytes)}"`);
        const listed = await request(server, 'GET', `${path}/versions`);
        assert.deepEqual(
          listed.body.items.map((item) => item.version),
          [4, 3, 2, 1],
        );
        const keys = (await testStore.listEverything()).filter((key) =>
          key.includes(`${record.storageId}/`),
        );
        assert.equal(keys.length, 4, keys.join('\n'));
      });

      test('serves Range requests with 206 and Content-Range, and 416 past the end', async () => {
        const record = await newRecord();
        const bytes = Buffer.from('0123456789abcdefghij');
        const path = `/api/records/${record.id}/files/range.txt`;
        await putFile(server, path, bytes);
        const cases: [string, number, string, string | null][] = [
          ['bytes=0-4', 206, '01234', 'bytes 0-4/20'],
          ['bytes=15-', 206, 'fghij', 'bytes 15-19/20'],
          ['bytes=-3', 206, 'hij', 'bytes 17-19/20'],
          ['bytes=18-100', 206, 'ij', 'bytes 18-19/20'],
          ['bytes=0-1,4-5', 200, bytes.toString(), null],
          ['items=0-1', 200, bytes.toString(), null],
        ];
        for (const [range, status, body, contentRange] of cases) {
          const got = await fetchBytes(server, 'GET', path, { headers: { range } });
          assert.equal(got.status, status, range);
          assert.equal(got.bytes.toString(), body, range);
          assert.equal(got.headers.get('content-range'), contentRange, range);
          assert.equal(got.headers.get('content-length'), String(body.length), range);
        }
        const outside = await fetchBytes(server, 'GET', path, { headers: { range: 'bytes=20-' } });
        assert.equal(outside.status, 416);
        assert.equal(outside.body.error.code, 'RANGE_NOT_SATISFIABLE');
        assert.equal(outside.headers.get('content-range'), 'bytes */20');
        const stale = await fetchBytes(server, 'GET', path, {
          headers: { range: 'bytes=0-1', 'if-range': '"not-the-etag"' },
        });
        assert.equal(stale.status, 200, 'If-Range with another ETag asks for the whole file');
        const fresh = await fetchBytes(server, 'GET', path, {
          headers: { range: 'bytes=0-1', 'if-range': `"${sha256(bytes)}"` },
        });
        assert.equal(fresh.status, 206);
      });

      test('answers 304 to If-None-Match with the ETag, and HEAD with the headers only', async () => {
        const record = await newRecord();
        const bytes = randomBytesOf(5000);
        const path = `/api/records/${record.id}/files/cached.bin`;
        await putFile(server, path, bytes);
        const etag = `"${sha256(bytes)}"`;
        for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
          const got = await fetchBytes(server, 'GET', path, {
            headers: { 'if-none-match': header },
          });
          assert.equal(got.status, 304, header);
          assert.equal(got.bytes.length, 0);
          assert.equal(got.headers.get('etag'), etag);
        }
        const changed = await fetchBytes(server, 'GET', path, {
          headers: { 'if-none-match': '"something-else"' },
        });
        assert.equal(changed.status, 200);
        const head = await fetchBytes(server, 'HEAD', path);
        assert.equal(head.status, 200);
        assert.equal(head.headers.get('content-length'), '5000');
        assert.equal(head.headers.get('etag'), etag);
        assert.equal(head.bytes.length, 0);
      });

      test('uploads multipart/form-data, naming the file after the part', async () => {
        const record = await newRecord();
        const bytes = randomBytesOf(200_000);
        const form = new FormData();
        form.append('note', 'ignored field before the file');
        form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo «1».png');
        form.append('after', 'ignored field after the file');
        const posted = await fetchBytes(server, 'POST', `/api/records/${record.id}/files`, {
          body: form,
        });
        assert.equal(posted.status, 201, posted.bytes.toString());
        assert.equal(posted.body.name, 'photo «1».png');
        assert.equal(posted.body.size, bytes.length);
        assert.equal(posted.body.sha256, sha256(bytes));
        assert.equal(posted.body.content_type, 'image/png');
        const got = await fetchBytes(
          server,
          'GET',
          `/api/records/${record.id}/files/${encodeURIComponent('photo «1».png')}`,
        );
        assert.equal(sha256(got.bytes), sha256(bytes));
      });

      test('refuses multipart bodies without a file part or with another content type with 400', async () => {
        const record = await newRecord();
        const form = new FormData();
        form.append('other', 'no file here');
        const noFile = await fetchBytes(server, 'POST', `/api/records/${record.id}/files`, {
          body: form,
        });
        assert.equal(noFile.status, 400);
        assert.equal(noFile.body.error.code, 'VALIDATION_FAILED');
        assert.match(noFile.body.error.message, /`file`/);
        const json = await fetchBytes(server, 'POST', `/api/records/${record.id}/files`, {
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(json.status, 400);
        assert.match(json.body.error.message, /multipart\/form-data/);
      });

      test('deletes a file: 204, then 404 FILE_NOT_FOUND, its object kept until a purge and its name free again', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/gone.txt`;
        await putFile(server, path, Buffer.from('bye'));
        const deleted = await fetchBytes(server, 'DELETE', path);
        assert.equal(deleted.status, 204);
        const got = await fetchBytes(server, 'GET', path);
        assert.equal(got.status, 404);
        assert.equal(got.body.error.code, 'FILE_NOT_FOUND');
        assert.equal((await fetchBytes(server, 'DELETE', path)).status, 404);
        const keys = (await testStore.listEverything()).filter((key) =>
          key.includes(`${record.storageId}/`),
        );
        assert.equal(keys.length, 1, 'a soft delete: restore can bring it back');
        const again = await putFile(server, path, Buffer.from('again'));
        assert.equal(again.status, 201);
        assert.equal(again.body.version, 2, 'numbering goes on while version 1 is still stored');
      });

      test("hides a deleted record's files and shows them again when it is restored", async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/kept.txt`;
        await putFile(server, path, Buffer.from('kept'));
        assert.equal((await request(server, 'DELETE', `/api/records/${record.id}`)).status, 204);
        const hidden = await fetchBytes(server, 'GET', path);
        assert.equal(hidden.status, 404);
        assert.equal(hidden.body.error.code, 'RECORD_NOT_FOUND');
        assert.equal((await request(server, 'GET', `/api/records/${record.id}/files`)).status, 404);
        const upload = await putFile(
          server,
          `/api/records/${record.id}/files/new.txt`,
          Buffer.from('x'),
        );
        assert.equal(upload.status, 404);
        const keys = (await testStore.listEverything()).filter((key) =>
          key.includes(`${record.storageId}/`),
        );
        assert.equal(keys.length, 1, 'the object stays until a purge');
        assert.equal(
          (await request(server, 'POST', `/api/records/${record.id}/restore`)).status,
          200,
        );
        assert.equal((await fetchBytes(server, 'GET', path)).bytes.toString(), 'kept');
      });

      test("keeps a dataset's files apart from its record's, under the dataset's own routes", async () => {
        const record = await newRecord();
        const dataset = await request(server, 'POST', `/api/records/${record.id}/datasets`, {
          body: { name: 'raw', data_type: 'csv' },
        });
        assert.equal(dataset.status, 201);
        const datasetPath = `/api/datasets/${dataset.body.id}/files/same.csv`;
        const recordPath = `/api/records/${record.id}/files/same.csv`;
        assert.equal((await putFile(server, datasetPath, Buffer.from('dataset'))).status, 201);
        assert.equal((await putFile(server, recordPath, Buffer.from('record'))).status, 201);
        assert.equal((await fetchBytes(server, 'GET', datasetPath)).bytes.toString(), 'dataset');
        assert.equal((await fetchBytes(server, 'GET', recordPath)).bytes.toString(), 'record');
        const list = await request(server, 'GET', `/api/datasets/${dataset.body.id}/files`);
        assert.deepEqual(
          list.body.items.map((item) => item.name),
          ['same.csv'],
        );
        const keys = await testStore.listEverything();
        assert.ok(
          keys.some((key) => key.includes(`${record.storageId}/datasets/${dataset.body.id}/`)),
          keys.join('\n'),
        );
        assert.equal(
          (await request(server, 'DELETE', `/api/datasets/${dataset.body.id}`)).status,
          204,
        );
        const hidden = await fetchBytes(server, 'GET', datasetPath);
        assert.equal(hidden.status, 404);
        assert.equal(hidden.body.error.code, 'DATASET_NOT_FOUND');
        assert.equal((await fetchBytes(server, 'GET', recordPath)).status, 200);
      });

      test('pages the file list with limit and cursor', async () => {
        const record = await newRecord();
        for (const name of ['a', 'b', 'c']) {
          await putFile(server, `/api/records/${record.id}/files/${name}`, Buffer.from(name));
        }
        const first = await request(server, 'GET', `/api/records/${record.id}/files?limit=2`);
        assert.deepEqual(
          first.body.items.map((item) => item.name),
          ['a', 'b'],
        );
        assert.ok(first.body.next_cursor);
        const second = await request(
          server,
          'GET',
          `/api/records/${record.id}/files?limit=2&cursor=${first.body.next_cursor}`,
        );
        assert.deepEqual(
          second.body.items.map((item) => item.name),
          ['c'],
        );
        assert.equal(second.body.next_cursor, null);
      });

      test(
        kind === 's3'
          ? 'redirects to a presigned URL of the store with ?redirect=true'
          : 'streams the file itself with ?redirect=true, having no URL to redirect to',
        async () => {
          const record = await newRecord();
          const bytes = randomBytesOf(3000);
          const path = `/api/records/${record.id}/files/direct.bin`;
          await putFile(server, path, bytes);
          const got = await fetchBytes(server, 'GET', `${path}?redirect=true`);
          if (kind === 'local') {
            assert.equal(got.status, 200);
            assert.equal(sha256(got.bytes), sha256(bytes));
            return;
          }
          assert.equal(got.status, 302);
          const location = got.headers.get('location') ?? '';
          assert.match(location, /X-Amz-Signature=/);
          const direct = await fetch(location);
          assert.equal(direct.status, 200);
          assert.equal(sha256(Buffer.from(await direct.arrayBuffer())), sha256(bytes));
        },
      );

      test('answers 404 RECORD_NOT_FOUND to an upload for a record that does not exist', async () => {
        const put = await putFile(server, '/api/records/987654321/files/x', Buffer.from('x'));
        assert.equal(put.status, 404);
        assert.equal(put.body.error.code, 'RECORD_NOT_FOUND');
      });

      test('documents every file route in the OpenAPI document', async () => {
        const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
          paths: Record<string, Record<string, unknown>>;
        };
        for (const prefix of ['/api/records/{id}', '/api/datasets/{id}']) {
          assert.deepEqual(Object.keys(document.paths[`${prefix}/files`] ?? {}).sort(), [
            'get',
            'post',
          ]);
          assert.deepEqual(Object.keys(document.paths[`${prefix}/files/{filename}`] ?? {}).sort(), [
            'delete',
            'get',
            'put',
          ]);
        }
      });
    });
  }
});
