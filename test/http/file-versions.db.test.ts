import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import { registryDb } from '../../src/registry/database.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { fetchBytes, putFile, randomBytesOf, sha256 } from '../support/file-client.js';
import { openTestStore, storeKinds, type TestStore } from '../support/object-stores.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

const reprDigest = (bytes: Buffer) =>
  `sha-256=:${Buffer.from(sha256(bytes), 'hex').toString('base64')}:`;

forEachDialect('file versions over HTTP', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let server: RegistryServer;
      let testStore: TestStore;
      before(async () => {
        testStore = await openTestStore(kind);
        server = await startRegistryServer({
          databaseUrl: await ctx.freshDatabaseUrl(),
          objectStore: testStore.store,
        });
      });
      after(async () => {
        await server?.close();
        await testStore?.close();
      });

      let recordCount = 0;
      const newRecord = async (): Promise<{ id: string; storageId: string }> => {
        const response = await request(server, 'POST', '/api/records', {
          body: { name: `versions ${recordCount++}` },
        });
        assert.equal(response.status, 201);
        return { id: response.body.id, storageId: response.body.storage_id };
      };
      const objectsOf = async (record: { storageId: string }) =>
        (await testStore.listEverything()).filter((key) => key.includes(`${record.storageId}/`));
      const versionsOf = async (path: string) => {
        const listed = await request(server, 'GET', `${path}/versions`);
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        return listed.body.items.map((item) => item.version);
      };

      test('lists versions newest first in pages, and reads each with ?version=N (Range, ETag, Repr-Digest, HEAD)', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/series.txt`;
        const contents = ['first', 'second!', 'third one'].map((text) => Buffer.from(text));
        for (const [index, bytes] of contents.entries()) {
          const put = await putFile(server, path, bytes, { 'content-type': 'text/plain' });
          assert.equal(put.body.version, index + 1);
        }
        const pages: unknown[][] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor === null ? '' : `&cursor=${cursor}`;
          const page = await request(server, 'GET', `${path}/versions?limit=2${query}`);
          assert.equal(page.status, 200, JSON.stringify(page.body));
          pages.push(page.body.items.map((item) => [item.version, item.size, item.sha256]));
          cursor = page.body.next_cursor;
        } while (cursor !== null);
        assert.deepEqual(pages, [
          [
            [3, 9, sha256(contents[2]!)],
            [2, 7, sha256(contents[1]!)],
          ],
          [[1, 5, sha256(contents[0]!)]],
        ]);
        const listed = await request(server, 'GET', `${path}/versions`);
        assert.deepEqual(Object.keys(listed.body.items[0]!).sort(), [
          'content_type',
          'created_at',
          'created_by',
          'sha256',
          'size',
          'version',
        ]);
        assert.equal(listed.body.items[0]!.created_by, null);
        const second = await fetchBytes(server, 'GET', `${path}?version=2`);
        assert.equal(second.bytes.toString(), 'second!');
        assert.equal(second.headers.get('etag'), `"${sha256(contents[1]!)}"`);
        assert.equal(second.headers.get('repr-digest'), reprDigest(contents[1]!));
        assert.equal(second.headers.get('x-file-version'), '2');
        const ranged = await fetchBytes(server, 'GET', `${path}?version=1`, {
          headers: { range: 'bytes=1-3' },
        });
        assert.equal(ranged.status, 206);
        assert.equal(ranged.bytes.toString(), 'irs');
        assert.equal(ranged.headers.get('repr-digest'), reprDigest(contents[0]!));
        const cached = await fetchBytes(server, 'GET', `${path}?version=1`, {
          headers: { 'if-none-match': `"${sha256(contents[0]!)}"` },
        });
        assert.equal(cached.status, 304);
        const head = await fetchBytes(server, 'HEAD', `${path}?version=2`);
        assert.equal(head.headers.get('content-length'), '7');
        const latest = await fetchBytes(server, 'GET', path);
        assert.equal(latest.bytes.toString(), 'third one');
        assert.equal(latest.headers.get('repr-digest'), reprDigest(contents[2]!));
        const missing = await fetchBytes(server, 'GET', `${path}?version=4`);
        assert.equal(missing.status, 404);
        assert.equal(missing.body.error.code, 'FILE_VERSION_NOT_FOUND');
        const invalid = await fetchBytes(server, 'GET', `${path}?version=0`);
        assert.equal(invalid.status, 400);
        assert.equal(invalid.body.error.code, 'VALIDATION_FAILED');
        const noFile = await request(
          server,
          'GET',
          `/api/records/${record.id}/files/none/versions`,
        );
        assert.equal(noFile.status, 404);
        assert.equal(noFile.body.error.code, 'FILE_NOT_FOUND');
        const listing = await request(server, 'GET', `/api/records/${record.id}/files`);
        assert.deepEqual(
          listing.body.items.map((item) => [item.name, item.version]),
          [['series.txt', 3]],
        );
      });

      if (kind === 's3') {
        test('redirects ?version=N&redirect=true to the bytes of that version', async () => {
          const record = await newRecord();
          const path = `/api/records/${record.id}/files/moved.bin`;
          const first = randomBytesOf(1000);
          await putFile(server, path, first);
          await putFile(server, path, randomBytesOf(2000));
          const redirected = await fetchBytes(server, 'GET', `${path}?version=1&redirect=true`);
          assert.equal(redirected.status, 302);
          const location = redirected.headers.get('location') ?? '';
          const followed = Buffer.from(await (await fetch(location)).arrayBuffer());
          assert.equal(sha256(followed), sha256(first));
        });
      }

      test('deletes one version: the latest makes the previous one latest, an earlier one leaves the list, the only one deletes the file', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/pruned.txt`;
        for (const text of ['v1', 'v2', 'v3', 'v4']) await putFile(server, path, Buffer.from(text));
        assert.equal((await fetchBytes(server, 'DELETE', `${path}?version=4`)).status, 204);
        assert.equal((await fetchBytes(server, 'GET', path)).bytes.toString(), 'v3');
        assert.deepEqual(await versionsOf(path), [3, 2, 1]);
        assert.equal((await fetchBytes(server, 'DELETE', `${path}?version=2`)).status, 204);
        assert.deepEqual(await versionsOf(path), [3, 1]);
        const gone = await fetchBytes(server, 'GET', `${path}?version=2`);
        assert.equal(gone.body.error.code, 'FILE_VERSION_NOT_FOUND');
        const again = await fetchBytes(server, 'DELETE', `${path}?version=2`);
        assert.equal(again.status, 404);
        assert.equal(again.body.error.code, 'FILE_VERSION_NOT_FOUND');
        const next = await putFile(server, path, Buffer.from('v5'));
        assert.equal(next.body.version, 5, 'numbers are never reused while a version is stored');
        const single = `/api/records/${record.id}/files/single.txt`;
        await putFile(server, single, Buffer.from('only'));
        assert.equal((await fetchBytes(server, 'DELETE', `${single}?version=1`)).status, 204);
        assert.equal((await fetchBytes(server, 'GET', single)).body.error.code, 'FILE_NOT_FOUND');
        assert.equal((await objectsOf(record)).length, 6, 'soft deletes: purge removes objects');
      });

      test('deletes a file with all its versions, and restores it with them', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/undo.txt`;
        for (const text of ['one', 'two', 'three']) await putFile(server, path, Buffer.from(text));
        assert.equal((await fetchBytes(server, 'DELETE', path)).status, 204);
        assert.equal((await fetchBytes(server, 'GET', path)).body.error.code, 'FILE_NOT_FOUND');
        assert.equal((await request(server, 'GET', `${path}/versions`)).status, 404);
        const listing = await request(server, 'GET', `/api/records/${record.id}/files`);
        assert.deepEqual(listing.body.items, []);
        const restored = await request(server, 'POST', `${path}/restore`);
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.equal(restored.body.version, 3);
        assert.equal(restored.body.sha256, sha256(Buffer.from('three')));
        assert.deepEqual(await versionsOf(path), [3, 2, 1]);
        assert.equal(
          (await fetchBytes(server, 'GET', `${path}?version=1`)).bytes.toString(),
          'one',
        );
        const live = await request(server, 'POST', `${path}/restore`);
        assert.equal(live.status, 409);
        assert.equal(live.body.error.code, 'FILE_NOT_DELETED');
        const never = await request(
          server,
          'POST',
          `/api/records/${record.id}/files/never/restore`,
        );
        assert.equal(never.status, 404);
        assert.equal(never.body.error.code, 'FILE_NOT_FOUND');
      });

      test('lists the deleted files restore can bring back (?deleted=true), one per name, in pages', async () => {
        const record = await newRecord();
        const files = `/api/records/${record.id}/files`;
        const put = (name: string, text: string) =>
          putFile(server, `${files}/${name}`, Buffer.from(text));
        const remove = async (path: string) =>
          assert.equal((await fetchBytes(server, 'DELETE', `${files}/${path}`)).status, 204);
        await put('a.txt', 'a1');
        await put('a.txt', 'a2');
        await remove('a.txt');
        await put('b.txt', 'b1');
        await put('b.txt', 'b2');
        await remove('b.txt?version=1'); // b.txt is live: not a deleted file
        await put('c.txt', 'c1');
        await remove('c.txt');
        await put('c.txt', 'c again'); // live again under its name
        await put('d.txt', 'd1');
        await remove('d.txt');
        await put('d.txt', 'd2');
        await remove('d.txt'); // deleted twice: listed once, as the version restore picks
        const listed = await request(server, 'GET', `${files}?deleted=true`);
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        assert.deepEqual(
          listed.body.items.map((item) => [item.name, item.version, typeof item.deleted_at]),
          [
            ['a.txt', 2, 'string'],
            ['d.txt', 2, 'string'],
          ],
        );
        const first = await request(server, 'GET', `${files}?deleted=true&limit=1`);
        assert.deepEqual(
          first.body.items.map((item) => item.name),
          ['a.txt'],
        );
        const second = await request(
          server,
          'GET',
          `${files}?deleted=true&limit=1&cursor=${first.body.next_cursor}`,
        );
        assert.deepEqual(
          second.body.items.map((item) => item.name),
          ['d.txt'],
        );
        const wrongCursor = await request(
          server,
          'GET',
          `${files}?cursor=${first.body.next_cursor}`,
        );
        assert.equal(wrongCursor.status, 400);
        const live = await request(server, 'GET', files);
        assert.deepEqual(live.body.items.map((item) => item.name).sort(), ['b.txt', 'c.txt']);
        assert.ok(live.body.items.every((item) => !('deleted_at' in item)));
        assert.equal((await request(server, 'POST', `${files}/a.txt/restore`)).status, 200);
        const after = await request(server, 'GET', `${files}?deleted=true`);
        assert.deepEqual(
          after.body.items.map((item) => item.name),
          ['d.txt'],
        );
      });

      test('restores the version that was latest when the file was deleted, not one deleted before', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/twice.txt`;
        for (const text of ['a', 'b', 'c']) await putFile(server, path, Buffer.from(text));
        assert.equal((await fetchBytes(server, 'DELETE', `${path}?version=3`)).status, 204);
        assert.equal((await fetchBytes(server, 'DELETE', path)).status, 204);
        const restored = await request(server, 'POST', `${path}/restore`);
        assert.equal(restored.body.version, 2);
        assert.deepEqual(await versionsOf(path), [2, 1]);
      });

      test('restores the newest kept version that still has its object when the latest lost it', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/lost.txt`;
        for (const text of ['kept one', 'kept two', 'latest']) {
          await putFile(server, path, Buffer.from(text));
        }
        assert.equal((await fetchBytes(server, 'DELETE', path)).status, 204);
        // What a server of the release before versions does with what it deletes or replaces:
        // the object goes at once. Here the latest version's and version 2's.
        const db = registryDb(server.handle);
        const rows = await db
          .selectFrom('files')
          .select(['storage_key', 'version'])
          .where('record_id', '=', Number(record.id))
          .where('name', '=', 'lost.txt')
          .execute();
        for (const row of rows.filter((row) => row.version !== 1)) {
          await testStore.store.delete(row.storage_key);
        }
        const restored = await request(server, 'POST', `${path}/restore`);
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.equal(restored.body.version, 1);
        assert.equal((await fetchBytes(server, 'GET', path)).bytes.toString(), 'kept one');
        assert.deepEqual(await versionsOf(path), [1]);
      });

      test('If-None-Match: * uploads only a new name: 412 FILE_EXISTS leaves no row, object or temporary file', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/once.bin`;
        const created = await putFile(server, path, Buffer.from('first'), { 'if-none-match': '*' });
        assert.equal(created.status, 201);
        const before = await objectsOf(record);
        const refused = await putFile(server, path, randomBytesOf(100_000), {
          'if-none-match': '*',
        });
        assert.equal(refused.status, 412, refused.bytes.toString());
        assert.equal(refused.body.error.code, 'FILE_EXISTS');
        assert.match(refused.body.error.message, /version 1/);
        assert.deepEqual(await objectsOf(record), before);
        assert.deepEqual(await versionsOf(path), [1]);
        const form = new FormData();
        form.append('file', new Blob([Buffer.from('form')]), 'once.bin');
        const posted = await fetchBytes(server, 'POST', `/api/records/${record.id}/files`, {
          body: form,
          headers: { 'if-none-match': '*' },
        });
        assert.equal(posted.status, 412);
        assert.equal(posted.body.error.code, 'FILE_EXISTS');
        assert.deepEqual(await objectsOf(record), before);
        const other = await fetchBytes(server, 'PUT', path, {
          body: 'x',
          headers: { 'if-none-match': '"abc"' },
        });
        assert.equal(other.status, 400);
        assert.equal(other.body.error.code, 'VALIDATION_FAILED');
      });

      test('two concurrent If-None-Match: * uploads of one name: exactly one wins, the other leaves nothing', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/race.bin`;
        const bodies = [randomBytesOf(300_000), randomBytesOf(300_000)];
        const results = await Promise.all(
          bodies.map((bytes) => putFile(server, path, bytes, { 'if-none-match': '*' })),
        );
        assert.deepEqual(
          results.map((result) => result.status).sort(),
          [201, 412],
          results.map((result) => result.bytes.toString()).join('\n'),
        );
        const winner = results.find((result) => result.status === 201);
        const loser = results.find((result) => result.status === 412);
        assert.equal(loser?.body.error.code, 'FILE_EXISTS');
        assert.deepEqual(await versionsOf(path), [1]);
        const got = await fetchBytes(server, 'GET', path);
        assert.equal(sha256(got.bytes), winner?.body.sha256);
        assert.equal((await objectsOf(record)).length, 1, (await objectsOf(record)).join('\n'));
      });

      test('If-Match with the latest ETag adds a version; with a stale one, 412 FILE_CHANGED and nothing kept', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/edited.txt`;
        const first = await putFile(server, path, Buffer.from('draft'));
        const etagOfFirst = `"${first.body.sha256}"`;
        const second = await putFile(server, path, Buffer.from('edited'), {
          'if-match': etagOfFirst,
        });
        assert.equal(second.status, 200, second.bytes.toString());
        assert.equal(second.body.version, 2);
        const before = await objectsOf(record);
        const stale = await putFile(server, path, Buffer.from('edited from the draft'), {
          'if-match': etagOfFirst,
        });
        assert.equal(stale.status, 412);
        assert.equal(stale.body.error.code, 'FILE_CHANGED');
        assert.match(stale.body.error.message, /version 2/);
        assert.deepEqual(await objectsOf(record), before);
        assert.deepEqual(await versionsOf(path), [2, 1]);
        const absent = await putFile(
          server,
          `/api/records/${record.id}/files/absent.txt`,
          Buffer.from('x'),
          { 'if-match': etagOfFirst },
        );
        assert.equal(absent.status, 412);
        assert.equal(absent.body.error.code, 'FILE_CHANGED');
      });

      test('verifies a declared SHA-256 (x-amz-checksum-sha256, Repr-Digest) on PUT and multipart: a mismatch is 400 CHECKSUM_MISMATCH and keeps nothing', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/checked.bin`;
        const bytes = randomBytesOf(200_000);
        const base64 = (data: Buffer) => Buffer.from(sha256(data), 'hex').toString('base64');
        const good = await putFile(server, path, bytes, { 'x-amz-checksum-sha256': base64(bytes) });
        assert.equal(good.status, 201, good.bytes.toString());
        const viaRepr = await putFile(server, path, bytes, {
          'repr-digest': `sha-512=:${'A'.repeat(86)}==:, sha-256=:${base64(bytes)}:`,
        });
        assert.equal(viaRepr.status, 200, viaRepr.bytes.toString());
        const before = await objectsOf(record);
        const other = randomBytesOf(10);
        const mismatches = [
          await putFile(server, path, bytes, { 'x-amz-checksum-sha256': base64(other) }),
          await putFile(server, path, bytes, { 'repr-digest': `sha-256=:${base64(other)}:` }),
        ];
        const form = new FormData();
        form.append('file', new Blob([bytes]), 'checked.bin');
        mismatches.push(
          await fetchBytes(server, 'POST', `/api/records/${record.id}/files`, {
            body: form,
            headers: { 'x-amz-checksum-sha256': base64(other) },
          }),
        );
        for (const answer of mismatches) {
          assert.equal(answer.status, 400, answer.bytes.toString());
          assert.equal(answer.body.error.code, 'CHECKSUM_MISMATCH');
          assert.match(answer.body.error.message, new RegExp(sha256(bytes)));
        }
        assert.deepEqual(await objectsOf(record), before, 'no object, no temporary file');
        assert.deepEqual(await versionsOf(path), [2, 1]);
        const malformed = await putFile(server, path, bytes, { 'x-amz-checksum-sha256': 'abc' });
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.error.code, 'VALIDATION_FAILED');
        const disagreeing = await putFile(server, path, bytes, {
          'x-amz-checksum-sha256': base64(bytes),
          'repr-digest': `sha-256=:${base64(other)}:`,
        });
        assert.equal(disagreeing.body.error.code, 'VALIDATION_FAILED');
      });

      test('reads right what a server of the release before wrote: a live row without a version is the one after the highest, and the number sticks', async () => {
        const record = await newRecord();
        const path = `/api/records/${record.id}/files/mixed.txt`;
        await putFile(server, path, Buffer.from('new server 1'));
        await putFile(server, path, Buffer.from('new server 2'));
        // What the older server's upload does: the live row marked deleted, a row inserted
        // without the new columns, the replaced version's object removed.
        const db = registryDb(server.handle);
        const live = await db
          .selectFrom('files')
          .select(['id', 'storage_key', 'record_id', 'name'])
          .where('record_id', '=', Number(record.id))
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow();
        const oldServerKey = `${record.storageId}/20261203T000000000Z-0badc0de/mixed.txt`;
        const bytes = Buffer.from('older server');
        await testStore.store.put(oldServerKey, Readable.from([bytes]), {
          contentType: 'text/plain',
          maxBytes: 1000,
        });
        const now = new Date().toISOString();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('files')
            .set({ deleted_at: now })
            .where('id', '=', live.id)
            .execute();
          await trx
            .insertInto('files')
            .values({
              record_id: live.record_id,
              dataset_id: null,
              name: live.name,
              size: bytes.length,
              sha256: sha256(bytes),
              content_type: 'text/plain',
              storage_key: oldServerKey,
              created_at: now,
              deleted_at: null,
            })
            .execute();
        });
        await testStore.store.delete(live.storage_key);
        const got = await fetchBytes(server, 'GET', path);
        assert.equal(got.bytes.toString(), 'older server');
        assert.equal(got.headers.get('x-file-version'), '3');
        assert.deepEqual(await versionsOf(path), [3, 1], 'version 2 lost its object: not listed');
        assert.equal((await fetchBytes(server, 'GET', `${path}?version=3`)).status, 200);
        const next = await putFile(server, path, Buffer.from('new server again'));
        assert.equal(next.body.version, 4);
        assert.deepEqual(await versionsOf(path), [4, 3, 1]);
        assert.equal(
          (await fetchBytes(server, 'GET', `${path}?version=3`)).bytes.toString(),
          'older server',
        );
      });
    });
  }

  describe('with API keys', () => {
    let server: RegistryServer;
    let testStore: TestStore;
    before(async () => {
      testStore = await openTestStore('local');
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
        verifier: {
          isAuthRequired: () => Promise.resolve(true),
          verify: () => Promise.resolve('write'),
          verifyKey: (token) => Promise.resolve({ scope: 'write', name: `key of ${token}` }),
        },
      });
    });
    after(async () => {
      await server?.close();
      await testStore?.close();
    });

    test("records the uploading API key's name as created_by of each version", async () => {
      const record = await request(server, 'POST', '/api/records', {
        body: { name: 'keyed' },
        headers: { authorization: 'Bearer alice' },
      });
      const path = `/api/records/${record.body.id}/files/who.txt`;
      await putFile(server, path, Buffer.from('a'), { authorization: 'Bearer alice' });
      await putFile(server, path, Buffer.from('b'), { authorization: 'Bearer bob' });
      const listed = await request(server, 'GET', `${path}/versions`, {
        headers: { authorization: 'Bearer carol' },
      });
      assert.deepEqual(
        listed.body.items.map((item) => [item.version, item.created_by]),
        [
          [2, 'key of bob'],
          [1, 'key of alice'],
        ],
      );
    });
  });
});
