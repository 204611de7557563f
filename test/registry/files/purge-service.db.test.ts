// PurgeService on every database, local and S3: a plain purge works from rows alone (the store it
// is given refuses every listing), and purgeOrphans walks the store, bounded and resumable.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import {
  PurgeService,
  type OrphanSweepProgress,
  type PurgedItem,
} from '../../../src/registry/files/purge-service.js';
import type { ObjectStore } from '../../../src/storage/object-store.js';
import { putFile } from '../../support/file-client.js';
import { forEachDialect } from '../../support/for-each-dialect.js';
import { openTestStore, storeKinds, type TestStore } from '../../support/object-stores.js';
import {
  request,
  startRegistryServer,
  type RegistryServer,
} from '../../support/registry-server.js';

const day = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * day).toISOString();
const listings = ['list', 'listUnfinished', 'sweepTemporaryFiles'];

/** `target`, but every listing method throws: what a plain purge must never call. */
function refusingListings<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && listings.includes(property))
        return () => {
          throw new Error(`a plain purge called ${property}`);
        };
      const value: unknown = Reflect.get(object, property, object);
      if (property === 'multipart' && value !== undefined) return refusingListings(value as object);
      return typeof value === 'function' ? (value as () => unknown).bind(object) : value;
    },
  });
}

