// `dataregistry purge` through the built CLI, against a database and a store that a registry
// server filled: on every database, on a local folder and on S3 (s3rver).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachDialect } from '../support/for-each-dialect.js';
import { fetchBytes, putFile, sha256 } from '../support/file-client.js';
import { openTestStore, storeKinds, type TestStore } from '../support/object-stores.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';
import { runCli } from '../support/run-cli.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

forEachDialect('dataregistry purge', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let server: RegistryServer;
      let testStore: TestStore;
      let databaseUrl: string;
      before(async () => {
        testStore = await openTestStore(kind);
        databaseUrl = await ctx.freshDatabaseUrl();
        server = await startRegistryServer({ databaseUrl, objectStore: testStore.store });
      });
      after(async () => {
        await server?.close();
        await testStore?.close();
      });

      /** The CLI, pointed at the same database and store as the server. */
      const purge = (...args: string[]) => purgeWithEnv({}, ...args);
      const purgeWithEnv = (env: Record<string, string>, ...args: string[]) => {
        const storage =
          kind === 'local'
            ? ['--storage', testStore.store.location]
            : [
                '--storage',
                testStore.store.location,
                '--s3-endpoint',
                testStore.s3Endpoint ?? '',
                '--s3-force-path-style',
                '--s3-region',
                'us-east-1',
              ];
        return runCli(['purge', '--db', databaseUrl, ...storage, ...args], {
          env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', ...env },
        });
      };
      const createRecord = async (name: string) => {
        const response = await request(server, 'POST', '/api/records', { body: { name } });
        assert.equal(response.status, 201);
        return { id: response.body.id, storageId: response.body.storage_id };
      };
      const keysOf = async (storageId: string) =>
        (await testStore.listEverything()).filter((key) => key.includes(`${storageId}/`));

      test('removes the objects of records and datasets deleted longer ago, aborts stale uploads, and prints each removal', async () => {
        const gone = await createRecord('deleted long ago');
        await putFile(server, `/api/records/${gone.id}/files/a.csv`, Buffer.from('a'));
        await putFile(server, `/api/records/${gone.id}/files/b.csv`, Buffer.from('bb'));
        const recent = await createRecord('deleted yesterday');
        await putFile(server, `/api/records/${recent.id}/files/r.csv`, Buffer.from('r'));
        const live = await createRecord('live');
        const kept = Buffer.from('kept bytes');
        await putFile(server, `/api/records/${live.id}/files/kept.csv`, kept);
        const dataset = await request(server, 'POST', `/api/records/${live.id}/datasets`, {
          body: { name: 'old dataset', data_type: 'csv' },
        });
        await putFile(server, `/api/datasets/${dataset.body.id}/files/d.csv`, Buffer.from('ddd'));

        let sessionKey: string | undefined;
        let orphanId: string | undefined;
        if (kind === 's3') {
          const session = await request(server, 'POST', `/api/records/${live.id}/uploads`, {
            body: { filename: 'stale.bin', size: 10 },
          });
          assert.equal(session.status, 201);
          sessionKey = 'stale.bin';
          // A multipart upload no session tracks, as a server that crashed mid-upload leaves.
          const multipart = testStore.store.multipart!;
          orphanId = (await multipart.create(`${live.storageId}/orphan/x.bin`)).uploadId;
        }

        for (const path of [
          `/api/records/${gone.id}`,
          `/api/records/${recent.id}`,
          `/api/datasets/${dataset.body.id}`,
        ]) {
          assert.equal((await request(server, 'DELETE', path)).status, 204);
        }
        // As if deleted 40 days ago (the record and the dataset) and idle for 10 days (the session).
        const db = server.handle.db;
        await sql`update records set deleted_at = ${daysAgo(40)} where id = ${Number(gone.id)}`.execute(
          db,
        );
        await sql`update datasets set deleted_at = ${daysAgo(40)} where id = ${Number(dataset.body.id)}`.execute(
          db,
        );
        await sql`update upload_sessions set updated_at = ${daysAgo(10)}`.execute(db);
        await sleep(1100); // the orphaned upload must be older than --upload-session-max-age 1s

        const dry = await purge(
          '--older-than',
          '30d',
          '--upload-session-max-age',
          '1s',
          '--dry-run',
        );
        assert.equal(dry.code, 0, dry.stderr);
        const dryLines = dry.stdout.trim().split('\n');
        assert.ok(
          dryLines.every((line) => line.startsWith('would ')),
          dry.stdout,
        );
        assert.equal(
          dryLines.filter((line) => line.includes(`${gone.storageId}/`)).length,
          2,
          dry.stdout,
        );
        assert.match(dry.stderr, /Dry run: would purge 3 objects \(6 bytes\)/);
        assert.equal((await keysOf(gone.storageId)).length, 2, 'a dry run removes nothing');

        const result = await purge('--older-than', '30d', '--upload-session-max-age', '1s');
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trim().split('\n');
        assert.ok(
          lines.some(
            (line) =>
              line.startsWith('removed object') &&
              line.includes('/a.csv') &&
              line.includes(`record ${gone.id}`),
          ),
          result.stdout,
        );
        assert.ok(
          lines.some(
            (line) => line.includes('/d.csv') && line.includes(`dataset ${dataset.body.id}`),
          ),
          result.stdout,
        );
        assert.match(result.stderr, /^Purged 3 objects \(6 bytes\)/m);
        assert.deepEqual(await keysOf(gone.storageId), []);
        assert.equal((await keysOf(recent.storageId)).length, 1, 'deleted yesterday: kept');
        assert.equal((await keysOf(live.storageId)).length, 1, "the live record's file stays");
        assert.equal(
          sha256((await fetchBytes(server, 'GET', `/api/records/${live.id}/files/kept.csv`)).bytes),
          sha256(kept),
        );
        const rows = await sql<{
          n: number | string;
        }>`select count(*) as n from files where record_id = ${Number(gone.id)}`.execute(db);
        assert.equal(Number(rows.rows[0]?.n), 0, 'the purged files are forgotten');
        if (kind === 's3') {
          assert.ok(
            lines.some(
              (line) => line.startsWith('aborted upload session') && line.includes(sessionKey!),
            ),
            result.stdout,
          );
          assert.match(result.stderr, /, 1 upload session from /);
          // No session tracks the orphan: only the walk of the store finds it.
          assert.deepEqual(
            (await testStore.listUnfinishedUploads()).map((upload) => upload.uploadId),
            [orphanId],
          );
          const orphans = await purge(
            '--orphans',
            '--older-than',
            '30d',
            '--upload-session-max-age',
            '1s',
          );
          assert.equal(orphans.code, 0, orphans.stderr);
          assert.ok(
            orphans.stdout.includes(`aborted multipart upload ${orphanId}`),
            orphans.stdout,
          );
          assert.deepEqual(await testStore.listUnfinishedUploads(), []);
          assert.match(orphans.stderr, /, 1 orphaned multipart upload, /);
        }

        const again = await purge('--older-than', '30d');
        assert.equal(again.code, 0, again.stderr);
        assert.equal(again.stdout, '');
        assert.match(again.stderr, /^Purged 0 objects/m);
        // Restoring a purged record brings it back without files.
        assert.equal(
          (await request(server, 'POST', `/api/records/${gone.id}/restore`)).status,
          200,
        );
        const list = await request(server, 'GET', `/api/records/${gone.id}/files`);
        assert.deepEqual(list.body.items, []);
      });

      test('removes objects that no file or upload session references once older than --older-than, and keeps the rest', async () => {
        const record = await createRecord('crash survivor');
        const db = server.handle.db;
        const storageKeyOf = async (name: string) => {
          const rows = await sql<{
            storage_key: string;
          }>`select storage_key from files where record_id = ${Number(record.id)} and name = ${name}`.execute(
            db,
          );
          return rows.rows[0]?.storage_key ?? '';
        };
        await putFile(server, `/api/records/${record.id}/files/live.csv`, Buffer.from('live'));
        const liveKey = await storageKeyOf('live.csv');
        // A deleted version whose removal failed, deleted too recently for purge to take it.
        await putFile(server, `/api/records/${record.id}/files/old.csv`, Buffer.from('old'));
        const deletedKey = await storageKeyOf('old.csv');
        await sql`update files set deleted_at = ${daysAgo(0)} where storage_key = ${deletedKey}`.execute(
          db,
        );
        // An upload session whose complete assembled the object, not yet followed by the file row.
        const sessionKey = `${record.storageId}/20260101T000000000Z-5e55104a/big.bin`;
        await sql`insert into upload_sessions (record_id, dataset_id, name, size, content_type, part_size, storage_key, multipart_upload_id, created_at, updated_at)
          values (${Number(record.id)}, ${null}, ${'big.bin'}, ${7}, ${'application/octet-stream'}, ${5242880}, ${sessionKey}, ${'upload-of-big-bin'}, ${daysAgo(0)}, ${daysAgo(0)})`.execute(
          db,
        );
        // What a server that crashed between storing an upload and writing its row leaves behind.
        const lostKey = `${record.storageId}/20260101T000000000Z-0badc0de/lost.csv`;
        const recentKey = `${record.storageId}/20260101T000000000Z-feedface/recent.csv`;
        // What others keep in the same bucket or folder: never the registry's to remove, even
        // when laid out like its keys but under no record's storage id.
        const foreignKeys = [
          'reports/q3.pdf',
          `${record.storageId}/notes.txt`,
          'nobody-20260101T000000000Z-abcdef/20260101T000000000Z-0badc0de/x.csv',
        ];
        const store = testStore.store;
        for (const key of foreignKeys) await store.put(key, Readable.from([Buffer.from('theirs')]));
        await store.put(sessionKey, Readable.from([Buffer.from('session')]));
        await store.put(lostKey, Readable.from([Buffer.from('lost bytes')]));
        await store.put(recentKey, Readable.from([Buffer.from('recent')]));
        // In whole seconds: S3 answers LastModified to the second.
        const twoDaysAgo = new Date(Math.floor(Date.now() / 1000 - 2 * 86_400) * 1000);
        for (const key of [liveKey, deletedKey, sessionKey, lostKey, ...foreignKeys])
          await testStore.setLastModified(key, twoDaysAgo);
        const foreignKept = async () => {
          const everything = await testStore.listEverything();
          return foreignKeys.filter((key) => everything.some((path) => path.endsWith(key)));
        };
        // notes.txt sits under the record's storage id too, so it is among the record's keys.
        const everyKey = [
          liveKey,
          deletedKey,
          sessionKey,
          lostKey,
          recentKey,
          foreignKeys[1]!,
        ].sort();
        // The store's keys, without the bucket prefix that s3rver's folder shows.
        const storedKeys = async () =>
          (await keysOf(record.storageId)).map((key) => key.slice(key.indexOf(record.storageId)));

        const plain = await purge('--older-than', '1d');
        assert.equal(plain.code, 0, plain.stderr);
        assert.equal(plain.stdout, '', 'a plain purge works from rows, and no row names them');
        assert.deepEqual(await storedKeys(), everyKey);

        const dry = await purge('--orphans', '--older-than', '1d', '--dry-run');
        assert.equal(dry.code, 0, dry.stderr);
        assert.equal(
          dry.stdout,
          `would remove object ${lostKey} (10 bytes; no file or upload session references it, last modified ${twoDaysAgo.toISOString()})\n`,
        );
        assert.match(dry.stderr, /Dry run: would purge 1 unreferenced object \(10 bytes\)/);
        assert.match(
          dry.stderr,
          /^Examined \d+ objects from the start to the end of the store\.$/m,
        );
        assert.deepEqual(await storedKeys(), everyKey, 'a dry run removes nothing');

        const result = await purge('--orphans', '--older-than', '1d');
        assert.equal(result.code, 0, result.stderr);
        assert.equal(
          result.stdout,
          `removed object ${lostKey} (10 bytes; no file or upload session references it, last modified ${twoDaysAgo.toISOString()})\n`,
        );
        assert.match(result.stderr, /^Purged 1 unreferenced object \(10 bytes\)/m);
        assert.deepEqual(await foreignKept(), foreignKeys, 'what others stored stays');
        assert.deepEqual(
          await storedKeys(),
          everyKey.filter((key) => key !== lostKey),
        );
        assert.equal(
          (
            await fetchBytes(server, 'GET', `/api/records/${record.id}/files/live.csv`)
          ).bytes.toString(),
          'live',
        );

        const again = await purge('--orphans', '--older-than', '1d');
        assert.equal(again.code, 0, again.stderr);
        assert.equal(again.stdout, '');
        assert.match(again.stderr, /^Purged 0 unreferenced objects/m);
      });

      test('purge --orphans --limit stops and says where to resume; --start-after goes on to the end', async () => {
        const record = await createRecord('orphans in two runs');
        const lost = ['a', 'b', 'c', 'd'].map(
          (n) => `${record.storageId}/20260101T000000000Z-0000000${n}/lost.csv`,
        );
        const twoDaysAgo = new Date(Math.floor(Date.now() / 1000 - 2 * 86_400) * 1000);
        for (const key of lost) {
          await testStore.store.put(key, Readable.from([Buffer.from('lost')]));
          await testStore.setLastModified(key, twoDaysAgo);
        }
        const total = (await testStore.listEverything()).length;
        const limit = String(Math.floor(total / 2) + 1);
        const removed = (stdout: string) =>
          lost.filter((key) => stdout.includes(`removed object ${key} `));

        const first = await purge('--orphans', '--older-than', '1d', '--limit', limit);
        assert.equal(first.code, 0, first.stderr);
        const resume =
          /^Examined (\d+) objects from the start up to (\S+), the limit; more remain: run again with --start-after (\S+) to go on\.$/m.exec(
            first.stderr,
          );
        assert.ok(resume, first.stderr);
        assert.equal(resume[1], limit);
        assert.equal(resume[2], resume[3]);
        const second = await purge(
          '--orphans',
          '--older-than',
          '1d',
          '--limit',
          limit,
          '--start-after',
          resume[3] ?? '',
        );
        assert.equal(second.code, 0, second.stderr);
        assert.match(
          second.stderr,
          new RegExp(`^Examined \\d+ objects after ${resume[3]} to the end of the store\\.$`, 'm'),
        );
        assert.deepEqual([...removed(first.stdout), ...removed(second.stdout)], lost);
        assert.deepEqual(
          (await keysOf(record.storageId)).filter((key) => lost.some((k) => key.endsWith(k))),
          [],
        );
      });

      test('refuses --limit and --start-after without --orphans, and a --limit that is not a count', async () => {
        const stray = await purge('--older-than', '30d', '--start-after', 'r/x');
        assert.equal(stray.code, 2);
        assert.match(
          stray.stderr,
          /--start-after bounds the walk of the store, which only purge --orphans does/,
        );
        const zero = await purge('--orphans', '--older-than', '30d', '--limit', '0');
        assert.equal(zero.code, 2);
        assert.match(zero.stderr, /--limit `0` is not a positive whole number/);
      });

      test('removes versions superseded and files deleted longer ago, keeping the latest versions and what is recent', async () => {
        const record = await createRecord('versions to purge');
        const db = server.handle.db;
        const series = `/api/records/${record.id}/files/series.csv`;
        for (const text of ['one', 'two', 'three'])
          await putFile(server, series, Buffer.from(text));
        const dropped = `/api/records/${record.id}/files/dropped.csv`;
        for (const text of ['d1', 'd2']) await putFile(server, dropped, Buffer.from(text));
        assert.equal((await fetchBytes(server, 'DELETE', dropped)).status, 204);
        const recent = `/api/records/${record.id}/files/recent.csv`;
        await putFile(server, recent, Buffer.from('r1'));
        await putFile(server, recent, Buffer.from('r2'));
        // Versions 1 and 2 of series.csv superseded 40 days ago, dropped.csv deleted 40 days ago
        // (its version 1 superseded before); recent.csv's version 1 superseded just now.
        await sql`update files set deleted_at = ${daysAgo(40)}, superseded_at = ${daysAgo(40)}
          where name = ${'series.csv'} and version < 3 and record_id = ${Number(record.id)}`.execute(
          db,
        );
        await sql`update files set deleted_at = ${daysAgo(41)}, superseded_at = ${daysAgo(41)}
          where name = ${'dropped.csv'} and version = 1 and record_id = ${Number(record.id)}`.execute(
          db,
        );
        await sql`update files set deleted_at = ${daysAgo(40)}
          where name = ${'dropped.csv'} and version = 2 and record_id = ${Number(record.id)}`.execute(
          db,
        );
        assert.equal((await keysOf(record.storageId)).length, 7);

        const dry = await purge('--older-than', '30d', '--dry-run');
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(dry.stderr, /would purge 4 objects \(10 bytes\)/);
        assert.equal((await keysOf(record.storageId)).length, 7, 'a dry run removes nothing');
        // The two newest versions of each live file stay, however old: series.csv's version 2.
        const keeping = await purge('--older-than', '30d', '--keep-versions', '2', '--dry-run');
        assert.match(keeping.stderr, /would purge 3 objects \(7 bytes\)/);
        const kept = await purgeWithEnv(
          { DATA_REGISTRY_KEEP_VERSIONS: '2' },
          '--older-than',
          '30d',
        );
        assert.equal(kept.code, 0, kept.stderr);
        assert.match(kept.stderr, /Purged 3 objects \(7 bytes\)/);
        const keptVersions = await request(server, 'GET', `${series}/versions`);
        assert.deepEqual(
          keptVersions.body.items.map((item) => item.version),
          [3, 2],
        );
        const result = await purge('--older-than', '30d');
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trim().split('\n');
        assert.equal(
          lines.filter((line) => /superseded file version/.test(line)).length,
          1,
          result.stdout,
        );
        const versions = await request(server, 'GET', `${series}/versions`);
        assert.deepEqual(
          versions.body.items.map((item) => item.version),
          [3],
        );
        assert.equal((await fetchBytes(server, 'GET', series)).bytes.toString(), 'three');
        const recentVersions = await request(server, 'GET', `${recent}/versions`);
        assert.deepEqual(
          recentVersions.body.items.map((item) => item.version),
          [2, 1],
        );
        const restore = await request(server, 'POST', `${dropped}/restore`);
        assert.equal(restore.status, 404, 'a purged file cannot be restored');
        assert.equal(restore.body.error.code, 'FILE_NOT_FOUND');
        assert.equal((await keysOf(record.storageId)).length, 3);
      });

      test('refuses an --older-than that is not a duration, with exit status 2', async () => {
        const result = await purge('--older-than', 'thirty days');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /--older-than `thirty days` is not a duration/);
      });
    });
  }
});
