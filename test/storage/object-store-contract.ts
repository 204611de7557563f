// The object store contract: one suite of behaviours every ObjectStore must have, run against
// each implementation (object-store.test.ts). What is left behind is checked through the
// harness, which reads the folder or the S3 server directly rather than through the store.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isDataRegistryError, type ErrorCode } from '../../src/shared/errors.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

export interface StoreHarness {
  readonly store: ObjectStore;
  /** The part size `put` uses (S3) — bodies larger than it take the multipart path. */
  readonly partSize: number;
  /**
   * What the backing folder or bucket holds under `prefix`, read without the store: `objects`
   * (keys, sorted) and `leftovers` (temporary files, unfinished multipart uploads).
   */
  inspect(prefix: string): Promise<{ objects: string[]; leftovers: string[] }>;
  close(): Promise<void>;
}

const mebibyte = 1024 * 1024;

export function describeObjectStoreContract(
  name: string,
  openHarness: () => Promise<StoreHarness>,
): void {
  void describe(`object store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: ObjectStore;
    let testNumber = 0;
    /** A key prefix of its own for each test, so tests never see each other's objects. */
    const freshPrefix = () => `t${(testNumber += 1)}-${randomBytes(3).toString('hex')}/`;
    const assertNothingUnder = async (prefix: string, objects: string[] = []) => {
      assert.deepEqual(await harness.inspect(prefix), { objects, leftovers: [] });
    };

    before(async () => {
      harness = await openHarness();
      store = harness.store;
    });
    after(async () => {
      await harness.close();
    });

    test('stores a body and reads it back, with its size and SHA-256', async () => {
      const prefix = freshPrefix();
      const bytes = randomBytes(100_000);
      const stored = await store.put(`${prefix}data.csv`, streamOf(bytes), {
        contentType: 'text/csv',
      });
      assert.deepEqual(stored, { size: bytes.length, sha256: sha256Of(bytes) });
      const { body, size } = await store.get(`${prefix}data.csv`);
      assert.equal(size, bytes.length);
      assert.deepEqual(await readAll(body), bytes);
      const info = await store.head(`${prefix}data.csv`);
      assert.equal(info?.key, `${prefix}data.csv`);
      assert.equal(info?.size, bytes.length);
      assert.ok(info.lastModified instanceof Date);
      await assertNothingUnder(prefix, [`${prefix}data.csv`]);
    });

    test('stores an empty body', async () => {
      const key = `${freshPrefix()}empty`;
      assert.deepEqual(await store.put(key, streamOf(Buffer.alloc(0))), {
        size: 0,
        sha256: sha256Of(Buffer.alloc(0)),
      });
      const { body, size } = await store.get(key);
      assert.equal(size, 0);
      assert.equal((await readAll(body)).length, 0);
      assert.equal((await store.head(key))?.size, 0);
    });

    test('stores a body larger than the part size, streamed in small chunks', async () => {
      const prefix = freshPrefix();
      const bytes = randomBytes(2 * harness.partSize + 12_345);
      const stored = await store.put(`${prefix}big.bin`, streamOf(bytes, 64 * 1024), {
        expectedSize: bytes.length,
      });
      assert.deepEqual(stored, { size: bytes.length, sha256: sha256Of(bytes) });
      const { body, size } = await store.get(`${prefix}big.bin`);
      assert.equal(size, bytes.length);
      assert.equal(sha256Of(await readAll(body)), stored.sha256);
      await assertNothingUnder(prefix, [`${prefix}big.bin`]);
    });

    test('reads byte ranges, inclusive, clamping an end past the last byte', async () => {
      const key = `${freshPrefix()}ranges.bin`;
      const bytes = randomBytes(50_000);
      await store.put(key, streamOf(bytes));
      const cases = [
        { start: 0, end: 0, expected: bytes.subarray(0, 1) },
        { start: 10, end: 19, expected: bytes.subarray(10, 20) },
        { start: 49_999, end: 49_999, expected: bytes.subarray(49_999) },
        { start: 40_000, end: 10_000_000, expected: bytes.subarray(40_000) },
      ];
      for (const { start, end, expected } of cases) {
        const { body, size } = await store.get(key, { range: { start, end } });
        assert.equal(size, expected.length, `size of ${start}-${end}`);
        assert.deepEqual(await readAll(body), expected, `bytes ${start}-${end}`);
      }
    });

    test('refuses a range that selects no byte', async () => {
      const key = `${freshPrefix()}short.bin`;
      await store.put(key, streamOf(randomBytes(100)));
      await assertRejectsWith(
        store.get(key, { range: { start: 100, end: 200 } }),
        'VALIDATION_FAILED',
      );
      await assertRejectsWith(
        store.get(key, { range: { start: 20, end: 10 } }),
        'VALIDATION_FAILED',
      );
      await assertRejectsWith(
        store.get(key, { range: { start: -1, end: 10 } }),
        'VALIDATION_FAILED',
      );
    });

    test('answers OBJECT_NOT_FOUND for get, and undefined for head, of a missing key', async () => {
      const key = `${freshPrefix()}missing`;
      await assertRejectsWith(store.get(key), 'OBJECT_NOT_FOUND');
      await assertRejectsWith(store.get(key, { range: { start: 0, end: 1 } }), 'OBJECT_NOT_FOUND');
      assert.equal(await store.head(key), undefined);
    });

    test('replaces an existing object', async () => {
      const prefix = freshPrefix();
      await store.put(`${prefix}f`, streamOf(Buffer.from('version one')));
      const second = randomBytes(harness.partSize + 1000);
      await store.put(`${prefix}f`, streamOf(second));
      assert.deepEqual(await readAll((await store.get(`${prefix}f`)).body), second);
      await assertNothingUnder(prefix, [`${prefix}f`]);
    });

    test('a reader that started before a replace reads the old object to its end', async () => {
      const key = `${freshPrefix()}f`;
      const old = Buffer.alloc(4 * mebibyte, 'a');
      await store.put(key, streamOf(old));
      const { body } = await store.get(key);
      const chunks: Buffer[] = [];
      const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await iterator.next();
      chunks.push(first.value as Buffer);
      await store.put(key, streamOf(Buffer.alloc(4 * mebibyte, 'b')));
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
        chunks.push(next.value);
      assert.ok(Buffer.concat(chunks).equals(old), 'the reader saw only the old bytes');
      assert.equal((await readAll((await store.get(key)).body)).at(0), 'b'.charCodeAt(0));
    });

    for (const size of ['small', 'multipart'] as const) {
      test(`a body that fails mid-way (${size}) rejects with its error and leaves nothing`, async () => {
        const prefix = freshPrefix();
        const total = size === 'small' ? 200_000 : 2 * harness.partSize + 1000;
        const failure = new Error('client went away');
        const body = streamOf(randomBytes(total), 64 * 1024, {
          at: total - 50_000,
          act: (stream) => stream.destroy(failure),
        });
        await assert.rejects(store.put(`${prefix}f`, body), (error) => error === failure);
        await assertNothingUnder(prefix);
      });

      test(`an aborted signal (${size}) rejects with its reason and leaves nothing`, async () => {
        const prefix = freshPrefix();
        const total = size === 'small' ? 200_000 : 2 * harness.partSize + 1000;
        const controller = new AbortController();
        const reason = new Error('request aborted');
        const body = streamOf(randomBytes(total), 64 * 1024, {
          at: total - 50_000,
          act: () => controller.abort(reason),
        });
        await assert.rejects(
          store.put(`${prefix}f`, body, { signal: controller.signal }),
          (error) => error === reason,
        );
        assert.ok(body.destroyed, 'the body is destroyed');
        await assertNothingUnder(prefix);
      });

      test(`more than maxBytes (${size}) is FILE_TOO_LARGE and leaves nothing`, async () => {
        const prefix = freshPrefix();
        const maxBytes = size === 'small' ? 100_000 : 2 * harness.partSize;
        const body = streamOf(randomBytes(maxBytes + 1));
        await assertRejectsWith(store.put(`${prefix}f`, body, { maxBytes }), 'FILE_TOO_LARGE');
        await assertNothingUnder(prefix);
      });
    }

    test('a failed replace leaves the previous object as it was', async () => {
      const prefix = freshPrefix();
      const original = randomBytes(10_000);
      await store.put(`${prefix}f`, streamOf(original));
      const total = 2 * harness.partSize + 1000;
      const body = streamOf(randomBytes(total), 64 * 1024, {
        at: total - 1000,
        act: (stream) => stream.destroy(new Error('boom')),
      });
      await assert.rejects(store.put(`${prefix}f`, body), /boom/);
      await assertRejectsWith(
        store.put(`${prefix}f`, streamOf(randomBytes(20_000)), { maxBytes: 15_000 }),
        'FILE_TOO_LARGE',
      );
      assert.deepEqual(await readAll((await store.get(`${prefix}f`)).body), original);
      await assertNothingUnder(prefix, [`${prefix}f`]);
    });

    test('a signal aborted before the put starts stores nothing', async () => {
      const prefix = freshPrefix();
      const reason = new Error('too late');
      const body = streamOf(randomBytes(1000));
      await assert.rejects(
        store.put(`${prefix}f`, body, { signal: AbortSignal.abort(reason) }),
        (error) => error === reason,
      );
      await assertNothingUnder(prefix);
    });

    test('accepts a body of exactly maxBytes', async () => {
      const key = `${freshPrefix()}f`;
      const stored = await store.put(key, streamOf(randomBytes(1000)), { maxBytes: 1000 });
      assert.equal(stored.size, 1000);
    });

    test('deletes an object, and deleting again or a missing key is not an error', async () => {
      const prefix = freshPrefix();
      await store.put(`${prefix}a/f`, streamOf(Buffer.from('x')));
      await store.delete(`${prefix}a/f`);
      assert.equal(await store.head(`${prefix}a/f`), undefined);
      await store.delete(`${prefix}a/f`);
      await store.delete(`${prefix}never/existed`);
      await assertNothingUnder(prefix);
      // The folder the delete emptied can be written again at once.
      await store.put(`${prefix}a/f`, streamOf(Buffer.from('y')));
      assert.equal((await store.head(`${prefix}a/f`))?.size, 1);
    });

    test('lists every object under a prefix, as a string prefix', async () => {
      const prefix = freshPrefix();
      const keys = ['r1/a', 'r1/b', 'r1/sub/c', 'r10/x', 'r2/a'].map((k) => prefix + k);
      for (const key of keys) await store.put(key, streamOf(Buffer.from(key)));
      const listed = async (p: string) => (await collect(store.list(p))).map((o) => o.key).sort();
      assert.deepEqual(await listed(`${prefix}r1/`), keys.slice(0, 3));
      assert.deepEqual(await listed(`${prefix}r1`), keys.slice(0, 4));
      assert.deepEqual(await listed(prefix), keys);
      assert.deepEqual(await listed(`${prefix}none/`), []);
      const [first] = await collect(store.list(`${prefix}r1/a`));
      assert.equal(first?.size, Buffer.byteLength(keys[0] ?? ''));
      assert.ok(first.lastModified instanceof Date);
    });

    test('lists in S3 key order, a folder sorting as its name and a slash, and from after a key', async () => {
      const prefix = freshPrefix();
      // In UTF-8 byte order: `-` `.` `/` `b`, then é (C3), Ａ (EF) and 😀 (F0), which UTF-16
      // (JavaScript's `<`) would put first. `a` cannot be a key beside `a/b` on a local store, so
      // it is tried one folder down, as `x/a`.
      const ordered = ['a-b', 'a.b', 'a/b', 'a/c/d', 'ab', 'b', 'x/a', 'x/a-b', 'x/a.b', 'x/ab']
        .concat(['z/a', 'é', 'Ａ', '😀'])
        .map((k) => prefix + k);
      // Stored out of order, so that the order listed is the store's doing.
      for (const key of [...ordered].reverse()) await store.put(key, streamOf(Buffer.from(key)));
      const listed = async (p: string, startAfter?: string) =>
        (await collect(store.list(p, startAfter === undefined ? {} : { startAfter }))).map(
          (o) => o.key,
        );
      assert.deepEqual(await listed(prefix), ordered);
      assert.deepEqual(await listed(`${prefix}x/`), ordered.slice(6, 10));
      // After each key, the rest, whether or not the key is stored, in a folder or not.
      for (const [index, key] of ordered.entries())
        assert.deepEqual(await listed(prefix, key), ordered.slice(index + 1), key);
      assert.deepEqual(await listed(prefix, `${prefix}a`), ordered);
      assert.deepEqual(await listed(prefix, `${prefix}a/`), ordered.slice(2));
      assert.deepEqual(await listed(prefix, `${prefix}a/bz`), ordered.slice(3));
      assert.deepEqual(await listed(prefix, `${prefix}a0`), ordered.slice(4));
      assert.deepEqual(await listed(prefix, `${prefix}x`), ordered.slice(6));
      assert.deepEqual(await listed(prefix, `${prefix}x/a`), ordered.slice(7));
      assert.deepEqual(await listed(prefix, `${prefix}z`), ordered.slice(10));
      assert.deepEqual(await listed(prefix, `${prefix}😀`), []);
      assert.deepEqual(await listed(`${prefix}a/`, `${prefix}a/b`), [`${prefix}a/c/d`]);
      // A start before the prefix lists all of it.
      assert.deepEqual(await listed(`${prefix}x/`, prefix), ordered.slice(6, 10));
    });

    test('does not list an object while its put is still streaming', async () => {
      const prefix = freshPrefix();
      let resume: () => void = () => undefined;
      const paused = new Promise<void>((resolve) => (resume = resolve));
      let reached: () => void = () => undefined;
      const halfway = new Promise<void>((resolve) => (reached = resolve));
      const body = Readable.from(
        (async function* () {
          yield randomBytes(harness.partSize + 10);
          reached();
          await paused;
          yield randomBytes(10);
        })(),
      );
      const putting = store.put(`${prefix}f`, body);
      await halfway;
      assert.deepEqual(await collect(store.list(prefix)), []);
      assert.equal(await store.head(`${prefix}f`), undefined);
      resume();
      await putting;
      assert.deepEqual(
        (await collect(store.list(prefix))).map((o) => o.key),
        [`${prefix}f`],
      );
    });

    test('keeps keys with spaces, unicode and dots', async () => {
      const prefix = freshPrefix();
      const keys = ['my data (v2).csv', 'données—été.txt', '.hidden', 'a..b', '名前/ファイル'].map(
        (k) => prefix + k,
      );
      for (const key of keys) await store.put(key, streamOf(Buffer.from(key)));
      for (const key of keys)
        assert.equal((await readAll((await store.get(key)).body)).toString(), key);
      assert.deepEqual(
        (await collect(store.list(prefix))).map((o) => o.key).sort(),
        [...keys].sort(),
      );
    });

    test('refuses hostile keys on every operation, touching nothing', async () => {
      const prefix = freshPrefix();
      const before = await harness.inspect('');
      const hostile = [
        '',
        '../escape',
        `${prefix}../../escape`,
        '/etc/passwd',
        `${prefix}a\\..\\b`,
        `${prefix}nul\0byte`,
        `${prefix}line\nbreak`,
        `${prefix}a//b`,
        `${prefix}./a`,
        `${prefix}a/.`,
        `${prefix}a/`,
        `${prefix}${'x'.repeat(256)}`,
      ];
      for (const key of hostile) {
        const label = JSON.stringify(key);
        await assertRejectsWith(
          store.put(key, streamOf(Buffer.from('x'))),
          'VALIDATION_FAILED',
          label,
        );
        await assertRejectsWith(store.get(key), 'VALIDATION_FAILED', label);
        await assertRejectsWith(store.head(key), 'VALIDATION_FAILED', label);
        await assertRejectsWith(store.delete(key), 'VALIDATION_FAILED', label);
      }
      for (const listPrefix of ['../', '/abs', 'a/../b', 'a\\b'])
        await assertRejectsWith(collect(store.list(listPrefix)), 'VALIDATION_FAILED', listPrefix);
      assert.deepEqual(await harness.inspect(''), before);
    });

    test('a 200 MB streamed put keeps memory bounded', async () => {
      const key = `${freshPrefix()}large.bin`;
      const total = 200 * mebibyte;
      global.gc?.();
      const startRss = process.memoryUsage().rss;
      let peakRss = startRss;
      const chunk = randomBytes(mebibyte);
      const hash = createHash('sha256');
      const body = Readable.from(
        (function* () {
          for (let sent = 0; sent < total; sent += chunk.length) {
            peakRss = Math.max(peakRss, process.memoryUsage().rss);
            hash.update(chunk);
            yield chunk;
          }
        })(),
      );
      const stored = await store.put(key, body);
      assert.deepEqual(stored, { size: total, sha256: hash.digest('hex') });
      const growth = (peakRss - startRss) / mebibyte;
      console.log(
        `${name}: 200 MiB put, RSS ${(startRss / mebibyte).toFixed(0)} MiB → peak +${growth.toFixed(0)} MiB`,
      );
      assert.ok(growth < 150, `RSS grew by ${growth.toFixed(0)} MiB for a 200 MiB body`);
      await store.delete(key);
    });
  });
}

/**
 * A stream of `bytes` in `chunkSize` pieces, yielding to the event loop between them; `trigger`
 * runs once when `at` bytes were produced (to fail or abort mid-way), and the stream goes on.
 */
export function streamOf(
  bytes: Buffer,
  chunkSize = 64 * 1024,
  trigger?: { at: number; act: (stream: Readable) => void },
): Readable {
  let triggered = false;
  const holder: { stream?: Readable } = {};
  const stream = Readable.from(
    (async function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) {
        if (trigger && !triggered && offset >= trigger.at) {
          triggered = true;
          trigger.act(holder.stream as Readable); // set below, before the first read
        }
        await new Promise((resolve) => setImmediate(resolve));
        yield bytes.subarray(offset, offset + chunkSize);
      }
    })(),
    { objectMode: false },
  );
  holder.stream = stream;
  return stream;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export async function assertRejectsWith(
  promise: Promise<unknown>,
  code: ErrorCode,
  label = '',
): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(
      isDataRegistryError(error),
      `${label}: expected DataRegistryError, got ${String(error)}`,
    );
    assert.equal(error.code, code, `${label}: ${error.message}`);
    return true;
  });
}