forEachDialect('PurgeService', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let server: RegistryServer;
      let testStore: TestStore;
      before(async () => {
        testStore = await openTestStore(kind);
        const databaseUrl = await ctx.freshDatabaseUrl();
        server = await startRegistryServer({ databaseUrl, objectStore: testStore.store });
      });
      after(async () => {
        await server?.close();
        await testStore?.close();
      });

      const serviceOn = (store: ObjectStore) => new PurgeService(server.handle, { store });
      const createRecord = async (name: string) => {
        const response = await request(server, 'POST', '/api/records', { body: { name } });
        assert.equal(response.status, 201);
        return { id: String(response.body.id), storageId: String(response.body.storage_id) };
      };
      const storageKeysOf = async (recordId: string) => {
        const rows = await sql<{ storage_key: string }>`select storage_key from files
          where record_id = ${Number(recordId)} order by id`.execute(server.handle.db);
        return rows.rows.map((row) => row.storage_key);
      };
      const stored = async (key: string) => (await testStore.store.head(key)) !== undefined;
      const purgeRows = (items: PurgedItem[], isDryRun = false) =>
        serviceOn(refusingListings(testStore.store)).purge({
          olderThanMs: 30 * day,
          uploadSessionMaxAgeMs: day,
          isDryRun,
          onPurged: (item) => items.push(item),
        });

      test('a plain purge removes what rows name, never lists the store, and keeps what a session references', async () => {
        const db = server.handle.db;
        const gone = await createRecord('gone');
        await putFile(server, `/api/records/${gone.id}/files/a.csv`, Buffer.from('a'));
        await putFile(server, `/api/records/${gone.id}/files/b.csv`, Buffer.from('bb'));
        const goneKeys = await storageKeysOf(gone.id);
        // An object of the deleted record that no row names: only --orphans finds it.
        const rowless = `${gone.storageId}/20260101T000000000Z-0badc0de/rowless.csv`;
        await testStore.store.put(rowless, Readable.from([Buffer.from('rowless')]));
        const live = await createRecord('live');
        const series = `/api/records/${live.id}/files/series.csv`;
        for (const text of ['one', 'two', 'three'])
          await putFile(server, series, Buffer.from(text));
        const [v1 = '', v2 = '', v3 = ''] = await storageKeysOf(live.id);
        await sql`update files set deleted_at = ${daysAgo(40)}, superseded_at = ${daysAgo(40)}
          where record_id = ${Number(live.id)} and version < 3`.execute(db);
        // A session that names v2's key (as one whose complete wrote it would): v2's object stays.
        await sql`insert into upload_sessions (record_id, dataset_id, name, size, content_type, part_size, storage_key, multipart_upload_id, created_at, updated_at)
          values (${Number(live.id)}, ${null}, ${'series.csv'}, ${3}, ${'text/csv'}, ${5242880}, ${v2}, ${'upload-naming-v2'}, ${daysAgo(0)}, ${daysAgo(0)})`.execute(
          db,
        );
        assert.equal((await request(server, 'DELETE', `/api/records/${gone.id}`)).status, 204);
        await sql`update records set deleted_at = ${daysAgo(40)} where id = ${Number(gone.id)}`.execute(
          db,
        );

        const dryItems: PurgedItem[] = [];
        const dry = await purgeRows(dryItems, true);
        assert.deepEqual(
          dryItems
            .map((item) =>
              item.kind === 'object' || item.kind === 'file-version' ? item.key : item.kind,
            )
            .sort(),
          [...goneKeys, v1].sort(),
        );
        assert.equal(dry.objects, 3);
        for (const key of [...goneKeys, v1, v2, v3, rowless]) assert.ok(await stored(key), key);

        const items: PurgedItem[] = [];
        const summary = await purgeRows(items);
        assert.deepEqual(summary, {
          objects: 3,
          bytes: 6,
          uploadSessions: 0,
          orphanedUploads: 0,
          temporaryFiles: 0,
        });
        for (const key of [...goneKeys, v1]) assert.equal(await stored(key), false, key);
        assert.ok(await stored(v2), 'a session still names it');
        assert.ok(await stored(v3), 'the live version stays');
        assert.ok(await stored(rowless), 'no row names it: plain purge does not see it');
        assert.deepEqual(await storageKeysOf(gone.id), []);
        assert.deepEqual(await storageKeysOf(live.id), [v3], "v2's row goes, its object stays");
        assert.deepEqual((await purgeRows([])).objects, 0, 'nothing is found twice');

        await sql`delete from upload_sessions where storage_key = ${v2}`.execute(db);
        const twoDaysAgo = new Date(Math.floor(Date.now() / 1000 - 2 * 86_400) * 1000);
        for (const key of [rowless, v2]) await testStore.setLastModified(key, twoDaysAgo);
        const orphans = await serviceOn(testStore.store).purgeOrphans({
          olderThanMs: day,
          uploadSessionMaxAgeMs: day,
          limit: 10_000,
          isDryRun: false,
        });
        assert.equal(orphans.objects, 2);
        assert.equal(orphans.resumeAfter, undefined);
        assert.equal(await stored(rowless), false);
        assert.equal(await stored(v2), false);
        assert.ok(await stored(v3));
      });

      test('a plain purge goes through a deleted record holding more rows than one page', async () => {
        const db = server.handle.db;
        const big = await createRecord('many rows');
        // Rows whose objects are already gone (an earlier purge removed them, then failed), then
        // one with its object, last by id: only reaching the last page removes it.
        const rows = Array.from({ length: 450 }, (_, i) => ({
          record_id: Number(big.id),
          dataset_id: null,
          name: `f${i}.csv`,
          size: 1,
          sha256: '0'.repeat(64),
          content_type: 'text/csv',
          storage_key: `${big.storageId}/20260101T000000000Z-${String(i).padStart(8, '0')}/f${i}.csv`,
          created_at: daysAgo(50),
          deleted_at: null,
        }));
        for (let i = 0; i < rows.length; i += 150)
          await db
            .insertInto('files')
            .values(rows.slice(i, i + 150))
            .execute();
        await putFile(server, `/api/records/${big.id}/files/last.csv`, Buffer.from('last'));
        const lastKey = (await storageKeysOf(big.id)).at(-1) ?? '';
        assert.equal((await storageKeysOf(big.id)).length, 451);
        assert.equal((await request(server, 'DELETE', `/api/records/${big.id}`)).status, 204);
        await sql`update records set deleted_at = ${daysAgo(40)} where id = ${Number(big.id)}`.execute(
          db,
        );
        const items: PurgedItem[] = [];
        const summary = await purgeRows(items);
        assert.equal(summary.objects, 1);
        assert.deepEqual(
          items.map((item) => (item.kind === 'object' ? item.key : item.kind)),
          [lastKey],
        );
        assert.equal(await stored(lastKey), false);
        assert.deepEqual(await storageKeysOf(big.id), []);
      });

      test('purgeOrphans covers the store in runs of at most `limit` objects, reporting progress', async () => {
        const record = await createRecord('orphans in runs');
        await putFile(server, `/api/records/${record.id}/files/live.csv`, Buffer.from('live'));
        const [liveKey] = await storageKeysOf(record.id);
        const lost = ['1', '2', '3', '4', '5'].map(
          (n) => `${record.storageId}/20260101T000000000Z-0000000${n}/lost.csv`,
        );
        const young = `${record.storageId}/20260101T000000000Z-feedface/young.csv`;
        const twoDaysAgo = new Date(Math.floor(Date.now() / 1000 - 2 * 86_400) * 1000);
        for (const key of [...lost, young])
          await testStore.store.put(key, Readable.from([Buffer.from('x')]));
        for (const key of [...lost, liveKey ?? ''])
          await testStore.setLastModified(key, twoDaysAgo);
        const total = (await testStore.listEverything()).filter(
          (key) => !key.includes('._S3rver_uploads'),
        ).length;
        const limit = Math.floor(total / 2) + 1;
        // Leftovers that no row tracks before every key (0) and after every key (~): the first
        // run sweeps only those in the range it examined, the second the rest.
        const leftoverAt = async (start: string): Promise<() => Promise<boolean>> => {
          const multipart = testStore.store.multipart;
          if (multipart !== undefined) {
            const { uploadId } = await multipart.create(`${start}-upload/u.bin`);
            return async () =>
              (await testStore.listUnfinishedUploads()).some((u) => u.uploadId === uploadId);
          }
          const path = join(
            testStore.store.location,
            `${start}-tmp`,
            '.u.bin.0123456789abcdef.tmp',
          );
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, 'partial');
          await utimes(path, twoDaysAgo, twoDaysAgo);
          return () => Promise.resolve(existsSync(path));
        };
        const isFirstLeft = await leftoverAt('0');
        const isLastLeft = await leftoverAt('~');
        await sleep(20); // the uploads must have started before the sweep's "now"
        const service = serviceOn(testStore.store);
        const sweep = (
          startAfter: string | undefined,
          progress: OrphanSweepProgress[],
          isDryRun = false,
        ) =>
          service.purgeOrphans({
            olderThanMs: day,
            uploadSessionMaxAgeMs: 0,
            limit,
            startAfter,
            isDryRun,
            progressEvery: 1,
            onProgress: (step) => progress.push(step),
          });

        const dry = await sweep(undefined, [], true);
        const inFirstRange = lost.filter((key) => key <= (dry.resumeAfter ?? ''));
        assert.ok(dry.resumeAfter !== undefined, 'the limit stops the first run');
        assert.equal(dry.examined, limit);
        assert.equal(dry.objects, inFirstRange.length);
        for (const key of lost) assert.ok(await stored(key), 'a dry run removes nothing');
        assert.ok((await isFirstLeft()) && (await isLastLeft()), 'a dry run removes nothing');
        const first = await sweep(undefined, []);
        assert.equal(first.resumeAfter, dry.resumeAfter);
        assert.equal(first.objects, inFirstRange.length);
        assert.equal(first.orphanedUploads + first.temporaryFiles, 1);
        assert.equal(await isFirstLeft(), false, 'in the first range');
        assert.ok(await isLastLeft(), 'after the first range');
        for (const key of inFirstRange) assert.equal(await stored(key), false, key);

        const progress: OrphanSweepProgress[] = [];
        const second = await sweep(first.resumeAfter, progress);
        assert.equal(second.resumeAfter, undefined, 'the second run reaches the end');
        assert.equal(first.examined + second.examined, total);
        assert.equal(first.objects + second.objects, lost.length);
        assert.deepEqual(
          progress.map((step) => step.examined),
          progress.map((_, i) => i + 1),
        );
        assert.ok(progress.every((step) => step.lastKey > (first.resumeAfter ?? '')));
        for (const key of lost) assert.equal(await stored(key), false, key);
        assert.equal(second.orphanedUploads + second.temporaryFiles, 1);
        assert.equal(await isLastLeft(), false);
        assert.ok(await stored(young), 'too young to be an orphan');
        assert.ok(await stored(liveKey ?? ''), 'referenced');
      });
    });
  }
});
